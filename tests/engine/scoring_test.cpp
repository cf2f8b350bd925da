#include "engine/scoring.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

namespace {

std::vector<bool> pattern(std::string_view marks) {
  std::vector<bool> result;
  for (const char mark : marks) {
    result.push_back(mark == '1');
  }
  return result;
}

}  // namespace

TEST_CASE("total: one draw per five correct answers", "[scoring]") {
  const competition_rules rules;
  CHECK(count_draws(pattern("111111111111110"), rules) == 2);  // 14 correct
  CHECK(count_draws(pattern("111111111111111"), rules) == 3);
  CHECK(count_draws(pattern("111100000000000"), rules) == 0);
  CHECK(count_draws(pattern("101010101010101"), rules) == 1);  // 8 correct, scattered
  CHECK(count_draws(pattern("111110000011111"), rules) == 2);
}

TEST_CASE("consecutive: one draw for each run of five - the streak restarting", "[scoring]") {
  competition_rules rules;
  rules.draws = draw_rule::consecutive;
  CHECK(count_draws(pattern("1111101111"), rules) == 1);  // 5 right, 1 wrong, 4 right
  CHECK(count_draws(pattern("111111111111111"), rules) == 3);
  CHECK(count_draws(pattern("111111111011111"), rules) == 2);  // streak restarts after a draw
  CHECK(count_draws(pattern("111101111011110"), rules) == 0);
  CHECK(count_draws(pattern("101010101010101"), rules) == 0);
}

TEST_CASE("points: per attempt - per correct - and the perfect bonus", "[scoring]") {
  const points_rule points;
  CHECK(count_points(0, 15, points) == 1);
  CHECK(count_points(14, 15, points) == 15);
  CHECK(count_points(15, 15, points) == 26);
  CHECK(count_points(5, 5, points_rule{2, 3, 0}) == 17);
}

TEST_CASE("answers faster than a person can read flag the attempt", "[scoring]") {
  using std::chrono::milliseconds;
  std::vector<attempt_question> questions;
  for (int i = 0; i < 15; ++i) {
    questions.push_back(
        {question_id{"Q" + std::to_string(i)}, question_type::judge, {"A", "B"}, {"A"}});
  }
  const competition_rules rules;
  const instant start{std::chrono::hours{1000}};
  attempt human(questions, start);
  attempt bot(questions, start);
  for (int i = 0; i < 15; ++i) {
    REQUIRE(human.answer(rules, i, {"A"}, start + milliseconds{(i + 1) * 4000}).outcome ==
            verdict::accepted);
    REQUIRE(bot.answer(rules, i, {"A"}, start + milliseconds{(i + 1) * 300}).outcome ==
            verdict::accepted);
  }
  CHECK(count_fast_answers(human) == 0);
  CHECK_FALSE(looks_automated(human));
  CHECK(count_fast_answers(bot) == 15);
  CHECK(looks_automated(bot));
}
