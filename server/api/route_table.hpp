// The whole API in one table (route_table.cpp): method, pattern, who may call it, how an
// overloaded server treats it, its handler and its request checks. The server, the HTTP fuzz
// target and the OpenAPI document test all enumerate this table: the server binds it to handler
// objects (api_routes), everything else reads it unbound (api_route_listing), so there is no
// second list to keep in step.
#pragma once

#include <vector>

#include "server/api/admin_api.hpp"
#include "server/api/history_api.hpp"
#include "server/api/leaderboard_api.hpp"
#include "server/api/participant_api.hpp"
#include "server/api/participant_board_api.hpp"
#include "server/api/participant_lookup_api.hpp"
#include "server/api/practice_api.hpp"
#include "server/api/prizes_api.hpp"
#include "server/api/reporting_api.hpp"
#include "server/api/screen_api.hpp"
#include "server/api/system_api.hpp"

namespace anquanli {

struct api_handlers {
  system_api& system;
  participant_api& participants;
  leaderboard_api& leaderboards;
  admin_api& office;
  // The participant's own layer (issue 16).
  history_api& history;
  practice_api& practice;
  prizes_api& prizes;
  participant_board_api& people;
  reporting_api& reporting;  // the campaign's reporting forms (issue 17)
  // The 6·16 big screen (issue 17).
  screen_api& screen;
  participant_lookup_api& lookup;  // the office's participant lookup (issue 17)
};

// Every route of the API. Handlers of participant and office routes are called only with an
// authenticated caller; a storage failure inside any handler becomes a catalogue error
// (storage_unavailable or overloaded) here, so no handler and no transport needs to know storage.
[[nodiscard]] std::vector<route> api_routes(const api_handlers& handlers,
                                            const api_services& services);

// The same table with no handler bound: every route's `handle` is empty and must never be called.
// For listing the API (anquanli-server --print-routes) and for running the routes' request checks
// without a server or storage; `rules`, which the checks test days against, is kept by reference
// and must outlive the routes.
[[nodiscard]] std::vector<route> api_route_listing(const competition_rules& rules);

}  // namespace anquanli
