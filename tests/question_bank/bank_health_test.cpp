#include "question_bank/bank_health.hpp"

#include <catch2/catch.hpp>

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
