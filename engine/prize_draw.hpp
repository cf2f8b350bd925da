// Which prize a lottery draw wins. Each prize has a probability of being won on any one draw; the
// probabilities of all prizes add up to at most 1 and the rest is "no prize". A prize whose stock
// is gone (in total, or today under a daily cap) keeps its share of the odds but pays nothing, so
// selling out one prize never raises the odds of the others.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/verdict.hpp"

namespace anquanli {

struct prize_odds {
  double probability = 0.0;    // of winning this prize on one draw
  std::int64_t remaining = 0;  // stock left over the whole competition
  std::optional<std::int64_t>
      remaining_today;  // stock left under today's cap, if the prize has one
};

struct draw_result {
  verdict outcome = verdict::no_prize;     // prize_won or no_prize
  std::optional<std::size_t> prize_index;  // into the odds, when a prize is won
};

// `random` is a uniformly distributed 64-bit number (a CSPRNG's output in production).
[[nodiscard]] draw_result draw_prize(std::span<const prize_odds> prizes, std::uint64_t random);

// One sentence per problem with a prize table: negative probabilities or a sum above 1.
[[nodiscard]] std::vector<std::string> find_prize_problems(std::span<const prize_odds> prizes);

}  // namespace anquanli
