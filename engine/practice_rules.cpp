#include "engine/practice_rules.hpp"

namespace anquanli {

competition_rules practice_rules(const competition_rules& base, int questions) {
  competition_rules rules = base;
  rules.questions_per_attempt = questions;
  rules.quotas.clear();
  rules.question_time_limit = std::chrono::seconds{0};
  rules.attempt_time_limit = practice_time_limit;
  rules.end_on_wrong = false;
  return rules;
}

}  // namespace anquanli
