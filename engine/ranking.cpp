#include "engine/ranking.hpp"

#include <algorithm>

namespace anquanli {

std::vector<ranked_entry> rank_entries(std::vector<ranked_entry> entries) {
  std::sort(entries.begin(), entries.end(), [](const ranked_entry& a, const ranked_entry& b) {
    if (a.value.has_value() != b.value.has_value()) {
      return a.value.has_value();
    }
    if (a.value && *a.value != *b.value) {
      return *a.value > *b.value;
    }
    return a.id < b.id;
  });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].value) {
      entries[i].rank = 0;
      continue;
    }
    const bool tied = i > 0 && entries[i - 1].value == entries[i].value;
    entries[i].rank = tied ? entries[i - 1].rank : static_cast<int>(i) + 1;
  }
  return entries;
}

}  // namespace anquanli
