#include "engine/prize_draw.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace anquanli;

namespace {

// The random number whose unit-interval value is `fraction`.
std::uint64_t roll(double fraction) {
  return static_cast<std::uint64_t>(fraction * 0x1.0p53) << 11U;
}

}  // namespace

TEST_CASE("the roll picks a prize by cumulative probability", "[prize]") {
  const std::vector<prize_odds> prizes{{0.1, 5, std::nullopt}, {0.2, 5, std::nullopt}};
  CHECK(draw_prize(prizes, roll(0.0)).prize_index == 0);
  CHECK(draw_prize(prizes, roll(0.0999)).prize_index == 0);
  CHECK(draw_prize(prizes, roll(0.1001)).prize_index == 1);
  CHECK(draw_prize(prizes, roll(0.2999)).outcome == verdict::prize_won);
  const auto nothing = draw_prize(prizes, roll(0.3001));
  CHECK(nothing.outcome == verdict::no_prize);
  CHECK_FALSE(nothing.prize_index);
}

TEST_CASE("a prize with no stock is never won - and its odds go to no one", "[prize]") {
  const std::vector<prize_odds> prizes{{0.5, 0, std::nullopt}, {0.5, 3, std::nullopt}};
  for (double fraction = 0.0; fraction < 0.5; fraction += 0.01) {
    CHECK(draw_prize(prizes, roll(fraction)).outcome == verdict::no_prize);
  }
  CHECK(draw_prize(prizes, roll(0.75)).prize_index == 1);
}

TEST_CASE("a prize whose daily cap is used up is not won today", "[prize]") {
  const std::vector<prize_odds> capped{{1.0, 100, 0}};
  CHECK(draw_prize(capped, roll(0.3)).outcome == verdict::no_prize);
  const std::vector<prize_odds> open{{1.0, 100, 1}};
  CHECK(draw_prize(open, roll(0.3)).outcome == verdict::prize_won);
}

TEST_CASE("the extremes of the random range", "[prize]") {
  const std::vector<prize_odds> certain{{1.0, 1, std::nullopt}};
  CHECK(draw_prize(certain, UINT64_MAX).outcome == verdict::prize_won);
  CHECK(draw_prize(certain, 0).outcome == verdict::prize_won);
  CHECK(draw_prize({}, 0).outcome == verdict::no_prize);
}

TEST_CASE("prize tables with impossible odds are refused", "[prize]") {
  CHECK(find_prize_problems(std::vector<prize_odds>{{0.6, 1, {}}, {0.5, 1, {}}}).size() == 1);
  CHECK(find_prize_problems(std::vector<prize_odds>{{-0.1, 1, {}}}).size() == 1);
  CHECK(find_prize_problems(std::vector<prize_odds>{{0.5, -1, {}}}).size() == 1);
  CHECK(find_prize_problems(std::vector<prize_odds>{{0.4, 1, {}}, {0.6, 1, {}}}).empty());
}
