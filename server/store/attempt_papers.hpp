// How an attempt's paper is stored: one column of the attempt, a JSON array of
// [question version id, "option order"] pairs (question_store::version_of keeps each question's
// text as it was shown, immutably; the order says which of its options was shown as A, B…). A
// paper is about 15 bytes a question instead of the options' text. Attempts made by releases
// before schema step 8 keep their papers in attempt_questions and are read from there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "question_bank/attempt_paper.hpp"
#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// The column's value for `paper`, storing any question version not stored yet. `bank` holds the
// questions the paper was composed from.
[[nodiscard]] std::string save_paper(sqlite_database& database, const attempt_paper& paper,
                                     const std::vector<question>& bank);

// The paper as it was shown. Throws std::runtime_error when the column is not a paper this
// program wrote (a corrupted row is a storage failure, not a client's mistake).
[[nodiscard]] std::vector<presented_question> load_paper(sqlite_database& database,
                                                         std::string_view column);

// The paper of an attempt made before papers were a column.
[[nodiscard]] std::vector<presented_question> load_legacy_paper(sqlite_database& database,
                                                                attempt_id which);

// The paper of attempt `which` as it was shown, from whichever form it was stored in; nullopt
// when there is no such attempt. The one supported way to read a stored paper (tests, tools).
[[nodiscard]] std::optional<std::vector<presented_question>> paper_of(sqlite_database& database,
                                                                      attempt_id which);

// SQL defining the common table expression `shown (attempt_id, position, question_id)`: every
// question shown by the attempts of a CTE `scoped (id, paper)` that the caller defines before it,
// whichever form their papers were stored in. Append after "WITH scoped AS (...), ".
[[nodiscard]] std::string_view shown_questions_sql();

// The questions of the participant's last `count` attempts of `kind` (for repeat avoidance:
// practice never uses up the challenge's fresh questions, nor the other way round).
[[nodiscard]] std::unordered_set<question_id> recent_questions(sqlite_database& database,
                                                               participant_id who, int count,
                                                               attempt_kind kind);

// A choice as stored: the letters chosen, in order ("AC"); and back.
[[nodiscard]] std::string encode_choice(const choice_keys& choice);
[[nodiscard]] choice_keys decode_choice(std::string_view stored);

}  // namespace anquanli
