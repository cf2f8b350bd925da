#include "server/api/leaderboard_requests.hpp"

#include "server/api/request_fields.hpp"

namespace anquanli {

namespace {

parsed<board_query> parse_board(const api_request& request, const competition_rules& rules) {
  board_query query;
  query.metric = query_or(request, "metric", "points");
  if (query.metric != "points" && query.metric != "attempts" && query.metric != "participants" &&
      query.metric != "participation_rate" && query.metric != "rate") {
    return api_error_code::invalid_metric;
  }
  if (const auto day = request.query.find("day"); day != request.query.end()) {
    // Only days of the window: every other day is empty, and a bounded set keeps the cache small.
    const auto parsed_day = parse_day_key(day->second);
    if (!parsed_day || *parsed_day < rules.starts_on || rules.ends_on < *parsed_day) {
      return api_error_code::invalid_day;
    }
    query.day = day->second;
  }
  return query;
}

}  // namespace

parsed<region_board_command> parse_region_board(const api_request& request,
                                                const competition_rules& rules) {
  auto board = parse_board(request, rules);
  if (!board) {
    return board.error();
  }
  region_board_command command{std::move(*board), std::nullopt};
  if (const auto parent = request.query.find("parent"); parent != request.query.end()) {
    command.parent = parent->second;
  }
  return command;
}

parsed<unit_board_command> parse_unit_board(const api_request& request,
                                            const competition_rules& rules) {
  auto board = parse_board(request, rules);
  if (!board) {
    return board.error();
  }
  const auto limit = read_count(request, "limit", 20, max_leaderboard_page);
  const auto offset = read_count(request, "offset", 0, max_leaderboard_offset);
  if (!limit || *limit == 0 || !offset) {
    return error_with(api_error_code::invalid_limit, "limit 必须在 1 到 100 之间，offset 不能为负");
  }
  return unit_board_command{std::move(*board), query_or(request, "region", ""),
                            query_or(request, "sector", ""), *limit, *offset};
}

parsed<unit_standing_command> parse_unit_standing(const api_request& request,
                                                  const competition_rules& rules) {
  auto board = parse_board(request, rules);
  if (!board) {
    return board.error();
  }
  const auto around = read_count(request, "around", 2, max_standing_neighbours);
  if (!around) {
    return error_with(api_error_code::invalid_limit, "around 必须在 0 到 50 之间");
  }
  if (request.path_parameters.empty()) {
    return api_error_code::unit_not_found;
  }
  return unit_standing_command{std::move(*board), request.path_parameters.front(), *around};
}

}  // namespace anquanli
