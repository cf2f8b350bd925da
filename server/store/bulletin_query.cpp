#include "server/store/bulletin_query.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <utility>

#include "engine/ranking.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/directory.hpp"
#include "server/store/ledger_totals.hpp"

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

// The two populations of a unit or region, kept apart: people with a unit and without one.
struct populations {
  period_counts with_unit;
  period_counts without_unit;
};

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

struct period_totals {
  std::map<std::string, period_counts> units;
  std::map<std::string, populations> regions;  // each region counting its subtree
};

// The SQL of the period's groups per leaf region and unit: from the per-day totals when they
// give exact distinct counts (ledger_totals.hpp): a period that starts on or before the first
// ledger day counts people where they were new, a single day counts its own people. Any other
// period counts each person once over the ledger itself.
std::string period_groups_sql(sqlite_database& database, const std::string& competition_id,
                              const bulletin_request& request) {
  const std::string first_day = first_ledger_day(database, competition_id);
  const bool from_start = first_day.empty() || to_string(request.from) <= first_day;
  if (from_start || request.from == request.to) {
    const std::string people = from_start ? "new_participants" : "participants";
    return "SELECT region_code, unit_id, SUM(" + people +
           "), SUM(attempts), SUM(points), SUM(correct), SUM(flagged) FROM ledger_day_totals "
           "WHERE competition_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY region_code, unit_id";
  }
  // Each person once, in the group of their first challenge of the period (as the per-day totals
  // count them): a person an office moved to another unit is never counted twice.
  return "SELECT region_code, IFNULL(unit_id, ''), SUM(first), COUNT(*), SUM(points), "
         "SUM(correct), SUM(flagged) FROM (SELECT region_code, unit_id, points, correct, flagged, "
         "ROW_NUMBER() OVER (PARTITION BY participant_id ORDER BY day, id) = 1 AS first FROM "
         "points_ledger WHERE competition_id = ?1 AND day BETWEEN ?2 AND ?3) "
         "GROUP BY region_code, unit_id";
}

// True when the unit belongs to `sector`; people without a unit belong to none.
bool in_sector(const directory_snapshot& places, const std::string& unit_id,
               const std::string& sector) {
  const unit* found = unit_id.empty() ? nullptr : places.find_unit(unit_id);
  return found != nullptr && found->sector == sector;
}

// Staff of the sector's units in the region's subtree (the whole subtree without a sector).
std::int64_t headcount_of(const directory_snapshot& places, const std::string& code,
                          const std::optional<std::string>& sector) {
  if (!sector) {
    return places.headcount(code);
  }
  std::int64_t sum = 0;
  for (const unit& item : places.units()) {
    if (item.sector == *sector && places.within(item.region_code, code)) {
      sum += item.headcount;
    }
  }
  return sum;
}

// Totals of the period per unit and per region. Each person is counted in one group of the period
// (where they first took part in it), so distinct counts of the groups add up exactly.
period_totals period_tallies(sqlite_database& database, const directory_snapshot& places,
                             const std::string& competition_id, const bulletin_request& request) {
  sqlite_statement statement =
      database.prepare(period_groups_sql(database, competition_id, request));
  statement.bind(1, std::string_view{competition_id})
      .bind(2, std::string_view{to_string(request.from)})
      .bind(3, std::string_view{to_string(request.to)});
  period_totals totals;
  while (statement.step() == step_result::row) {
    const period_counts group{statement.column_int64(2), statement.column_int64(3),
                              statement.column_int64(4), statement.column_int64(5),
                              statement.column_int64(6)};
    const std::string unit_id = statement.column_text(1);
    if (request.sector && !in_sector(places, unit_id, *request.sector)) {
      continue;
    }
    if (!unit_id.empty()) {
      add(totals.units[unit_id], group);
    }
    std::string code = statement.column_text(0);
    for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
      populations& here = totals.regions[code];
      add(unit_id.empty() ? here.without_unit : here.with_unit, group);
      const region* found = places.find_region(code);
      code = found == nullptr ? std::string{} : found->parent_code;
    }
  }
  return totals;
}

std::optional<double> fraction(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) {
    return std::nullopt;
  }
  return static_cast<double>(part) / static_cast<double>(whole);
}

// A row's figures (docs/figures.md) from its two populations and headcount.
bulletin_row make_row(std::string code, std::string name, std::string parent_name,
                      const populations& counts, std::int64_t headcount,
                      int questions_per_attempt) {
  bulletin_row row;
  row.code = std::move(code);
  row.name = std::move(name);
  row.parent_name = std::move(parent_name);
  row.participants_with_unit = counts.with_unit.participants;
  row.participants_public = counts.without_unit.participants;
  row.participants = row.participants_with_unit + row.participants_public;
  row.attempts_with_unit = counts.with_unit.attempts;
  row.attempts_public = counts.without_unit.attempts;
  row.attempts = row.attempts_with_unit + row.attempts_public;
  row.points = counts.with_unit.points + counts.without_unit.points;
  row.flagged_attempts = counts.with_unit.flagged + counts.without_unit.flagged;
  if (headcount > 0) {
    row.headcount = headcount;
    row.rate_capped = row.participants_with_unit > headcount;
    row.participation_rate = fraction(std::min(row.participants_with_unit, headcount), headcount);
  }
  row.average_correct_rate =
      fraction(counts.with_unit.correct + counts.without_unit.correct,
               row.attempts * static_cast<std::int64_t>(questions_per_attempt));
  return row;
}

std::string name_of(const directory_snapshot& places, const std::string& code) {
  const region* found = places.find_region(code);
  return found == nullptr ? std::string{} : found->name;
}

struct row_source {
  std::string code;
  std::string name;
  std::string parent_name;
  populations counts;
  std::int64_t headcount = 0;
};

template <class Value>
Value find_or_zero(const std::map<std::string, Value>& all, const std::string& key) {
  const auto found = all.find(key);
  return found == all.end() ? Value{} : found->second;
}

// The regions a level lists inside the scope: level-2 regions for cities; for counties the leaves
// of the tree (counties, and areas without counties such as 宁东).
std::vector<row_source> regions_at_level(const directory_snapshot& places,
                                         const period_totals& totals, bulletin_level level,
                                         const std::string& scope,
                                         const std::optional<std::string>& sector) {
  std::vector<row_source> rows;
  for (const region& item : places.regions()) {
    const bool wanted = level == bulletin_level::city
                            ? item.level == 2
                            : item.level >= 2 && places.children(item.code).empty();
    if (wanted && places.within(item.code, scope)) {
      rows.push_back({item.code, item.name, name_of(places, item.parent_code),
                      find_or_zero(totals.regions, item.code),
                      headcount_of(places, item.code, sector)});
    }
  }
  return rows;
}

// The entities the bulletin ranks at its level, inside the scope, with their period totals.
std::vector<row_source> rows_at_level(const directory_snapshot& places, const period_totals& totals,
                                      const bulletin_request& request) {
  if (request.level != bulletin_level::unit) {
    return regions_at_level(places, totals, request.level, request.scope_code, request.sector);
  }
  std::vector<row_source> rows;
  for (const unit& item : places.units()) {
    if (places.within(item.region_code, request.scope_code) &&
        (!request.sector || item.sector == *request.sector)) {
      rows.push_back({item.id, item.name, name_of(places, item.region_code),
                      populations{find_or_zero(totals.units, item.id), {}}, item.headcount});
    }
  }
  return rows;
}

// `sources` in rank order by `score`, each with its rank (ties share one, listed by code).
template <class Score>
std::vector<std::pair<int, const row_source*>> ranked(const std::vector<row_source>& sources,
                                                      Score score) {
  std::vector<ranked_entry> entries;
  std::map<std::string, const row_source*> by_code;
  for (const row_source& source : sources) {
    entries.push_back({source.code, static_cast<double>(score(source))});
    by_code.emplace(source.code, &source);
  }
  std::vector<std::pair<int, const row_source*>> order;
  for (const auto& entry : rank_entries(std::move(entries))) {
    order.emplace_back(entry.rank, by_code.at(entry.id));
  }
  return order;
}

// The separate ranking of people without a unit; adds their totals to `scope_total`.
public_ranking rank_public(const directory_snapshot& places, const period_totals& totals,
                           const bulletin_request& request, period_counts& scope_total) {
  public_ranking ranking;
  ranking.level = request.level == bulletin_level::unit ? bulletin_level::county : request.level;
  const std::vector<row_source> sources =
      regions_at_level(places, totals, ranking.level, request.scope_code, request.sector);
  period_counts sum;
  for (const auto& [rank, source] : ranked(
           sources, [](const row_source& item) { return item.counts.without_unit.participants; })) {
    const period_counts& counts = source->counts.without_unit;
    ranking.rows.push_back({rank, source->code, source->name, source->parent_name,
                            counts.participants, counts.attempts, counts.points});
    add(sum, counts);
  }
  ranking.totals = {0, "", "合计", "", sum.participants, sum.attempts, sum.points};
  add(scope_total, sum);
  return ranking;
}

void list_unit_findings(const directory_snapshot& places, const period_totals& totals,
                        const bulletin_request& request, bulletin& report) {
  for (const unit& item : places.units()) {
    if (!places.within(item.region_code, request.scope_code) ||
        (request.sector && item.sector != *request.sector)) {
      continue;
    }
    const period_counts counts = find_or_zero(totals.units, item.id);
    if (counts.attempts == 0) {
      report.zero_participation.push_back(
          {item.id, item.name, name_of(places, item.region_code), item.headcount});
    }
    if (counts.participants > item.headcount) {
      report.headcount_problems.push_back({item.id, item.name, name_of(places, item.region_code),
                                           item.headcount, counts.participants});
    }
  }
}

}  // namespace

namespace {

// The row's value under the bulletin's ranking; none (a rate without a denominator) ranks last.
std::optional<double> ranking_value(const bulletin_row& row, bulletin_rank_by rank_by) {
  switch (rank_by) {
    case bulletin_rank_by::participants: return static_cast<double>(row.participants_with_unit);
    case bulletin_rank_by::points: return static_cast<double>(row.points);
    case bulletin_rank_by::attempts: return static_cast<double>(row.attempts);
    case bulletin_rank_by::rate: return row.target_rate ? row.target_rate : row.participation_rate;
  }
  return std::nullopt;
}

// Orders the rows by the bulletin's ranking and sets their ranks (docs/figures.md: 1, 2, 2, 4;
// ties by code; rows without a value last, rank 0).
void rank_rows(std::vector<bulletin_row>& rows, bulletin_rank_by rank_by) {
  std::vector<ranked_entry> entries;
  std::map<std::string, bulletin_row*> by_code;
  for (bulletin_row& row : rows) {
    entries.push_back({row.code, ranking_value(row, rank_by)});
    by_code.emplace(row.code, &row);
  }
  std::vector<bulletin_row> ordered;
  ordered.reserve(rows.size());
  for (const auto& entry : rank_entries(std::move(entries))) {
    bulletin_row& row = *by_code.at(entry.id);
    row.rank = entry.rank;
    ordered.push_back(std::move(row));
  }
  rows = std::move(ordered);
}

// Sets a region row's target and completion rate (both populations against the target).
void apply_target(bulletin_row& row, const std::map<std::string, std::int64_t>& targets,
                  std::optional<std::int64_t> fallback = std::nullopt) {
  const auto found = targets.find(row.code);
  row.target = found != targets.end() ? std::optional{found->second} : fallback;
  if (row.target) {
    row.target_rate = fraction(row.participants, *row.target);
  }
}

// The bulletin without a comparison.
bulletin build_current(sqlite_database& database, const competition_rules& rules,
                       const bulletin_request& request, instant now) {
  const directory_snapshot places = directory_store(database).snapshot();
  const period_totals totals = period_tallies(database, places, rules.id, request);
  // Targets are the whole region's: a sector's bulletin shows none.
  const auto targets = request.sector || request.level == bulletin_level::unit
                           ? std::map<std::string, std::int64_t>{}
                           : directory_store(database).targets();
  bulletin report;
  report.title = rules.title + " 参与情况通报";
  report.scope_code = request.scope_code;
  report.scope_name = name_of(places, request.scope_code);
  report.from = request.from;
  report.to = request.to;
  report.level = request.level;
  report.rank_by = request.rank_by;
  report.sector = request.sector;
  report.generated_at = now;
  report.offset = rules.offset;
  list_unit_findings(places, totals, request, report);
  populations scope;
  std::int64_t total_headcount = 0;
  std::optional<std::int64_t> target_sum;
  for (const row_source& source : rows_at_level(places, totals, request)) {
    bulletin_row row = make_row(source.code, source.name, source.parent_name, source.counts,
                                source.headcount, rules.questions_per_attempt);
    apply_target(row, targets);
    if (row.target) {
      target_sum = target_sum.value_or(0) + *row.target;
    }
    report.rows.push_back(std::move(row));
    add(scope.with_unit, source.counts.with_unit);
    total_headcount += source.headcount;
  }
  rank_rows(report.rows, request.rank_by);
  report.public_participation = rank_public(places, totals, request, scope.without_unit);
  report.totals =
      make_row(request.scope_code, "合计", "", scope, total_headcount, rules.questions_per_attempt);
  apply_target(report.totals, targets, target_sum);
  report.totals.code.clear();
  return report;
}

}  // namespace

void compare_bulletin_rows(bulletin& report, const bulletin& previous) {
  std::map<std::string, const bulletin_row*> before;
  for (const bulletin_row& row : previous.rows) {
    before.emplace(row.code, &row);
  }
  for (bulletin_row& row : report.rows) {
    const auto found = before.find(row.code);
    const bulletin_row* then = found == before.end() ? nullptr : found->second;
    row.new_participants = row.participants - (then == nullptr ? 0 : then->participants);
    if (then != nullptr && then->rank > 0) {
      row.previous_rank = then->rank;
      if (row.rank > 0) {
        row.rank_change = then->rank - row.rank;
      }
    }
  }
  report.totals.new_participants = report.totals.participants - previous.totals.participants;
}

bulletin build_bulletin(sqlite_database& database, const competition_rules& rules,
                        const bulletin_request& request, instant now) {
  bulletin report = build_current(database, rules, request, now);
  if (request.compare_to) {
    bulletin_request earlier = request;
    earlier.to = *request.compare_to;
    earlier.compare_to.reset();
    compare_bulletin_rows(report, build_current(database, rules, earlier, now));
    report.compare_to = request.compare_to;
  }
  return report;
}

std::vector<bulletin> build_bulletins(sqlite_database& database, const competition_rules& rules,
                                      const bulletin_request& request,
                                      const std::vector<bulletin_level>& levels, instant now) {
  database.execute("BEGIN");
  std::vector<bulletin> reports;
  try {
    for (const bulletin_level level : levels) {
      bulletin_request one = request;
      one.level = level;
      reports.push_back(build_bulletin(database, rules, one, now));
    }
  } catch (...) {
    database.execute("ROLLBACK");
    throw;
  }
  database.execute("COMMIT");
  return reports;
}

std::vector<daily_row> daily_trend(sqlite_database& database, const competition_rules& rules,
                                   const std::string& scope_code, day_key from, day_key to) {
  const directory_snapshot places = directory_store(database).snapshot();
  const std::string leaves = subtree_json(places, scope_code);
  sqlite_statement statement = database.prepare(
      "SELECT day, SUM(participants), SUM(attempts), SUM(points), SUM(new_participants), "
      "SUM(CASE WHEN unit_id <> '' THEN participants ELSE 0 END), "
      "SUM(CASE WHEN unit_id = '' THEN participants ELSE 0 END) FROM ledger_day_totals "
      "WHERE competition_id = ?1 AND region_code IN (SELECT value FROM json_each(?2)) "
      "AND day BETWEEN ?3 AND ?4 GROUP BY day ORDER BY day");
  statement.bind(1, std::string_view{rules.id})
      .bind(2, std::string_view{leaves})
      .bind(3, std::string_view{to_string(from)})
      .bind(4, std::string_view{to_string(to)});
  std::vector<daily_row> rows;
  while (statement.step() == step_result::row) {
    daily_row row;
    row.day = statement.column_text(0);
    row.participants = statement.column_int64(1);
    row.participants_with_unit = statement.column_int64(5);
    row.participants_public = statement.column_int64(6);
    row.new_participants = statement.column_int64(4);
    row.attempts = statement.column_int64(2);
    row.points = statement.column_int64(3);
    rows.push_back(std::move(row));
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
                                          const std::string& scope_code, day_key from, day_key to) {
  const directory_snapshot places = directory_store(database).snapshot();
  sqlite_statement statement = database.prepare(
      // Each challenge in the region it was credited to (an office's correction moves none).
      "WITH scoped AS (SELECT t.id, t.paper FROM attempts t "
      "JOIN participants p ON p.id = t.participant_id "
      "LEFT JOIN points_ledger l ON l.attempt_id = t.id WHERE t.competition_id = ?1 "
      "AND t.kind = 'challenge' AND t.status <> 'in_progress' "
      "AND COALESCE(l.region_code, p.region_code) IN (SELECT value FROM json_each(?2)) "
      "AND t.day BETWEEN ?3 AND ?4), " +
      std::string{shown_questions_sql()} +
      "SELECT q.id, q.category, q.stem, COUNT(*), IFNULL(SUM(a.correct), 0) "
      "FROM shown sh JOIN questions q ON q.id = sh.question_id "
      "LEFT JOIN answers a ON a.attempt_id = sh.attempt_id AND a.position = sh.position "
      "GROUP BY q.id ORDER BY CAST(IFNULL(SUM(a.correct), 0) AS REAL) / COUNT(*), q.id");
  statement.bind(1, std::string_view{rules.id})
      .bind(2, std::string_view{subtree_json(places, scope_code)})
      .bind(3, std::string_view{to_string(from)})
      .bind(4, std::string_view{to_string(to)});
  std::vector<question_stat> stats;
  while (statement.step() == step_result::row) {
    stats.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                     statement.column_int64(3), statement.column_int64(4)});
  }
  return stats;
}

}  // namespace anquanli
