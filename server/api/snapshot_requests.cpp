#include "server/api/snapshot_requests.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "server/api/request_fields.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_sector_bytes = 64;

// A body field that must be a string when present: empty optional inside when absent, and an
// empty outer optional when present with another type.
std::optional<std::optional<std::string>> optional_string(const boost::json::object& body,
                                                          std::string_view key) {
  const auto* value = body.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return std::optional<std::string>{};
  }
  if (!value->is_string()) {
    return std::nullopt;
  }
  return std::optional<std::string>{std::string{value->as_string()}};
}

// The period of the body's from/to, as the bulletin's query reads it.
parsed<office_period> read_period(const boost::json::object& body, const competition_rules& rules) {
  const auto from = optional_string(body, "from");
  const auto to = optional_string(body, "to");
  const auto region = optional_string(body, "region");
  if (!from || !to) {
    return api_error_code::invalid_period;
  }
  if (!region) {
    return api_error_code::invalid_region;
  }
  office_period period{*region, rules.starts_on, rules.ends_on};
  const auto first = from->has_value() ? parse_day_key(**from) : period.from;
  const auto last = to->has_value() ? parse_day_key(**to) : period.to;
  if (!first || !last || *last < *first) {
    return api_error_code::invalid_period;
  }
  period.from = *first;
  period.to = *last;
  return period;
}

// level, rank_by, sector and title, onto `command`.
parsed<snapshot_create_command> read_options(const boost::json::object& body,
                                             snapshot_create_command command) {
  const auto level = optional_string(body, "level");
  const auto rank_by = optional_string(body, "rank_by");
  const auto sector = optional_string(body, "sector");
  const auto title = optional_string(body, "title");
  const auto known_level = parse_bulletin_level(level && *level ? **level : "city");
  const auto known_rank_by =
      parse_bulletin_rank_by(rank_by && *rank_by ? **rank_by : "participants");
  if (!known_level || !known_rank_by || !sector ||
      (*sector && (sector->value().empty() || sector->value().size() > max_sector_bytes))) {
    return error_with(api_error_code::invalid_bulletin_request,
                      "level 为 city、county 或 unit，rank_by 为 participants、rate、points 或 "
                      "attempts，sector 不超过 64 字节");
  }
  command.level = *known_level;
  command.rank_by = *known_rank_by;
  command.sector = *sector;
  if (!title) {
    return error_with(api_error_code::invalid_bulletin_request, "title 必须是文本");
  }
  if (*title) {
    command.title = normalized_text(**title, max_snapshot_title_code_points);
    if (!command.title) {
      return error_with(api_error_code::invalid_bulletin_request,
                        "title 为 1 到 100 个字符，不能含控制字符");
    }
  }
  return command;
}

}  // namespace

parsed<snapshot_create_command> parse_snapshot_create(const api_request& request,
                                                      const competition_rules& rules) {
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  auto period = read_period(*body, rules);
  if (!period) {
    return period.error();
  }
  snapshot_create_command command;
  command.period = std::move(*period);
  return read_options(*body, std::move(command));
}

parsed<snapshot_page_command> parse_snapshot_page(const api_request& request) {
  snapshot_page_command command;
  const auto limit = read_count(request, "limit", command.limit, max_snapshot_page);
  if (!limit || *limit == 0) {
    return error_with(api_error_code::invalid_limit, "limit 必须在 1 到 200 之间");
  }
  command.limit = *limit;
  if (request.query.contains("before")) {
    const auto before = parse_id(request.query.at("before"));
    if (!before) {
      return error_with(api_error_code::invalid_limit, "before 必须是快照编号");
    }
    command.before_id = *before;
  }
  return command;
}

parsed<snapshot_download_command> parse_snapshot_download(const api_request& request) {
  const auto id =
      request.path_parameters.empty() ? std::nullopt : parse_id(request.path_parameters.front());
  if (!id) {
    return api_error_code::bulletin_snapshot_not_found;
  }
  snapshot_download_command command;
  command.id = *id;
  command.format = query_or(request, "format", "json");
  const std::string detail = query_or(request, "detail", "");
  command.full = detail == "full";
  constexpr std::array formats{"json", "csv", "xlsx", "html", "pdf"};
  if (std::find(formats.begin(), formats.end(), command.format) == formats.end() ||
      (!detail.empty() && detail != "full")) {
    return error_with(api_error_code::invalid_bulletin_request,
                      "format 为 json、csv、xlsx、html 或 pdf，detail 只能是 full");
  }
  return command;
}

}  // namespace anquanli
