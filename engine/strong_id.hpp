// A value wrapped in a distinct type per kind of id, so a participant id can never be passed
// where an attempt id is expected. Comparable and hashable like the value it wraps.
#pragma once

#include <compare>
#include <functional>
#include <utility>

namespace anquanli {

template <class Tag, class Value>
class strong_id {
 public:
  using value_type = Value;

  strong_id() = default;
  explicit strong_id(Value value) : value_(std::move(value)) {}

  [[nodiscard]] const Value& value() const noexcept { return value_; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=> (LLVM #46235)
  friend auto operator<=>(const strong_id&, const strong_id&) = default;
  friend bool operator==(const strong_id&, const strong_id&) = default;

 private:
  Value value_{};
};

}  // namespace anquanli

template <class Tag, class Value>
struct std::hash<anquanli::strong_id<Tag, Value>> {
  std::size_t operator()(const anquanli::strong_id<Tag, Value>& id) const noexcept {
    return std::hash<Value>{}(id.value());
  }
};
