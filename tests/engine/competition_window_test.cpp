#include "engine/competition_window.hpp"

#include <catch2/catch.hpp>

#include "test_rules.hpp"

using namespace anquanli;
using anquanli::test::june;

TEST_CASE("the window covers June 1 to June 30 inclusive in +08:00", "[window]") {
  const competition_rules rules;
  CHECK(position_in_window(rules, june(1, 0, 0, 0) - std::chrono::seconds{1}) ==
        window_position::before);
  CHECK(position_in_window(rules, june(1, 0, 0, 0)) == window_position::open);
  CHECK(position_in_window(rules, june(30, 23, 59, 59)) == window_position::open);
  CHECK(position_in_window(rules, june(30, 23, 59, 59) + std::chrono::seconds{1}) ==
        window_position::after);
}

TEST_CASE("one attempt a day inside the window", "[window]") {
  const competition_rules rules;
  CHECK(check_attempt_start(rules, june(15), 0) == verdict::accepted);
  CHECK(check_attempt_start(rules, june(15), 1) == verdict::daily_limit_reached);
  CHECK(check_attempt_start(rules, june(1) - std::chrono::days{2}, 0) ==
        verdict::competition_not_started);
  CHECK(check_attempt_start(rules, june(30) + std::chrono::days{1}, 0) ==
        verdict::competition_closed);

  competition_rules twice = rules;
  twice.attempts_per_day = 2;
  CHECK(check_attempt_start(twice, june(15), 1) == verdict::accepted);
  CHECK(check_attempt_start(twice, june(15), 2) == verdict::daily_limit_reached);
}

TEST_CASE("draws are usable while any remain and until the window ends", "[window]") {
  const competition_rules rules;
  CHECK(check_draw(rules, june(10), 3, 2) == verdict::accepted);
  CHECK(check_draw(rules, june(10), 3, 3) == verdict::no_draws_available);
  CHECK(check_draw(rules, june(10), 0, 0) == verdict::no_draws_available);
  CHECK(check_draw(rules, june(30, 23, 59, 59), 1, 0) == verdict::accepted);
  CHECK(check_draw(rules, june(30, 23, 59, 59) + std::chrono::seconds{1}, 1, 0) ==
        verdict::competition_closed);
}
