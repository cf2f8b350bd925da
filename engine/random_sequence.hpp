// A deterministic stream of random numbers grown from a seed the caller supplies (in production
// from a CSPRNG, in tests a constant). The same seed gives the same selection on every platform:
// std::mt19937_64's output is fixed by the standard, and the reductions below are our own rather
// than the implementation-defined std::uniform_int_distribution and std::shuffle.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace anquanli {

class random_sequence {
 public:
  explicit random_sequence(std::uint64_t seed) : engine_(seed) {}

  [[nodiscard]] std::uint64_t next() { return engine_(); }

  // Uniform in [0, bound) without modulo bias; bound must be positive.
  [[nodiscard]] std::uint64_t below(std::uint64_t bound);

  // Fisher–Yates in place.
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(below(i));
      using std::swap;
      swap(items[i - 1], items[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

// A 64-bit random number as a double uniform in [0, 1).
[[nodiscard]] constexpr double unit_interval(std::uint64_t random) noexcept {
  return static_cast<double>(random >> 11U) * 0x1.0p-53;
}

}  // namespace anquanli
