// The parse_ functions of the office's participant lookup (issue 17): the shape of what was asked
// only; whether the account may see the participant and the target region is decided against the
// directory in participant_lookup_api.cpp.
#pragma once

#include <optional>
#include <string>

#include "server/protocol/parsed.hpp"
#include "server/store/participant_lookup.hpp"

namespace anquanli {

// GET /api/v1/admin/participants?phone=  (a mainland mobile number, else invalid_phone)
struct participant_lookup_command {
  std::string phone;
};
[[nodiscard]] parsed<participant_lookup_command> parse_participant_lookup(
    const api_request& request);

inline constexpr std::size_t max_correction_reason_code_points = 200;

// POST /api/v1/admin/participants/{id}/correction {"region"?, "unit"?, "reason"}: `unit` null
// leaves the participant without a unit (社会公众); at least one of region and unit; the reason is
// required. A malformed id is participant_not_found, a malformed body invalid_correction.
[[nodiscard]] parsed<placement_change> parse_participant_correction(const api_request& request);

}  // namespace anquanli
