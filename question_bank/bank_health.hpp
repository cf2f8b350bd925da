// Whether the bank can serve a competition: counts of active questions per category, type and
// difficulty, whether every attempt can be filled as the quotas ask, and how long a daily
// participant goes before meeting a question again, against what the bank's size allows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/competition_rules.hpp"
#include "engine/question_selection.hpp"
#include "question_bank/question.hpp"

namespace anquanli {

struct bank_health {
  int active = 0;
  int inactive = 0;
  std::map<std::string, int> by_category;  // active questions only
  std::map<std::string, int> by_type;
  std::map<int, int> by_difficulty;
  std::vector<category_plan> plan;    // what each attempt takes from each category
  std::vector<std::string> problems;  // make the bank unusable for these rules
  std::vector<std::string> warnings;  // usable, but participants will see repeats soon

  // The repeat horizon: attempts a participant can take before some category has no unseen
  // question left (the smallest active ÷ wanted over the plan), and the most that any split of
  // the attempt over all the bank's categories could give (the largest H with
  // Σ ⌊active(c) ÷ H⌋ ≥ questions_per_attempt). Equal when the quotas use the bank well.
  int attempts_without_repeats = 0;
  int best_attempts_without_repeats = 0;
  int window_attempts = 0;  // attempts a participant may take in the window (days × per day)

  [[nodiscard]] bool healthy() const noexcept { return problems.empty(); }
};

// A category holding fewer than this many attempts' worth of questions is warned about.
inline constexpr int attempts_before_repeats_warning = 4;

[[nodiscard]] bank_health check_bank(const std::vector<question>& questions,
                                     const competition_rules& rules);

}  // namespace anquanli
