// What a closed attempt earns: points for the participant, their unit and their region, and
// lottery draws. Unanswered questions count as wrong.
#pragma once

#include <vector>

#include "engine/attempt.hpp"
#include "engine/competition_rules.hpp"

namespace anquanli {

struct attempt_result {
  int correct = 0;
  int points = 0;
  int draws_earned = 0;

  friend bool operator==(const attempt_result&, const attempt_result&) = default;
};

// Draws for a sequence of right (true) and wrong (false) answers in the order asked.
// total: one per `correct_per_draw` correct answers; consecutive: one each time that many in a row
// are correct, the streak starting over after each draw and after each wrong answer.
[[nodiscard]] int count_draws(const std::vector<bool>& correct_in_order,
                              const competition_rules& rules);

// per_attempt + per_correct × correct, plus perfect_bonus when all `questions_total` are correct.
[[nodiscard]] int count_points(int correct, int questions_total, const points_rule& points);

[[nodiscard]] attempt_result tally(const attempt& challenge, const competition_rules& rules);

// Faster than a person can read a question: an answer given less than this after it was served.
inline constexpr std::chrono::milliseconds too_fast_to_read{1000};
// An attempt with at least this many such answers is flagged for the office (not refused: a
// flag is a reason to look, not proof).
inline constexpr int fast_answers_to_flag = 5;

// How many answers came faster than too_fast_to_read after their question was served.
[[nodiscard]] int count_fast_answers(const attempt& challenge);
[[nodiscard]] bool looks_automated(const attempt& challenge);

}  // namespace anquanli
