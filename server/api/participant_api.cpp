#include "server/api/participant_api.hpp"

#include <boost/json.hpp>

#include "server/api/json_views.hpp"
#include "server/api/outcome_errors.hpp"
#include "server/api/participant_requests.hpp"
#include "server/api/personal_views.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object items_of(json::array items) {
  return json::object{{"items", std::move(items)}};
}

}  // namespace

asio::awaitable<api_response> participant_api::competition(api_request& /*request*/) {
  json::object body =
      competition_view(services_.config.competition, services_.clock.now()).as_object();
  add_help_fields(body, services_.config);
  co_return json_response(200, body);
}

asio::awaitable<api_response> participant_api::regions(api_request& /*request*/) {
  json::array items;
  for (const auto& item : co_await services_.store.regions()) {
    items.push_back(region_view(item));
  }
  co_return json_response(200, items_of(std::move(items)));
}

asio::awaitable<api_response> participant_api::units(api_request& request) {
  auto query = parse_unit_search(request);
  if (!query) {
    co_return error_response(query.error());
  }
  json::array items;
  for (const auto& item : co_await services_.store.units(std::move(*query))) {
    items.push_back(unit_view(item));
  }
  co_return json_response(200, items_of(std::move(items)));
}

asio::awaitable<api_response> participant_api::request_code(api_request& request) {
  const auto command = parse_code_request(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const instant now = services_.clock.now();
  const auto result =
      co_await services_.store.request_code(command->phone, request.client_address, now);
  if (const auto error = error_for(result)) {
    co_return error_response(*error);
  }
  co_await services_.sender.send(command->phone, result.code, now);
  co_return json_response(202, json::object{{"retry_after_s", result.retry_after_s}});
}

asio::awaitable<api_response> participant_api::login(api_request& request) {
  const auto command = parse_login(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto result = co_await services_.store.login(command->phone, command->code,
                                                     request.client_address, services_.clock.now());
  if (const auto error = error_for(result)) {
    co_return error_response(*error);
  }
  co_return json_response(200, login_view(result, services_.config.competition));
}

asio::awaitable<api_response> participant_api::get_me(api_request& /*request*/,
                                                      participant_id who) {
  const instant now = services_.clock.now();
  const me_view view = co_await services_.store.me(who, now);
  json::object body = me_json(view, services_.config.competition, now).as_object();
  json::array ranks;
  if (people_ != nullptr) {
    ranks = co_await people_->ranks_of(view.person);
  }
  body["ranks"] = std::move(ranks);
  co_return json_response(200, body);
}

asio::awaitable<api_response> participant_api::put_me(api_request& request, participant_id who) {
  auto command = parse_profile(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto outcome = co_await services_.store.update_profile(
      who, std::move(command->name), std::move(command->region_code), std::move(command->unit_id));
  if (const auto error = error_for(outcome)) {
    co_return error_response(*error);
  }
  if (command->consent) {
    co_await services_.store.record_consent(who, services_.clock.now());
  }
  const auto person = co_await services_.store.load_profile(who);
  co_return json_response(200, profile_view(*person, services_.config.competition.offset));
}

asio::awaitable<api_response> participant_api::start_attempt(api_request& /*request*/,
                                                             participant_id who) {
  const start_result result = co_await services_.store.start_attempt(who, services_.clock.now());
  if (const auto error = error_for(result)) {
    co_return error_response(*error);
  }
  services_.counters.attempts_started.fetch_add(1, std::memory_order_relaxed);
  co_return json_response(201, attempt_view(*result.attempt, services_.config.competition));
}

asio::awaitable<api_response> participant_api::get_attempt(api_request& request,
                                                           participant_id who) {
  const auto which = parse_attempt_ref(request);
  if (!which) {
    co_return error_response(which.error());
  }
  const instant now = services_.clock.now();
  auto record = co_await services_.store.load_attempt(*which);
  if (!record || record->owner != who) {
    co_return error_response(api_error_code::not_found);
  }
  // An attempt past its deadline is closed now rather than at the sweeper's next round.
  if (record->state.status() == attempt_status::in_progress &&
      now > record->state.deadline(run_rules_of(*record, services_.config.competition))) {
    auto finished = co_await services_.store.finish(who, record->id, now);
    record = std::move(finished.attempt);
  }
  json::object body = attempt_view(*record, services_.config.competition).as_object();
  // A closed attempt carries its review (issue 16); one in progress never does.
  if (record->state.status() != attempt_status::in_progress) {
    body["review"] = review_json(*record);
  }
  co_return json_response(200, body);
}

asio::awaitable<api_response> participant_api::answer(api_request& request, participant_id who) {
  auto command = parse_answer(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto result = co_await services_.store.answer(
      who, command->attempt, command->index, std::move(command->choice), services_.clock.now());
  if (!result.attempt) {
    co_return error_response(api_error_code::not_found);
  }
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  // Practice (issue 16) counts in no statistic.
  if (result.outcome == verdict::accepted && result.attempt->kind == attempt_kind::challenge) {
    services_.counters.answers.fetch_add(1, std::memory_order_relaxed);
    if (result.attempt->state.status() != attempt_status::in_progress) {
      services_.counters.attempts_finished.fetch_add(1, std::memory_order_relaxed);
    }
  }
  co_return json_response(
      200, answer_view(*result.attempt, *result.answer, services_.config.competition));
}

asio::awaitable<api_response> participant_api::finish(api_request& request, participant_id who) {
  const auto which = parse_attempt_ref(request);
  if (!which) {
    co_return error_response(which.error());
  }
  const auto result = co_await services_.store.finish(who, *which, services_.clock.now());
  if (!result.attempt) {
    co_return error_response(api_error_code::not_found);
  }
  if (result.outcome == verdict::accepted && result.attempt->kind == attempt_kind::challenge) {
    services_.counters.attempts_finished.fetch_add(1, std::memory_order_relaxed);
  }
  co_return json_response(200, attempt_view(*result.attempt, services_.config.competition));
}

asio::awaitable<api_response> participant_api::draw(api_request& /*request*/, participant_id who) {
  const auto result = co_await services_.store.draw(who, services_.clock.now());
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  services_.counters.draws.fetch_add(1, std::memory_order_relaxed);
  if (result.draw->prize) {
    services_.counters.prizes_awarded.fetch_add(1, std::memory_order_relaxed);
  }
  co_return json_response(200, draw_result_view(result));
}

asio::awaitable<api_response> participant_api::list_draws(api_request& /*request*/,
                                                          participant_id who) {
  json::array items;
  for (const auto& item : co_await services_.store.draws(who)) {
    items.push_back(draw_view(item, services_.config.competition));
  }
  co_return json_response(200, items_of(std::move(items)));
}

}  // namespace anquanli
