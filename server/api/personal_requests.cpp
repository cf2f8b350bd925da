#include "server/api/personal_requests.hpp"

#include <boost/json.hpp>

#include "server/api/leaderboard_requests.hpp"
#include "server/api/request_fields.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_category_bytes = 100;

// A day of the competition's window from the query, or none when absent.
parsed<std::optional<std::string>> window_day(const api_request& request,
                                              const competition_rules& rules) {
  const auto found = request.query.find("day");
  if (found == request.query.end()) {
    return std::optional<std::string>{};
  }
  const auto day = parse_day_key(found->second);
  if (!day || *day < rules.starts_on || rules.ends_on < *day) {
    return api_error_code::invalid_day;
  }
  return std::optional<std::string>{found->second};
}

}  // namespace

parsed<attempt_kind> parse_history_query(const api_request& request) {
  const std::string kind = query_or(request, "kind", "challenge");
  if (kind == "challenge") {
    return attempt_kind::challenge;
  }
  if (kind == "practice") {
    return attempt_kind::practice;
  }
  return error_with(api_error_code::invalid_request, "kind 只能是 challenge 或 practice");
}

parsed<practice_request> parse_practice(const api_request& request) {
  practice_request command;
  if (request.body.empty()) {
    return command;
  }
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  if (const auto* category = body->if_contains("category");
      category != nullptr && !category->is_null()) {
    if (!category->is_string() || category->get_string().empty() ||
        category->get_string().size() > max_category_bytes) {
      return api_error_code::invalid_category;
    }
    command.category = std::string{category->get_string()};
  }
  if (const auto* mistakes = body->if_contains("mistakes"); mistakes != nullptr) {
    if (!mistakes->is_bool()) {
      return error_with(api_error_code::invalid_request, "mistakes");
    }
    command.mistakes = mistakes->get_bool();
  }
  if (command.mistakes && command.category) {
    return error_with(api_error_code::invalid_request, "category 与 mistakes 只能选一个");
  }
  return command;
}

parsed<participant_board_command> parse_participant_board(const api_request& request,
                                                          const competition_rules& rules) {
  auto day = window_day(request, rules);
  if (!day) {
    return day.error();
  }
  const auto limit = read_count(request, "limit", 20, max_leaderboard_page);
  const auto offset = read_count(request, "offset", 0, max_leaderboard_offset);
  if (!limit || *limit == 0 || !offset) {
    return error_with(api_error_code::invalid_limit, "limit 必须在 1 到 100 之间，offset 不能为负");
  }
  participant_board_command command{std::nullopt, std::move(*day), *limit, *offset};
  if (const auto region = request.query.find("region"); region != request.query.end()) {
    command.region_code = region->second;
  }
  return command;
}

parsed<std::optional<std::string>> parse_winners_day(const api_request& request,
                                                     const competition_rules& rules) {
  return window_day(request, rules);
}

parsed<claim_command> parse_claim(const api_request& request) {
  const auto draw = parse_draw_ref(request);
  if (!draw) {
    return draw.error();
  }
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  const auto typed_recipient = string_field(*body, "recipient");
  auto recipient = typed_recipient ? normalized_name(*typed_recipient) : std::nullopt;
  auto phone = string_field(*body, "phone");
  const auto typed_address = string_field(*body, "address");
  auto address =
      typed_address ? normalized_text(*typed_address, max_address_code_points) : std::nullopt;
  if (!recipient) {
    return api_error_code::invalid_name;
  }
  if (!phone || !is_mobile_number(*phone)) {
    return api_error_code::invalid_phone;
  }
  if (!address) {
    return api_error_code::invalid_address;
  }
  return claim_command{*draw, {std::move(*recipient), std::move(*phone), std::move(*address)}};
}

parsed<std::int64_t> parse_draw_ref(const api_request& request) {
  const auto id =
      request.path_parameters.empty() ? std::nullopt : parse_id(request.path_parameters.front());
  if (!id) {
    return api_error_code::not_found;
  }
  return *id;
}

}  // namespace anquanli
