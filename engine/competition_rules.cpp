#include "engine/competition_rules.hpp"

#include <cstdint>
#include <set>

namespace anquanli {

namespace {

constexpr int max_questions_per_attempt = 100;

void check_quotas(const competition_rules& rules, std::vector<std::string>& problems) {
  if (rules.quotas.empty()) {
    return;
  }
  std::set<std::string> seen;
  std::int64_t total = 0;  // counts are ints, and their sum need not fit in one
  for (const auto& quota : rules.quotas) {
    if (quota.category.empty()) {
      problems.emplace_back("a quota names no category");
    }
    if (!seen.insert(quota.category).second) {
      problems.push_back("category '" + quota.category + "' has two quotas");
    }
    if (quota.count <= 0) {
      problems.push_back("quota of '" + quota.category + "' must be at least 1");
    }
    total += quota.count;
  }
  if (total != rules.questions_per_attempt) {
    problems.push_back("quotas add up to " + std::to_string(total) +
                       " but questions_per_attempt is " +
                       std::to_string(rules.questions_per_attempt));
  }
}

}  // namespace

std::vector<std::string> find_rule_problems(const competition_rules& rules) {
  std::vector<std::string> problems;
  if (rules.id.empty()) {
    problems.emplace_back("id must not be empty");
  }
  if (rules.title.empty()) {
    problems.emplace_back("title must not be empty");
  }
  if (rules.ends_on < rules.starts_on) {
    problems.emplace_back("ends_on is before starts_on");
  }
  if (rules.attempts_per_day < 1) {
    problems.emplace_back("attempts_per_day must be at least 1");
  }
  if (rules.questions_per_attempt < 1 || rules.questions_per_attempt > max_questions_per_attempt) {
    problems.emplace_back("questions_per_attempt must be between 1 and 100");
  }
  if (rules.correct_per_draw < 1) {
    problems.emplace_back("correct_per_draw must be at least 1");
  }
  if (rules.points.per_attempt < 0 || rules.points.per_correct < 0 ||
      rules.points.perfect_bonus < 0) {
    problems.emplace_back("points must not be negative");
  }
  if (rules.question_time_limit.count() < 0 || rules.attempt_time_limit.count() < 0) {
    problems.emplace_back("time limits must not be negative (0 means none)");
  }
  check_quotas(rules, problems);
  return problems;
}

}  // namespace anquanli
