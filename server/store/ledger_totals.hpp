// Per-day totals of the points ledger, one row per competition, day, leaf region and unit
// (issue 14). The row is moved in the same transaction as the ledger row it counts, so leaderboard
// rebuilds, the SQLite fallback, the bulletin and the daily trend read thousands of aggregate rows
// instead of millions of ledger rows, and are never out of step with the ledger.
//
// Distinct participants survive the aggregation because each person is counted in exactly one row
// of a day and one row of the competition: `participants` counts the day's people in the row of
// their first challenge that day, and `new_participants` in the row of their first counted
// challenge of the competition, so the distinct people of any period that starts before the first
// ledger day are a sum of the latter, and of a single day a sum of the former, at every level of
// the region tree. A participant keeps one region and one unit (or none) unless an office corrects
// them (participant_lookup.hpp); after a correction their challenges are credited to the new row,
// and they count as a participant there from their first challenge of a later day. `unit_id` is
// '' for people without a unit (社会公众).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// The table and its backfill from the ledger: the schema step that introduces it.
[[nodiscard]] std::string_view ledger_totals_schema_sql();

// Recomputes every row from the ledger (for bulk loads that write ledger rows directly, like the
// bench seeder). Runs as the caller's transaction has it.
void rebuild_ledger_totals(sqlite_database& database);

// One finished attempt's increments to its day's row. The participant's region and unit are read
// from the participant, as the ledger row's are.
struct ledger_increment {
  std::string competition_id;
  std::string day;
  std::int64_t participant_id = 0;
  bool first_in_day = false;
  bool first_in_window = false;
  std::int64_t points = 0;
  std::int64_t correct = 0;
  bool flagged = false;
};

// Adds `increment` to its day's row, creating the row on the day's first attempt there.
void add_to_ledger_totals(sqlite_database& database, const ledger_increment& increment);

// The first day with a ledger row for the competition, or "" when there is none.
[[nodiscard]] std::string first_ledger_day(sqlite_database& database,
                                           const std::string& competition_id);

}  // namespace anquanli
