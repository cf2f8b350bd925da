// Ranking for leaderboards and bulletins: standard competition ranking ("1224"): entries with
// equal values share a rank and the next rank skips, higher values first, ties listed by id.
// Entries without a value (a participation rate without a headcount) come last, unranked order by
// id.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace anquanli {

struct ranked_entry {
  std::string id;
  std::optional<double> value;
  int rank = 0;  // set by rank_entries; 0 for entries without a value
};

// Sorts `entries` (best first, ties by id) and sets each rank.
[[nodiscard]] std::vector<ranked_entry> rank_entries(std::vector<ranked_entry> entries);

}  // namespace anquanli
