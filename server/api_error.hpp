// Errors as the API shows them: {"error":{"code":"snake_case","message":"…"}} with a status.
// error_for() is THE one place where rule verdicts become HTTP statuses and error codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "engine/verdict.hpp"
#include "server/api_types.hpp"

namespace anquanli {

struct api_error {
  unsigned status = 400;
  std::string code;
  std::string message;  // in Simplified Chinese: participants read it
};

// The error a verdict means, or empty when the verdict is a success (accepted, answer_repeated,
// prize_won, no_prize).
[[nodiscard]] std::optional<api_error> error_for(verdict outcome);

[[nodiscard]] api_response error_response(const api_error& error);

// A JSON body with the given status (the API's one content type).
[[nodiscard]] api_response json_response(unsigned status, const boost::json::value& body);
[[nodiscard]] api_response error_response(unsigned status, std::string_view code,
                                          std::string_view message);

}  // namespace anquanli
