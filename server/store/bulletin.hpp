// The regional office's participation bulletin (通报): exact numbers from SQLite for a period and a
// level (city, county or unit) inside an admin's subtree, and the units that did not take part.
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

struct bulletin_row {
  int rank = 0;             // standard competition ranking by participants (1, 2, 2, 4)
  std::string code;         // region code, or unit id
  std::string name;         // region or unit name
  std::string parent_name;  // for units: the region they belong to; otherwise the parent region
  std::int64_t participants = 0;             // distinct people (参与人数)
  std::int64_t attempts = 0;                 // attempts (参与人次)
  std::int64_t points = 0;                   // 积分
  std::optional<std::int64_t> headcount;     // 职工人数 (sum of units' headcounts for regions)
  std::optional<double> participation_rate;  // participants / headcount (参与率)
  std::optional<double> average_correct_rate;  // correct answers / questions asked (平均正确率)
  std::int64_t flagged_attempts = 0;  // answered faster than a person reads (疑似机器答题)
};

struct zero_participation_unit {
  std::string id;
  std::string name;
  std::string region_name;
  std::int64_t headcount = 0;
};

struct bulletin {
  std::string title;       // e.g. 测测你的安全力 参与情况通报
  std::string scope_code;  // the admin's region
  std::string scope_name;
  day_key from;
  day_key to;
  bulletin_level level = bulletin_level::city;
  instant generated_at{};
  utc_offset offset = china_standard_time;
  std::vector<bulletin_row> rows;
  bulletin_row totals;  // rank 0, code empty, name 合计
  std::vector<zero_participation_unit> zero_participation;
};

[[nodiscard]] constexpr std::string_view to_string(bulletin_level level) noexcept {
  switch (level) {
    case bulletin_level::city: return "city";
    case bulletin_level::county: return "county";
    case bulletin_level::unit: return "unit";
  }
  return "city";
}

}  // namespace anquanli
