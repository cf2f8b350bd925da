#include "server/store/ledger_totals.hpp"

namespace anquanli {

namespace {

// A person counts among a day's participants in the row of their first ledger row that day, and
// as new in the row of their first ledger row of the competition (as the attempts were credited:
// competition_store::first_in_ledger). An office correction moves a person between rows, so
// the first rows decide, never a COUNT(DISTINCT …) per row.
constexpr std::string_view backfill = R"sql(
INSERT INTO ledger_day_totals (competition_id, day, region_code, unit_id, participants,
                               new_participants, attempts, points, correct, flagged)
SELECT competition_id, day, region_code, IFNULL(unit_id, ''), SUM(first_in_day),
       SUM(first_in_window), COUNT(*), SUM(points), SUM(correct), SUM(flagged)
FROM (SELECT competition_id, day, region_code, unit_id, points, correct, flagged,
             ROW_NUMBER() OVER (PARTITION BY participant_id, competition_id, day ORDER BY id) = 1
               AS first_in_day,
             ROW_NUMBER() OVER (PARTITION BY participant_id, competition_id ORDER BY day, id) = 1
               AS first_in_window
      FROM points_ledger)
GROUP BY competition_id, day, region_code, IFNULL(unit_id, '');
)sql";

constexpr std::string_view table = R"sql(
CREATE TABLE ledger_day_totals (
  competition_id   TEXT NOT NULL,
  day              TEXT NOT NULL,
  region_code      TEXT NOT NULL,  -- the participants' leaf region
  unit_id          TEXT NOT NULL,  -- '' for participants without a unit
  participants     INTEGER NOT NULL,  -- distinct people that day
  new_participants INTEGER NOT NULL,  -- of whom counted for the first time in the competition
  attempts         INTEGER NOT NULL,
  points           INTEGER NOT NULL,
  correct          INTEGER NOT NULL,
  flagged          INTEGER NOT NULL,
  PRIMARY KEY (competition_id, day, region_code, unit_id)
) STRICT, WITHOUT ROWID;
)sql";

}  // namespace

std::string_view ledger_totals_schema_sql() {
  static const std::string sql = std::string{table} + std::string{backfill};
  return sql;
}

void rebuild_ledger_totals(sqlite_database& database) {
  database.execute("DELETE FROM ledger_day_totals");
  database.execute(std::string{backfill});
}

void add_to_ledger_totals(sqlite_database& database, const ledger_increment& increment) {
  sqlite_statement statement = database.prepare(
      "INSERT INTO ledger_day_totals (competition_id, day, region_code, unit_id, participants, "
      "new_participants, attempts, points, correct, flagged) SELECT ?1, ?2, p.region_code, "
      "IFNULL(p.unit_id, ''), ?4, ?5, 1, ?6, ?7, ?8 FROM participants p WHERE p.id = ?3 "
      "ON CONFLICT (competition_id, day, region_code, unit_id) DO UPDATE SET "
      "participants = participants + excluded.participants, "
      "new_participants = new_participants + excluded.new_participants, "
      "attempts = attempts + 1, points = points + excluded.points, "
      "correct = correct + excluded.correct, flagged = flagged + excluded.flagged");
  statement.bind(1, std::string_view{increment.competition_id})
      .bind(2, std::string_view{increment.day})
      .bind(3, increment.participant_id)
      .bind(4, increment.first_in_day ? 1 : 0)
      .bind(5, increment.first_in_window ? 1 : 0)
      .bind(6, increment.points)
      .bind(7, increment.correct)
      .bind(8, increment.flagged ? 1 : 0);
  statement.run();
}

std::string first_ledger_day(sqlite_database& database, const std::string& competition_id) {
  sqlite_statement statement = database.prepare(
      "SELECT IFNULL(MIN(day), '') FROM ledger_day_totals WHERE competition_id = ?1");
  statement.bind(1, std::string_view{competition_id});
  statement.step();
  return statement.column_text(0);
}

}  // namespace anquanli
