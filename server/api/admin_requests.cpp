#include "server/api/admin_requests.hpp"

#include <array>
#include <boost/json.hpp>

#include "server/api/request_fields.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_username_bytes = 64;
constexpr std::size_t max_password_bytes = 256;
constexpr std::size_t max_sector_bytes = 64;

// rank_by, compare_to (a day of the period before its last) and sector; false when one is bad.
bool read_bulletin_options(const api_request& request, bulletin_export_command& command) {
  const auto rank_by = parse_bulletin_rank_by(query_or(request, "rank_by", "participants"));
  if (!rank_by) {
    return false;
  }
  command.rank_by = *rank_by;
  if (const auto compare_to = query_or(request, "compare_to", ""); !compare_to.empty()) {
    const auto day = parse_day_key(compare_to);
    if (!day || *day < command.period.from || !(*day < command.period.to)) {
      return false;
    }
    command.compare_to = *day;
  }
  if (auto sector = query_or(request, "sector", ""); !sector.empty()) {
    if (sector.size() > max_sector_bytes) {
      return false;
    }
    command.sector = std::move(sector);
  }
  return true;
}

}  // namespace

std::optional<bulletin_rank_by> parse_bulletin_rank_by(std::string_view text) {
  for (const auto candidate : {bulletin_rank_by::participants, bulletin_rank_by::rate,
                               bulletin_rank_by::points, bulletin_rank_by::attempts}) {
    if (to_string(candidate) == text) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::optional<bulletin_level> parse_bulletin_level(std::string_view text) {
  for (const auto candidate :
       {bulletin_level::city, bulletin_level::county, bulletin_level::unit}) {
    if (to_string(candidate) == text) {
      return candidate;
    }
  }
  return std::nullopt;
}

parsed<admin_login_command> parse_admin_login(const api_request& request) {
  const auto body = parse_json_object(request.body);
  auto username = body ? string_field(*body, "username") : std::nullopt;
  auto password = body ? string_field(*body, "password") : std::nullopt;
  if (!username || !password || username->size() > max_username_bytes ||
      password->size() > max_password_bytes) {
    return api_error_code::invalid_admin_request;
  }
  return admin_login_command{std::move(*username), std::move(*password)};
}

parsed<office_period> parse_office_period(const api_request& request,
                                          const competition_rules& rules) {
  office_period period{std::nullopt, rules.starts_on, rules.ends_on};
  if (auto region = query_or(request, "region", ""); !region.empty()) {
    period.region_code = std::move(region);
  }
  const auto from = parse_day_key(query_or(request, "from", to_string(period.from)));
  const auto to = parse_day_key(query_or(request, "to", to_string(period.to)));
  if (!from || !to || *to < *from) {
    return api_error_code::invalid_period;
  }
  period.from = *from;
  period.to = *to;
  return period;
}

parsed<bulletin_export_command> parse_bulletin_export(const api_request& request,
                                                      const competition_rules& rules) {
  auto period = parse_office_period(request, rules);
  if (!period) {
    return period.error();
  }
  bulletin_export_command command;
  command.period = std::move(*period);
  command.format = query_or(request, "format", "json");
  const auto level = parse_bulletin_level(query_or(request, "level", "city"));
  command.level = level.value_or(bulletin_level::city);
  constexpr std::array formats{"json", "csv", "xlsx", "html", "pdf"};
  const std::string detail = query_or(request, "detail", "");
  command.full = detail == "full";
  if (!level || std::find(formats.begin(), formats.end(), command.format) == formats.end() ||
      (!detail.empty() && detail != "full") || !read_bulletin_options(request, command)) {
    return api_error_code::invalid_bulletin_request;
  }
  return command;
}

parsed<winners_export_command> parse_winners_export(const api_request& request,
                                                    const competition_rules& rules) {
  auto period = parse_office_period(request, rules);
  if (!period) {
    return period.error();
  }
  return winners_export_command{std::move(*period), query_or(request, "format", "json")};
}

parsed<audit_page_command> parse_audit_page(const api_request& request) {
  audit_page_command command;
  const auto limit = read_count(request, "limit", command.limit, max_audit_page);
  if (!limit || *limit == 0) {
    return error_with(api_error_code::invalid_limit, "limit 必须在 1 到 500 之间");
  }
  command.limit = *limit;
  if (request.query.contains("before")) {
    const auto before = parse_id(request.query.at("before"));
    if (!before) {
      return error_with(api_error_code::invalid_limit, "before 必须是正整数");
    }
    command.before_id = *before;
  }
  return command;
}

}  // namespace anquanli
