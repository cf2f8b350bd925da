// The error catalogue (server/protocol/api_error.hpp) and the one mapping from outcomes to it
// (server/api/outcome_errors.cpp): every code has a sound entry, every failing outcome names the
// entry its users expect, and no success names any.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "server/api/outcome_errors.hpp"
#include "server/protocol/parsed.hpp"

using namespace anquanli;

namespace {

constexpr auto last_code = api_error_code::invalid_correction;

std::string retry_after_of(const api_response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Retry-After") {
      return value;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("the catalogue has one entry per error code, in the enum's order", "[catalogue]") {
  const auto catalogue = api_error_catalogue();
  REQUIRE(catalogue.size() == static_cast<std::size_t>(last_code) + 1);
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    const auto id = static_cast<api_error_code>(i);
    CHECK(catalogue[i].id == id);
    CHECK(&describe(id) == &catalogue[i]);
  }
}

TEST_CASE("every entry is an error status with a wire code, a message and a sound retry policy",
          "[catalogue]") {
  std::map<std::string_view, unsigned> status_of_code;
  for (const api_error_entry& entry : api_error_catalogue()) {
    INFO(entry.code << " (" << static_cast<int>(entry.id) << ")");
    CHECK(entry.status >= 400);
    CHECK(entry.status <= 599);
    CHECK_FALSE(entry.code.empty());
    CHECK(entry.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
    CHECK_FALSE(entry.message.empty());
    // A fixed Retry-After has a positive number of seconds; the others carry none of their own.
    CHECK((entry.retry == retry_policy::fixed) == (entry.retry_after_s > 0));
    CHECK(entry.retry_after_s >= 0);
    // Load refusals are 503s that tell the client when to come back.
    if (entry.load_refusal) {
      CHECK(entry.status == 503);
      CHECK(entry.retry != retry_policy::none);
    }
    // Entries may share a wire code (for different words), never with different statuses.
    const auto [known, added] = status_of_code.emplace(entry.code, entry.status);
    CHECK(known->second == entry.status);
  }
}

TEST_CASE("an error answer carries the entry's status, code, message and Retry-After",
          "[catalogue]") {
  for (const api_error_entry& entry : api_error_catalogue()) {
    INFO(entry.code << " (" << static_cast<int>(entry.id) << ")");
    const api_response response = error_response(api_error{entry.id, {}, 42, {}});
    CHECK(response.status == entry.status);
    CHECK(response.load_refusal == entry.load_refusal);
    CHECK(response.content_type == "application/json; charset=utf-8");
    const auto body = boost::json::parse(response.body).as_object();
    CHECK(body.size() == 1);
    CHECK(body.at("error").at("code").as_string() == entry.code);
    CHECK(body.at("error").at("message").as_string() == entry.message);
    switch (entry.retry) {
      case retry_policy::none: CHECK(retry_after_of(response).empty()); break;
      case retry_policy::fixed:
        CHECK(retry_after_of(response) == std::to_string(entry.retry_after_s));
        break;
      case retry_policy::computed: CHECK(retry_after_of(response) == "42"); break;
    }
  }
  // A computed Retry-After without the outcome's seconds still tells the client something.
  CHECK(retry_after_of(error_response(api_error_code::sign_in_locked)) == "1");
}

TEST_CASE("an error's detail follows the message and its extra fields stand beside error",
          "[catalogue]") {
  api_error error = error_with(api_error_code::invalid_request, "index");
  error.extra["attempt_id"] = 7;
  const auto body = boost::json::parse(error_response(error).body).as_object();
  CHECK(body.at("error").at("message").as_string() == "缺少或错误的字段：index");
  CHECK(body.at("attempt_id").as_int64() == 7);
}

TEST_CASE("every verdict maps to the entry participants expect, successes to none", "[outcomes]") {
  using enum api_error_code;
  const std::map<verdict, std::optional<api_error_code>> expected{
      {verdict::accepted, std::nullopt},
      {verdict::answer_repeated, std::nullopt},
      {verdict::already_answered, already_answered},
      {verdict::out_of_order, out_of_order},
      {verdict::invalid_choice, invalid_choice},
      {verdict::attempt_finished, attempt_finished},
      {verdict::attempt_expired, attempt_expired},
      {verdict::competition_not_started, competition_not_started},
      {verdict::competition_closed, competition_closed},
      {verdict::daily_limit_reached, already_attempted_today},
      {verdict::profile_incomplete, profile_incomplete},
      {verdict::insufficient_questions, insufficient_questions},
      {verdict::no_draws_available, no_draws_available},
      {verdict::prize_won, std::nullopt},
      {verdict::no_prize, std::nullopt},
  };
  // The table above names every verdict there is.
  REQUIRE(expected.size() == static_cast<std::size_t>(verdict::no_prize) + 1);
  for (const auto& [outcome, entry] : expected) {
    INFO(to_string(outcome));
    CHECK(error_for(outcome) == entry);
  }
  CHECK(describe(*error_for(verdict::daily_limit_reached)).status == 409);
  CHECK(describe(*error_for(verdict::competition_not_started)).code == "competition_closed");
  CHECK(describe(*error_for(verdict::competition_not_started)).message == "竞赛尚未开始");
}

TEST_CASE("sign-in outcomes: limits and locks carry their seconds", "[outcomes]") {
  CHECK_FALSE(error_for(code_request_result{code_request_outcome::sent, "123456", 60}));
  for (const auto outcome :
       {code_request_outcome::too_soon, code_request_outcome::address_limited}) {
    const auto error = error_for(code_request_result{outcome, {}, 37});
    REQUIRE(error);
    CHECK(error->id == api_error_code::code_requests_limited);
    CHECK(error->retry_after_s == 37);
  }
  CHECK_FALSE(error_for(login_result{login_outcome::signed_in, "t", {}, true, 0}));
  const auto locked = error_for(login_result{login_outcome::locked, {}, {}, false, 600});
  REQUIRE(locked);
  CHECK(locked->id == api_error_code::sign_in_locked);
  CHECK(locked->retry_after_s == 600);
  const auto wrong = error_for(login_result{login_outcome::invalid_code, {}, {}, false, 0});
  REQUIRE(wrong);
  CHECK(wrong->id == api_error_code::invalid_code);
  CHECK_FALSE(wrong->retry_after_s);
}

TEST_CASE("profile outcomes", "[outcomes]") {
  CHECK_FALSE(error_for(profile_outcome::updated));
  CHECK(error_for(profile_outcome::invalid_region)->id == api_error_code::invalid_region);
  CHECK(error_for(profile_outcome::invalid_unit)->id == api_error_code::invalid_unit);
  CHECK(error_for(profile_outcome::profile_locked)->id == api_error_code::profile_locked);
}

TEST_CASE("office sign-in outcomes", "[outcomes]") {
  admin_login_result result;
  result.outcome = admin_login_outcome::signed_in;
  CHECK_FALSE(error_for(result));
  result.outcome = admin_login_outcome::invalid;
  CHECK(error_for(result)->id == api_error_code::invalid_credentials);
  result.outcome = admin_login_outcome::locked;
  result.retry_after_s = 900;
  const auto locked = error_for(result);
  REQUIRE(locked);
  CHECK(locked->id == api_error_code::admin_locked);
  CHECK(locked->retry_after_s == 900);
}

TEST_CASE("a refused start names today's attempt beside the error", "[outcomes]") {
  CHECK_FALSE(error_for(start_result{verdict::accepted, std::nullopt}));
  attempt_record today{attempt_id{41}, participant_id{1}, {}, {}, attempt({}, instant{}), {}};
  const auto again = error_for(start_result{verdict::daily_limit_reached, today});
  REQUIRE(again);
  CHECK(again->id == api_error_code::already_attempted_today);
  CHECK(again->extra.at("attempt_id").as_int64() == 41);
  const auto closed = error_for(start_result{verdict::competition_closed, today});
  REQUIRE(closed);
  CHECK(closed->id == api_error_code::competition_closed);
  CHECK(closed->extra.empty());
  CHECK(error_for(start_result{verdict::daily_limit_reached, std::nullopt})->extra.empty());
}
