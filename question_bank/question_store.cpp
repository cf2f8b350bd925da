#include "question_bank/question_store.hpp"

#include <array>
#include <boost/json.hpp>

namespace anquanli {

namespace {

// Version numbers are shared with the server's schema (server/store/schema.cpp), which merges
// these steps with its own in version order: the bank's second step is number 7.
constexpr std::array<migration, 2> steps{{
    {1, "question bank",
     R"sql(
CREATE TABLE questions (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'judge')),
  category    TEXT NOT NULL,
  difficulty  INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 3),
  stem        TEXT NOT NULL,
  options     TEXT NOT NULL,  -- JSON array of {"key","text"}
  answer      TEXT NOT NULL,  -- JSON array of keys
  explanation TEXT NOT NULL,
  source      TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  revision    INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX questions_by_category ON questions (category, id) WHERE active = 1;
)sql"},
    {7, "immutable question versions",
     R"sql(
CREATE TABLE question_versions (
  id          INTEGER PRIMARY KEY,
  question_id TEXT NOT NULL REFERENCES questions (id),
  type        TEXT NOT NULL,
  category    TEXT NOT NULL,
  stem        TEXT NOT NULL,
  options     TEXT NOT NULL,
  answer      TEXT NOT NULL,
  explanation TEXT NOT NULL,
  source      TEXT NOT NULL,
  UNIQUE (question_id, type, category, stem, options, answer, explanation, source)
) STRICT;
)sql"},
}};

std::string options_json(const std::vector<question_option>& options) {
  boost::json::array array;
  for (const auto& option : options) {
    array.push_back(boost::json::object{{"key", option.key}, {"text", option.text}});
  }
  return boost::json::serialize(array);
}

std::string answer_json(const std::vector<std::string>& answer) {
  boost::json::array array;
  for (const auto& key : answer) {
    array.emplace_back(key);
  }
  return boost::json::serialize(array);
}

// Columns in this order: id, type, category, difficulty, stem, options, answer, explanation,
// source, active.
constexpr std::string_view select_columns =
    "SELECT id, type, category, difficulty, stem, options, answer, explanation, source, active "
    "FROM questions ";

question read_question(const sqlite_statement& row) {
  question result;
  result.id = question_id{row.column_text(0)};
  result.type = parse_question_type(row.column_text(1)).value_or(question_type::single);
  result.category = row.column_text(2);
  result.difficulty = row.column_int(3);
  result.stem = row.column_text(4);
  // Keep the parsed values alive: a range-for over parse(...).as_array() would dangle.
  const boost::json::value options = boost::json::parse(row.column_text(5));
  const boost::json::value answer = boost::json::parse(row.column_text(6));
  for (const auto& option : options.as_array()) {
    result.options.push_back(
        {std::string{option.at("key").as_string()}, std::string{option.at("text").as_string()}});
  }
  for (const auto& key : answer.as_array()) {
    result.answer.emplace_back(key.as_string());
  }
  result.explanation = row.column_text(7);
  result.source = row.column_text(8);
  result.active = row.column_int(9) != 0;
  return result;
}

void bind_question(sqlite_statement& statement, const question& item) {
  statement.bind(1, std::string_view{item.id.value()})
      .bind(2, to_string(item.type))
      .bind(3, std::string_view{item.category})
      .bind(4, item.difficulty)
      .bind(5, std::string_view{item.stem})
      .bind(6, std::string_view{options_json(item.options)})
      .bind(7, std::string_view{answer_json(item.answer)})
      .bind(8, std::string_view{item.explanation})
      .bind(9, std::string_view{item.source})
      .bind(10, item.active ? 1 : 0);
}

}  // namespace

std::span<const migration> question_bank_migrations() {
  return steps;
}

upsert_summary question_store::upsert(std::span<const question> questions) {
  upsert_summary summary;
  sqlite_transaction transaction(database_);
  sqlite_statement insert = database_.prepare(
      "INSERT INTO questions (id, type, category, difficulty, stem, options, answer, explanation, "
      "source, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  sqlite_statement update = database_.prepare(
      "UPDATE questions SET type = ?2, category = ?3, difficulty = ?4, stem = ?5, options = ?6, "
      "answer = ?7, explanation = ?8, source = ?9, active = ?10, revision = revision + 1 "
      "WHERE id = ?1");
  for (const question& item : questions) {
    const std::optional<question> existing = find(item.id);
    if (existing && *existing == item) {
      ++summary.unchanged;
      continue;
    }
    sqlite_statement& statement = existing ? update : insert;
    bind_question(statement, item);
    statement.run();
    statement.reset();
    ++(existing ? summary.updated : summary.inserted);
  }
  transaction.commit();
  return summary;
}

std::int64_t question_store::version_of(const question& item) {
  const std::string options = options_json(item.options);
  const std::string answer = answer_json(item.answer);
  const auto bind = [&](sqlite_statement& statement) {
    statement.bind(1, std::string_view{item.id.value()})
        .bind(2, to_string(item.type))
        .bind(3, std::string_view{item.category})
        .bind(4, std::string_view{item.stem})
        .bind(5, std::string_view{options})
        .bind(6, std::string_view{answer})
        .bind(7, std::string_view{item.explanation})
        .bind(8, std::string_view{item.source});
  };
  sqlite_statement known = database_.prepare(
      "SELECT id FROM question_versions WHERE question_id = ?1 AND type = ?2 AND category = ?3 "
      "AND stem = ?4 AND options = ?5 AND answer = ?6 AND explanation = ?7 AND source = ?8");
  bind(known);
  if (known.step() == step_result::row) {
    return known.column_int64(0);
  }
  sqlite_statement insert = database_.prepare(
      "INSERT INTO question_versions (question_id, type, category, stem, options, answer, "
      "explanation, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  bind(insert);
  insert.run();
  return database_.last_insert_rowid();
}

std::optional<question> question_store::version(std::int64_t version_id) {
  sqlite_statement statement = database_.prepare(
      "SELECT question_id, type, category, 1, stem, options, answer, explanation, source, 1 "
      "FROM question_versions WHERE id = ?1");
  statement.bind(1, version_id);
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return read_question(statement);
}

std::optional<question> question_store::find(const question_id& id) {
  sqlite_statement statement = database_.prepare(std::string{select_columns} + "WHERE id = ?1");
  statement.bind(1, std::string_view{id.value()});
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return read_question(statement);
}

std::vector<question> question_store::list(const question_filter& filter) {
  sqlite_statement statement = database_.prepare(
      std::string{select_columns} +
      "WHERE (?1 IS NULL OR category = ?1) AND (?2 IS NULL OR type = ?2) AND (?3 OR active = 1) "
      "ORDER BY id");
  if (filter.category) {
    statement.bind(1, std::string_view{*filter.category});
  }
  if (filter.type) {
    statement.bind(2, to_string(*filter.type));
  }
  statement.bind(3, filter.include_inactive ? 1 : 0);
  std::vector<question> result;
  while (statement.step() == step_result::row) {
    result.push_back(read_question(statement));
  }
  return result;
}

removal question_store::remove(const question_id& id) {
  sqlite_statement statement = database_.prepare("DELETE FROM questions WHERE id = ?1");
  statement.bind(1, std::string_view{id.value()});
  if (statement.step() == step_result::constraint_violation) {
    statement.reset();  // ends the failed statement before the next one starts
    set_active(id, false);
    return removal::deactivated;
  }
  return database_.changes() > 0 ? removal::deleted : removal::not_found;
}

bool question_store::set_active(const question_id& id, bool active) {
  sqlite_statement statement = database_.prepare("UPDATE questions SET active = ?2 WHERE id = ?1");
  statement.bind(1, std::string_view{id.value()}).bind(2, active ? 1 : 0);
  statement.run();
  return database_.changes() > 0;
}

std::vector<question_candidate> question_store::active_candidates() {
  sqlite_statement statement =
      database_.prepare("SELECT id, category FROM questions WHERE active = 1 ORDER BY id");
  std::vector<question_candidate> result;
  while (statement.step() == step_result::row) {
    result.push_back({question_id{statement.column_text(0)}, statement.column_text(1)});
  }
  return result;
}

}  // namespace anquanli
