#include "server/store/attempt_papers.hpp"

#include <boost/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "question_bank/question_store.hpp"

namespace anquanli {

namespace json = boost::json;

namespace {

std::vector<std::string> strings_of(const json::value& array) {
  std::vector<std::string> result;
  for (const auto& item : array.as_array()) {
    result.emplace_back(item.as_string());
  }
  return result;
}

std::vector<question_option> options_of(const json::value& array) {
  std::vector<question_option> options;
  for (const auto& option : array.as_array()) {
    options.push_back(
        {std::string{option.at("key").as_string()}, std::string{option.at("text").as_string()}});
  }
  return options;
}

}  // namespace

std::string save_paper(sqlite_database& database, const attempt_paper& paper,
                       const std::vector<question>& bank) {
  std::unordered_map<std::string_view, const question*> by_id;
  for (const auto& item : bank) {
    by_id.emplace(item.id.value(), &item);
  }
  question_store versions(database);
  json::array column;
  for (const presented_question& shown : paper.questions) {
    const question& original = *by_id.at(shown.id.value());
    column.push_back(json::array{versions.version_of(original), shown.option_order});
  }
  return json::serialize(column);
}

std::vector<presented_question> load_paper(sqlite_database& database, std::string_view column) {
  boost::system::error_code error;
  const json::value parsed = json::parse(column, error);
  if (error || !parsed.is_array()) {
    throw std::runtime_error("an attempt's paper is not the JSON this program writes");
  }
  question_store versions(database);
  std::vector<presented_question> questions;
  for (const auto& entry : parsed.as_array()) {
    const auto* pair = entry.if_array();
    const auto version = pair != nullptr && pair->size() == 2 && (*pair)[0].is_int64()
                             ? versions.version((*pair)[0].get_int64())
                             : std::nullopt;
    const auto order = version && (*pair)[1].is_string()
                           ? parse_option_order((*pair)[1].get_string(), version->options.size())
                           : std::nullopt;
    if (!order) {
      throw std::runtime_error("an attempt's paper names an unknown question version");
    }
    questions.push_back(present(*version, *order));
  }
  return questions;
}

std::vector<presented_question> load_legacy_paper(sqlite_database& database, attempt_id which) {
  sqlite_statement rows = database.prepare(
      "SELECT a.question_id, q.type, q.category, q.stem, a.options, a.correct_keys, "
      "q.explanation, q.source FROM attempt_questions a JOIN questions q ON q.id = a.question_id "
      "WHERE a.attempt_id = ?1 ORDER BY a.position");
  rows.bind(1, which.value());
  std::vector<presented_question> questions;
  while (rows.step() == step_result::row) {
    questions.push_back({question_id{rows.column_text(0)},
                         parse_question_type(rows.column_text(1)).value_or(question_type::single),
                         rows.column_text(2),
                         rows.column_text(3),
                         options_of(json::parse(rows.column_text(4))),
                         strings_of(json::parse(rows.column_text(5))),
                         rows.column_text(6),
                         rows.column_text(7),
                         {}});
  }
  return questions;
}

std::optional<std::vector<presented_question>> paper_of(sqlite_database& database,
                                                        attempt_id which) {
  sqlite_statement head = database.prepare("SELECT paper FROM attempts WHERE id = ?1");
  head.bind(1, which.value());
  if (head.step() != step_result::row) {
    return std::nullopt;
  }
  return head.column_is_null(0) ? load_legacy_paper(database, which)
                                : load_paper(database, head.column_text(0));
}

std::string_view shown_questions_sql() {
  return "shown (attempt_id, position, question_id) AS ("
         "SELECT s.id, CAST(e.key AS INTEGER), v.question_id FROM scoped s, json_each(s.paper) e "
         "JOIN question_versions v ON v.id = json_extract(e.value, '$[0]') "
         "WHERE s.paper IS NOT NULL "
         "UNION ALL SELECT q.attempt_id, q.position, q.question_id FROM scoped s "
         "JOIN attempt_questions q ON q.attempt_id = s.id WHERE s.paper IS NULL) ";
}

std::unordered_set<question_id> recent_questions(sqlite_database& database, participant_id who,
                                                 int count, attempt_kind kind) {
  sqlite_statement rows = database.prepare(
      "WITH scoped AS (SELECT id, paper FROM attempts WHERE participant_id = ?1 AND kind = ?3 "
      "ORDER BY id DESC LIMIT ?2), " +
      std::string{shown_questions_sql()} + "SELECT DISTINCT question_id FROM shown");
  rows.bind(1, who.value()).bind(2, count).bind(3, to_string(kind));
  std::unordered_set<question_id> seen;
  while (rows.step() == step_result::row) {
    seen.emplace(rows.column_text(0));
  }
  return seen;
}

std::string encode_choice(const choice_keys& choice) {
  std::string letters;
  for (const auto& key : choice) {
    letters += key;
  }
  return letters;
}

choice_keys decode_choice(std::string_view stored) {
  if (stored.starts_with('[')) {
    return strings_of(json::parse(stored));  // an answer of a release before schema step 8
  }
  choice_keys choice;
  for (const char key : stored) {
    choice.emplace_back(1, key);
  }
  return choice;
}

}  // namespace anquanli
