// Small, strict decimal parsing shared by the engine's date and time parsers.
#pragma once

#include <optional>
#include <string_view>

namespace anquanli {

// All characters must be ASCII digits and there must be at least one; at most 9 digits.
[[nodiscard]] constexpr std::optional<int> parse_digits(std::string_view text) {
  if (text.empty() || text.size() > 9) {
    return std::nullopt;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace anquanli
