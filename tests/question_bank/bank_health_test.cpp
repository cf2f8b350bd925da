#include "question_bank/bank_health.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace anquanli;

namespace {

std::vector<question> bank(const std::string& category, int count, int first = 0) {
  std::vector<question> result;
  for (int i = first; i < first + count; ++i) {
    result.push_back({question_id{category + std::to_string(i)},
                      question_type::single,
                      category,
                      1 + i % 3,
                      "题干",
                      {{"A", "甲"}, {"B", "乙"}},
                      {"A"},
                      "解析",
                      "",
                      true});
  }
  return result;
}

competition_rules quota_rules() {
  competition_rules rules;
  rules.quotas = {{"法律", 5}, {"管理", 5}, {"应急", 5}};
  return rules;
}

}  // namespace

TEST_CASE("a bank that meets every quota is healthy", "[health]") {
  auto questions = bank("法律", 30);
  for (auto& more : {bank("管理", 30), bank("应急", 30)}) {
    questions.insert(questions.end(), more.begin(), more.end());
  }
  const auto health = check_bank(questions, quota_rules());
  CHECK(health.healthy());
  CHECK(health.warnings.empty());
  CHECK(health.active == 90);
  CHECK(health.by_category.at("管理") == 30);
  CHECK(health.by_type.at("single") == 90);
  CHECK(health.by_difficulty.at(1) == 30);
}

TEST_CASE("a quota the bank cannot meet is a problem - a thin one a warning", "[health]") {
  auto questions = bank("法律", 30);
  for (auto& more : {bank("管理", 4), bank("应急", 8)}) {
    questions.insert(questions.end(), more.begin(), more.end());
  }
  questions.back().active = false;
  const auto health = check_bank(questions, quota_rules());
  CHECK_FALSE(health.healthy());
  CHECK(health.inactive == 1);
  REQUIRE(health.problems.size() == 1);
  CHECK(health.problems[0] == "category '管理' has 4 active questions; quota is 5");
  REQUIRE(health.warnings.size() == 1);
  CHECK(health.warnings[0].find("'应急' has only 7") != std::string::npos);
}

TEST_CASE("without quotas the bank needs one attempt's worth of questions", "[health]") {
  const competition_rules rules;
  CHECK_FALSE(check_bank(bank("法律", 14), rules).healthy());
  CHECK(check_bank(bank("法律", 15), rules).healthy());
}

TEST_CASE("the repeat horizon: attempts before a category runs out of unseen questions",
          "[health]") {
  auto questions = bank("法律", 30);
  for (auto& more : {bank("管理", 30), bank("应急", 30)}) {
    questions.insert(questions.end(), more.begin(), more.end());
  }
  const auto health = check_bank(questions, quota_rules());
  CHECK(health.attempts_without_repeats == 6);       // 30 questions, 5 an attempt
  CHECK(health.best_attempts_without_repeats == 6);  // 90 questions, 15 an attempt
  CHECK(health.window_attempts == 30);               // June, one a day
  CHECK(health.warnings.empty());

  competition_rules twice_a_day = quota_rules();
  twice_a_day.attempts_per_day = 2;
  CHECK(check_bank(questions, twice_a_day).window_attempts == 60);
}

TEST_CASE("quotas that leave categories unserved waste the bank - and say so", "[health]") {
  std::vector<question> questions;
  for (const std::string category :
       {"法律", "管理", "应急", "消防", "交通", "化学", "职业", "建筑"}) {
    const auto more = bank(category, 30);
    questions.insert(questions.end(), more.begin(), more.end());
  }
  const auto wasteful = check_bank(questions, quota_rules());
  CHECK(wasteful.healthy());
  CHECK(wasteful.attempts_without_repeats == 6);
  CHECK(wasteful.best_attempts_without_repeats == 15);  // 240 questions over 8 categories
  const auto& warnings = wasteful.warnings;
  CHECK(std::count_if(warnings.begin(), warnings.end(), [](const std::string& warning) {
          return warning.find("no quota: they are never served") != std::string::npos;
        }) == 5);
  CHECK(std::find(warnings.begin(), warnings.end(),
                  "repeats begin after 6 attempt(s), where the bank's categories allow 15: give "
                  "each category a quota in proportion to its questions (15 in all)") !=
        warnings.end());

  competition_rules spread;
  spread.quotas = {{"法律", 2}, {"管理", 2}, {"应急", 2}, {"消防", 2},
                   {"交通", 2}, {"化学", 2}, {"职业", 2}, {"建筑", 1}};
  const auto even = check_bank(questions, spread);
  CHECK(even.attempts_without_repeats == 15);
  CHECK(even.best_attempts_without_repeats == 15);
  CHECK(even.warnings.empty());
}
