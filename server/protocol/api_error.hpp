// The error catalogue: every error the API can answer, with its HTTP status, its wire code, the
// message participants and clerks read, and its Retry-After policy. It is the one place where a
// status or an error code is written; handlers name an entry, outcomes map to entries in
// server/api/outcome_errors.cpp, and docs/api-errors.md is generated from this table (a test
// compares them). Several entries may share a wire code when people need different words for it
// (competition_not_started and competition_closed both answer `competition_closed`).
//
// The body is always {"error":{"code":"…","message":"…"}} plus any fields an outcome adds beside
// "error" (today only `attempt_id` for already_attempted_today).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/protocol/api_types.hpp"

namespace anquanli {

enum class api_error_code {
  // The transport: what arrived could not be a request for any route.
  bad_request,
  invalid_target,
  header_too_large,
  body_too_large,
  no_such_route,
  method_not_allowed,
  too_many_connections,
  too_many_connections_from_address,
  overloaded,
  storage_unavailable,
  internal_error,
  // What a client sent.
  invalid_json,
  invalid_request,
  invalid_phone,
  invalid_name,
  invalid_region,
  invalid_unit,
  invalid_limit,
  invalid_query,
  invalid_metric,
  invalid_day,
  invalid_period,
  invalid_choice,
  invalid_admin_request,
  invalid_bulletin_request,
  // Who is asking.
  unauthorized,
  admin_unauthorized,
  not_an_admin,
  region_forbidden,
  metrics_forbidden,
  invalid_code,
  invalid_credentials,
  code_requests_limited,
  sign_in_locked,
  sign_in_throttled,
  admin_locked,
  // The state of the competition.
  not_found,
  unit_not_found,
  profile_locked,
  profile_incomplete,
  already_answered,
  out_of_order,
  attempt_finished,
  attempt_expired,
  competition_not_started,
  competition_closed,
  already_attempted_today,
  insufficient_questions,
  no_draws_available,
  // The participant's own layer (issue 16).
  invalid_category,
  invalid_address,
  practice_disabled,
  practice_limit_reached,
  no_mistakes,
  participant_boards_disabled,
  prize_already_sent,
  // The office (issue 17).
  bulletin_snapshot_not_found,
  // The campaign's reporting forms (issue 17).
  invalid_reporting_form,
  invalid_reporting_request,
  reporting_unknown_field,
  reporting_field_missing,
  reporting_count_invalid,
  reporting_text_invalid,
  reporting_phone_invalid,
  reporting_email_invalid,
  reporting_date_invalid,
  reporting_gender_invalid,
  reporting_filer_only,
  // The 6·16 big screen (issue 17).
  screen_unauthorized,
  screen_full,
  // The office's participant lookup (issue 17).
  participant_not_found,
  invalid_correction,
};

enum class retry_policy {
  none,      // no Retry-After
  fixed,     // Retry-After: the entry's retry_after_s
  computed,  // Retry-After: the seconds the outcome says (a lock's or a limit's remaining time)
};

struct api_error_entry {
  api_error_code id;
  unsigned status;
  std::string_view code;     // the wire code, snake_case
  std::string_view message;  // Simplified Chinese: participants and clerks read it
  retry_policy retry = retry_policy::none;
  std::int64_t retry_after_s = 0;  // for retry_policy::fixed
  // True for the refusals an overloaded server sends by the thousand: counted in the metrics,
  // never logged one by one.
  bool load_refusal = false;
};

// An error as a handler returns it: the entry, and what the outcome adds to it.
struct api_error {
  api_error_code id = api_error_code::internal_error;
  std::string detail;  // appended to the message after "：" (e.g. the field that was wrong)
  std::optional<std::int64_t> retry_after_s;  // for retry_policy::computed
  boost::json::object extra;                  // more fields beside "error"
};

// The whole catalogue, in the order of api_error_code.
[[nodiscard]] std::span<const api_error_entry> api_error_catalogue();
[[nodiscard]] const api_error_entry& describe(api_error_code id);

// The enumerator's own name ("already_attempted_today"), for the error index (api_error_index).
[[nodiscard]] std::string_view to_string(api_error_code id) noexcept;

[[nodiscard]] api_response error_response(const api_error& error);
[[nodiscard]] api_response error_response(api_error_code id);

// A JSON body with the given status (the API's one content type).
[[nodiscard]] api_response json_response(unsigned status, const boost::json::value& body);

}  // namespace anquanli
