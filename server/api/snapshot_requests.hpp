// The parse_ functions of the frozen bulletins (issue 17, docs/api-office.md):
//   POST /api/v1/admin/bulletins        {"to","from","level","rank_by","region","sector","title"}
//   GET  /api/v1/admin/bulletins        ?limit=&before=
//   GET  /api/v1/admin/bulletins/{id}   ?format=json|csv|xlsx|html|pdf&detail=full
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "engine/competition_rules.hpp"
#include "server/api/admin_requests.hpp"
#include "server/protocol/parsed.hpp"

namespace anquanli {

// A clerk's own title template: at most this many characters ({competition} and {as_of} work as in
// [bulletin] title).
inline constexpr std::size_t max_snapshot_title_code_points = 100;

struct snapshot_create_command {
  office_period period;  // from defaults to the window's first day, to to its last
  bulletin_level level = bulletin_level::city;
  bulletin_rank_by rank_by = bulletin_rank_by::participants;
  std::optional<std::string> sector;
  std::optional<std::string> title;
};
[[nodiscard]] parsed<snapshot_create_command> parse_snapshot_create(const api_request& request,
                                                                    const competition_rules& rules);

inline constexpr int max_snapshot_page = 200;
struct snapshot_page_command {
  int limit = 50;
  std::int64_t before_id = std::numeric_limits<std::int64_t>::max();
};
[[nodiscard]] parsed<snapshot_page_command> parse_snapshot_page(const api_request& request);

struct snapshot_download_command {
  std::int64_t id = 0;
  std::string format = "json";  // json | csv | xlsx | html | pdf
  bool full = false;            // detail=full
};
[[nodiscard]] parsed<snapshot_download_command> parse_snapshot_download(const api_request& request);

}  // namespace anquanli
