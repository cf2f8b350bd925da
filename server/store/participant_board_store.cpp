#include "server/store/participant_board_store.hpp"

#include "server/core/person_name.hpp"

namespace anquanli {

namespace {

constexpr int member_digits = 12;

std::vector<std::string> split_codes(std::string_view codes) {
  std::vector<std::string> result;
  while (!codes.empty()) {
    const auto comma = codes.find(',');
    result.emplace_back(codes.substr(0, comma));
    codes = comma == std::string_view::npos ? std::string_view{} : codes.substr(comma + 1);
  }
  return result;
}

participant_display display_of(sqlite_statement& row, int name_column, int unit_column) {
  participant_display shown{mask_name(row.column_text(name_column)), std::nullopt};
  if (!row.column_is_null(unit_column)) {
    shown.unit_name = row.column_text(unit_column);
  }
  return shown;
}

// Each participant's region path (leaf first) from the regions' parent links.
std::vector<std::string> path_of(const std::map<std::string, std::string>& parents,
                                 std::string code) {
  std::vector<std::string> path;
  for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
    path.push_back(code);
    const auto parent = parents.find(code);
    code = parent == parents.end() ? std::string{} : parent->second;
  }
  return path;
}

std::map<std::string, std::string> parent_map(sqlite_database& database) {
  std::map<std::string, std::string> parents;
  sqlite_statement rows = database.prepare("SELECT code, IFNULL(parent_code, '') FROM regions");
  while (rows.step() == step_result::row) {
    parents[rows.column_text(0)] = rows.column_text(1);
  }
  return parents;
}

void read_people(sqlite_database& database, const std::string& competition_id,
                 participant_snapshot& snapshot) {
  const auto parents = parent_map(database);
  sqlite_statement people = database.prepare(
      "SELECT DISTINCT l.participant_id, l.region_code, IFNULL(p.name, ''), u.name "
      "FROM points_ledger l JOIN participants p ON p.id = l.participant_id "
      "LEFT JOIN units u ON u.id = l.unit_id WHERE l.competition_id = ?1");
  people.bind(1, std::string_view{competition_id});
  while (people.step() == step_result::row) {
    const std::string member = participant_member(people.column_int64(0));
    snapshot.paths[member] = path_of(parents, people.column_text(1));
    snapshot.displays[member] = display_of(people, 2, 3);
  }
}

}  // namespace

std::string participant_member(std::int64_t participant) {
  std::string text = std::to_string(participant);
  if (text.size() < member_digits) {
    text.insert(0, member_digits - text.size(), '0');
  }
  return text;
}

std::vector<participant_event> read_participant_events(sqlite_database& database,
                                                       const std::string& competition_id,
                                                       std::int64_t after, int limit) {
  sqlite_statement rows = database.prepare(
      "SELECT o.id, o.day, o.region_codes, t.participant_id, o.points, IFNULL(p.name, ''), u.name "
      "FROM outbox o JOIN attempts t ON t.id = o.attempt_id "
      "JOIN participants p ON p.id = t.participant_id LEFT JOIN units u ON u.id = o.unit_id "
      "WHERE o.competition_id = ?1 AND o.id > ?2 ORDER BY o.id LIMIT ?3");
  rows.bind(1, std::string_view{competition_id}).bind(2, after).bind(3, limit);
  std::vector<participant_event> events;
  while (rows.step() == step_result::row) {
    events.push_back({rows.column_int64(0), rows.column_text(1), split_codes(rows.column_text(2)),
                      participant_member(rows.column_int64(3)), rows.column_int64(4),
                      display_of(rows, 5, 6)});
  }
  return events;
}

participant_snapshot snapshot_participants(sqlite_database& database,
                                           const std::string& competition_id) {
  database.execute("BEGIN");
  participant_snapshot snapshot;
  try {
    sqlite_statement mark =
        database.prepare("SELECT IFNULL(MAX(id), 0) FROM outbox WHERE competition_id = ?1");
    mark.bind(1, std::string_view{competition_id});
    mark.step();
    snapshot.high_water = mark.column_int64(0);
    read_people(database, competition_id, snapshot);
    sqlite_statement totals = database.prepare(
        "SELECT participant_id, day, SUM(points) FROM points_ledger WHERE competition_id = ?1 "
        "GROUP BY participant_id, day ORDER BY participant_id, day");
    totals.bind(1, std::string_view{competition_id});
    std::map<std::string, std::int64_t> window;
    while (totals.step() == step_result::row) {
      const std::string member = participant_member(totals.column_int64(0));
      snapshot.days[totals.column_text(1)].push_back({member, totals.column_int64(2)});
      window[member] += totals.column_int64(2);
    }
    for (const auto& [member, points] : window) {
      snapshot.window.push_back({member, points});
    }
  } catch (...) {
    database.execute("ROLLBACK");
    throw;
  }
  database.execute("COMMIT");
  return snapshot;
}

participant_board_rows read_participant_scores(sqlite_database& database,
                                               const std::string& competition_id,
                                               const std::string& region_code,
                                               const std::optional<std::string>& day) {
  sqlite_statement rows = database.prepare(
      "WITH RECURSIVE down (code) AS (SELECT ?2 UNION SELECT r.code FROM regions r JOIN down "
      "ON r.parent_code = down.code) "
      "SELECT l.participant_id, SUM(l.points), IFNULL(p.name, ''), u.name FROM points_ledger l "
      "JOIN participants p ON p.id = l.participant_id LEFT JOIN units u ON u.id = p.unit_id "
      "WHERE l.competition_id = ?1 AND l.region_code IN (SELECT code FROM down) "
      "AND (?3 IS NULL OR l.day = ?3) GROUP BY l.participant_id");
  rows.bind(1, std::string_view{competition_id}).bind(2, std::string_view{region_code});
  if (day) {
    rows.bind(3, std::string_view{*day});
  }
  participant_board_rows board;
  while (rows.step() == step_result::row) {
    const std::string member = participant_member(rows.column_int64(0));
    board.points.push_back({member, rows.column_int64(1)});
    board.displays[member] = display_of(rows, 2, 3);
  }
  return board;
}

}  // namespace anquanli
