#include "server/store/history_store.hpp"

#include <boost/json.hpp>
#include <map>

namespace anquanli {

namespace {

std::vector<std::string> keys_from_json(const std::string& text) {
  std::vector<std::string> keys;
  // Named: a range-for over a temporary's member would outlive the temporary.
  const boost::json::value value = boost::json::parse(text);
  for (const auto& key : value.as_array()) {
    keys.emplace_back(key.as_string());
  }
  return keys;
}

std::vector<question_option> options_from_json(const std::string& text) {
  std::vector<question_option> options;
  const boost::json::value value = boost::json::parse(text);
  for (const auto& option : value.as_array()) {
    options.push_back(
        {std::string{option.at("key").as_string()}, std::string{option.at("text").as_string()}});
  }
  return options;
}

attempt_status status_from(std::string_view text) {
  if (text == "finished") {
    return attempt_status::finished;
  }
  return text == "expired" ? attempt_status::expired : attempt_status::in_progress;
}

}  // namespace

std::optional<presented_question> presented_question_at(sqlite_database& database, attempt_id which,
                                                        int position) {
  sqlite_statement row = database.prepare(
      "SELECT a.question_id, q.type, q.category, q.stem, a.options, a.correct_keys, "
      "q.explanation, q.source FROM attempt_questions a JOIN questions q ON q.id = a.question_id "
      "WHERE a.attempt_id = ?1 AND a.position = ?2");
  row.bind(1, which.value()).bind(2, position);
  if (row.step() != step_result::row) {
    return std::nullopt;
  }
  return presented_question{question_id{row.column_text(0)},
                            parse_question_type(row.column_text(1)).value_or(question_type::single),
                            row.column_text(2),
                            row.column_text(3),
                            options_from_json(row.column_text(4)),
                            keys_from_json(row.column_text(5)),
                            row.column_text(6),
                            row.column_text(7)};
}

std::vector<attempt_summary> history_store::attempts(participant_id who, attempt_kind kind) {
  sqlite_statement rows = database_.prepare(
      "SELECT t.id, t.day, t.status, t.started_at, t.correct, t.points, t.draws_earned, "
      "(SELECT COUNT(*) FROM attempt_questions q WHERE q.attempt_id = t.id) FROM attempts t "
      "WHERE t.participant_id = ?1 AND t.kind = ?2 ORDER BY t.id DESC LIMIT ?3");
  rows.bind(1, who.value()).bind(2, to_string(kind)).bind(3, max_history_items);
  std::vector<attempt_summary> result;
  while (rows.step() == step_result::row) {
    attempt_summary item{attempt_id{rows.column_int64(0)},
                         rows.column_text(1),
                         kind,
                         status_from(rows.column_text(2)),
                         rows.column_int(7),
                         instant{std::chrono::milliseconds{rows.column_int64(3)}},
                         std::nullopt};
    if (item.status != attempt_status::in_progress) {
      item.result = attempt_result{rows.column_int(4), rows.column_int(5), rows.column_int(6)};
    }
    result.push_back(std::move(item));
  }
  return result;
}

std::vector<history_store::wrong_answer> history_store::wrong_answers(participant_id who) {
  sqlite_statement rows = database_.prepare(
      "SELECT a.attempt_id, a.position, q.question_id FROM answers a "
      "JOIN attempts t ON t.id = a.attempt_id "
      "JOIN attempt_questions q ON q.attempt_id = a.attempt_id AND q.position = a.position "
      "WHERE t.participant_id = ?1 AND t.status <> 'in_progress' AND a.correct = 0 "
      "ORDER BY a.answered_at DESC, a.attempt_id DESC");
  rows.bind(1, who.value());
  std::vector<wrong_answer> result;
  while (rows.step() == step_result::row) {
    result.push_back({attempt_id{rows.column_int64(0)}, rows.column_int(1), rows.column_text(2)});
  }
  return result;
}

std::vector<mistake_record> history_store::mistakes(participant_id who) {
  std::vector<mistake_record> result;
  std::map<std::string, std::size_t> index_of;
  for (const auto& wrong : wrong_answers(who)) {
    if (const auto found = index_of.find(wrong.question); found != index_of.end()) {
      ++result[found->second].times_wrong;
      continue;
    }
    if (result.size() >= static_cast<std::size_t>(max_history_items)) {
      continue;
    }
    auto shown = presented_question_at(database_, wrong.attempt, wrong.position);
    if (!shown) {
      continue;
    }
    index_of[wrong.question] = result.size();
    result.push_back({std::move(*shown), 1});
  }
  return result;
}

std::vector<question_id> history_store::mistaken_questions(participant_id who) {
  std::vector<question_id> ids;
  std::map<std::string, bool> seen;
  for (const auto& wrong : wrong_answers(who)) {
    if (!seen.emplace(wrong.question, true).second) {
      continue;
    }
    ids.emplace_back(wrong.question);
  }
  return ids;
}

}  // namespace anquanli
