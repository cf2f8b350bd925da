#include "server/store/leaderboard_store.hpp"

#include <vector>

namespace anquanli {

namespace {

std::map<std::string, std::string> parent_map(sqlite_database& database) {
  std::map<std::string, std::string> parents;
  sqlite_statement statement =
      database.prepare("SELECT code, IFNULL(parent_code, '') FROM regions");
  while (statement.step() == step_result::row) {
    parents[statement.column_text(0)] = statement.column_text(1);
  }
  return parents;
}

// The day's rows (`day`) or the window's (no day), summed per `column` of the per-day totals
// (ledger_totals.hpp). A day counts its distinct people; the window counts each person on the day
// they were new, so a person with many days is counted once.
std::map<std::string, standing_counts> grouped(sqlite_database& database, std::string_view column,
                                               const std::string& competition_id,
                                               const std::optional<std::string>& day) {
  const std::string people = day ? "participants" : "new_participants";
  sqlite_statement statement = database.prepare(
      "SELECT " + std::string{column} + ", SUM(points), SUM(attempts), SUM(" + people +
      "), SUM(CASE WHEN unit_id <> '' THEN " + people +
      " ELSE 0 END) FROM ledger_day_totals WHERE competition_id = ?1 AND (?2 IS NULL OR day = "
      "?2) AND " +
      std::string{column} + " <> '' GROUP BY " + std::string{column});
  statement.bind(1, std::string_view{competition_id});
  if (day) {
    statement.bind(2, std::string_view{*day});
  }
  std::map<std::string, standing_counts> result;
  while (statement.step() == step_result::row) {
    result[statement.column_text(0)] = {statement.column_int64(1), statement.column_int64(2),
                                        statement.column_int64(3), statement.column_int64(4)};
  }
  return result;
}

}  // namespace

scope_totals aggregate_ledger(sqlite_database& database, const std::string& competition_id,
                              const std::optional<std::string>& day) {
  scope_totals totals;
  totals.units = grouped(database, "unit_id", competition_id, day);
  const auto parents = parent_map(database);
  // Each participant is counted in exactly one leaf region's row of a day and of the window
  // (ledger_totals.hpp, also after an office's correction), so adding a leaf's distinct
  // participants of either population up the tree stays exact.
  for (const auto& [leaf, counts] : grouped(database, "region_code", competition_id, day)) {
    std::string code = leaf;
    for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
      auto& total = totals.regions[code];
      total.points += counts.points;
      total.attempts += counts.attempts;
      total.participants += counts.participants;
      total.participants_with_unit += counts.participants_with_unit;
      const auto parent = parents.find(code);
      code = parent == parents.end() ? std::string{} : parent->second;
    }
  }
  return totals;
}

std::vector<outbox_event> read_outbox(sqlite_database& database, const std::string& competition_id,
                                      std::int64_t after, int limit) {
  sqlite_statement statement = database.prepare(
      "SELECT id, day, region_codes, unit_id, points, first_in_window, first_in_day FROM outbox "
      "WHERE competition_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
  statement.bind(1, std::string_view{competition_id}).bind(2, after).bind(3, limit);
  std::vector<outbox_event> events;
  while (statement.step() == step_result::row) {
    outbox_event event{statement.column_int64(0),
                       statement.column_text(1),
                       {},
                       std::nullopt,
                       statement.column_int64(4),
                       statement.column_int(5) != 0,
                       statement.column_int(6) != 0};
    const std::string all_codes = statement.column_text(2);
    std::string_view codes = all_codes;
    while (!codes.empty()) {
      const auto comma = codes.find(',');
      event.region_codes.emplace_back(codes.substr(0, comma));
      codes = comma == std::string_view::npos ? std::string_view{} : codes.substr(comma + 1);
    }
    if (!statement.column_is_null(3)) {
      event.unit_id = statement.column_text(3);
    }
    events.push_back(std::move(event));
  }
  return events;
}

ledger_snapshot snapshot_ledger(sqlite_database& database, const std::string& competition_id) {
  database.execute("BEGIN");
  ledger_snapshot snapshot;
  try {
    sqlite_statement mark =
        database.prepare("SELECT IFNULL(MAX(id), 0) FROM outbox WHERE competition_id = ?1");
    mark.bind(1, std::string_view{competition_id});
    mark.step();
    snapshot.high_water = mark.column_int64(0);
    snapshot.window = aggregate_ledger(database, competition_id, std::nullopt);
    sqlite_statement days = database.prepare(
        "SELECT DISTINCT day FROM ledger_day_totals WHERE competition_id = ?1 ORDER BY day");
    days.bind(1, std::string_view{competition_id});
    std::vector<std::string> active_days;
    while (days.step() == step_result::row) {
      active_days.push_back(days.column_text(0));
    }
    for (const auto& day : active_days) {
      snapshot.days[day] = aggregate_ledger(database, competition_id, day);
    }
  } catch (...) {
    database.execute("ROLLBACK");
    throw;
  }
  database.execute("COMMIT");
  return snapshot;
}

}  // namespace anquanli
