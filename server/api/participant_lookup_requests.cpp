#include "server/api/participant_lookup_requests.hpp"

#include "server/api/request_fields.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_code_bytes = 64;

// A region code or unit id as sent: a non-empty string of at most 64 bytes.
bool is_code(const boost::json::value& value) {
  return value.is_string() && !value.get_string().empty() &&
         value.get_string().size() <= max_code_bytes;
}

}  // namespace

parsed<participant_lookup_command> parse_participant_lookup(const api_request& request) {
  const auto phone = request.query.find("phone");
  if (phone == request.query.end() || !is_mobile_number(phone->second)) {
    return api_error_code::invalid_phone;
  }
  return participant_lookup_command{phone->second};
}

parsed<placement_change> parse_participant_correction(const api_request& request) {
  const auto id =
      request.path_parameters.empty() ? std::nullopt : parse_id(request.path_parameters.front());
  if (!id) {
    return api_error_code::participant_not_found;
  }
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  placement_change change{participant_id{*id}, std::nullopt, std::nullopt, {}};
  if (const auto* region = body->if_contains("region"); region != nullptr) {
    if (!is_code(*region)) {
      return api_error{api_error_code::invalid_correction, "region", {}, {}};
    }
    change.region_code = std::string{region->get_string()};
  }
  if (const auto* unit = body->if_contains("unit"); unit != nullptr) {
    if (!unit->is_null() && !is_code(*unit)) {
      return api_error{api_error_code::invalid_correction, "unit", {}, {}};
    }
    change.unit_id = unit->is_null() ? std::string{} : std::string{unit->get_string()};
  }
  const auto typed_reason = string_field(*body, "reason");
  auto reason = typed_reason ? normalized_text(*typed_reason, max_correction_reason_code_points)
                             : std::nullopt;
  if (!reason) {
    return api_error{api_error_code::invalid_correction, "reason", {}, {}};
  }
  if (!change.region_code && !change.unit_id) {
    return api_error{api_error_code::invalid_correction, "region/unit", {}, {}};
  }
  change.reason = std::move(*reason);
  return change;
}

}  // namespace anquanli
