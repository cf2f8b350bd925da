// The office routes' parse_ functions. Which region an account may see is decided after parsing,
// against the directory (admin_api.cpp): here only the shape of what was asked.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "engine/competition_rules.hpp"
#include "server/protocol/parsed.hpp"
#include "server/store/bulletin.hpp"

namespace anquanli {

// POST /api/v1/admin/login {"username","password"}
struct admin_login_command {
  std::string username;
  std::string password;
};
[[nodiscard]] parsed<admin_login_command> parse_admin_login(const api_request& request);

// ?region=&from=&to= on every office export: the period defaults to the whole window.
struct office_period {
  std::optional<std::string> region_code;  // none: the account's own region
  day_key from;
  day_key to;
};
[[nodiscard]] parsed<office_period> parse_office_period(const api_request& request,
                                                        const competition_rules& rules);

// `level=` and `rank_by=` values (bulletin.hpp's names); empty when unknown.
[[nodiscard]] std::optional<bulletin_level> parse_bulletin_level(std::string_view text);
[[nodiscard]] std::optional<bulletin_rank_by> parse_bulletin_rank_by(std::string_view text);

// GET /api/v1/admin/bulletin?level=&format=&rank_by=&compare_to=&sector=
struct bulletin_export_command {
  office_period period;
  bulletin_level level = bulletin_level::city;
  std::string format = "json";  // json | csv | xlsx | html | pdf
  bool full = false;            // detail=full: codes and internal columns in the HTML and PDF
  bulletin_rank_by rank_by = bulletin_rank_by::participants;
  std::optional<day_key> compare_to;  // from <= compare_to < to
  std::optional<std::string> sector;  // 行业, at most 64 bytes
};
[[nodiscard]] parsed<bulletin_export_command> parse_bulletin_export(const api_request& request,
                                                                    const competition_rules& rules);

// GET /api/v1/admin/winners?format=
struct winners_export_command {
  office_period period;
  std::string format = "json";  // json | csv
};
[[nodiscard]] parsed<winners_export_command> parse_winners_export(const api_request& request,
                                                                  const competition_rules& rules);

// GET /api/v1/admin/audit?limit=&before=  (newest first; `before` is an entry id for the next page)
inline constexpr int max_audit_page = 500;
struct audit_page_command {
  int limit = 100;
  std::int64_t before_id = std::numeric_limits<std::int64_t>::max();
};
[[nodiscard]] parsed<audit_page_command> parse_audit_page(const api_request& request);

}  // namespace anquanli
