#include "server/store/bulletin_snapshot_store.hpp"

#include <boost/json.hpp>
#include <utility>

#include "server/store/bulletin_codec.hpp"
#include "server/store/bulletin_query.hpp"

namespace anquanli {

namespace {

constexpr std::string_view schema_sql = R"sql(
CREATE TABLE bulletin_snapshots (
  id             INTEGER PRIMARY KEY,
  competition_id TEXT NOT NULL,
  created_at     INTEGER NOT NULL,  -- ms since the epoch
  created_by     TEXT NOT NULL,     -- the office account's username
  scope_code     TEXT NOT NULL REFERENCES regions (code),
  level          TEXT NOT NULL,
  rank_by        TEXT NOT NULL,
  sector         TEXT,
  from_day       TEXT NOT NULL,
  to_day         TEXT NOT NULL,
  title          TEXT,              -- the clerk's own title template, or NULL
  title_template TEXT NOT NULL,     -- the title the document carries ([bulletin] title when taken)
  issuer         TEXT NOT NULL,
  copy_to        TEXT NOT NULL,     -- JSON array of names
  previous_id    INTEGER REFERENCES bulletin_snapshots (id),
  participants   INTEGER NOT NULL,  -- the asked level's total, for lists
  body           TEXT NOT NULL      -- every level of the document (server/store/bulletin_codec.hpp)
) STRICT;
-- A series: the snapshots one movement chain runs through.
CREATE INDEX bulletin_snapshots_by_series
  ON bulletin_snapshots (competition_id, scope_code, level, rank_by, from_day, sector, id);
-- Snapshots are stored, never recomputed or edited.
CREATE TRIGGER bulletin_snapshots_are_frozen BEFORE UPDATE ON bulletin_snapshots
BEGIN
  SELECT RAISE(ABORT, 'bulletin snapshots are never changed');
END;
)sql";

constexpr std::string_view summary_columns =
    "s.id, s.created_at, s.created_by, s.scope_code, IFNULL(r.name, s.scope_code), s.level, "
    "s.rank_by, s.sector, s.from_day, s.to_day, s.title, s.previous_id, s.participants";

std::optional<std::string> optional_text(const sqlite_statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return row.column_text(column);
}

day_key stored_day(const std::string& text) {
  const auto day = parse_day_key(text);
  if (!day) {
    throw bulletin_codec_error("a stored bulletin snapshot has a bad day: " + text);
  }
  return *day;
}

bulletin_snapshot_summary read_summary(const sqlite_statement& row) {
  bulletin_snapshot_summary summary;
  summary.id = row.column_int64(0);
  summary.created_at = instant{std::chrono::milliseconds{row.column_int64(1)}};
  summary.created_by = row.column_text(2);
  summary.scope_code = row.column_text(3);
  summary.scope_name = row.column_text(4);
  summary.level = stored_level(row.column_text(5));
  summary.rank_by = stored_rank_by(row.column_text(6));
  summary.sector = optional_text(row, 7);
  summary.from = stored_day(row.column_text(8));
  summary.to = stored_day(row.column_text(9));
  summary.title = optional_text(row, 10);
  if (!row.column_is_null(11)) {
    summary.previous_id = row.column_int64(11);
  }
  summary.participants = row.column_int64(12);
  return summary;
}

void bind_optional(sqlite_statement& statement, int index, const std::optional<std::string>& text) {
  if (text) {
    statement.bind(index, std::string_view{*text});
  } else {
    statement.bind_null(index);
  }
}

// Each level's movement against the same level of the previous snapshot.
void compare_levels(std::vector<bulletin>& levels, std::int64_t previous_id,
                    const std::vector<bulletin>& previous) {
  for (bulletin& report : levels) {
    for (const bulletin& then : previous) {
      if (then.level == report.level) {
        compare_bulletin_rows(report, then);
        report.compared_snapshot = bulletin::baseline{previous_id, then.generated_at};
      }
    }
  }
}

}  // namespace

std::string_view bulletin_snapshots_schema_sql() {
  return schema_sql;
}

std::optional<bulletin_snapshot_store::series_head> bulletin_snapshot_store::previous_in_series(
    const bulletin_snapshot_draft& draft) {
  const bulletin& asked = draft.levels.back();
  sqlite_statement previous = database_.prepare(
      "SELECT id, body FROM bulletin_snapshots WHERE competition_id = ?1 AND scope_code = ?2 "
      "AND level = ?3 AND rank_by = ?4 AND from_day = ?5 AND sector IS ?6 "
      "ORDER BY id DESC LIMIT 1");
  previous.bind(1, std::string_view{draft.competition_id})
      .bind(2, std::string_view{asked.scope_code})
      .bind(3, to_string(asked.level))
      .bind(4, to_string(asked.rank_by))
      .bind(5, std::string_view{to_string(asked.from)});
  bind_optional(previous, 6, asked.sector);
  if (previous.step() != step_result::row) {
    return std::nullopt;
  }
  return series_head{previous.column_int64(0), decode_bulletins(previous.column_text(1))};
}

bulletin_snapshot_summary bulletin_snapshot_store::create(bulletin_snapshot_draft draft) {
  const auto previous = previous_in_series(draft);
  if (previous) {
    compare_levels(draft.levels, previous->id, previous->levels);
  }
  const bulletin& asked = draft.levels.back();
  boost::json::array copy_to(draft.copy_to.begin(), draft.copy_to.end());
  sqlite_statement insert = database_.prepare(
      "INSERT INTO bulletin_snapshots (competition_id, created_at, created_by, scope_code, level, "
      "rank_by, sector, from_day, to_day, title, title_template, issuer, copy_to, previous_id, "
      "participants, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16)");
  insert.bind(1, std::string_view{draft.competition_id})
      .bind(2, draft.created_at.time_since_epoch().count())
      .bind(3, std::string_view{draft.created_by})
      .bind(4, std::string_view{asked.scope_code})
      .bind(5, to_string(asked.level))
      .bind(6, to_string(asked.rank_by));
  bind_optional(insert, 7, asked.sector);
  insert.bind(8, std::string_view{to_string(asked.from)})
      .bind(9, std::string_view{to_string(asked.to)});
  bind_optional(insert, 10, draft.title);
  insert.bind(11, std::string_view{draft.title ? *draft.title : draft.title_template})
      .bind(12, std::string_view{draft.issuer})
      .bind(13, std::string_view{boost::json::serialize(copy_to)});
  if (previous) {
    insert.bind(14, previous->id);
  } else {
    insert.bind_null(14);
  }
  insert.bind(15, asked.totals.participants)
      .bind(16, std::string_view{encode_bulletins(draft.levels)});
  insert.run();
  bulletin_snapshot_summary summary;
  summary.id = database_.last_insert_rowid();
  summary.created_at = draft.created_at;
  summary.created_by = draft.created_by;
  summary.scope_code = asked.scope_code;
  summary.scope_name = asked.scope_name;
  summary.level = asked.level;
  summary.rank_by = asked.rank_by;
  summary.sector = asked.sector;
  summary.from = asked.from;
  summary.to = asked.to;
  summary.title = draft.title;
  summary.previous_id = previous ? std::optional{previous->id} : std::nullopt;
  summary.participants = asked.totals.participants;
  return summary;
}

std::vector<bulletin_snapshot_summary> bulletin_snapshot_store::list(
    const bulletin_snapshot_filter& filter) {
  sqlite_statement rows = database_.prepare(
      "WITH RECURSIVE subtree(code) AS (SELECT ?2 UNION ALL SELECT r.code FROM regions r "
      "JOIN subtree t ON r.parent_code = t.code) "
      "SELECT " +
      std::string{summary_columns} +
      " FROM bulletin_snapshots s LEFT JOIN regions r ON r.code = s.scope_code "
      "WHERE s.competition_id = ?1 AND s.scope_code IN (SELECT code FROM subtree) "
      "AND (?3 IS NULL OR s.sector = ?3) AND s.id < ?4 ORDER BY s.id DESC LIMIT ?5");
  rows.bind(1, std::string_view{filter.competition_id})
      .bind(2, std::string_view{filter.scope_code});
  bind_optional(rows, 3, filter.sector);
  rows.bind(4, filter.before_id).bind(5, filter.limit);
  std::vector<bulletin_snapshot_summary> result;
  while (rows.step() == step_result::row) {
    result.push_back(read_summary(rows));
  }
  return result;
}

std::optional<bulletin_snapshot> bulletin_snapshot_store::load(const std::string& competition_id,
                                                               std::int64_t id) {
  sqlite_statement row = database_.prepare(
      "SELECT " + std::string{summary_columns} +
      ", s.issuer, s.title_template, s.copy_to, s.body FROM bulletin_snapshots s "
      "LEFT JOIN regions r ON r.code = s.scope_code WHERE s.competition_id = ?1 AND s.id = ?2");
  row.bind(1, std::string_view{competition_id}).bind(2, id);
  if (row.step() != step_result::row) {
    return std::nullopt;
  }
  bulletin_snapshot snapshot;
  snapshot.summary = read_summary(row);
  snapshot.issuer = row.column_text(13);
  snapshot.title_template = row.column_text(14);
  const boost::json::value copy_to = boost::json::parse(row.column_text(15));
  for (const auto& name : copy_to.as_array()) {
    snapshot.copy_to.emplace_back(name.as_string());
  }
  snapshot.levels = decode_bulletins(row.column_text(16));
  return snapshot;
}

}  // namespace anquanli
