// Where outcomes become errors: every outcome enum that storage or the engine returns maps to an
// entry of the error catalogue (server/protocol/api_error.hpp) here and nowhere else. Each returns
// empty for the outcomes that are successes.
#pragma once

#include <optional>

#include "engine/verdict.hpp"
#include "server/durable/durable_store.hpp"
#include "server/protocol/api_error.hpp"

namespace anquanli {

// Successes: accepted, answer_repeated, prize_won, no_prize.
[[nodiscard]] std::optional<api_error_code> error_for(verdict outcome);

[[nodiscard]] std::optional<api_error> error_for(const code_request_result& result);
[[nodiscard]] std::optional<api_error> error_for(const login_result& result);
[[nodiscard]] std::optional<api_error> error_for(profile_outcome outcome);
[[nodiscard]] std::optional<api_error> error_for(const admin_login_result& result);
// A refused start names the attempt the participant already has today, when there is one.
[[nodiscard]] std::optional<api_error> error_for(const start_result& result);
[[nodiscard]] std::optional<api_error> error_for(practice_outcome outcome);
[[nodiscard]] std::optional<api_error> error_for(claim_outcome outcome);
[[nodiscard]] std::optional<api_error> error_for(sent_outcome outcome);

}  // namespace anquanli
