#include "server/store/bulletin_query.hpp"

#include <boost/json.hpp>
#include <map>

#include "engine/ranking.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/directory.hpp"

namespace anquanli {

namespace {

struct period_counts {
  std::int64_t participants = 0;
  std::int64_t attempts = 0;
  std::int64_t points = 0;
  std::int64_t correct = 0;
  std::int64_t flagged = 0;
};

void add(period_counts& into, const period_counts& more) {
  into.participants += more.participants;
  into.attempts += more.attempts;
  into.points += more.points;
  into.correct += more.correct;
  into.flagged += more.flagged;
}

// Every region of `scope`'s subtree, the scope and its inner regions included (a participant may
// stand in a region that later gained children), as a JSON array for SQLite's json_each.
// Serialised by Boost.JSON, never pasted together: a code holding a quote must not break (or
// widen) the set.
std::string subtree_json(const directory_snapshot& places, const std::string& scope) {
  boost::json::array codes;
  for (const auto& item : places.regions()) {
    if (places.within(item.code, scope)) {
      codes.emplace_back(item.code);
    }
  }
  return boost::json::serialize(codes);
}

// Ledger totals of the period per unit and per region (each region counting its subtree).
// A participant has one region and one unit for the whole competition, so distinct counts of the
// groups add up exactly.
std::pair<std::map<std::string, period_counts>, std::map<std::string, period_counts>>
period_tallies(sqlite_database& database, const directory_snapshot& places,
               const std::string& competition_id, const bulletin_request& request) {
  sqlite_statement statement = database.prepare(
      "SELECT region_code, IFNULL(unit_id, ''), COUNT(DISTINCT participant_id), COUNT(*), "
      "SUM(points), SUM(correct), SUM(flagged) FROM points_ledger WHERE competition_id = ?1 AND "
      "day BETWEEN ?2 "
      "AND ?3 GROUP BY region_code, unit_id");
  statement.bind(1, std::string_view{competition_id})
      .bind(2, std::string_view{to_string(request.from)})
      .bind(3, std::string_view{to_string(request.to)});
  std::map<std::string, period_counts> units;
  std::map<std::string, period_counts> regions;
  while (statement.step() == step_result::row) {
    const period_counts group{statement.column_int64(2), statement.column_int64(3),
                              statement.column_int64(4), statement.column_int64(5),
                              statement.column_int64(6)};
    if (const std::string unit_id = statement.column_text(1); !unit_id.empty()) {
      add(units[unit_id], group);
    }
    std::string code = statement.column_text(0);
    for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
      add(regions[code], group);
      const region* here = places.find_region(code);
      code = here == nullptr ? std::string{} : here->parent_code;
    }
  }
  return {units, regions};
}

bulletin_row make_row(std::string code, std::string name, std::string parent_name,
                      const period_counts& counts, std::int64_t headcount,
                      int questions_per_attempt) {
  bulletin_row row{0,
                   std::move(code),
                   std::move(name),
                   std::move(parent_name),
                   counts.participants,
                   counts.attempts,
                   counts.points,
                   std::nullopt,
                   std::nullopt,
                   std::nullopt,
                   counts.flagged};
  if (headcount > 0) {
    row.headcount = headcount;
    row.participation_rate =
        static_cast<double>(counts.participants) / static_cast<double>(headcount);
  }
  if (counts.attempts > 0) {
    row.average_correct_rate = static_cast<double>(counts.correct) /
                               static_cast<double>(counts.attempts * questions_per_attempt);
  }
  return row;
}

std::string name_of(const directory_snapshot& places, const std::string& code) {
  const region* found = places.find_region(code);
  return found == nullptr ? std::string{} : found->name;
}

}  // namespace

namespace {

struct row_source {
  std::string code;
  std::string name;
  std::string parent_name;
  period_counts counts;
  std::int64_t headcount = 0;
};

period_counts tally_of(const std::map<std::string, period_counts>& all, const std::string& key) {
  const auto found = all.find(key);
  return found == all.end() ? period_counts{} : found->second;
}

// The entities the bulletin ranks at its level, inside the scope, with their period totals.
std::vector<row_source> rows_at_level(const directory_snapshot& places,
                                      const std::map<std::string, period_counts>& units,
                                      const std::map<std::string, period_counts>& regions,
                                      const bulletin_request& request) {
  std::vector<row_source> rows;
  if (request.level == bulletin_level::unit) {
    for (const unit& item : places.units()) {
      if (places.within(item.region_code, request.scope_code)) {
        rows.push_back({item.id, item.name, name_of(places, item.region_code),
                        tally_of(units, item.id), item.headcount});
      }
    }
    return rows;
  }
  for (const region& item : places.regions()) {
    // County level lists the leaves of the tree: counties, and areas without counties (宁东…).
    const bool wanted = request.level == bulletin_level::city
                            ? item.level == 2
                            : item.level >= 2 && places.children(item.code).empty();
    if (wanted && places.within(item.code, request.scope_code)) {
      rows.push_back({item.code, item.name, name_of(places, item.parent_code),
                      tally_of(regions, item.code), places.headcount(item.code)});
    }
  }
  return rows;
}

}  // namespace

bulletin build_bulletin(sqlite_database& database, const competition_rules& rules,
                        const bulletin_request& request, instant now) {
  const directory_snapshot places = directory_store(database).snapshot();
  const auto [units, regions] = period_tallies(database, places, rules.id, request);
  bulletin report{rules.title + " 参与情况通报",
                  request.scope_code,
                  name_of(places, request.scope_code),
                  request.from,
                  request.to,
                  request.level,
                  now,
                  rules.offset,
                  {},
                  {},
                  {}};
  for (const unit& item : places.units()) {
    if (places.within(item.region_code, request.scope_code) &&
        tally_of(units, item.id).attempts == 0) {
      report.zero_participation.push_back(
          {item.id, item.name, name_of(places, item.region_code), item.headcount});
    }
  }
  const std::vector<row_source> sources = rows_at_level(places, units, regions, request);
  std::vector<ranked_entry> entries;
  std::map<std::string, const row_source*> by_code;
  period_counts total;
  std::int64_t total_headcount = 0;
  for (const row_source& source : sources) {
    entries.push_back({source.code, static_cast<double>(source.counts.participants)});
    by_code.emplace(source.code, &source);
    add(total, source.counts);
    total_headcount += source.headcount;
  }
  for (const auto& entry : rank_entries(std::move(entries))) {
    const row_source& source = *by_code.at(entry.id);
    bulletin_row row = make_row(source.code, source.name, source.parent_name, source.counts,
                                source.headcount, rules.questions_per_attempt);
    row.rank = entry.rank;
    report.rows.push_back(std::move(row));
  }
  report.totals = make_row("", "合计", "", total, total_headcount, rules.questions_per_attempt);
  return report;
}

std::vector<daily_row> daily_trend(sqlite_database& database, const competition_rules& rules,
                                   const std::string& scope_code, day_key from, day_key to) {
  const directory_snapshot places = directory_store(database).snapshot();
  const std::string leaves = subtree_json(places, scope_code);
  sqlite_statement statement = database.prepare(
      "WITH scoped AS (SELECT * FROM points_ledger WHERE competition_id = ?1 AND region_code IN "
      "  (SELECT value FROM json_each(?2))), "
      "firsts AS (SELECT participant_id, MIN(day) AS first_day FROM scoped GROUP BY "
      "participant_id) "
      "SELECT s.day, COUNT(DISTINCT s.participant_id), COUNT(*), SUM(s.points), "
      "  (SELECT COUNT(*) FROM firsts f WHERE f.first_day = s.day) "
      "FROM scoped s WHERE s.day BETWEEN ?3 AND ?4 GROUP BY s.day ORDER BY s.day");
  statement.bind(1, std::string_view{rules.id})
      .bind(2, std::string_view{leaves})
      .bind(3, std::string_view{to_string(from)})
      .bind(4, std::string_view{to_string(to)});
  std::vector<daily_row> rows;
  while (statement.step() == step_result::row) {
    rows.push_back({statement.column_text(0), statement.column_int64(1), statement.column_int64(4),
                    statement.column_int64(2), statement.column_int64(3)});
  }
  return rows;
}

std::vector<winner_row> winners(sqlite_database& database, const secrets& keys,
                                const std::string& scope_code) {
  const directory_snapshot places = directory_store(database).snapshot();
  sqlite_statement statement = database.prepare(
      "SELECT d.id, d.drawn_at, IFNULL(p.name, ''), p.phone_sealed, IFNULL(u.name, '社会公众'), "
      "IFNULL(r.name, ''), z.name, EXISTS (SELECT 1 FROM attempts t WHERE t.participant_id = p.id "
      "AND t.flagged = 1) FROM draws d JOIN participants p ON p.id = d.participant_id "
      "JOIN prizes z ON z.id = d.prize_id LEFT JOIN units u ON u.id = p.unit_id "
      "LEFT JOIN regions r ON r.code = p.region_code "
      "WHERE d.prize_id IS NOT NULL AND p.region_code IN (SELECT value FROM json_each(?1)) "
      "ORDER BY d.drawn_at, d.id");
  statement.bind(1, std::string_view{subtree_json(places, scope_code)});
  std::vector<winner_row> rows;
  while (statement.step() == step_result::row) {
    rows.push_back({statement.column_int64(0),
                    instant{std::chrono::milliseconds{statement.column_int64(1)}},
                    statement.column_text(2), keys.unseal(statement.column_text(3)).value_or("?"),
                    statement.column_text(4), statement.column_text(5), statement.column_text(6),
                    statement.column_int(7) != 0});
  }
  return rows;
}

std::vector<question_stat> question_stats(sqlite_database& database, const competition_rules& rules,
                                          const std::string& scope_code) {
  const directory_snapshot places = directory_store(database).snapshot();
  sqlite_statement statement = database.prepare(
      "WITH scoped AS (SELECT t.id, t.paper FROM attempts t "
      "JOIN participants p ON p.id = t.participant_id WHERE t.competition_id = ?1 "
      "AND t.status <> 'in_progress' AND p.region_code IN (SELECT value FROM json_each(?2))), " +
      std::string{shown_questions_sql()} +
      "SELECT q.id, q.category, q.stem, COUNT(*), IFNULL(SUM(a.correct), 0) "
      "FROM shown sh JOIN questions q ON q.id = sh.question_id "
      "LEFT JOIN answers a ON a.attempt_id = sh.attempt_id AND a.position = sh.position "
      "GROUP BY q.id ORDER BY CAST(IFNULL(SUM(a.correct), 0) AS REAL) / COUNT(*), q.id");
  statement.bind(1, std::string_view{rules.id})
      .bind(2, std::string_view{subtree_json(places, scope_code)});
  std::vector<question_stat> stats;
  while (statement.step() == step_result::row) {
    stats.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                     statement.column_int64(3), statement.column_int64(4)});
  }
  return stats;
}

}  // namespace anquanli
