#include "engine/random_sequence.hpp"

#include <cassert>
#include <limits>

namespace anquanli {

std::uint64_t random_sequence::below(std::uint64_t bound) {
  assert(bound > 0 && "random_sequence::below needs a positive bound");
  // Reject the top sliver of the range that would make some results more likely than others.
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  for (;;) {
    const std::uint64_t value = next();
    if (value < limit) {
      return value % bound;
    }
  }
}

}  // namespace anquanli
