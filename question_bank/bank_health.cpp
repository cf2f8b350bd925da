#include "question_bank/bank_health.hpp"

#include <algorithm>
#include <cstdint>

namespace anquanli {

namespace {

// Attempts before the first category runs out of unseen questions.
int horizon_of(const std::vector<category_plan>& plan) {
  int horizon = 0;
  bool first = true;
  for (const auto& part : plan) {
    if (part.wanted > 0) {
      const int here = part.available / part.wanted;
      horizon = first ? here : std::min(horizon, here);
      first = false;
    }
  }
  return horizon;
}

// The largest horizon any split of `per_attempt` questions over these categories allows.
int best_horizon(const std::map<std::string, int>& by_category, int per_attempt) {
  if (per_attempt <= 0) {
    return 0;
  }
  int best = 0;
  for (int horizon = 1;; ++horizon) {
    int fits = 0;
    for (const auto& [name, count] : by_category) {
      fits += count / horizon;
    }
    if (fits < per_attempt) {
      return best;
    }
    best = horizon;
  }
}

// Warns about categories the quotas never draw from, and quotas that waste the bank.
void warn_about_waste(bank_health& health, const competition_rules& rules) {
  for (const auto& [name, count] : health.by_category) {
    const std::string& category = name;  // a lambda may not capture a structured binding (clang 14)
    const bool planned = std::any_of(health.plan.begin(), health.plan.end(),
                                     [&](const auto& part) { return part.category == category; });
    if (!planned) {
      health.warnings.push_back("category '" + name + "' has " + std::to_string(count) +
                                " active questions but no quota: they are never served");
    }
  }
  if (health.problems.empty() &&
      health.attempts_without_repeats < health.best_attempts_without_repeats &&
      health.attempts_without_repeats < health.window_attempts) {
    health.warnings.push_back("repeats begin after " +
                              std::to_string(health.attempts_without_repeats) +
                              " attempt(s), where the bank's categories allow " +
                              std::to_string(health.best_attempts_without_repeats) +
                              ": give each category a quota in proportion to its questions (" +
                              std::to_string(rules.questions_per_attempt) + " in all)");
  }
}

}  // namespace

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
  health.attempts_without_repeats = horizon_of(health.plan);
  health.best_attempts_without_repeats =
      best_horizon(health.by_category, rules.questions_per_attempt);
  const auto window_days = (rules.ends_on.days() - rules.starts_on.days()).count() + 1;
  health.window_attempts =
      static_cast<int>(std::max<std::int64_t>(0, window_days)) * rules.attempts_per_day;
  warn_about_waste(health, rules);
  return health;
}

}  // namespace anquanli
