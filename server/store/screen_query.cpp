#include "server/store/screen_query.hpp"

#include "server/core/person_name.hpp"

namespace anquanli {

namespace {

// The window counts each person on the day they were new (ledger_totals.hpp), a day its own
// distinct people. Both read only the per-day totals (one row per day, leaf region and unit).
screen_counts ledger_counts(sqlite_database& database, const screen_query& query, bool today) {
  sqlite_statement statement = database.prepare(
      today
          ? "SELECT IFNULL(SUM(participants), 0), IFNULL(SUM(attempts), 0), "
            "IFNULL(SUM(correct), 0) FROM ledger_day_totals WHERE competition_id = ?1 AND day = ?2"
          : "SELECT IFNULL(SUM(new_participants), 0), IFNULL(SUM(attempts), 0), "
            "IFNULL(SUM(correct), 0) FROM ledger_day_totals WHERE competition_id = ?1");
  statement.bind(1, std::string_view{query.competition_id});
  if (today) {
    statement.bind(2, std::string_view{query.today});
  }
  statement.step();
  return {statement.column_int64(0), statement.column_int64(1), statement.column_int64(2), 0};
}

std::int64_t count_draws_on(sqlite_database& database, const std::string& day) {
  sqlite_statement statement = database.prepare("SELECT COUNT(*) FROM draws WHERE day = ?1");
  statement.bind(1, std::string_view{day});
  statement.step();
  return statement.column_int64(0);
}

// Each region right under a root, with its whole subtree's window figures (zero when nobody
// there has taken part yet).
std::vector<screen_region> top_regions(sqlite_database& database, const std::string& competition) {
  sqlite_statement statement = database.prepare(
      "WITH RECURSIVE tops (code) AS (SELECT r.code FROM regions r JOIN regions p "
      "ON p.code = r.parent_code WHERE IFNULL(p.parent_code, '') = ''), "
      "below (code, top_code) AS (SELECT code, code FROM tops UNION ALL "
      "SELECT r.code, below.top_code FROM regions r JOIN below ON r.parent_code = below.code), "
      "sums (top_code, people, attempts) AS (SELECT b.top_code, SUM(l.new_participants), "
      "SUM(l.attempts) FROM ledger_day_totals l JOIN below b ON b.code = l.region_code "
      "WHERE l.competition_id = ?1 GROUP BY b.top_code) "
      "SELECT t.code, r.name, IFNULL(s.people, 0), IFNULL(s.attempts, 0) FROM tops t "
      "JOIN regions r ON r.code = t.code LEFT JOIN sums s ON s.top_code = t.code ORDER BY t.code");
  statement.bind(1, std::string_view{competition});
  std::vector<screen_region> regions;
  while (statement.step() == step_result::row) {
    regions.push_back({statement.column_text(0), statement.column_text(1),
                       statement.column_int64(2), statement.column_int64(3)});
  }
  return regions;
}

std::vector<screen_unit> top_units(sqlite_database& database, const screen_query& query) {
  sqlite_statement statement = database.prepare(
      "SELECT t.unit_id, IFNULL(u.name, ''), IFNULL(r.name, ''), t.people, t.attempts FROM "
      "(SELECT unit_id, SUM(new_participants) AS people, SUM(attempts) AS attempts "
      "FROM ledger_day_totals WHERE competition_id = ?1 AND unit_id <> '' GROUP BY unit_id "
      "ORDER BY people DESC, attempts DESC, unit_id LIMIT ?2) t "
      "LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN regions r ON r.code = u.region_code "
      "ORDER BY t.people DESC, t.attempts DESC, t.unit_id");
  statement.bind(1, std::string_view{query.competition_id}).bind(2, query.top_units);
  std::vector<screen_unit> units;
  while (statement.step() == step_result::row) {
    units.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                     statement.column_int64(3), statement.column_int64(4)});
  }
  return units;
}

// The latest won draws, newest first, masked here so a full name never leaves storage.
std::vector<screen_winner> recent_winners(sqlite_database& database, int limit) {
  sqlite_statement statement = database.prepare(
      "SELECT d.drawn_at, IFNULL(p.name, ''), p.phone_masked, z.name, IFNULL(r.name, '') "
      "FROM draws d JOIN participants p ON p.id = d.participant_id "
      "JOIN prizes z ON z.id = d.prize_id LEFT JOIN regions r ON r.code = p.region_code "
      "WHERE d.prize_id IS NOT NULL ORDER BY d.id DESC LIMIT ?1");
  statement.bind(1, limit);
  std::vector<screen_winner> winners;
  while (statement.step() == step_result::row) {
    winners.push_back({instant{std::chrono::milliseconds{statement.column_int64(0)}},
                       mask_name(statement.column_text(1)), statement.column_text(2),
                       statement.column_text(3), statement.column_text(4)});
  }
  return winners;
}

screen_figures read_all(sqlite_database& database, const screen_query& query) {
  screen_figures figures;
  figures.today = ledger_counts(database, query, true);
  figures.window = ledger_counts(database, query, false);
  figures.today.draws = count_draws_on(database, query.today);
  figures.window.draws = figures.today.draws + query.draws_before_today.value_or(
                                                   count_draws_before(database, query.today));
  sqlite_statement prizes =
      database.prepare("SELECT IFNULL(SUM(total), 0), IFNULL(SUM(remaining), 0) FROM prizes");
  prizes.step();
  figures.prizes_total = prizes.column_int64(0);
  figures.prizes_left = prizes.column_int64(1);
  figures.regions = top_regions(database, query.competition_id);
  figures.top_units = top_units(database, query);
  figures.recent_winners = recent_winners(database, query.recent_winners);
  return figures;
}

}  // namespace

std::int64_t count_draws_before(sqlite_database& database, const std::string& today) {
  sqlite_statement statement = database.prepare("SELECT COUNT(*) FROM draws WHERE day < ?1");
  statement.bind(1, std::string_view{today});
  statement.step();
  return statement.column_int64(0);
}

screen_figures read_screen_figures(sqlite_database& database, const screen_query& query) {
  database.execute("BEGIN");
  try {
    screen_figures figures = read_all(database, query);
    database.execute("COMMIT");
    return figures;
  } catch (...) {
    database.execute("ROLLBACK");
    throw;
  }
}

}  // namespace anquanli
