// The regional office's commands of anquanli-admin: `admins add` (password read from stdin) and
// `bulletin` (the same exports as the admin API, written to a file).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_office_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
