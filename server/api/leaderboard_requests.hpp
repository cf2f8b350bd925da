// The leaderboard routes' parse_ functions: metric, day, paging and filters, checked against the
// competition's window before any snapshot is read.
#pragma once

#include <optional>
#include <string>

#include "engine/competition_rules.hpp"
#include "server/protocol/parsed.hpp"

namespace anquanli {

inline constexpr int max_leaderboard_page = 100;
inline constexpr int max_leaderboard_offset = 1'000'000;
inline constexpr int max_standing_neighbours = 50;

struct board_query {
  // points | attempts | participants | participation_rate ("rate" is its earlier name)
  std::string metric = "points";
  std::optional<std::string> day;  // a day of the window; none = the whole window
};

// GET /api/v1/leaderboards/regions?parent=&metric=&day=
struct region_board_command {
  board_query board;
  std::optional<std::string> parent;  // none: the root
};
[[nodiscard]] parsed<region_board_command> parse_region_board(const api_request& request,
                                                              const competition_rules& rules);

// GET /api/v1/leaderboards/units?region=&sector=&metric=&day=&limit=&offset=
struct unit_board_command {
  board_query board;
  std::string region_code;  // empty: all
  std::string sector;       // empty: all
  int limit = 20;
  int offset = 0;
};
[[nodiscard]] parsed<unit_board_command> parse_unit_board(const api_request& request,
                                                          const competition_rules& rules);

// GET /api/v1/leaderboards/units/{id}?metric=&day=&around=
struct unit_standing_command {
  board_query board;
  std::string unit_id;
  int around = 2;
};
[[nodiscard]] parsed<unit_standing_command> parse_unit_standing(const api_request& request,
                                                                const competition_rules& rules);

}  // namespace anquanli
