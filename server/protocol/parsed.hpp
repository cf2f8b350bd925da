// What a route's parse_ function returns: the command a well-formed request asks for, or the
// error that refuses it. Handlers exit early on the error; tests read either side.
#pragma once

#include <utility>
#include <variant>

#include "server/protocol/api_error.hpp"

namespace anquanli {

template <class Command>
class parsed {
 public:
  parsed(Command command) : value_(std::move(command)) {}  // NOLINT(google-explicit-constructor)
  parsed(api_error error) : value_(std::move(error)) {}    // NOLINT(google-explicit-constructor)
  parsed(api_error_code id) : value_(api_error{id, {}, {}, {}}) {}  // NOLINT

  [[nodiscard]] explicit operator bool() const { return value_.index() == 0; }
  [[nodiscard]] Command& operator*() { return std::get<0>(value_); }
  [[nodiscard]] const Command& operator*() const { return std::get<0>(value_); }
  [[nodiscard]] Command* operator->() { return &std::get<0>(value_); }
  [[nodiscard]] const Command* operator->() const { return &std::get<0>(value_); }
  [[nodiscard]] const api_error& error() const { return std::get<1>(value_); }

 private:
  std::variant<Command, api_error> value_;
};

// An api_error with a detail, e.g. invalid_field(api_error_code::invalid_request, "index").
[[nodiscard]] inline api_error error_with(api_error_code id, std::string detail) {
  return api_error{id, std::move(detail), {}, {}};
}

}  // namespace anquanli
