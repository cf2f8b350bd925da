// The parse_ functions of the participant's own routes (issue 16): history, practice, personal
// rankings, prizes, winners and prize claims. Pure functions of the request, like the others
// (tests/api/request_parse_test.cpp tests them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/competition_rules.hpp"
#include "server/durable/durable_store.hpp"
#include "server/protocol/parsed.hpp"

namespace anquanli {

inline constexpr std::size_t max_address_code_points = 200;

// GET /api/v1/me/attempts?kind=challenge|practice
[[nodiscard]] parsed<attempt_kind> parse_history_query(const api_request& request);

// POST /api/v1/practice, body optional: {"category": "…"} or {"mistakes": true}
[[nodiscard]] parsed<practice_request> parse_practice(const api_request& request);

// GET /api/v1/leaderboards/participants?region=&day=&limit=&offset=
struct participant_board_command {
  std::optional<std::string> region_code;  // none: the root
  std::optional<std::string> day;          // none: the whole window
  int limit = 20;
  int offset = 0;
};
[[nodiscard]] parsed<participant_board_command> parse_participant_board(
    const api_request& request, const competition_rules& rules);

// GET /api/v1/winners?day=
[[nodiscard]] parsed<std::optional<std::string>> parse_winners_day(const api_request& request,
                                                                   const competition_rules& rules);

// PUT /api/v1/draws/{id}/claim {"recipient","phone","address"}
struct claim_command {
  std::int64_t draw_id = 0;
  prize_claim details;
};
[[nodiscard]] parsed<claim_command> parse_claim(const api_request& request);

// POST /api/v1/admin/draws/{id}/sent
[[nodiscard]] parsed<std::int64_t> parse_draw_ref(const api_request& request);

}  // namespace anquanli
