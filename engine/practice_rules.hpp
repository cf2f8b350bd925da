// The rules of a 练功房 practice attempt, derived from the competition's: the practice room's
// number of questions, no quotas, no deadline per question (people practise at their own pace),
// an hour for the whole paper so forgotten attempts close, and never ending on a wrong answer.
// Points and draws are not part of practice at all: the store credits nothing for it.
#pragma once

#include <chrono>

#include "engine/competition_rules.hpp"

namespace anquanli {

// Which kind of attempt: the daily challenge, which counts, or practice, which never does.
enum class attempt_kind { challenge, practice };

[[nodiscard]] constexpr std::string_view to_string(attempt_kind kind) noexcept {
  return kind == attempt_kind::practice ? "practice" : "challenge";
}

inline constexpr std::chrono::seconds practice_time_limit{3600};

// `base` with the practice room's changes; `questions` is how many questions a paper has.
[[nodiscard]] competition_rules practice_rules(const competition_rules& base, int questions);

// The rules an attempt of `kind` is run under.
[[nodiscard]] inline competition_rules rules_for(attempt_kind kind, const competition_rules& base,
                                                 int practice_questions) {
  return kind == attempt_kind::practice ? practice_rules(base, practice_questions) : base;
}

}  // namespace anquanli
