#include "question_bank/bank_health.hpp"

namespace anquanli {

bank_health check_bank(const std::vector<question>& questions, const competition_rules& rules) {
  bank_health health;
  std::vector<question_candidate> candidates;
  for (const auto& item : questions) {
    if (!item.active) {
      ++health.inactive;
      continue;
    }
    ++health.active;
    ++health.by_category[item.category];
    ++health.by_type[std::string{to_string(item.type)}];
    ++health.by_difficulty[item.difficulty];
    candidates.push_back({item.id, item.category});
  }
  health.plan = plan_categories(candidates, rules);
  if (health.active < rules.questions_per_attempt) {
    health.problems.push_back("the bank has " + std::to_string(health.active) +
                              " active questions; an attempt needs " +
                              std::to_string(rules.questions_per_attempt));
  }
  for (const auto& part : health.plan) {
    if (part.available < part.wanted) {
      health.problems.push_back("category '" + part.category + "' has " +
                                std::to_string(part.available) + " active questions; quota is " +
                                std::to_string(part.wanted));
    } else if (part.wanted > 0 && part.available < part.wanted * attempts_before_repeats_warning) {
      health.warnings.push_back(
          "category '" + part.category + "' has only " + std::to_string(part.available) +
          " active questions: participants will meet repeats within a few days");
    }
  }
  return health;
}

}  // namespace anquanli
