// The regional office's participation bulletin (通报): exact numbers from SQLite for a period and a
// level (city, county or unit) inside an admin's subtree, the separate ranking of participants
// without a unit (社会公众), the units that did not take part and the units whose headcount is
// lower than their participants.
// This header is the model; bulletin_query builds it from the database and bulletin_render turns
// it into JSON, CSV (for Excel), XLSX and a printable HTML page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/day_key.hpp"
#include "engine/instant.hpp"

namespace anquanli {

enum class bulletin_level { city, county, unit };

// What a bulletin's rows are ranked by (`rank_by=`). `rate` is participants_with_unit / headcount
// for units and participants / target (the headcount sum when there is no target) for regions.
enum class bulletin_rank_by { participants, rate, points, attempts };

// One ranked row. Figures are defined in bulletin_figures.hpp (and docs/figures.md).
struct bulletin_row {
  int rank = 0;             // standard competition ranking (1, 2, 2, 4) by the bulletin's rank_by
  std::string code;         // region code, or unit id
  std::string name;         // region or unit name
  std::string parent_name;  // for units: the region they belong to; otherwise the parent region
  std::int64_t participants = 0;            // both populations (参与人数)
  std::int64_t participants_with_unit = 0;  // 干部职工参与人数
  std::int64_t participants_public = 0;     // 社会公众参与人数 (0 for a unit)
  std::int64_t attempts = 0;                // both populations (参与人次)
  std::int64_t attempts_with_unit = 0;      // 干部职工参与人次
  std::int64_t attempts_public = 0;         // 社会公众参与人次
  std::int64_t points = 0;                  // 积分
  std::optional<std::int64_t> headcount;    // 职工人数 (sum of units' headcounts for regions)
  // participants_with_unit / headcount, capped at 1 (参与率); rate_capped says it was capped.
  std::optional<double> participation_rate;
  bool rate_capped = false;
  std::optional<double> average_correct_rate;  // correct answers / questions asked (平均正确率)
  std::int64_t flagged_attempts = 0;   // answered faster than a person reads (疑似机器答题)
  std::optional<std::int64_t> target;  // 任务数 set by `anquanli-admin targets import` (regions)
  std::optional<double> target_rate;   // 完成率: participants / target, not capped
  // Against the same bulletin up to the comparison day (`compare_to=`) or the previous snapshot:
  std::optional<int> previous_rank;              // none: not ranked then (a new row)
  std::optional<int> rank_change;                // previous_rank - rank: positive moved up
  std::optional<std::int64_t> new_participants;  // participants - participants then
};

// A row of the separate ranking of participants without a unit (社会公众).
struct public_row {
  int rank = 0;  // by participants_public
  std::string code;
  std::string name;
  std::string parent_name;
  std::int64_t participants_public = 0;
  std::int64_t attempts_public = 0;
  std::int64_t points_public = 0;
};

// The regions at `level` (county when the bulletin lists units: people without a unit belong to
// no unit row) ranked by their participants without a unit, with the totals of the scope.
struct public_ranking {
  bulletin_level level = bulletin_level::city;
  std::vector<public_row> rows;
  public_row totals;  // rank 0, code empty, name 合计
};

struct zero_participation_unit {
  std::string id;
  std::string name;
  std::string region_name;
  std::int64_t headcount = 0;
};

// A unit whose imported headcount is lower than its participants in the period: the directory is
// wrong, and the rates that include it are capped.
struct headcount_problem {
  std::string id;
  std::string name;
  std::string region_name;
  std::int64_t headcount = 0;
  std::int64_t participants_with_unit = 0;
};

struct bulletin {
  std::string title;       // e.g. 测测你的安全力 参与情况通报
  std::string scope_code;  // the admin's region
  std::string scope_name;
  day_key from;
  day_key to;
  bulletin_level level = bulletin_level::city;
  bulletin_rank_by rank_by = bulletin_rank_by::participants;
  std::optional<std::string> sector;  // 行业: only units of this sector (and their regions' sums)
  std::optional<day_key> compare_to;  // the comparison day of previous_rank and rank_change
  // A frozen snapshot's movement is against the previous snapshot of the same scope, level,
  // ranking and sector (bulletin_snapshot_store.hpp) rather than a day: which one, and when its
  // numbers stood.
  struct baseline {
    std::int64_t snapshot_id = 0;
    instant generated_at{};
  };
  std::optional<baseline> compared_snapshot;
  instant generated_at{};
  utc_offset offset = china_standard_time;
  std::vector<bulletin_row> rows;
  // rank 0, code empty, name 合计: the rows' participants with a unit plus the public ranking's
  // participants without one, so the scope's whole participation at every level.
  bulletin_row totals;
  public_ranking public_participation;
  std::vector<zero_participation_unit> zero_participation;
  std::vector<headcount_problem> headcount_problems;
};

// Whether the rows carry movement (previous_rank, rank_change, new_participants).
[[nodiscard]] inline bool has_movement(const bulletin& report) noexcept {
  return report.compare_to.has_value() || report.compared_snapshot.has_value();
}

[[nodiscard]] constexpr std::string_view to_string(bulletin_level level) noexcept {
  switch (level) {
    case bulletin_level::city: return "city";
    case bulletin_level::county: return "county";
    case bulletin_level::unit: return "unit";
  }
  return "city";
}

[[nodiscard]] constexpr std::string_view to_string(bulletin_rank_by rank_by) noexcept {
  switch (rank_by) {
    case bulletin_rank_by::participants: return "participants";
    case bulletin_rank_by::rate: return "rate";
    case bulletin_rank_by::points: return "points";
    case bulletin_rank_by::attempts: return "attempts";
  }
  return "participants";
}

}  // namespace anquanli
