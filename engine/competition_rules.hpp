// The settings of one competition and their defaults: the national "测测你的安全力" rules of
// June 2021 (one challenge a day, 15 questions, a draw for every 5 correct answers).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/day_key.hpp"
#include "engine/instant.hpp"

namespace anquanli {

enum class draw_rule {
  total,        // one draw for every `correct_per_draw` correct answers in the attempt
  consecutive,  // one draw each time `correct_per_draw` answers in a row are correct
};

struct points_rule {
  int per_attempt = 1;     // for taking part at all
  int per_correct = 1;     // for each correct answer
  int perfect_bonus = 10;  // when every question of the attempt is correct
};

struct category_quota {
  std::string category;
  int count = 0;
};

struct competition_rules {
  std::string id = "anquanyue-2021";
  std::string title = "测测你的安全力";
  day_key starts_on{std::chrono::year{2021} / std::chrono::June / 1};
  day_key ends_on{std::chrono::year{2021} / std::chrono::June / 30};  // inclusive
  utc_offset offset = china_standard_time;
  int attempts_per_day = 1;
  int questions_per_attempt = 15;
  int correct_per_draw = 5;
  draw_rule draws = draw_rule::total;
  points_rule points{};
  std::chrono::seconds question_time_limit{60};  // 0 = no limit per question
  std::chrono::seconds attempt_time_limit{900};  // 0 = no limit per attempt
  bool end_on_wrong = false;
  bool shuffle_options = true;
  // When empty, questions are drawn across categories in proportion to the bank.
  std::vector<category_quota> quotas{};
};

// Everything wrong with a set of rules, one sentence each; empty when they are usable.
[[nodiscard]] std::vector<std::string> find_rule_problems(const competition_rules& rules);

[[nodiscard]] constexpr std::string_view to_string(draw_rule rule) noexcept {
  return rule == draw_rule::total ? "total" : "consecutive";
}

}  // namespace anquanli
