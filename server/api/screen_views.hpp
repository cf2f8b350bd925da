// The big screen's JSON (GET /api/v1/screen and each event of /api/v1/screen/stream; described in
// docs/openapi.yaml, ScreenSnapshot). Masked winners only: the screen is shown in public halls.
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "server/core/server_config.hpp"
#include "server/store/screen_query.hpp"

namespace anquanli {

// Everything but the time it was computed (`as_of`, added by the feed), so that two reads with
// the same figures serialize the same and an unchanged screen is not pushed again.
[[nodiscard]] boost::json::object screen_json(const screen_figures& figures,
                                              const server_config& config, std::string_view today);

}  // namespace anquanli
