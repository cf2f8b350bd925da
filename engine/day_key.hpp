// The competition day an instant belongs to. "One challenge a day" means one per civil day in the
// competition's fixed offset (China Standard Time by default): the host's TZ never matters.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "engine/instant.hpp"

namespace anquanli {

class day_key {
 public:
  constexpr day_key() = default;
  constexpr explicit day_key(std::chrono::sys_days days) : days_(days) {}
  constexpr explicit day_key(std::chrono::year_month_day date) : days_(date) {}

  [[nodiscard]] constexpr std::chrono::sys_days days() const noexcept { return days_; }
  [[nodiscard]] constexpr day_key next() const noexcept {
    return day_key{days_ + std::chrono::days{1}};
  }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=> (LLVM #46235)
  friend constexpr auto operator<=>(const day_key&, const day_key&) = default;
  friend constexpr bool operator==(const day_key&, const day_key&) = default;

 private:
  std::chrono::sys_days days_{};
};

// The civil day of `at` in local time `offset`.
[[nodiscard]] day_key day_key_of(instant at, utc_offset offset);

// The instant local midnight begins `day`.
[[nodiscard]] instant start_of(day_key day, utc_offset offset);

// "YYYY-MM-DD".
[[nodiscard]] std::string to_string(day_key day);

// Strict "YYYY-MM-DD" of a real calendar date; empty otherwise.
[[nodiscard]] std::optional<day_key> parse_day_key(std::string_view text);

}  // namespace anquanli
