// Integration tests: the real anquanli-server binary on a free loopback port, driven over HTTP as
// a phone would drive it.
#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/metric_reader.hpp"
#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

std::string error_code(const http_response& response) {
  return std::string{response.json().at("error").at("code").as_string()};
}

std::string attempt_path(std::int64_t id, const std::string& rest = "") {
  return "/api/v1/attempts/" + std::to_string(id) + rest;
}

std::int64_t start_attempt(http_client& client, const std::string& token) {
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(started.status == 201);
  return started.json().at("id").as_int64();
}

// Answers question `index` right or wrong, as asked.
http_response answer(server_fixture& server, http_client& client, const std::string& token,
                     std::int64_t attempt, int index, bool right) {
  json::array keys = server.correct_keys(attempt, index);
  if (!right) {
    const std::string first{keys.at(0).as_string()};
    keys = json::array{first == "A" ? "B" : "A"};
  }
  return client.post(attempt_path(attempt, "/answers"),
                     json::object{{"index", index}, {"choice", keys}}, token);
}

}  // namespace

TEST_CASE("a whole challenge: feedback - points and draws", "[server]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13800138000");

  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(started.status == 201);
  const auto view = started.json();
  const std::int64_t attempt = view.at("id").as_int64();
  CHECK(view.at("questions_total").as_int64() == 15);
  CHECK(view.at("status").as_string() == "in_progress");
  CHECK(view.at("current").at("index").as_int64() == 0);
  CHECK(view.at("current").at("question").as_object().if_contains("answer") == nullptr);

  // 14 right and 1 wrong: 2 draws, 1 + 14 points.
  for (int index = 0; index < 15; ++index) {
    const auto response = answer(server, client, token, attempt, index, index != 7);
    REQUIRE(response.status == 200);
    const auto body = response.json();
    CHECK(body.at("correct").as_bool() == (index != 7));
    CHECK_FALSE(body.at("explanation").as_string().empty());
    CHECK_FALSE(body.at("correct_choice").as_array().empty());
  }
  const auto finished = client.get(attempt_path(attempt), token).json();
  CHECK(finished.at("status").as_string() == "finished");
  CHECK(finished.at("result").at("correct").as_int64() == 14);
  CHECK(finished.at("result").at("points").as_int64() == 15);
  CHECK(finished.at("result").at("draws_earned").as_int64() == 2);
  CHECK(finished.at("current").is_null());

  const auto me = client.get("/api/v1/me", token).json();
  CHECK(me.at("phone_masked").as_string() == "138****8000");
  CHECK(me.at("today").at("status").as_string() == "finished");
  CHECK(me.at("draws_available").as_int64() == 2);
  CHECK(me.at("totals").at("points").as_int64() == 15);

  CHECK(client.post("/api/v1/draws", json::object{}, token).json().at("draws_available") == 1);
  CHECK(client.post("/api/v1/draws", json::object{}, token).json().at("draws_available") == 0);
  const auto none = client.post("/api/v1/draws", json::object{}, token);
  CHECK(none.status == 409);
  CHECK(error_code(none) == "no_draws_available");
  CHECK(client.get("/api/v1/draws", token).json().at("items").as_array().size() == 2);

  // One challenge a day; the body names today's attempt.
  const auto again = client.post("/api/v1/attempts", json::object{}, token);
  CHECK(again.status == 409);
  CHECK(error_code(again) == "already_attempted_today");
  CHECK(again.json().at("attempt_id").as_int64() == attempt);
}

TEST_CASE("anquanli-admin prints an attempt's paper as shown, with its keys", "[server]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13800138001");
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(started.status == 201);
  const std::int64_t attempt = started.json().at("id").as_int64();
  const json::object shown = started.json().at("current").at("question").as_object();

  const auto [status, output] = server.admin("attempts paper " + std::to_string(attempt));
  REQUIRE(status == 0);
  const json::array paper = json::parse(output).as_array();
  REQUIRE(paper.size() == 15);
  const json::object& first = paper.at(0).as_object();
  CHECK(first.at("stem") == shown.at("stem"));
  CHECK(first.at("options") == shown.at("options"));
  const auto right =
      client.post(attempt_path(attempt, "/answers"),
                  json::object{{"index", 0}, {"choice", first.at("correct_keys")}}, token);
  REQUIRE(right.status == 200);
  CHECK(right.json().at("correct").as_bool());
  CHECK(right.json().at("explanation") == first.at("explanation"));

  CHECK(server.admin("attempts paper 999999").first == 1);
}

TEST_CASE("the next China day allows a new challenge - and a restart keeps every answer",
          "[server]") {
  server_fixture server({"2021-06-16T23:59:00+08:00", "", ""});
  auto client = server.client();
  const std::string token = server.participant(client, "13900139000");
  const std::int64_t attempt = start_attempt(client, token);
  for (int index = 0; index < 5; ++index) {
    REQUIRE(answer(server, client, token, attempt, index, true).status == 200);
  }
  server.crash();  // SIGKILL: only what was acknowledged may be relied on
  server.start("2021-06-17T00:00:05+08:00");
  client = server.client();
  const auto resumed = client.get(attempt_path(attempt), token).json();
  CHECK(resumed.at("answered").as_int64() == 5);
  CHECK(resumed.at("correct").as_int64() == 5);
  CHECK(resumed.at("day").as_string() == "2021-06-16");
  const auto next_day = client.post("/api/v1/attempts", json::object{}, token);
  CHECK(next_day.status == 201);
  CHECK(next_day.json().at("day").as_string() == "2021-06-17");
  CHECK(server.stop() == 0);
}

TEST_CASE("each error code of the API", "[server]") {
  server_fixture server;
  auto client = server.client();

  SECTION("sign-in") {
    CHECK(error_code(client.post("/api/v1/auth/code", json::object{{"phone", "12345"}})) ==
          "invalid_phone");
    CHECK(client.post("/api/v1/auth/code", json::object{{"phone", "13700137000"}}).status == 202);
    const auto soon = client.post("/api/v1/auth/code", json::object{{"phone", "13700137000"}});
    CHECK(soon.status == 429);
    CHECK_FALSE(soon.header("retry-after").empty());
    const auto wrong = client.post("/api/v1/auth/login",
                                   json::object{{"phone", "13700137000"}, {"code", "000000"}});
    CHECK(wrong.status == 401);
    CHECK(error_code(wrong) == "invalid_code");
    for (int i = 0; i < 4; ++i) {
      client.post("/api/v1/auth/login", json::object{{"phone", "13700137000"}, {"code", "000000"}});
    }
    const auto locked = client.post(
        "/api/v1/auth/login",
        json::object{{"phone", "13700137000"}, {"code", server.last_code("13700137000")}});
    CHECK(locked.status == 429);
    // A locked phone is sent no new code.
    CHECK(client.post("/api/v1/auth/code", json::object{{"phone", "13700137000"}}).status == 429);
  }
  SECTION("tokens") {
    CHECK(error_code(client.get("/api/v1/me")) == "unauthorized");
    CHECK(client.get("/api/v1/me", "not-a-token").status == 401);
    CHECK(client.post("/api/v1/attempts", json::object{}, "x").status == 401);
  }
  SECTION("profile") {
    const std::string token = server.sign_in(client, "13600136000");
    CHECK(error_code(client.post("/api/v1/attempts", json::object{}, token)) ==
          "profile_incomplete");
    CHECK(error_code(client.put("/api/v1/me", json::object{{"name", ""}, {"region", "640104"}},
                                token)) == "invalid_name");
    CHECK(error_code(client.put("/api/v1/me", json::object{{"name", "张三"}, {"region", "640100"}},
                                token)) == "invalid_region");  // a city, not a county
    CHECK(error_code(client.put(
              "/api/v1/me",
              json::object{{"name", "张三"}, {"region", "640104"}, {"unit_id", "U9999"}}, token)) ==
          "invalid_unit");
    const auto other_unit = client.get("/api/v1/units?region=640500&limit=1").json();
    CHECK(error_code(client.put("/api/v1/me",
                                json::object{{"name", "张三"},
                                             {"region", "640104"},
                                             {"unit_id", other_unit.at("items").at(0).at("id")}},
                                token)) == "invalid_unit");
    const auto public_member =
        client.put("/api/v1/me", json::object{{"name", "张三"}, {"region", "640104"}}, token);
    CHECK(public_member.status == 200);
    CHECK(public_member.json().at("unit").is_null());
    start_attempt(client, token);
    CHECK(error_code(client.put("/api/v1/me", json::object{{"name", "李四"}, {"region", "640104"}},
                                token)) == "profile_locked");
  }
  SECTION("answers") {
    const std::string token = server.participant(client, "13500135000");
    const std::int64_t attempt = start_attempt(client, token);
    const auto skipped = answer(server, client, token, attempt, 3, true);
    CHECK(skipped.status == 409);
    CHECK(error_code(skipped) == "out_of_order");
    CHECK(error_code(client.post(attempt_path(attempt, "/answers"),
                                 json::object{{"index", 0}, {"choice", json::array{"Z"}}},
                                 token)) == "invalid_choice");
    CHECK(client.post(attempt_path(attempt, "/answers"), json::object{{"index", "0"}}, token)
              .status == 400);
    const auto first = answer(server, client, token, attempt, 0, true);
    REQUIRE(first.status == 200);
    const auto changed = answer(server, client, token, attempt, 0, false);
    CHECK(changed.status == 409);
    CHECK(error_code(changed) == "already_answered");
    const std::string stranger = server.participant(client, "13400134000");
    CHECK(error_code(client.get(attempt_path(attempt), stranger)) == "not_found");
    CHECK(answer(server, client, stranger, attempt, 1, true).status == 404);
    CHECK(client.get(attempt_path(987654), token).status == 404);
    const auto finished = client.post(attempt_path(attempt, "/finish"), json::object{}, token);
    CHECK(finished.json().at("status").as_string() == "finished");
    CHECK(finished.json().at("result").at("correct").as_int64() == 1);
    CHECK(client.post(attempt_path(attempt, "/finish"), json::object{}, token).json() ==
          finished.json());
    CHECK(error_code(answer(server, client, token, attempt, 1, true)) == "attempt_finished");
  }
  SECTION("malformed requests") {
    CHECK(error_code(client.request("POST", "/api/v1/auth/code", std::string{"{not json"})) ==
          "invalid_json");
    CHECK(error_code(client.request("POST", "/api/v1/auth/code", std::string{"[1,2]"})) ==
          "invalid_json");
    CHECK(client.get("/api/v1/nothing-here").status == 404);
    const auto wrong_method = client.request("DELETE", "/api/v1/me");
    CHECK(wrong_method.status == 405);
    CHECK(wrong_method.header("allow") == "GET, PUT");
    CHECK(error_code(client.get("/api/v1/units?limit=1000000")) == "invalid_limit");
    const auto huge = client.request("POST", "/api/v1/auth/code", std::string(16 * 1024 + 1, 'x'));
    CHECK(huge.status == 413);
    const auto big_header = http_client::send_raw(
        server.port(),
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    CHECK(big_header.status == 431);
    CHECK(http_client::send_raw(server.port(), "NONSENSE\r\n\r\n").status == 400);
    const auto head = client.request("HEAD", "/healthz");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(client.get("/healthz").body == "ok\n");  // the connection's framing survived the HEAD
  }
}

TEST_CASE("the competition window closes the challenge", "[server]") {
  server_fixture server({"2021-07-01T08:00:00+08:00", "", ""});
  auto client = server.client();
  const std::string token = server.participant(client, "13300133000");
  const auto closed = client.post("/api/v1/attempts", json::object{}, token);
  CHECK(closed.status == 403);
  CHECK(error_code(closed) == "competition_closed");
  CHECK(client.get("/api/v1/competition").json().at("open").as_bool() == false);
}

TEST_CASE("an attempt that runs out of time is finalized without its participant", "[server]") {
  server_fixture server({"2021-06-16T09:00:00+08:00", "attempt_time_limit_s = 1", ""});
  auto client = server.client();
  const std::string token = server.participant(client, "13200132000");
  const std::int64_t attempt = start_attempt(client, token);
  REQUIRE(answer(server, client, token, attempt, 0, true).status == 200);
  // The sweeper (every 200 ms here) expires it once its second has run out.
  REQUIRE(
      wait_until([&] { return read_metric(client, "anquanli_attempts_expired_total") >= 1.0; }));
  const auto me = client.get("/api/v1/me", token).json();
  CHECK(me.at("today").at("status").as_string() == "expired");
  CHECK(me.at("totals").at("points").as_int64() == 2);
}

TEST_CASE("concurrency: one attempt from 100 starts - one answer from 50 retries", "[server]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13100131000");

  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::set<std::int64_t> ids;
  std::mutex ids_mutex;
  std::vector<std::thread> starters;
  for (int i = 0; i < 100; ++i) {
    starters.emplace_back([&] {
      auto own = server.client();
      const auto response = own.post("/api/v1/attempts", json::object{}, token);
      const auto body = response.json();
      const std::lock_guard lock(ids_mutex);
      if (response.status == 201) {
        ++created;
        ids.insert(body.at("id").as_int64());
      } else if (response.status == 409) {
        ++refused;
        ids.insert(body.at("attempt_id").as_int64());
      }
    });
  }
  for (auto& thread : starters) {
    thread.join();
  }
  CHECK(created == 1);
  CHECK(refused == 99);
  REQUIRE(ids.size() == 1);
  const std::int64_t attempt = *ids.begin();

  const json::array keys = server.correct_keys(attempt, 0);
  std::vector<std::string> bodies(50);
  std::vector<unsigned> statuses(50);
  std::vector<std::thread> answerers;
  for (std::size_t i = 0; i < 50; ++i) {
    answerers.emplace_back([&, i] {
      auto own = server.client();
      const auto response = own.post(attempt_path(attempt, "/answers"),
                                     json::object{{"index", 0}, {"choice", keys}}, token);
      statuses[i] = response.status;
      bodies[i] = response.body;
    });
  }
  for (auto& thread : answerers) {
    thread.join();
  }
  for (std::size_t i = 0; i < 50; ++i) {
    CHECK(statuses[i] == 200);
    CHECK(bodies[i] == bodies[0]);
  }
  CHECK(client.get(attempt_path(attempt), token).json().at("answered").as_int64() == 1);
}

namespace {

struct draw_tally {
  int prizes = 0;
  int empty = 0;
  int other = 0;
  int refused_after = 0;
};

// 20 participants with 50 draws each draw them all at once (1,000 draws), while `meanwhile` runs
// on this thread; then each tries once more.
draw_tally race_for_prizes(server_fixture& server, const std::function<void()>& meanwhile) {
  auto client = server.client();
  std::vector<std::string> tokens;
  for (int i = 0; i < 20; ++i) {
    tokens.push_back(server.participant(client, "1580000" + std::to_string(1000 + i)));
  }
  server.execute_sql("UPDATE participants SET draws_earned = 50");
  std::mutex mutex;
  draw_tally tally;
  std::vector<std::thread> drawers;
  for (const auto& token : tokens) {
    drawers.emplace_back([&, token] {
      // Catch's assertions are not thread-safe: count here, check after the join.
      draw_tally mine;
      auto own = server.client();
      for (int draw = 0; draw < 50; ++draw) {
        const auto response = own.post("/api/v1/draws", json::object{}, token);
        if (response.status != 200) {
          ++mine.other;
        } else if (response.json().at("prize").is_null()) {
          ++mine.empty;
        } else {
          ++mine.prizes;
        }
      }
      mine.refused_after = own.post("/api/v1/draws", json::object{}, token).status == 409 ? 1 : 0;
      const std::lock_guard lock(mutex);
      tally.prizes += mine.prizes;
      tally.empty += mine.empty;
      tally.other += mine.other;
      tally.refused_after += mine.refused_after;
    });
  }
  meanwhile();
  for (auto& thread : drawers) {
    thread.join();
  }
  return tally;
}

const std::string ten_sure_prizes =
    "[[prizes]]\nid = \"P1\"\nname = \"安全应急包\"\ntotal = 10\nprobability = 1.0\n";

void check_exactly_ten(const server_fixture& server, const draw_tally& tally) {
  CHECK(tally.prizes == 10);
  CHECK(tally.empty == 990);
  CHECK(tally.other == 0);
  CHECK(tally.refused_after == 20);
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto remaining = database.prepare("SELECT remaining FROM prizes WHERE id = 'P1'");
  REQUIRE(remaining.step() == step_result::row);
  CHECK(remaining.column_int64(0) == 0);
}

}  // namespace

TEST_CASE("1000 concurrent draws against 10 prizes award exactly 10", "[server]") {
  server_fixture server({"2021-06-16T09:00:00+08:00", "", ten_sure_prizes});
  check_exactly_ten(server, race_for_prizes(server, [] {}));
}

TEST_CASE("1000 concurrent draws against 10 prizes with Redis restarted award exactly 10",
          "[server]") {
  redis_process redis;
  fixture_options options{"2021-06-16T09:00:00+08:00", "", ten_sure_prizes};
  options.redis_port = redis.port();
  server_fixture server(options);
  const auto tally = race_for_prizes(server, [&] {
    // Redis goes away once the race is on, and comes back once the server has noticed. (CHECK,
    // not REQUIRE: the drawing threads are still to be joined.)
    auto watcher = server.client();
    CHECK(wait_until([&] { return read_metric(watcher, "anquanli_draws_total") >= 1.0; }));
    redis.stop();
    CHECK(wait_until(
        [&] { return watcher.get("/readyz").body.find("redis: down") != std::string::npos; }));
    redis.start();
  });
  check_exactly_ten(server, tally);
}
