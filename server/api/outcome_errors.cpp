#include "server/api/outcome_errors.hpp"

namespace anquanli {

std::optional<api_error_code> error_for(verdict outcome) {
  using enum api_error_code;
  switch (outcome) {
    case verdict::accepted:
    case verdict::answer_repeated:
    case verdict::prize_won:
    case verdict::no_prize: return std::nullopt;
    case verdict::already_answered: return already_answered;
    case verdict::out_of_order: return out_of_order;
    case verdict::invalid_choice: return invalid_choice;
    case verdict::attempt_finished: return attempt_finished;
    case verdict::attempt_expired: return attempt_expired;
    case verdict::competition_not_started: return competition_not_started;
    case verdict::competition_closed: return competition_closed;
    case verdict::daily_limit_reached: return already_attempted_today;
    case verdict::profile_incomplete: return profile_incomplete;
    case verdict::insufficient_questions: return insufficient_questions;
    case verdict::no_draws_available: return no_draws_available;
  }
  return internal_error;
}

std::optional<api_error> error_for(const code_request_result& result) {
  if (result.outcome == code_request_outcome::sent) {
    return std::nullopt;
  }
  return api_error{api_error_code::code_requests_limited, {}, result.retry_after_s, {}};
}

std::optional<api_error> error_for(const login_result& result) {
  switch (result.outcome) {
    case login_outcome::signed_in: return std::nullopt;
    case login_outcome::locked:
      return api_error{api_error_code::sign_in_locked, {}, result.retry_after_s, {}};
    case login_outcome::throttled:
      return api_error{api_error_code::sign_in_throttled, {}, result.retry_after_s, {}};
    case login_outcome::invalid_code: break;
  }
  return api_error{api_error_code::invalid_code, {}, {}, {}};
}

std::optional<api_error> error_for(profile_outcome outcome) {
  switch (outcome) {
    case profile_outcome::updated: return std::nullopt;
    case profile_outcome::invalid_region:
      return api_error{api_error_code::invalid_region, {}, {}, {}};
    case profile_outcome::invalid_unit: return api_error{api_error_code::invalid_unit, {}, {}, {}};
    case profile_outcome::profile_locked: break;
  }
  return api_error{api_error_code::profile_locked, {}, {}, {}};
}

std::optional<api_error> error_for(const admin_login_result& result) {
  switch (result.outcome) {
    case admin_login_outcome::signed_in: return std::nullopt;
    case admin_login_outcome::locked:
      return api_error{api_error_code::admin_locked, {}, result.retry_after_s, {}};
    case admin_login_outcome::invalid: break;
  }
  return api_error{api_error_code::invalid_credentials, {}, {}, {}};
}

std::optional<api_error> error_for(const start_result& result) {
  const auto code = error_for(result.outcome);
  if (!code) {
    return std::nullopt;
  }
  api_error error{*code, {}, {}, {}};
  if (result.outcome == verdict::daily_limit_reached && result.attempt) {
    error.extra["attempt_id"] = result.attempt->id.value();
  }
  return error;
}

std::optional<api_error> error_for(practice_outcome outcome) {
  using enum api_error_code;
  switch (outcome) {
    case practice_outcome::started: return std::nullopt;
    case practice_outcome::limit_reached: return api_error{practice_limit_reached, {}, {}, {}};
    case practice_outcome::unknown_category: return api_error{invalid_category, {}, {}, {}};
    case practice_outcome::no_mistakes: return api_error{no_mistakes, {}, {}, {}};
    case practice_outcome::no_questions: break;
  }
  return api_error{insufficient_questions, {}, {}, {}};
}

std::optional<api_error> error_for(claim_outcome outcome) {
  switch (outcome) {
    case claim_outcome::claimed: return std::nullopt;
    case claim_outcome::already_sent:
      return api_error{api_error_code::prize_already_sent, {}, {}, {}};
    case claim_outcome::not_found: break;
  }
  return api_error{api_error_code::not_found, {}, {}, {}};
}

std::optional<api_error> error_for(sent_outcome outcome) {
  switch (outcome) {
    case sent_outcome::marked: return std::nullopt;
    case sent_outcome::region_forbidden:
      return api_error{api_error_code::region_forbidden, {}, {}, {}};
    case sent_outcome::not_found: break;
  }
  return api_error{api_error_code::not_found, {}, {}, {}};
}

}  // namespace anquanli
