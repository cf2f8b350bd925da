#include "engine/competition_rules.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

TEST_CASE("the defaults are the national rules and are valid", "[rules]") {
  const competition_rules rules;
  CHECK(rules.title == "测测你的安全力");
  CHECK(to_string(rules.starts_on) == "2021-06-01");
  CHECK(to_string(rules.ends_on) == "2021-06-30");
  CHECK(rules.offset == china_standard_time);
  CHECK(rules.attempts_per_day == 1);
  CHECK(rules.questions_per_attempt == 15);
  CHECK(rules.correct_per_draw == 5);
  CHECK(rules.draws == draw_rule::total);
  CHECK(rules.points.per_attempt == 1);
  CHECK(rules.points.per_correct == 1);
  CHECK(rules.points.perfect_bonus == 10);
  CHECK(rules.question_time_limit == std::chrono::seconds{60});
  CHECK(rules.attempt_time_limit == std::chrono::seconds{900});
  CHECK_FALSE(rules.end_on_wrong);
  CHECK(rules.shuffle_options);
  CHECK(find_rule_problems(rules).empty());
}

TEST_CASE("bad rules are reported one problem each", "[rules]") {
  competition_rules rules;
  rules.ends_on = day_key{std::chrono::year{2021} / std::chrono::May / 1};
  rules.attempts_per_day = 0;
  rules.correct_per_draw = 0;
  rules.quotas = {{"法律法规", 5}, {"法律法规", 5}, {"", 0}};
  const auto problems = find_rule_problems(rules);
  CHECK(problems.size() == 7);
}

TEST_CASE("quotas must add up to the questions per attempt", "[rules]") {
  competition_rules rules;
  rules.quotas = {{"法律法规", 5}, {"安全管理", 5}, {"应急与自救", 5}};
  CHECK(find_rule_problems(rules).empty());
  rules.quotas[2].count = 4;
  REQUIRE(find_rule_problems(rules).size() == 1);
  CHECK(find_rule_problems(rules)[0] == "quotas add up to 14 but questions_per_attempt is 15");
}
