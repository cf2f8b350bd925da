#include "server/store/history_store.hpp"

#include <map>
#include <string>

#include "server/store/attempt_papers.hpp"

namespace anquanli {

std::vector<attempt_summary> history_store::attempts(participant_id who, attempt_kind kind) {
  // A paper's length is its question count; attempts of releases before schema step 8 count
  // their attempt_questions rows.
  sqlite_statement rows = database_.prepare(
      "SELECT t.id, t.day, t.status, t.started_at, t.correct, t.points, t.draws_earned, "
      "CASE WHEN t.paper IS NOT NULL THEN json_array_length(t.paper) ELSE "
      "(SELECT COUNT(*) FROM attempt_questions q WHERE q.attempt_id = t.id) END FROM attempts t "
      "WHERE t.participant_id = ?1 AND t.kind = ?2 ORDER BY t.id DESC LIMIT ?3");
  rows.bind(1, who.value()).bind(2, to_string(kind)).bind(3, max_history_items);
  std::vector<attempt_summary> result;
  while (rows.step() == step_result::row) {
    attempt_summary item{attempt_id{rows.column_int64(0)},
                         rows.column_text(1),
                         kind,
                         attempt_status_from(rows.column_text(2)),
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
      "WITH scoped AS (SELECT id, paper FROM attempts WHERE participant_id = ?1 AND "
      "status <> 'in_progress'), " +
      std::string{shown_questions_sql()} +
      "SELECT a.attempt_id, a.position, s.question_id FROM answers a "
      "JOIN shown s ON s.attempt_id = a.attempt_id AND s.position = a.position "
      "WHERE a.correct = 0 ORDER BY a.answered_at DESC, a.attempt_id DESC");
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
  // Each attempt's paper is read once, however many of its answers were wrong.
  std::map<std::int64_t, std::optional<std::vector<presented_question>>> papers;
  for (const auto& wrong : wrong_answers(who)) {
    if (const auto found = index_of.find(wrong.question); found != index_of.end()) {
      ++result[found->second].times_wrong;
      continue;
    }
    if (result.size() >= static_cast<std::size_t>(max_history_items)) {
      continue;
    }
    auto paper = papers.find(wrong.attempt.value());
    if (paper == papers.end()) {
      paper = papers.emplace(wrong.attempt.value(), paper_of(database_, wrong.attempt)).first;
    }
    if (!paper->second || wrong.position < 0 ||
        static_cast<std::size_t>(wrong.position) >= paper->second->size()) {
      continue;
    }
    index_of[wrong.question] = result.size();
    result.push_back({(*paper->second)[static_cast<std::size_t>(wrong.position)], 1});
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
