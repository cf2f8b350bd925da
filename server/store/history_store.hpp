// A participant's own past (issue 16): their attempts newest first, and the 错题本 — the
// questions they answered wrong in closed attempts, shown exactly as they saw them.
//
// What an attempt showed is read through attempt_papers.hpp's paper_of, whichever form the paper
// was stored in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct attempt_summary {
  attempt_id id;
  std::string day;
  attempt_kind kind = attempt_kind::challenge;
  attempt_status status = attempt_status::in_progress;
  int questions_total = 0;
  instant started_at{};
  std::optional<attempt_result> result;  // once closed
};

struct mistake_record {
  presented_question question;  // as last shown when answered wrong
  int times_wrong = 0;
};

inline constexpr int max_history_items = 200;

class history_store {
 public:
  explicit history_store(sqlite_database& database) : database_(database) {}

  // The participant's attempts of `kind`, newest first, at most max_history_items.
  [[nodiscard]] std::vector<attempt_summary> attempts(participant_id who, attempt_kind kind);
  // Questions answered wrong in closed attempts (challenges and practice), most recent first, at
  // most max_history_items.
  [[nodiscard]] std::vector<mistake_record> mistakes(participant_id who);
  // The ids of those questions.
  [[nodiscard]] std::vector<question_id> mistaken_questions(participant_id who);

 private:
  struct wrong_answer {
    attempt_id attempt;
    int position = 0;
    std::string question;
  };
  [[nodiscard]] std::vector<wrong_answer> wrong_answers(participant_id who);

  sqlite_database& database_;
};

}  // namespace anquanli
