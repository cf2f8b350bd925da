// Leaderboard numbers computed from SQLite, the source of truth: per unit and per region (every
// level, a region counting its whole subtree), for the whole window or one day. Used as the
// fallback when Redis is away, to rebuild Redis, and to verify it. Participants are counted in two
// populations (docs/figures.md): with a unit (干部职工) and without one (社会公众).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct standing_counts {
  std::int64_t points = 0;
  std::int64_t attempts = 0;
  std::int64_t participants = 0;            // distinct people, both populations
  std::int64_t participants_with_unit = 0;  // of whom chose a work unit (all of a unit's)

  // Distinct people who chose no unit (社会公众); a participant keeps one unit or none.
  [[nodiscard]] std::int64_t participants_public() const noexcept {
    return participants - participants_with_unit;
  }

  friend bool operator==(const standing_counts&, const standing_counts&) = default;
};

struct scope_totals {
  std::map<std::string, standing_counts> units;
  std::map<std::string, standing_counts> regions;

  friend bool operator==(const scope_totals&, const scope_totals&) = default;
};

struct ledger_snapshot {
  std::int64_t high_water = 0;  // the last outbox event these totals include
  scope_totals window;
  std::map<std::string, scope_totals> days;  // "YYYY-MM-DD" → that day's totals
};

// One finished attempt's increments, as the transactional outbox holds them.
struct outbox_event {
  std::int64_t id = 0;
  std::string day;
  std::vector<std::string> region_codes;  // the participant's region first, then its ancestors
  std::optional<std::string> unit_id;
  std::int64_t points = 0;
  bool first_in_window = false;
  bool first_in_day = false;
};

// Events after `after`, oldest first, at most `limit`.
[[nodiscard]] std::vector<outbox_event> read_outbox(sqlite_database& database,
                                                    const std::string& competition_id,
                                                    std::int64_t after, int limit);

// Totals for the window (no day) or one day. Runs its queries as the caller's transaction has them.
[[nodiscard]] scope_totals aggregate_ledger(sqlite_database& database,
                                            const std::string& competition_id,
                                            const std::optional<std::string>& day);

// The window and every day with activity, and the outbox high-water mark, from one consistent read.
[[nodiscard]] ledger_snapshot snapshot_ledger(sqlite_database& database,
                                              const std::string& competition_id);

}  // namespace anquanli
