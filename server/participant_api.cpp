#include "server/participant_api.hpp"

#include <boost/json.hpp>

#include "question_bank/question_validation.hpp"
#include "server/api_error.hpp"
#include "server/competition_store.hpp"
#include "server/json_views.hpp"
#include "server/request_fields.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

api_response unauthorized() {
  return error_response(401, "unauthorized", "请先登录");
}
api_response not_found() {
  return error_response(404, "not_found", "未找到该记录");
}

// The body as a JSON object, or the 400 to answer instead.
std::variant<json::object, api_response> parse_object(const std::string& body) {
  if (auto object = parse_json_object(body)) {
    return std::move(*object);
  }
  return error_response(400, "invalid_json", "请求体必须是 JSON 对象");
}

api_response missing_field(std::string_view key) {
  return error_response(400, "invalid_request", "缺少或错误的字段：" + std::string{key});
}

}  // namespace

std::vector<route> participant_api::routes() {
  const auto bind = [this](auto member) {
    return [this, member](api_request& request) { return (this->*member)(request); };
  };
  return {
      {"GET", "/api/v1/competition", bind(&participant_api::competition)},
      {"GET", "/api/v1/regions", bind(&participant_api::regions)},
      {"GET", "/api/v1/units", bind(&participant_api::units)},
      {"POST", "/api/v1/auth/code", bind(&participant_api::request_code),
       load_priority::begins_work},
      {"POST", "/api/v1/auth/login", bind(&participant_api::login), load_priority::begins_work},
      {"GET", "/api/v1/me", bind(&participant_api::get_me)},
      {"PUT", "/api/v1/me", bind(&participant_api::put_me)},
      {"POST", "/api/v1/attempts", bind(&participant_api::start_attempt),
       load_priority::begins_work},
      {"GET", "/api/v1/attempts/{id}", bind(&participant_api::get_attempt)},
      {"POST", "/api/v1/attempts/{id}/answers", bind(&participant_api::answer)},
      {"POST", "/api/v1/attempts/{id}/finish", bind(&participant_api::finish)},
      {"POST", "/api/v1/draws", bind(&participant_api::draw)},
      {"GET", "/api/v1/draws", bind(&participant_api::list_draws)},
  };
}

asio::awaitable<api_response> participant_api::competition(api_request& /*request*/) {
  co_return json_response(200, competition_view(config_.competition, clock_.now()));
}

asio::awaitable<api_response> participant_api::regions(api_request& /*request*/) {
  json::array items;
  for (const auto& item : co_await store_.regions()) {
    items.push_back(region_view(item));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> participant_api::units(api_request& request) {
  unit_query query{request.query["region"], request.query["q"], 20};
  if (const auto limit = request.query.find("limit"); limit != request.query.end()) {
    const auto parsed = parse_id(limit->second);
    if (!parsed || *parsed > max_unit_page) {
      co_return error_response(400, "invalid_limit", "limit 必须是 1 到 50 之间的整数");
    }
    query.limit = static_cast<int>(*parsed);
  }
  if (!is_valid_utf8(query.text) || query.text.size() > 100) {
    co_return error_response(400, "invalid_query", "搜索词无效");
  }
  json::array items;
  for (const auto& item : co_await store_.units(std::move(query))) {
    items.push_back(unit_view(item));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> participant_api::request_code(api_request& request) {
  auto parsed = parse_object(request.body);
  if (auto* error = std::get_if<api_response>(&parsed)) {
    co_return std::move(*error);
  }
  const auto phone = string_field(std::get<json::object>(parsed), "phone");
  if (!phone || !is_mobile_number(*phone)) {
    co_return error_response(400, "invalid_phone", "请输入正确的 11 位手机号码");
  }
  const instant now = clock_.now();
  const auto result = co_await store_.request_code(*phone, request.client_address, now);
  if (result.outcome != code_request_outcome::sent) {
    auto response = error_response(429, "too_many_requests", "请求过于频繁，请稍后再试");
    response.headers.emplace_back("Retry-After", std::to_string(result.retry_after_s));
    co_return response;
  }
  co_await sender_.send(*phone, result.code, now);
  co_return json_response(202, json::object{{"retry_after_s", result.retry_after_s}});
}

asio::awaitable<api_response> participant_api::login(api_request& request) {
  auto parsed = parse_object(request.body);
  if (auto* error = std::get_if<api_response>(&parsed)) {
    co_return std::move(*error);
  }
  const auto& body = std::get<json::object>(parsed);
  const auto phone = string_field(body, "phone");
  const auto code = string_field(body, "code");
  if (!phone || !is_mobile_number(*phone)) {
    co_return error_response(400, "invalid_phone", "请输入正确的 11 位手机号码");
  }
  if (!code || code->size() != 6) {
    co_return error_response(401, "invalid_code", "验证码错误或已过期");
  }
  const auto result = co_await store_.login(*phone, *code, request.client_address, clock_.now());
  if (result.outcome == login_outcome::locked) {
    auto response = error_response(429, "too_many_requests", "验证码错误次数过多，请稍后再试");
    response.headers.emplace_back("Retry-After", std::to_string(result.retry_after_s));
    co_return response;
  }
  if (result.outcome == login_outcome::invalid_code) {
    co_return error_response(401, "invalid_code", "验证码错误或已过期");
  }
  co_return json_response(
      200,
      json::object{{"token", result.token},
                   {"expires_at", format_rfc3339(result.expires_at, config_.competition.offset)},
                   {"profile_complete", result.profile_complete}});
}

asio::awaitable<api_response> participant_api::get_me(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const me_view view = co_await store_.me(*who, now);
  co_return json_response(200, me_json(view, config_.competition, now));
}

asio::awaitable<api_response> participant_api::put_me(api_request& request) {
  const auto who = co_await store_.authenticate(request.bearer_token, clock_.now());
  if (!who) {
    co_return unauthorized();
  }
  auto parsed = parse_object(request.body);
  if (auto* error = std::get_if<api_response>(&parsed)) {
    co_return std::move(*error);
  }
  const auto& body = std::get<json::object>(parsed);
  const auto name = string_field(body, "name");
  const auto region = string_field(body, "region");
  const auto* unit = body.if_contains("unit_id");
  if (!name || !valid_name(*name)) {
    co_return error_response(400, "invalid_name", "姓名须为 1 到 32 个字符");
  }
  if (!region) {
    co_return error_response(400, "invalid_region", "请选择所在区县");
  }
  if (unit != nullptr && !unit->is_null() && !unit->is_string()) {
    co_return error_response(400, "invalid_unit", "单位无效");
  }
  std::optional<std::string> unit_id;
  if (unit != nullptr && unit->is_string() && !unit->get_string().empty()) {
    unit_id = std::string{unit->get_string()};
  }
  switch (co_await store_.update_profile(*who, *name, *region, unit_id)) {
    case profile_outcome::invalid_region:
      co_return error_response(400, "invalid_region", "请选择有效的区县");
    case profile_outcome::invalid_unit:
      co_return error_response(400, "invalid_unit", "该单位不在所选地区内");
    case profile_outcome::profile_locked:
      co_return error_response(409, "profile_locked", "已参加答题，个人信息不能再修改");
    case profile_outcome::updated: break;
  }
  const auto person = co_await store_.load_profile(*who);
  co_return json_response(200, profile_view(*person));
}

asio::awaitable<api_response> participant_api::start_attempt(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const start_result result = co_await store_.start_attempt(*who, now);
  if (const auto error = error_for(result.outcome)) {
    auto response = error_response(*error);
    if (result.outcome == verdict::daily_limit_reached && result.attempt) {
      json::value body = json::parse(response.body);
      body.as_object()["attempt_id"] = result.attempt->id.value();
      response.body = json::serialize(body);
    }
    co_return response;
  }
  metrics_.attempts_started.fetch_add(1, std::memory_order_relaxed);
  co_return json_response(201, attempt_view(*result.attempt, config_.competition));
}

asio::awaitable<api_response> participant_api::get_attempt(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const auto id = parse_id(request.path_parameters.at(0));
  std::optional<attempt_record> record;
  if (id) {
    record = co_await store_.load_attempt(attempt_id{*id});
  }
  if (!record || record->owner != *who) {
    co_return not_found();
  }
  // An attempt past its deadline is closed now rather than at the sweeper's next round.
  if (record->state.status() == attempt_status::in_progress &&
      now > record->state.deadline(config_.competition)) {
    auto finished = co_await store_.finish(*who, record->id, now);
    record = std::move(finished.attempt);
  }
  co_return json_response(200, attempt_view(*record, config_.competition));
}

asio::awaitable<api_response> participant_api::answer(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const auto id = parse_id(request.path_parameters.at(0));
  if (!id) {
    co_return not_found();
  }
  auto parsed = parse_object(request.body);
  if (auto* error = std::get_if<api_response>(&parsed)) {
    co_return std::move(*error);
  }
  const auto& body = std::get<json::object>(parsed);
  const auto* index = body.if_contains("index");
  const auto* choice = body.if_contains("choice");
  if (index == nullptr || !index->is_int64() || index->get_int64() < 0 ||
      index->get_int64() > 1000) {
    co_return missing_field("index");
  }
  if (choice == nullptr || !choice->is_array() || choice->get_array().size() > 8) {
    co_return missing_field("choice");
  }
  choice_keys keys;
  for (const auto& key : choice->get_array()) {
    if (!key.is_string() || key.get_string().size() > 2) {
      co_return error_response(*error_for(verdict::invalid_choice));
    }
    keys.emplace_back(key.get_string());
  }
  const auto result = co_await store_.answer(
      *who, attempt_id{*id}, static_cast<int>(index->get_int64()), std::move(keys), now);
  if (!result.attempt) {
    co_return not_found();
  }
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  if (result.outcome == verdict::accepted) {
    metrics_.answers.fetch_add(1, std::memory_order_relaxed);
    if (result.attempt->state.status() != attempt_status::in_progress) {
      metrics_.attempts_finished.fetch_add(1, std::memory_order_relaxed);
    }
  }
  co_return json_response(200, answer_view(*result.attempt, *result.answer, config_.competition));
}

asio::awaitable<api_response> participant_api::finish(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const auto id = parse_id(request.path_parameters.at(0));
  if (!id) {
    co_return not_found();
  }
  const auto result = co_await store_.finish(*who, attempt_id{*id}, now);
  if (!result.attempt) {
    co_return not_found();
  }
  if (result.outcome == verdict::accepted) {
    metrics_.attempts_finished.fetch_add(1, std::memory_order_relaxed);
  }
  co_return json_response(200, attempt_view(*result.attempt, config_.competition));
}

asio::awaitable<api_response> participant_api::draw(api_request& request) {
  const instant now = clock_.now();
  const auto who = co_await store_.authenticate(request.bearer_token, now);
  if (!who) {
    co_return unauthorized();
  }
  const auto result = co_await store_.draw(*who, now);
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  metrics_.draws.fetch_add(1, std::memory_order_relaxed);
  json::value prize = nullptr;
  if (result.draw->prize) {
    metrics_.prizes_awarded.fetch_add(1, std::memory_order_relaxed);
    prize = json::object{{"id", result.draw->prize->id}, {"name", result.draw->prize->name}};
  }
  co_return json_response(200, json::object{{"draw_id", result.draw->draw_id},
                                            {"prize", std::move(prize)},
                                            {"draws_available", result.draws_available}});
}

asio::awaitable<api_response> participant_api::list_draws(api_request& request) {
  const auto who = co_await store_.authenticate(request.bearer_token, clock_.now());
  if (!who) {
    co_return unauthorized();
  }
  json::array items;
  for (const auto& item : co_await store_.draws(*who)) {
    items.push_back(draw_view(item, config_.competition));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace anquanli
