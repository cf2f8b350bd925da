#include "server/store/participant_lookup.hpp"

#include <boost/json.hpp>

namespace anquanli {

namespace {

constexpr std::string_view corrections_table = R"sql(
CREATE TABLE placement_corrections (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  at             INTEGER NOT NULL,
  admin_id       INTEGER REFERENCES admins (id),
  username       TEXT NOT NULL,
  from_region    TEXT,
  from_unit      TEXT,
  to_region      TEXT,
  to_unit        TEXT,
  reason         TEXT NOT NULL
) STRICT;
CREATE INDEX placement_corrections_by_participant ON placement_corrections (participant_id);
)sql";

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

instant from_millis(std::int64_t value) {
  return instant{std::chrono::milliseconds{value}};
}

std::optional<instant> optional_instant(const sqlite_statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return from_millis(row.column_int64(column));
}

std::optional<int> optional_int(const sqlite_statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return row.column_int(column);
}

// An id and its name in columns `column` and `column + 1`; none when the id is NULL (a name that
// is gone from the directory reads as the id).
std::optional<named_ref> optional_ref(const sqlite_statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  std::string id = row.column_text(column);
  std::string name = row.column_is_null(column + 1) ? id : row.column_text(column + 1);
  return named_ref{std::move(id), std::move(name)};
}

void bind_optional(sqlite_statement& statement, int index, const std::optional<std::string>& text) {
  if (text && !text->empty()) {
    statement.bind(index, std::string_view{*text});
  } else {
    statement.bind_null(index);
  }
}

std::string audit_detail(const placement_change& change, const participant_file& before,
                         const std::string& region, const std::optional<std::string>& unit) {
  return boost::json::serialize(boost::json::object{
      {"participant", change.who.value()},
      {"from_region", before.region ? boost::json::value(before.region->id) : nullptr},
      {"from_unit", before.unit ? boost::json::value(before.unit->id) : nullptr},
      {"to_region", region},
      {"to_unit", unit ? boost::json::value(*unit) : nullptr},
      {"reason", change.reason}});
}

}  // namespace

std::string_view placement_corrections_schema_sql() {
  return corrections_table;
}

std::optional<participant_file> participant_lookup::find_by_phone(std::string_view phone) {
  sqlite_statement row = database_.prepare("SELECT id FROM participants WHERE phone_hash = ?1");
  row.bind(1, std::string_view{keys_.keyed_hash("phone", phone)});
  if (row.step() != step_result::row) {
    return std::nullopt;
  }
  return find(participant_id{row.column_int64(0)});
}

std::optional<participant_file> participant_lookup::find(participant_id who) {
  sqlite_statement row = database_.prepare(
      "SELECT p.phone_masked, IFNULL(p.name, ''), p.region_code, r.name, p.unit_id, u.name, "
      "p.created_at, p.consent_at, p.draws_earned FROM participants p "
      "LEFT JOIN regions r ON r.code = p.region_code LEFT JOIN units u ON u.id = p.unit_id "
      "WHERE p.id = ?1");
  row.bind(1, who.value());
  if (row.step() != step_result::row) {
    return std::nullopt;
  }
  participant_file file;
  file.id = who;
  file.phone_masked = row.column_text(0);
  file.name = row.column_text(1);
  file.region = optional_ref(row, 2);
  file.unit = optional_ref(row, 4);
  file.joined_at = from_millis(row.column_int64(6));
  file.consent_at = optional_instant(row, 7);
  file.draws_earned = row.column_int(8);
  load_challenges(file);
  load_draws(file);
  load_corrections(file);
  return file;
}

void participant_lookup::load_challenges(participant_file& file) {
  sqlite_statement rows = database_.prepare(
      "SELECT a.id, a.day, a.status, a.started_at, a.correct, a.points, a.flagged, l.region_code, "
      "r.name, l.unit_id, u.name FROM attempts a LEFT JOIN points_ledger l ON l.attempt_id = a.id "
      "LEFT JOIN regions r ON r.code = l.region_code LEFT JOIN units u ON u.id = l.unit_id "
      "WHERE a.participant_id = ?1 AND a.kind = 'challenge' ORDER BY a.id DESC");
  rows.bind(1, file.id.value());
  while (rows.step() == step_result::row) {
    file.challenges.push_back({rows.column_int64(0), rows.column_text(1), rows.column_text(2),
                               from_millis(rows.column_int64(3)), optional_int(rows, 4),
                               optional_int(rows, 5), rows.column_int(6) != 0,
                               optional_ref(rows, 7), optional_ref(rows, 9)});
  }
}

void participant_lookup::load_draws(participant_file& file) {
  sqlite_statement rows = database_.prepare(
      "SELECT d.id, d.drawn_at, d.day, d.prize_id, z.name, c.claimed_at, c.sent_at FROM draws d "
      "LEFT JOIN prizes z ON z.id = d.prize_id LEFT JOIN prize_claims c ON c.draw_id = d.id "
      "WHERE d.participant_id = ?1 ORDER BY d.id DESC");
  rows.bind(1, file.id.value());
  while (rows.step() == step_result::row) {
    file.draws.push_back({rows.column_int64(0), from_millis(rows.column_int64(1)),
                          rows.column_text(2), optional_ref(rows, 3), optional_instant(rows, 5),
                          optional_instant(rows, 6)});
  }
}

void participant_lookup::load_corrections(participant_file& file) {
  sqlite_statement rows = database_.prepare(
      "SELECT c.id, c.at, c.username, c.from_region, fr.name, c.from_unit, fu.name, c.to_region, "
      "tr.name, c.to_unit, tu.name, c.reason FROM placement_corrections c "
      "LEFT JOIN regions fr ON fr.code = c.from_region LEFT JOIN units fu ON fu.id = c.from_unit "
      "LEFT JOIN regions tr ON tr.code = c.to_region LEFT JOIN units tu ON tu.id = c.to_unit "
      "WHERE c.participant_id = ?1 ORDER BY c.id DESC");
  rows.bind(1, file.id.value());
  while (rows.step() == step_result::row) {
    file.corrections.push_back({rows.column_int64(0), from_millis(rows.column_int64(1)),
                                rows.column_text(2), optional_ref(rows, 3), optional_ref(rows, 5),
                                optional_ref(rows, 7), optional_ref(rows, 9),
                                rows.column_text(11)});
  }
}

bool participant_lookup::is_leaf(std::string_view region_code) {
  sqlite_statement leaf = database_.prepare(
      "SELECT 1 FROM regions r WHERE r.code = ?1 AND NOT EXISTS "
      "(SELECT 1 FROM regions c WHERE c.parent_code = r.code)");
  leaf.bind(1, region_code);
  return leaf.step() == step_result::row;
}

// As a participant may choose (competition_store::update_profile): a unit of the region's
// subtree, or one registered higher up its path.
bool participant_lookup::unit_fits(std::string_view unit_id, std::string_view region_code) {
  sqlite_statement unit = database_.prepare(
      "WITH RECURSIVE down (code) AS (SELECT ?2 UNION SELECT r.code FROM regions r JOIN down "
      "ON r.parent_code = down.code), "
      "up (code) AS (SELECT ?2 UNION SELECT r.parent_code FROM regions r JOIN up ON r.code = "
      "up.code WHERE r.parent_code IS NOT NULL) "
      "SELECT 1 FROM units WHERE id = ?1 AND (region_code IN (SELECT code FROM down) OR "
      "region_code IN (SELECT code FROM up))");
  unit.bind(1, unit_id).bind(2, region_code);
  return unit.step() == step_result::row;
}

correction_outcome participant_lookup::correct(const placement_change& change,
                                               const admin_account& by, std::string_view address,
                                               instant now) {
  const auto before = find(change.who);
  if (!before) {
    return correction_outcome::not_found;
  }
  const std::string region =
      change.region_code.value_or(before->region ? before->region->id : std::string{});
  if (!is_leaf(region)) {
    return correction_outcome::invalid_region;
  }
  std::optional<std::string> unit = before->unit ? std::optional{before->unit->id} : std::nullopt;
  if (change.unit_id) {
    unit = change.unit_id->empty() ? std::nullopt : change.unit_id;
  }
  if (unit && !unit_fits(*unit, region)) {
    return correction_outcome::invalid_unit;
  }
  const bool same_region = before->region && before->region->id == region;
  const bool same_unit = before->unit ? unit == before->unit->id : !unit;
  if (same_region && same_unit) {
    return correction_outcome::unchanged;
  }
  sqlite_statement update =
      database_.prepare("UPDATE participants SET region_code = ?2, unit_id = ?3 WHERE id = ?1");
  update.bind(1, change.who.value()).bind(2, std::string_view{region});
  bind_optional(update, 3, unit);
  update.run();
  sqlite_statement history = database_.prepare(
      "INSERT INTO placement_corrections (participant_id, at, admin_id, username, from_region, "
      "from_unit, to_region, to_unit, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  history.bind(1, change.who.value()).bind(2, millis(now)).bind(3, by.id);
  history.bind(4, std::string_view{by.username});
  bind_optional(history, 5, before->region ? std::optional{before->region->id} : std::nullopt);
  bind_optional(history, 6, before->unit ? std::optional{before->unit->id} : std::nullopt);
  history.bind(7, std::string_view{region});
  bind_optional(history, 8, unit);
  history.bind(9, std::string_view{change.reason});
  history.run();
  admin_store(database_, keys_)
      .audit(by, by.username, "participant_correction", address,
             audit_detail(change, *before, region, unit), now);
  return correction_outcome::corrected;
}

}  // namespace anquanli
