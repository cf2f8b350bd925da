#include "engine/scoring.hpp"

#include <algorithm>

namespace anquanli {

int count_draws(const std::vector<bool>& correct_in_order, const competition_rules& rules) {
  if (rules.draws == draw_rule::total) {
    const auto correct = std::count(correct_in_order.begin(), correct_in_order.end(), true);
    return static_cast<int>(correct / rules.correct_per_draw);
  }
  int draws = 0;
  int streak = 0;
  for (const bool correct : correct_in_order) {
    streak = correct ? streak + 1 : 0;
    if (streak == rules.correct_per_draw) {
      ++draws;
      streak = 0;
    }
  }
  return draws;
}

int count_points(int correct, int questions_total, const points_rule& points) {
  const int bonus = correct == questions_total && questions_total > 0 ? points.perfect_bonus : 0;
  return points.per_attempt + points.per_correct * correct + bonus;
}

attempt_result tally(const attempt& challenge, const competition_rules& rules) {
  std::vector<bool> correct_in_order;
  correct_in_order.reserve(challenge.questions().size());
  for (const auto& answer : challenge.answers()) {
    correct_in_order.push_back(answer.correct);
  }
  const auto correct =
      static_cast<int>(std::count(correct_in_order.begin(), correct_in_order.end(), true));
  const auto total = static_cast<int>(challenge.questions().size());
  return {correct, count_points(correct, total, rules.points),
          count_draws(correct_in_order, rules)};
}

int count_fast_answers(const attempt& challenge) {
  int fast = 0;
  instant served = challenge.started_at();
  for (const auto& answer : challenge.answers()) {
    fast += answer.answered_at - served < too_fast_to_read ? 1 : 0;
    served = answer.answered_at;
  }
  return fast;
}

bool looks_automated(const attempt& challenge) {
  return count_fast_answers(challenge) >= fast_answers_to_flag;
}

}  // namespace anquanli
