#include "engine/prize_draw.hpp"

#include "engine/random_sequence.hpp"

namespace anquanli {

namespace {

bool in_stock(const prize_odds& prize) {
  return prize.remaining > 0 && (!prize.remaining_today || *prize.remaining_today > 0);
}

}  // namespace

draw_result draw_prize(std::span<const prize_odds> prizes, std::uint64_t random) {
  const double roll = unit_interval(random);
  double cumulative = 0.0;
  for (std::size_t i = 0; i < prizes.size(); ++i) {
    cumulative += prizes[i].probability;
    if (roll < cumulative) {
      if (!in_stock(prizes[i])) {
        return {verdict::no_prize, std::nullopt};
      }
      return {verdict::prize_won, i};
    }
  }
  return {verdict::no_prize, std::nullopt};
}

std::vector<std::string> find_prize_problems(std::span<const prize_odds> prizes) {
  std::vector<std::string> problems;
  double sum = 0.0;
  for (std::size_t i = 0; i < prizes.size(); ++i) {
    if (prizes[i].probability < 0.0 || prizes[i].probability > 1.0) {
      problems.push_back("prize " + std::to_string(i + 1) + ": probability must be in [0, 1]");
    }
    if (prizes[i].remaining < 0) {
      problems.push_back("prize " + std::to_string(i + 1) + ": total must not be negative");
    }
    sum += prizes[i].probability;
  }
  if (sum > 1.0 + 1e-9) {
    problems.emplace_back("prize probabilities add up to more than 1");
  }
  return problems;
}

}  // namespace anquanli
