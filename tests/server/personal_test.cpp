// The participant's own layer (issue 16) against the real binary: history and review, the 错题本,
// 练功房 practice that changes nothing it must not, personal rankings from a real Redis, prizes
// and winners in the open with masked names and phones, prize claims and the office marking them
// sent, and draws that `anquanli-admin draws verify` recomputes from the day's seed (and catches
// when a row was tampered with).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"
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

// Answers question `index` of `attempt` right or wrong, as asked.
http_response answer(server_fixture& server, http_client& client, const std::string& token,
                     std::int64_t attempt, int index, bool right) {
  json::array keys = server.correct_keys(attempt, index);
  if (!right) {
    keys = json::array{keys.at(0).as_string() == "A" ? "B" : "A"};
  }
  return client.post(attempt_path(attempt, "/answers"),
                     json::object{{"index", index}, {"choice", keys}}, token);
}

std::int64_t count_rows(const server_fixture& server, const std::string& sql) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare(sql);
  REQUIRE(statement.step() == step_result::row);
  return statement.column_int64(0);
}

std::string office_token(server_fixture& server, http_client& client) {
  const std::string password = "Province-Office-2021";
  REQUIRE(server.admin("admins add --username province --region 640000", password + "\n").first ==
          0);
  const auto login = client.post("/api/v1/admin/login",
                                 json::object{{"username", "province"}, {"password", password}});
  REQUIRE(login.status == 200);
  return std::string{login.json().at("token").as_string()};
}

}  // namespace

TEST_CASE("history, review and the mistakes book", "[personal]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13800138101");
  CHECK(client.get("/api/v1/me/attempts").status == 401);
  CHECK(client.get("/api/v1/me/attempts", token).json().at("items").as_array().empty());

  // An attempt in progress carries no review and no key of a question not yet answered.
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(started.status == 201);
  CHECK(started.json().at("kind") == "challenge");
  const std::int64_t attempt = started.json().at("id").as_int64();
  for (int index = 0; index < 15; ++index) {
    const auto open = client.get(attempt_path(attempt), token);
    REQUIRE(open.status == 200);
    CHECK(open.json().as_object().if_contains("review") == nullptr);
    CHECK(open.body.find("correct_choice") == std::string::npos);
    REQUIRE(answer(server, client, token, attempt, index, index % 3 != 0).status == 200);
  }
  const auto closed = client.get(attempt_path(attempt), token).json();
  REQUIRE(closed.at("status") == "finished");
  const auto& review = closed.at("review").as_array();
  REQUIRE(review.size() == 15);
  for (std::size_t i = 0; i < review.size(); ++i) {
    const auto& item = review[i].as_object();
    CHECK(item.at("position") == i);
    CHECK(item.at("correct").as_bool() == (i % 3 != 0));
    CHECK(item.at("correct_choice") ==
          json::value(server.correct_keys(attempt, static_cast<int>(i))));
    CHECK_FALSE(item.at("stem").as_string().empty());
    CHECK_FALSE(item.at("explanation").as_string().empty());
    CHECK(item.at("options").as_array().size() >= 2);
  }
  // Another participant sees neither the attempt nor its review.
  const std::string other = server.participant(client, "13800138102");
  CHECK(client.get(attempt_path(attempt), other).status == 404);

  const auto history = client.get("/api/v1/me/attempts", token).json().at("items").as_array();
  REQUIRE(history.size() == 1);
  CHECK(history[0].at("id") == attempt);
  CHECK(history[0].at("day") == "2021-06-16");
  CHECK(history[0].at("status") == "finished");
  CHECK(history[0].at("correct") == 10);
  CHECK(history[0].at("points") == closed.at("result").at("points"));
  CHECK(history[0].at("draws_earned") == 2);
  CHECK(error_code(client.get("/api/v1/me/attempts?kind=exam", token)) == "invalid_request");

  const auto mistakes_reply = client.get("/api/v1/me/mistakes", token);
  INFO(mistakes_reply.body);
  const auto mistakes = mistakes_reply.json().at("items").as_array();
  REQUIRE(mistakes.size() == 5);
  for (const auto& item : mistakes) {
    CHECK(item.at("times_wrong") == 1);
    CHECK_FALSE(item.at("correct_choice").as_array().empty());
    CHECK_FALSE(item.at("source").as_string().empty());
  }
  CHECK(client.get("/api/v1/me/mistakes", other).json().at("items").as_array().empty());
  CHECK(client.get("/api/v1/me/mistakes").status == 401);
}

TEST_CASE("practice changes no points, draws, boards or the one challenge a day", "[personal]") {
  fixture_options options;
  options.prizes += "[practice]\nquestions = 10\nper_day = 2\n";
  server_fixture server(options);
  auto client = server.client();
  const std::string token = server.participant(client, "13800138201");
  const auto before = client.get("/api/v1/me", token).json();
  const auto ledger = count_rows(server, "SELECT COUNT(*) FROM points_ledger");
  const auto outbox = count_rows(server, "SELECT COUNT(*) FROM outbox");

  CHECK(error_code(client.post("/api/v1/practice", json::object{{"mistakes", true}}, token)) ==
        "no_mistakes");
  CHECK(error_code(client.post("/api/v1/practice", json::object{{"category", "烹饪"}}, token)) ==
        "invalid_category");
  CHECK(error_code(client.post("/api/v1/practice", json::object{{"mistakes", "yes"}}, token)) ==
        "invalid_request");
  const auto started = client.post("/api/v1/practice", json::object{}, token);
  REQUIRE(started.status == 201);
  CHECK(started.json().at("kind") == "practice");
  CHECK(started.json().at("questions_total") == 10);
  const std::int64_t practice = started.json().at("id").as_int64();
  json::value last;
  for (int index = 0; index < 10; ++index) {
    const auto answered = answer(server, client, token, practice, index, index != 4);
    REQUIRE(answered.status == 200);
    CHECK(answered.json().at("correct").as_bool() == (index != 4));  // instant feedback
    last = answered.json().at("attempt");
  }
  CHECK(last.at("status") == "finished");
  CHECK(last.at("result").at("correct") == 9);
  CHECK(last.at("result").at("points") == 0);
  CHECK(last.at("result").at("draws_earned") == 0);

  // Nothing counted: totals, draws, ledger, outbox; the profile can still change and today's
  // challenge is still there to take.
  const auto after = client.get("/api/v1/me", token).json();
  CHECK(after.at("totals") == before.at("totals"));
  CHECK(after.at("draws_available") == before.at("draws_available"));
  CHECK(after.at("today").at("status") == "none");
  CHECK(count_rows(server, "SELECT COUNT(*) FROM points_ledger") == ledger);
  CHECK(count_rows(server, "SELECT COUNT(*) FROM outbox") == outbox);
  CHECK(client.get("/api/v1/me/attempts", token).json().at("items").as_array().empty());
  CHECK(
      client.get("/api/v1/me/attempts?kind=practice", token).json().at("items").as_array().size() ==
      1);
  // The 错题本 holds the one question practice got wrong.
  CHECK(client.get("/api/v1/me/mistakes", token).json().at("items").as_array().size() == 1);
  CHECK(client.put("/api/v1/me", json::object{{"name", "改名者"}, {"region", "640105"}}, token)
            .status == 200);
  CHECK(client.post("/api/v1/attempts", json::object{}, token).status == 201);

  // per_day = 2: the second practice starts, the third is refused.
  CHECK(client.post("/api/v1/practice", json::object{}, token).status == 201);
  const auto third = client.post("/api/v1/practice", json::object{}, token);
  CHECK(third.status == 409);
  CHECK(error_code(third) == "practice_limit_reached");
  CHECK(client.post("/api/v1/practice", json::object{}).status == 401);
}

TEST_CASE("personal rankings from Redis: masked names, ties, the participant's ranks",
          "[personal][leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  const std::vector<std::pair<std::string, int>> players{
      {"13811120001", 15}, {"13811120002", 10}, {"13811120003", 10}, {"13811120004", 0}};
  std::vector<std::string> tokens;
  for (const auto& [phone, correct] : players) {
    tokens.push_back(server.participant(client, phone));
    server.take_challenge(client, tokens.back(), correct);
  }
  const std::string elsewhere = server.participant_in(client, "13811120005", "640105", "");
  server.take_challenge(client, elsewhere, 12);

  json::value page;
  const bool from_redis = wait_until(
      [&] {
        page = client.get("/api/v1/leaderboards/participants?region=640104").json();
        const auto all = client.get("/api/v1/leaderboards/participants").json();
        return page.at("source") == "redis" && page.at("total") == 4 && all.at("total") == 5;
      },
      std::chrono::seconds{60}, std::chrono::milliseconds{50});
  REQUIRE(from_redis);
  const auto& items = page.at("items").as_array();
  REQUIRE(items.size() == 4);
  CHECK(items[0].at("rank") == 1);
  CHECK(items[0].at("points").as_int64() > items[1].at("points").as_int64());
  CHECK(items[1].at("points") == items[2].at("points"));
  CHECK(items[1].at("rank") == 2);
  CHECK(items[2].at("rank") == 2);  // a tie shares its rank
  CHECK(items[3].at("rank") == 4);
  for (const auto& item : items) {
    CHECK(item.at("name") == "测*");
    CHECK(item.as_object().size() == 4);  // rank, name, unit_name, points: no phone, no id
  }
  CHECK(client.get("/api/v1/leaderboards/participants").body.find("1381112") == std::string::npos);
  const auto province = client.get("/api/v1/leaderboards/participants?limit=2&offset=1").json();
  CHECK(province.at("total") == 5);
  CHECK(province.at("items").as_array().size() == 2);
  CHECK(error_code(client.get("/api/v1/leaderboards/participants?region=999999")) ==
        "invalid_region");
  CHECK(error_code(client.get("/api/v1/leaderboards/participants?limit=0")) == "invalid_limit");
  CHECK(error_code(client.get("/api/v1/leaderboards/participants?day=2020-01-01")) ==
        "invalid_day");

  // `leaderboards verify` compares the personal boards too; a lost key is found, and rebuilt.
  const std::string leaderboards = "leaderboards --config '" + server.config_file().string() + "' ";
  const bool verified = wait_until([&] { return server.admin(leaderboards + "verify").first == 0; },
                                   std::chrono::seconds{60}, std::chrono::milliseconds{100});
  CHECK(verified);
  const std::string redis_cli = "redis-cli -p " + std::to_string(redis.port()) + " ";
  REQUIRE(std::system((redis_cli + "--scan --pattern 'pb:*:r:640104:all' | xargs " + redis_cli +
                       "DEL > /dev/null")
                          .c_str()) == 0);
  const auto [differs, report] = server.admin(leaderboards + "verify");
  CHECK(differs == 1);
  CHECK(report.find("personal: ") != std::string::npos);
  CHECK(server.admin(leaderboards + "rebuild").first == 0);
  CHECK(server.admin(leaderboards + "verify").first == 0);

  // /me ranks: province, city, county, each with its rank and how many are ranked there.
  const auto ranks = client.get("/api/v1/me", tokens[0]).json().at("ranks").as_array();
  REQUIRE(ranks.size() == 3);
  CHECK(ranks[0].at("region_code") == "640000");
  CHECK(ranks[0].at("rank") == 1);
  CHECK(ranks[0].at("of") == 5);
  CHECK(ranks[2].at("region_code") == "640104");
  CHECK(ranks[2].at("of") == 4);
  const auto last = client.get("/api/v1/me", tokens[3]).json().at("ranks").as_array();
  CHECK(last.at(2).at("rank") == 4);
}

TEST_CASE("prizes and winners in the open, claims, and draws verified from the seed",
          "[personal][draws]") {
  fixture_options options;
  options.prizes = R"([[prizes]]
id = "P1"
name = "安全应急包"
total = 3
daily_cap = 2
probability = 1.0
)";
  server_fixture server(options);
  auto client = server.client();
  const std::string phone = "13800138301";
  const std::string token = server.participant(client, phone);
  server.take_challenge(client, token, 15);  // three draws
  const auto commitments = client.get("/api/v1/draws/commitments").json().at("items").as_array();
  REQUIRE_FALSE(commitments.empty());
  json::value today;
  for (const auto& item : commitments) {
    CHECK(item.at("commitment").as_string().size() == 64);
    // The seeds of the days already over are out; today's and later ones are not.
    CHECK(item.at("seed").is_null() == (item.at("day").as_string() >= "2021-06-16"));
    if (item.at("day") == "2021-06-16") {
      today = item;
    }
  }
  REQUIRE(today.is_object());

  std::vector<std::int64_t> won;
  for (int i = 0; i < 3; ++i) {
    const auto drawn = client.post("/api/v1/draws", json::object{}, token);
    REQUIRE(drawn.status == 200);
    const auto body = drawn.json();
    CHECK(body.at("proof").at("commitment") == today.at("commitment"));
    CHECK(body.at("proof").at("hmac").as_string().size() == 64);
    if (!body.at("prize").is_null()) {
      won.push_back(body.at("draw_id").as_int64());
    }
  }
  CHECK(won.size() == 2);  // the daily cap, although the probability is 1

  const auto prizes = client.get("/api/v1/prizes").json().at("items").as_array();
  REQUIRE(prizes.size() == 1);
  CHECK(prizes[0].at("remaining") == 1);
  CHECK(prizes[0].at("remaining_today") == 0);

  const auto winners = client.get("/api/v1/winners?day=2021-06-16");
  REQUIRE(winners.status == 200);
  CHECK(winners.body.find(phone) == std::string::npos);
  CHECK(winners.body.find("测试者") == std::string::npos);
  const auto shown = winners.json().at("items").as_array();
  REQUIRE(shown.size() == 2);
  CHECK(shown[0].at("phone") == "138****8301");
  CHECK(shown[0].at("name") == "测*");
  CHECK(error_code(client.get("/api/v1/winners?day=2021-07-09")) == "invalid_day");

  // The claim: checked fields, only the winner's own won draw, then the office marks it sent.
  const std::string claim = "/api/v1/draws/" + std::to_string(won[0]) + "/claim";
  const json::object details{{"recipient", "王五"},
                             {"phone", "13912345678"},
                             {"address", "宁夏银川市兴庆区解放西街 1 号"}};
  auto bad = details;
  bad["phone"] = "12345";
  CHECK(error_code(client.put(claim, bad, token)) == "invalid_phone");
  bad = details;
  bad["address"] = "";
  CHECK(error_code(client.put(claim, bad, token)) == "invalid_address");
  const std::string stranger = server.participant(client, "13800138302");
  CHECK(client.put(claim, details, stranger).status == 404);
  CHECK(client.put(claim, details).status == 401);
  const auto claimed = client.put(claim, details, token);
  REQUIRE(claimed.status == 200);
  CHECK(claimed.json().at("claim").at("sent_at").is_null());
  const std::string office = office_token(server, client);
  const std::string sent = "/api/v1/admin/draws/" + std::to_string(won[0]) + "/sent";
  CHECK(client.post("/api/v1/admin/draws/999999/sent", json::object{}, office).status == 404);
  CHECK(client.post(sent, json::object{}, token).status == 403);
  REQUIRE(client.post(sent, json::object{}, office).status == 200);
  CHECK(error_code(client.put(claim, details, token)) == "prize_already_sent");
  const auto exported = client.get("/api/v1/admin/winners", office).json().at("items").as_array();
  bool delivered = false;
  for (const auto& row : exported) {
    if (row.at("draw_id") == won[0]) {
      delivered = row.at("delivery").at("address") == details.at("address") &&
                  !row.at("delivery").at("sent_at").is_null();
    }
  }
  CHECK(delivered);

  // The stored seed recomputes every draw of the day.
  auto [status, output] = server.admin("draws verify --day 2021-06-16");
  INFO(output);
  CHECK(status == 0);
  CHECK(output.find("3 draw(s) recomputed, 0 mismatch(es)") != std::string::npos);

  // The next day the seed is published; it matches the commitment and verifies the draws.
  server.stop();
  server.start("2021-06-17T09:00:00+08:00");
  auto next_client = server.client();
  std::string seed;
  const auto published = next_client.get("/api/v1/draws/commitments").json();
  for (const auto& item : published.at("items").as_array()) {
    if (item.at("day") == "2021-06-16") {
      seed = std::string{item.at("seed").as_string()};
    } else if (item.at("day").as_string() >= "2021-06-17") {
      CHECK(item.at("seed").is_null());
    }
  }
  REQUIRE(seed.size() == 64);
  std::tie(status, output) = server.admin("draws verify --day 2021-06-16 --seed " + seed);
  INFO(output);
  CHECK(status == 0);
  std::string wrong_seed = seed;
  wrong_seed[0] = wrong_seed[0] == '0' ? '1' : '0';
  CHECK(server.admin("draws verify --day 2021-06-16 --seed " + wrong_seed).first == 1);

  // One tampered row: the losing third draw recorded as a win.
  server.stop();
  server.execute_sql(
      "UPDATE draws SET prize_id = 'P1' WHERE id = (SELECT MAX(id) FROM draws WHERE day = "
      "'2021-06-16')");
  std::tie(status, output) = server.admin("draws verify --day 2021-06-16");
  CHECK(status == 1);
  CHECK(output.find("1 mismatch(es)") != std::string::npos);
  CHECK(server.admin("draws verify --day 16.06.2021").first == 2);
}
