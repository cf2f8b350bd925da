#include "server/api/participant_requests.hpp"

#include <boost/json.hpp>

#include "question_bank/question_validation.hpp"
#include "server/api/request_fields.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_search_bytes = 100;
constexpr std::int64_t max_answer_index = 1000;
constexpr std::size_t max_choice_keys = 8;

}  // namespace

parsed<unit_query> parse_unit_search(const api_request& request) {
  unit_query query{query_or(request, "region", ""), query_or(request, "q", ""), 20,
                   query_or(request, "parents", "") == "true"};
  if (request.query.contains("limit")) {
    const auto limit = parse_id(request.query.at("limit"));
    if (!limit || *limit > max_unit_page) {
      return error_with(api_error_code::invalid_limit, "limit 必须是 1 到 50 之间的整数");
    }
    query.limit = static_cast<int>(*limit);
  }
  if (!is_valid_utf8(query.text) || query.text.size() > max_search_bytes) {
    return api_error_code::invalid_query;
  }
  return query;
}

parsed<code_request_command> parse_code_request(const api_request& request) {
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  auto phone = string_field(*body, "phone");
  if (!phone || !is_mobile_number(*phone)) {
    return api_error_code::invalid_phone;
  }
  return code_request_command{std::move(*phone)};
}

parsed<login_command> parse_login(const api_request& request) {
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  auto phone = string_field(*body, "phone");
  auto code = string_field(*body, "code");
  if (!phone || !is_mobile_number(*phone)) {
    return api_error_code::invalid_phone;
  }
  if (!code || code->size() != 6) {
    return api_error_code::invalid_code;
  }
  return login_command{std::move(*phone), std::move(*code)};
}

parsed<profile_command> parse_profile(const api_request& request) {
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  const auto typed_name = string_field(*body, "name");
  auto name = typed_name ? normalized_name(*typed_name) : std::nullopt;
  auto region = string_field(*body, "region");
  const auto* unit = body->if_contains("unit_id");
  if (!name) {
    return api_error_code::invalid_name;
  }
  if (!region) {
    return api_error_code::invalid_region;
  }
  if (unit != nullptr && !unit->is_null() && !unit->is_string()) {
    return api_error_code::invalid_unit;
  }
  const auto* consent = body->if_contains("consent");
  if (consent != nullptr && !consent->is_bool()) {
    return error_with(api_error_code::invalid_request, "consent");
  }
  profile_command command{std::move(*name), std::move(*region), std::nullopt,
                          consent != nullptr && consent->get_bool()};
  if (unit != nullptr && unit->is_string() && !unit->get_string().empty()) {
    command.unit_id = std::string{unit->get_string()};
  }
  return command;
}

parsed<attempt_id> parse_attempt_ref(const api_request& request) {
  const auto id =
      request.path_parameters.empty() ? std::nullopt : parse_id(request.path_parameters.front());
  if (!id) {
    return api_error_code::not_found;
  }
  return attempt_id{*id};
}

parsed<answer_command> parse_answer(const api_request& request) {
  const auto which = parse_attempt_ref(request);
  if (!which) {
    return which.error();
  }
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  const auto* index = body->if_contains("index");
  const auto* choice = body->if_contains("choice");
  if (index == nullptr || !index->is_int64() || index->get_int64() < 0 ||
      index->get_int64() > max_answer_index) {
    return error_with(api_error_code::invalid_request, "index");
  }
  if (choice == nullptr || !choice->is_array() || choice->get_array().size() > max_choice_keys) {
    return error_with(api_error_code::invalid_request, "choice");
  }
  answer_command command{*which, static_cast<int>(index->get_int64()), {}};
  for (const auto& key : choice->get_array()) {
    if (!key.is_string() || key.get_string().size() > 2) {
      return api_error_code::invalid_choice;
    }
    command.choice.emplace_back(key.get_string());
  }
  return command;
}

}  // namespace anquanli
