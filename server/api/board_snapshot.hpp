// One cached leaderboard scope (the window or one day) with everything derived from it: the totals
// as read from Redis or SQLite, the directory they are ranked against, and, filled lazily on first
// use, each ranking (unit boards per metric, region and sector; region boards per metric and
// parent) and the serialized bodies of the first pages. A snapshot never changes its numbers, so
// whatever is derived from it stays valid for its whole life: a burst of page views ranks once and
// then costs a map lookup. Thread-safe: handlers on several I/O threads share one snapshot. Nothing
// here awaits, so no lock is ever held across a co_await.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/ranking.hpp"
#include "server/durable/durable_store.hpp"

namespace anquanli {

// A ranking and where each id stands in it.
struct ranked_board {
  std::vector<ranked_entry> entries;
  std::unordered_map<std::string, std::size_t> position;  // id → index in entries
};

// 参与率 (docs/figures.md): participants with a unit against the staff of the units, never above 1
// (a headcount lower than its participants is an import problem, flagged by rate_capped); none
// without a headcount. Participants without a unit (社会公众) have no staff to compare with.
[[nodiscard]] std::optional<double> participation_rate(const standing_counts& counts,
                                                       std::int64_t headcount);
// The number a board ranks by: points, attempts, participants or the rate ("rate" is the earlier
// name of participation_rate and ranks the same way).
[[nodiscard]] std::optional<double> metric_value(const standing_counts& counts,
                                                 std::int64_t headcount, std::string_view metric);
// The counts of `id`; zero when it has none yet.
[[nodiscard]] standing_counts counts_in(const std::map<std::string, standing_counts>& totals,
                                        const std::string& id);

class board_snapshot {
 public:
  // Memos beyond these are computed per request and not kept, so a client inventing sectors or
  // pages cannot grow a snapshot without bound.
  static constexpr std::size_t max_rankings = 256;
  static constexpr std::size_t max_pages = 512;
  // Pages ending beyond this many entries are built per request: few people look that far.
  static constexpr int cached_page_end = 100;

  board_snapshot(std::shared_ptr<const scope_totals> totals,
                 std::shared_ptr<const directory_snapshot> places, instant as_of,
                 std::string source);
  board_snapshot(const board_snapshot&) = delete;
  board_snapshot& operator=(const board_snapshot&) = delete;

  [[nodiscard]] const scope_totals& totals() const { return *totals_; }
  [[nodiscard]] const directory_snapshot& places() const { return *places_; }
  [[nodiscard]] const std::shared_ptr<const directory_snapshot>& places_ptr() const {
    return places_;
  }
  [[nodiscard]] instant as_of() const { return as_of_; }
  [[nodiscard]] const std::string& source() const { return source_; }

  // The units that pass the filters (empty: any), ranked by `metric`.
  [[nodiscard]] std::shared_ptr<const ranked_board> units(const std::string& metric,
                                                          const std::string& region_code,
                                                          const std::string& sector) const;
  // The children of `parent`, ranked by `metric`.
  [[nodiscard]] std::shared_ptr<const ranked_board> regions(const std::string& metric,
                                                            const std::string& parent) const;

  // A response body kept under `key`, or null. keep_page stores one (unless the memo is full).
  [[nodiscard]] std::shared_ptr<const std::string> page(const std::string& key) const;
  void keep_page(const std::string& key, std::shared_ptr<const std::string> body) const;

 private:
  // One ranking, computed by the first caller while any others for the same key wait.
  struct memo_slot {
    std::once_flag computed;
    std::shared_ptr<const ranked_board> board;
  };
  template <class Compute>
  std::shared_ptr<const ranked_board> ranking(const std::string& key, Compute compute) const;

  std::shared_ptr<const scope_totals> totals_;
  std::shared_ptr<const directory_snapshot> places_;
  instant as_of_;
  std::string source_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<memo_slot>> rankings_;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> pages_;
};

}  // namespace anquanli
