#include "server/router.hpp"

#include <catch2/catch.hpp>

#include "server/api_error.hpp"

using namespace anquanli;

namespace {

request_handler nothing() {
  return [](api_request&) -> boost::asio::awaitable<api_response> { co_return api_response{}; };
}

}  // namespace

TEST_CASE("routes match literally and capture {id} segments", "[router]") {
  const router routes({{"GET", "/api/v1/me", nothing()},
                       {"PUT", "/api/v1/me", nothing()},
                       {"POST", "/api/v1/attempts/{id}/answers", nothing()}});
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
  CHECK(error_for(verdict::daily_limit_reached)->code == "already_attempted_today");
  CHECK(error_for(verdict::daily_limit_reached)->status == 409);
  CHECK(error_for(verdict::competition_not_started)->status == 403);
  CHECK(error_for(verdict::competition_closed)->code == "competition_closed");
  CHECK(error_for(verdict::out_of_order)->status == 409);
  CHECK(error_for(verdict::invalid_choice)->status == 400);
  CHECK(error_for(verdict::profile_incomplete)->status == 403);
  CHECK(error_for(verdict::no_draws_available)->code == "no_draws_available");
  CHECK(error_response(404, "not_found", "未找到").body ==
        R"({"error":{"code":"not_found","message":"未找到"}})");
}
