// What an office account may see: its own region and every region inside it. One check for every
// office route that takes a region, so a city office sees its city and the province everything.
#pragma once

#include <string>

#include "server/protocol/parsed.hpp"
#include "server/store/admin_store.hpp"
#include "server/store/directory.hpp"

namespace anquanli {

// `region` when the directory knows it and it lies in the account's subtree; invalid_region or
// region_forbidden otherwise.
[[nodiscard]] parsed<std::string> visible_to(const directory_snapshot& places, std::string region,
                                             const admin_account& admin);

}  // namespace anquanli
