#include "server/protocol/router.hpp"

#include <catch2/catch.hpp>

#include "server/api/outcome_errors.hpp"
#include "server/protocol/api_error.hpp"

using namespace anquanli;

namespace {

route plain(std::string method, std::string pattern) {
  return {std::move(method),
          std::move(pattern),
          [](api_request&) -> boost::asio::awaitable<api_response> { co_return api_response{}; },
          load_priority::continues_work,
          auth_kind::none,
          {}};
}

}  // namespace

TEST_CASE("routes match literally and capture {id} segments", "[router]") {
  const router routes({plain("GET", "/api/v1/me"), plain("PUT", "/api/v1/me"),
                       plain("POST", "/api/v1/attempts/{id}/answers")});
  const auto answers = routes.match("POST", "/api/v1/attempts/42/answers");
  REQUIRE(answers.found != nullptr);
  CHECK(answers.parameters == std::vector<std::string>{"42"});
  CHECK(routes.match("GET", "/api/v1/me/").found != nullptr);
  const auto wrong_method = routes.match("DELETE", "/api/v1/me");
  CHECK(wrong_method.found == nullptr);
  CHECK(wrong_method.allow == "GET, PUT");
  const auto unknown = routes.match("GET", "/api/v1/attempts/42");
  CHECK(unknown.found == nullptr);
  CHECK(unknown.allow.empty());
}

TEST_CASE("every failing verdict has one status and code and successes have none", "[router]") {
  CHECK_FALSE(error_for(verdict::accepted));
  CHECK_FALSE(error_for(verdict::answer_repeated));
  CHECK_FALSE(error_for(verdict::prize_won));
  CHECK_FALSE(error_for(verdict::no_prize));
  const auto entry = [](verdict outcome) { return describe(*error_for(outcome)); };
  CHECK(entry(verdict::daily_limit_reached).code == "already_attempted_today");
  CHECK(entry(verdict::daily_limit_reached).status == 409);
  CHECK(entry(verdict::competition_not_started).status == 403);
  CHECK(entry(verdict::competition_closed).code == "competition_closed");
  CHECK(entry(verdict::out_of_order).status == 409);
  CHECK(entry(verdict::invalid_choice).status == 400);
  CHECK(entry(verdict::profile_incomplete).status == 403);
  CHECK(entry(verdict::no_draws_available).code == "no_draws_available");
  CHECK(error_response(api_error_code::not_found).body ==
        R"({"error":{"code":"not_found","message":"未找到该记录"}})");
}
