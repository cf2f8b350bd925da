#include "server/api/board_snapshot.hpp"

#include <algorithm>

namespace anquanli {

namespace {

std::shared_ptr<const ranked_board> indexed(std::vector<ranked_entry> entries) {
  auto board = std::make_shared<ranked_board>();
  board->entries = rank_entries(std::move(entries));
  board->position.reserve(board->entries.size());
  for (std::size_t i = 0; i < board->entries.size(); ++i) {
    board->position.emplace(board->entries[i].id, i);
  }
  return board;
}

}  // namespace

std::optional<double> participation_rate(const standing_counts& counts, std::int64_t headcount) {
  if (headcount <= 0)
    return std::nullopt;
  return static_cast<double>(std::min(counts.participants_with_unit, headcount)) /
         static_cast<double>(headcount);
}

// "rate" is the earlier name of metric=participation_rate and ranks the same way.
std::optional<double> metric_value(const standing_counts& counts, std::int64_t headcount,
                                   std::string_view metric) {
  if (metric == "points")
    return static_cast<double>(counts.points);
  if (metric == "attempts")
    return static_cast<double>(counts.attempts);
  if (metric == "participants")
    return static_cast<double>(counts.participants);
  return participation_rate(counts, headcount);
}

standing_counts counts_in(const std::map<std::string, standing_counts>& totals,
                          const std::string& id) {
  const auto found = totals.find(id);
  return found == totals.end() ? standing_counts{} : found->second;
}

board_snapshot::board_snapshot(std::shared_ptr<const scope_totals> totals,
                               std::shared_ptr<const directory_snapshot> places, instant as_of,
                               std::string source)
    : totals_(std::move(totals)),
      places_(std::move(places)),
      as_of_(as_of),
      source_(std::move(source)) {}

template <class Compute>
std::shared_ptr<const ranked_board> board_snapshot::ranking(const std::string& key,
                                                            Compute compute) const {
  std::shared_ptr<memo_slot> slot;
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = rankings_.find(key); found != rankings_.end()) {
      slot = found->second;
    } else if (rankings_.size() < max_rankings) {
      slot = rankings_.emplace(key, std::make_shared<memo_slot>()).first->second;
    }
  }
  if (!slot) {
    return compute();
  }
  // Outside the lock: other rankings of this snapshot go on while this one is computed.
  std::call_once(slot->computed, [&] { slot->board = compute(); });
  return slot->board;
}

std::shared_ptr<const ranked_board> board_snapshot::units(const std::string& metric,
                                                          const std::string& region_code,
                                                          const std::string& sector) const {
  const std::string key = "units\n" + metric + '\n' + region_code + '\n' + sector;
  return ranking(key, [&] {
    std::vector<ranked_entry> entries;
    for (const unit& item : places_->units()) {
      if ((!region_code.empty() && !places_->within(item.region_code, region_code)) ||
          (!sector.empty() && item.sector != sector)) {
        continue;
      }
      entries.push_back(
          {item.id, metric_value(counts_in(totals_->units, item.id), item.headcount, metric)});
    }
    return indexed(std::move(entries));
  });
}

std::shared_ptr<const ranked_board> board_snapshot::regions(const std::string& metric,
                                                            const std::string& parent) const {
  const std::string key = "regions\n" + metric + '\n' + parent;
  return ranking(key, [&] {
    std::vector<ranked_entry> entries;
    for (const region* child : places_->children(parent)) {
      entries.push_back({child->code, metric_value(counts_in(totals_->regions, child->code),
                                                   places_->headcount(child->code), metric)});
    }
    return indexed(std::move(entries));
  });
}

std::shared_ptr<const std::string> board_snapshot::page(const std::string& key) const {
  const std::lock_guard lock(mutex_);
  const auto found = pages_.find(key);
  return found == pages_.end() ? nullptr : found->second;
}

void board_snapshot::keep_page(const std::string& key,
                               std::shared_ptr<const std::string> body) const {
  const std::lock_guard lock(mutex_);
  if (pages_.size() < max_pages) {
    pages_.emplace(key, std::move(body));
  }
}

}  // namespace anquanli
