// The handlers behind the real route table (api_routes) over the in-memory store: statuses,
// bodies, the authentication wrappers and storage failures, without a process or a socket. The
// same routes over real HTTP, SQLite and Redis are tested in tests/server.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/api/api_calls.hpp"
#include "tests/engine/test_rules.hpp"

using namespace anquanli;
using namespace anquanli::test;

namespace {

// The key of the current question's correct option: sample questions call it 正确的做法.
std::string correct_key(const boost::json::value& attempt) {
  for (const auto& option : attempt.at("current").at("question").at("options").as_array()) {
    if (option.at("text").as_string() == "正确的做法") {
      return std::string{option.at("key").as_string()};
    }
  }
  FAIL("the current question has no correct option");
  return {};
}

api_response start(fake_api& api, const std::string& token) {
  return call(api, request_to("POST", "/api/v1/attempts").token(token));
}

api_response answer(fake_api& api, const std::string& token, std::int64_t attempt, int index,
                    const std::string& key) {
  return call(api,
              request_to("POST", "/api/v1/attempts/" + std::to_string(attempt) + "/answers")
                  .body(R"({"index":)" + std::to_string(index) + R"(,"choice":[")" + key + R"("]})")
                  .token(token));
}

}  // namespace

TEST_CASE("health, readiness and metrics answer without a caller", "[handlers]") {
  fake_api api(june(10));
  const auto health = call(api, request_to("GET", "/healthz"));
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(call(api, request_to("GET", "/readyz")).status == 200);
  api.store.set_ready(false);
  const auto unready = call(api, request_to("GET", "/readyz"));
  CHECK(unready.status == 503);
  CHECK(unready.body == "not ready\nredis: disabled\n");
  const auto exposition = call(api, request_to("GET", "/metrics"));
  CHECK(exposition.status == 200);
  CHECK(exposition.content_type.starts_with("text/plain; version=0.0.4"));
}

TEST_CASE("the competition, regions and units are public", "[handlers]") {
  fake_api api(june(10));
  const auto competition = json_of(call(api, request_to("GET", "/api/v1/competition")));
  CHECK(competition.at("today").as_string() == "2021-06-10");
  CHECK(competition.at("open").as_bool());
  const auto regions = json_of(call(api, request_to("GET", "/api/v1/regions")));
  CHECK(regions.at("items").as_array().size() == sample_regions().size());
  const auto units = call(api, request_to("GET", "/api/v1/units").query({{"region", "640100"}}));
  REQUIRE(units.status == 200);
  const auto listed = json_of(units);
  // 兴庆区 and 西夏区 lie in 银川市; 大武口区 does not.
  CHECK(listed.at("items").as_array().size() == 2);
  const auto refused = call(api, request_to("GET", "/api/v1/units").query({{"limit", "51"}}));
  CHECK(refused.status == 400);
  CHECK(error_code_of(refused) == "invalid_limit");
}

TEST_CASE("a participant signs in with the code that was sent", "[handlers]") {
  fake_api api(june(10));
  const auto sent =
      call(api, request_to("POST", "/api/v1/auth/code").body(R"({"phone":"13800138000"})"));
  CHECK(sent.status == 202);
  CHECK(json_of(sent).at("retry_after_s").as_int64() == 60);
  const std::string code = api.sender.last_code.at("13800138000");

  SECTION("asking again at once is refused with the seconds to wait") {
    api.clock.advance(std::chrono::seconds{20});
    const auto again =
        call(api, request_to("POST", "/api/v1/auth/code").body(R"({"phone":"13800138000"})"));
    CHECK(again.status == 429);
    CHECK(error_code_of(again) == "too_many_requests");
    CHECK(header_of(again, "Retry-After") == "40");
  }
  SECTION("the right code signs in; the token is a participant's") {
    const auto login = call(api, request_to("POST", "/api/v1/auth/login")
                                     .body(R"({"phone":"13800138000","code":")" + code + R"("})"));
    REQUIRE(login.status == 200);
    const auto body = json_of(login);
    CHECK_FALSE(body.at("profile_complete").as_bool());
    const std::string token{body.at("token").as_string()};
    const auto me = call(api, request_to("GET", "/api/v1/me").token(token));
    CHECK(me.status == 200);
    CHECK(json_of(me).at("phone_masked").as_string() == "138****8000");
  }
  SECTION("wrong codes are refused, and five of them lock the phone") {
    const std::string wrong = code == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) {
      const auto refused =
          call(api, request_to("POST", "/api/v1/auth/login")
                        .body(R"({"phone":"13800138000","code":")" + wrong + R"("})"));
      CHECK(refused.status == 401);
      CHECK(error_code_of(refused) == "invalid_code");
    }
    const auto locked = call(api, request_to("POST", "/api/v1/auth/login")
                                      .body(R"({"phone":"13800138000","code":")" + code + R"("})"));
    CHECK(locked.status == 429);
    CHECK(header_of(locked, "Retry-After") == "300");
  }
}

TEST_CASE("participant routes want a participant's token", "[handlers][auth]") {
  fake_api api(june(10));
  const std::size_t before = api.store.calls();
  for (const char* token : {"", "no-such-token"}) {
    const auto refused = call(api, request_to("GET", "/api/v1/me").token(token));
    CHECK(refused.status == 401);
    CHECK(error_code_of(refused) == "unauthorized");
    CHECK(json_of(refused).at("error").at("message").as_string() == "请先登录");
  }
  // Only the token was looked up: nothing of the request reached storage.
  CHECK(api.store.calls() == before + 2);
  const std::string admin_token = [&] {
    api.store.add_admin({"yinchuan", "秘密口令", "640100", ""});
    return office_sign_in(api, "yinchuan", "秘密口令");
  }();
  CHECK(call(api, request_to("POST", "/api/v1/draws").token(admin_token)).status == 401);
}

TEST_CASE("office routes want an office token, and a participant's is forbidden",
          "[handlers][auth]") {
  fake_api api(june(10));
  api.store.add_admin({"yinchuan", "秘密口令", "640100", ""});
  const auto anonymous = call(api, request_to("GET", "/api/v1/admin/me"));
  CHECK(anonymous.status == 401);
  CHECK(json_of(anonymous).at("error").at("message").as_string() == "请先登录管理账号");
  const auto unknown = call(api, request_to("GET", "/api/v1/admin/daily").token("made-up"));
  CHECK(unknown.status == 401);
  const std::string participant = sign_in(api, "13800138000");
  const auto forbidden = call(api, request_to("GET", "/api/v1/admin/winners").token(participant));
  CHECK(forbidden.status == 403);
  CHECK(error_code_of(forbidden) == "forbidden");
  CHECK(json_of(forbidden).at("error").at("message").as_string() == "该账号无权访问管理接口");

  const std::string office = office_sign_in(api, "yinchuan", "秘密口令");
  const auto me = call(api, request_to("GET", "/api/v1/admin/me").token(office));
  REQUIRE(me.status == 200);
  CHECK(json_of(me).at("region").at("name").as_string() == "银川市");
  const auto inside = call(
      api, request_to("GET", "/api/v1/admin/daily").query({{"region", "640104"}}).token(office));
  CHECK(inside.status == 200);
  const auto outside = call(
      api, request_to("GET", "/api/v1/admin/daily").query({{"region", "640200"}}).token(office));
  CHECK(outside.status == 403);
  CHECK(json_of(outside).at("error").at("message").as_string() == "无权查看该地区");
  const auto unknown_region =
      call(api, request_to("GET", "/api/v1/admin/me").query({{"region", "999999"}}).token(office));
  CHECK(unknown_region.status == 400);
  CHECK(error_code_of(unknown_region) == "invalid_region");
}

TEST_CASE("office sign-in: wrong passwords, then a lock with Retry-After", "[handlers][auth]") {
  fake_api api(june(10));
  api.store.add_admin({"yinchuan", "秘密口令", "640100", ""});
  const api_request wrong = request_to("POST", "/api/v1/admin/login")
                                .body(R"({"username":"yinchuan","password":"猜的"})");
  for (int i = 0; i < 5; ++i) {
    const auto refused = call(api, wrong);
    CHECK(refused.status == 401);
    CHECK(error_code_of(refused) == "invalid_credentials");
  }
  const auto locked = call(api, request_to("POST", "/api/v1/admin/login")
                                    .body(R"({"username":"yinchuan","password":"秘密口令"})"));
  CHECK(locked.status == 429);
  CHECK(header_of(locked, "Retry-After") == "900");
  api.clock.advance(std::chrono::minutes{15});
  CHECK_FALSE(office_sign_in(api, "yinchuan", "秘密口令").empty());
}

TEST_CASE("a profile goes to a leaf region, and a unit inside it", "[handlers]") {
  fake_api api(june(10));
  const std::string token = sign_in(api, "13800138000");
  const auto put = [&](const std::string& body) {
    return call(api, request_to("PUT", "/api/v1/me").body(body).token(token));
  };
  CHECK(error_code_of(put(R"({"name":"张三","region":"640100"})")) == "invalid_region");
  CHECK(error_code_of(put(R"({"name":"张三","region":"nowhere"})")) == "invalid_region");
  const auto wrong_unit = put(R"({"name":"张三","region":"640104","unit_id":"U0003"})");
  CHECK(wrong_unit.status == 400);
  CHECK(error_code_of(wrong_unit) == "invalid_unit");
  const auto saved = put(R"({"name":"张三","region":"640104","unit_id":"U0001"})");
  REQUIRE(saved.status == 200);
  const auto view = json_of(saved);
  CHECK(view.at("region").at("name").as_string() == "兴庆区");
  CHECK(view.at("unit").at("id").as_string() == "U0001");
  CHECK(view.at("profile_complete").as_bool());

  REQUIRE(start(api, token).status == 201);
  const auto locked = put(R"({"name":"李四","region":"640105"})");
  CHECK(locked.status == 409);
  CHECK(error_code_of(locked) == "profile_locked");
}

TEST_CASE("one challenge a day: a second start names today's attempt", "[handlers]") {
  fake_api api(june(10));
  const std::string token = sign_in(api, "13800138000");
  const auto incomplete = start(api, token);
  CHECK(incomplete.status == 403);
  CHECK(error_code_of(incomplete) == "profile_incomplete");

  const std::string ready = sign_in_with_profile(api, "13900139000");
  const auto first = start(api, ready);
  REQUIRE(first.status == 201);
  const auto attempt = json_of(first);
  CHECK(attempt.at("questions_total").as_int64() == 15);
  CHECK(attempt.at("status").as_string() == "in_progress");
  const auto again = start(api, ready);
  CHECK(again.status == 409);
  const auto refused = json_of(again).as_object();
  CHECK(refused.at("error").at("code").as_string() == "already_attempted_today");
  CHECK(refused.at("attempt_id") == attempt.at("id"));
  CHECK(api.counters.attempts_started.load() == 1);

  // Tokens last 12 hours: the next day begins with a new sign-in.
  api.clock.advance(std::chrono::hours{24});
  CHECK(start(api, ready).status == 401);
  CHECK(start(api, sign_in(api, "13900139000")).status == 201);
}

TEST_CASE("no challenge outside the window", "[handlers]") {
  fake_api api(june(1, 0, 0, 0) - std::chrono::seconds{1});
  const std::string token = sign_in_with_profile(api, "13800138000");
  const auto early = start(api, token);
  CHECK(early.status == 403);
  CHECK(error_code_of(early) == "competition_closed");
  CHECK(json_of(early).at("error").at("message").as_string() == "竞赛尚未开始");
  api.clock.advance(std::chrono::days{30} + std::chrono::seconds{1});
  const auto late = start(api, sign_in(api, "13800138000"));
  CHECK(late.status == 403);
  CHECK(json_of(late).at("error").at("message").as_string() == "竞赛已结束");
}

TEST_CASE("a bank too small for a paper is a 503 insufficient_questions", "[handlers]") {
  fake_api api(june(10));
  api.store.seed_questions(sample_questions(5));
  const auto refused = start(api, sign_in_with_profile(api, "13800138000"));
  CHECK(refused.status == 503);
  CHECK(error_code_of(refused) == "insufficient_questions");
}

TEST_CASE("a challenge answered through to its result and its draws", "[handlers]") {
  fake_api api(june(10));
  const std::string token = sign_in_with_profile(api, "13800138000");
  auto attempt = json_of(start(api, token));
  const std::int64_t id = attempt.at("id").as_int64();

  const auto skipped = answer(api, token, id, 1, "A");
  CHECK(skipped.status == 409);
  CHECK(error_code_of(skipped) == "out_of_order");
  const auto bad_key = answer(api, token, id, 0, "Z");
  CHECK(bad_key.status == 400);
  CHECK(error_code_of(bad_key) == "invalid_choice");

  const std::string stranger = sign_in_with_profile(api, "13900139000");
  CHECK(answer(api, stranger, id, 0, "A").status == 404);
  CHECK(call(api, request_to("GET", "/api/v1/attempts/" + std::to_string(id)).token(stranger))
            .status == 404);

  std::string first_key;
  for (int index = 0; index < 15; ++index) {
    api.clock.advance(std::chrono::seconds{5});
    const std::string key = correct_key(attempt);
    first_key = index == 0 ? key : first_key;
    const auto answered = answer(api, token, id, index, key);
    REQUIRE(answered.status == 200);
    const auto body = json_of(answered);
    CHECK(body.at("correct").as_bool());
    attempt = body.at("attempt");
  }
  CHECK(attempt.at("status").as_string() == "finished");
  // 1 for taking part, 15 correct and the perfect bonus of 10; a draw per 5 correct.
  CHECK(attempt.at("result").at("points").as_int64() == 26);
  CHECK(attempt.at("result").at("draws_earned").as_int64() == 3);
  CHECK(api.counters.attempts_finished.load() == 1);
  // The same answer again changes nothing; another one, or one more, is refused.
  CHECK(answer(api, token, id, 0, first_key).status == 200);
  const auto changed = answer(api, token, id, 0, first_key == "A" ? "B" : "A");
  CHECK(changed.status == 409);
  CHECK(error_code_of(changed) == "already_answered");
  CHECK(error_code_of(answer(api, token, id, 15, "A")) == "attempt_finished");

  for (int i = 0; i < 3; ++i) {
    const auto drawn = call(api, request_to("POST", "/api/v1/draws").token(token));
    REQUIRE(drawn.status == 200);
  }
  const auto none_left = call(api, request_to("POST", "/api/v1/draws").token(token));
  CHECK(none_left.status == 409);
  CHECK(error_code_of(none_left) == "no_draws_available");
  const auto listed = call(api, request_to("GET", "/api/v1/draws").token(token));
  CHECK(json_of(listed).at("items").as_array().size() == 3);
}

TEST_CASE("an attempt past its deadline is closed when it is read", "[handlers]") {
  fake_api api(june(10));
  const std::string token = sign_in_with_profile(api, "13800138000");
  const auto id = json_of(start(api, token)).at("id").as_int64();
  api.clock.advance(std::chrono::minutes{16});
  const auto read =
      call(api, request_to("GET", "/api/v1/attempts/" + std::to_string(id)).token(token));
  REQUIRE(read.status == 200);
  CHECK(json_of(read).at("status").as_string() == "expired");
  const auto finished = call(
      api, request_to("POST", "/api/v1/attempts/" + std::to_string(id) + "/finish").token(token));
  CHECK(finished.status == 200);
  CHECK(json_of(finished).at("status").as_string() == "expired");
}

TEST_CASE("leaderboards rank the directory from the store's aggregates", "[handlers]") {
  fake_api api(june(10));
  const auto regions = call(api, request_to("GET", "/api/v1/leaderboards/regions"));
  REQUIRE(regions.status == 200);
  const auto body = json_of(regions);
  CHECK(body.at("parent").as_string() == "640000");
  CHECK(body.at("source").as_string() == "sqlite");
  CHECK(body.at("items").as_array().size() == 2);
  for (const auto& item : body.at("items").as_array()) {
    CHECK(item.at("participants_with_unit") == 0);
    CHECK(item.at("participants_public") == 0);
    CHECK(item.at("rate_capped") == false);
    CHECK(item.at("rate") == item.at("participation_rate"));
  }
  const auto unknown_parent =
      call(api, request_to("GET", "/api/v1/leaderboards/regions").query({{"parent", "9"}}));
  CHECK(error_code_of(unknown_parent) == "invalid_region");
  const auto units = call(api, request_to("GET", "/api/v1/leaderboards/units"));
  CHECK(json_of(units).at("total").as_int64() == 3);
  const auto standing = call(api, request_to("GET", "/api/v1/leaderboards/units/U0002"));
  REQUIRE(standing.status == 200);
  CHECK(json_of(standing).at("unit").at("id").as_string() == "U0002");
  const auto missing = call(api, request_to("GET", "/api/v1/leaderboards/units/U9999"));
  CHECK(missing.status == 404);
  CHECK(json_of(missing).at("error").at("message").as_string() == "单位不存在");
}

TEST_CASE("office exports answer in the format asked for", "[handlers]") {
  fake_api api(june(10));
  api.store.add_admin({"ningxia", "秘密口令", "640000", ""});
  const std::string office = office_sign_in(api, "ningxia", "秘密口令");
  const auto csv = call(api, request_to("GET", "/api/v1/admin/bulletin")
                                 .query({{"format", "csv"}, {"region", "640100"}})
                                 .token(office));
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(header_of(csv, "Content-Disposition") ==
        "attachment; filename=\"bulletin-640100-2021-06-01-2021-06-30-city.csv\"");
  const auto json = call(api, request_to("GET", "/api/v1/admin/bulletin").token(office));
  REQUIRE(json.status == 200);
  CHECK(json_of(json).at("scope").at("name").as_string() == "宁夏回族自治区");
  const auto winners = call(
      api, request_to("GET", "/api/v1/admin/winners").query({{"format", "csv"}}).token(office));
  CHECK(header_of(winners, "Content-Disposition") == "attachment; filename=\"winners-640000.csv\"");
  const auto stats = call(api, request_to("GET", "/api/v1/admin/questions/stats").token(office));
  CHECK(json_of(stats).at("items").as_array().empty());
}

TEST_CASE("a storage failure is a 503 the client may retry", "[handlers][storage]") {
  fake_api api(june(10));
  const std::string token = sign_in_with_profile(api, "13800138000");

  SECTION("unavailable storage") {
    api.store.fail_next(store_failure::unavailable);
    const auto failed = call(api, request_to("GET", "/api/v1/regions"));
    CHECK(failed.status == 503);
    CHECK(error_code_of(failed) == "storage_unavailable");
    CHECK(header_of(failed, "Retry-After") == "5");
    CHECK_FALSE(failed.load_refusal);
  }
  SECTION("an overloaded writer") {
    api.store.fail_next(store_failure::overloaded, 1);  // the token answers, the start is refused
    const auto refused = start(api, token);
    CHECK(refused.status == 503);
    CHECK(error_code_of(refused) == "overloaded");
    CHECK(header_of(refused, "Retry-After") == "1");
    CHECK(refused.load_refusal);
    // Nothing was stored: the same request succeeds once the writer has caught up.
    CHECK(start(api, token).status == 201);
  }
  SECTION("a failure while the caller is authenticated") {
    api.store.fail_next(store_failure::unavailable);
    const auto failed = call(api, request_to("GET", "/api/v1/me").token(token));
    CHECK(failed.status == 503);
    CHECK(error_code_of(failed) == "storage_unavailable");
  }
  SECTION("a failure after the caller was authenticated") {
    api.store.fail_next(store_failure::unavailable, 1);  // the token answers, the start fails
    CHECK(error_code_of(start(api, token)) == "storage_unavailable");
    api.store.fail_next(store_failure::overloaded);
    // The code was never stored, so nothing was sent.
    const auto refused =
        call(api, request_to("POST", "/api/v1/auth/code").body(R"({"phone":"13700137000"})"));
    CHECK(error_code_of(refused) == "overloaded");
    CHECK_FALSE(api.sender.last_code.contains("13700137000"));
  }
}

TEST_CASE("review only on a closed attempt, and history lists it", "[handlers][personal]") {
  fake_api api(june(10));
  const std::string token = sign_in_with_profile(api, "13800138000");
  auto attempt = json_of(start(api, token));
  const std::int64_t id = attempt.at("id").as_int64();
  const std::string path = "/api/v1/attempts/" + std::to_string(id);
  CHECK(
      json_of(call(api, request_to("GET", path).token(token))).as_object().if_contains("review") ==
      nullptr);
  REQUIRE(answer(api, token, id, 0, correct_key(attempt)).status == 200);
  CHECK(
      json_of(call(api, request_to("GET", path).token(token))).as_object().if_contains("review") ==
      nullptr);
  REQUIRE(call(api, request_to("POST", path + "/finish").token(token)).status == 200);
  const auto closed = json_of(call(api, request_to("GET", path).token(token)));
  const auto& review = closed.at("review").as_array();
  REQUIRE(review.size() == 15);
  CHECK(review[0].at("correct").as_bool());
  CHECK_FALSE(review[1].at("correct").as_bool());  // unanswered: wrong, with its key shown
  CHECK(review[1].at("choice").as_array().empty());
  CHECK_FALSE(review[1].at("correct_choice").as_array().empty());

  const auto history = json_of(call(api, request_to("GET", "/api/v1/me/attempts").token(token)));
  REQUIRE(history.at("items").as_array().size() == 1);
  CHECK(history.at("items").at(0).at("id").as_int64() == id);
  CHECK(history.at("items").at(0).at("correct").as_int64() == 1);
}

TEST_CASE("practice counts in no statistic and keeps today's challenge", "[handlers][personal]") {
  fake_api api(june(10));
  const std::string token = sign_in_with_profile(api, "13800138000");
  const auto started = call(api, request_to("POST", "/api/v1/practice").token(token));
  REQUIRE(started.status == 201);
  auto attempt = json_of(started);
  CHECK(attempt.at("kind").as_string() == "practice");
  const std::int64_t id = attempt.at("id").as_int64();
  while (!attempt.at("current").is_null()) {
    const int index = static_cast<int>(attempt.at("current").at("index").as_int64());
    const auto answered = answer(api, token, id, index, correct_key(attempt));
    REQUIRE(answered.status == 200);
    attempt = json_of(answered).at("attempt");
  }
  CHECK(attempt.at("result").at("points").as_int64() == 0);
  CHECK(attempt.at("result").at("draws_earned").as_int64() == 0);
  CHECK(api.counters.attempts_started.load() == 0);
  CHECK(api.counters.attempts_finished.load() == 0);
  CHECK(api.counters.practices_started.load() == 1);
  const auto me = json_of(call(api, request_to("GET", "/api/v1/me").token(token)));
  CHECK(me.at("today").at("status").as_string() == "none");
  CHECK(me.at("draws_available").as_int64() == 0);
  CHECK(start(api, token).status == 201);
  CHECK(
      error_code_of(call(
          api, request_to("POST", "/api/v1/practice").body(R"({"mistakes":true})").token(token))) ==
      "no_mistakes");
}
