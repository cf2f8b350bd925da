// Leaderboards against a real redis-server and the real server binary: Redis agrees with the
// SQLite truth (ranks, ties, pages, neighbours, the two populations and the capped participation
// rate), replays count once, an earlier release's sets are rebuilt, and Redis going away, losing
// its data or hanging costs participants nothing and is repaired from SQLite. The fault tests run
// real participants (participant_load) while Redis is shut down or frozen.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "server/durable/sqlite_durable_store.hpp"
#include "server/redis/redis_leaderboard.hpp"
#include "server/store/secrets.hpp"
#include "tests/server/participant_load.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

void take_challenge(server_fixture& server, http_client& client, const std::string& token,
                    int correct) {
  server.take_challenge(client, token, correct);
}

// Points per unit straight from the ledger: the truth the leaderboards must show.
std::map<std::string, std::int64_t> ledger_points(const server_fixture& server) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare(
      "SELECT unit_id, SUM(points) FROM points_ledger WHERE unit_id IS NOT NULL GROUP BY unit_id");
  std::map<std::string, std::int64_t> points;
  while (statement.step() == step_result::row) {
    points[statement.column_text(0)] = statement.column_int64(1);
  }
  return points;
}

// The relay may need a while to catch up after an outage, on a sanitizer build longer still.
constexpr std::chrono::milliseconds verify_deadline{60'000};

// Polls until `leaderboards verify` finds no difference (the relay has caught up).
bool wait_until_verified(const server_fixture& server) {
  std::string last;
  const bool verified = wait_until(
      [&] {
        auto [status, output] =
            server.admin("leaderboards --config '" + server.config_file().string() + "' verify");
        last = std::move(output);
        return status == 0;
      },
      verify_deadline, std::chrono::milliseconds{100});
  if (!verified) {
    UNSCOPED_INFO("leaderboards verify kept reporting: " << last.substr(0, 2000));
  }
  return verified;
}

// Polls `target` until its page says it came from `source` ("redis" or "sqlite"); returns that
// page. A page is cached for a moment (longer when it came from SQLite), so this may take seconds.
json::value wait_for_page_from(http_client& client, const std::string& target,
                               const std::string& source) {
  json::value page;
  const bool found = wait_until(
      [&] {
        page = client.get(target).json();
        return page.at("source") == source.c_str();
      },
      patient_deadline, std::chrono::milliseconds{50});
  if (!found) {
    FAIL("the leaderboard never came from " << source << "; the last page: " << page);
  }
  return page;
}

json::value wait_for_redis_page(http_client& client, const std::string& target) {
  return wait_for_page_from(client, target, "redis");
}

// True when /readyz reports Redis as `state` ("up" or "down").
bool redis_reported(http_client& client, const std::string& state) {
  return client.get("/readyz").body.find("redis: " + state) != std::string::npos;
}

struct league {
  std::vector<std::string> units;  // three in 兴庆区, one in 西夏区
};

// Six challenges: the first two units tie on 27 points, then 11, then 6.
league play_league(server_fixture& server, http_client& client) {
  league played{unit_ids(client, "640104", 3)};
  played.units.push_back(unit_ids(client, "640105", 1).at(0));
  const std::vector<std::tuple<std::string, std::string, int>> players{
      {"13811110001", played.units[0], 15}, {"13811110002", played.units[0], 0},
      {"13811110003", played.units[1], 15}, {"13811110004", played.units[1], 0},
      {"13811110005", played.units[2], 5},  {"13811110006", played.units[3], 10}};
  for (const auto& [phone, unit_id, correct] : players) {
    const std::string region = unit_id == played.units[3] ? "640105" : "640104";
    const std::string token = server.participant_in(client, phone, region, unit_id);
    take_challenge(server, client, token, correct);
  }
  return played;
}

}  // namespace

TEST_CASE("leaderboards from Redis equal the SQLite truth", "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  const league played = play_league(server, client);
  REQUIRE(wait_until_verified(server));

  const auto truth = ledger_points(server);
  CHECK(truth.at(played.units[0]) == 27);
  CHECK(truth.at(played.units[1]) == 27);
  const auto page = wait_for_redis_page(client, "/api/v1/leaderboards/units?limit=3");
  const auto& items = page.at("items").as_array();
  REQUIRE(items.size() == 3);
  // The tie shares rank 1 and is listed by id; the next rank is 3.
  const auto [first, second] = std::minmax(played.units[0], played.units[1]);
  CHECK(items[0].at("id").as_string() == first);
  CHECK(items[1].at("id").as_string() == second);
  CHECK(items[0].at("rank") == 1);
  CHECK(items[1].at("rank") == 1);
  CHECK(items[2].at("id").as_string() == played.units[3]);
  CHECK(items[2].at("rank") == 3);
  CHECK(items[2].at("points") == 11);
  CHECK(page.at("total").as_int64() == 300);

  const auto next = client.get("/api/v1/leaderboards/units?limit=2&offset=2").json();
  CHECK(next.at("items").at(0).at("id").as_string() == played.units[3]);
  CHECK(next.at("items").at(1).at("id").as_string() == played.units[2]);
  CHECK(next.at("items").at(1).at("rank") == 4);

  const auto standing =
      client.get("/api/v1/leaderboards/units/" + played.units[2] + "?around=1").json();
  CHECK(standing.at("unit").at("rank") == 4);
  CHECK(standing.at("above").at(0).at("id").as_string() == played.units[3]);
  CHECK(standing.at("below").at(0).at("points") == 0);

  const auto people =
      client.get("/api/v1/leaderboards/units?metric=participants&region=640104&limit=2").json();
  CHECK(people.at("items").at(0).at("participants") == 2);
  CHECK(people.at("total").as_int64() > 4);

  const auto regions = client.get("/api/v1/leaderboards/regions?parent=640100").json();
  CHECK(regions.at("items").at(0).at("code").as_string() == "640104");
  CHECK(regions.at("items").at(0).at("points") == 60);
  CHECK(regions.at("items").at(1).at("code").as_string() == "640105");
  const auto cities =
      client.get("/api/v1/leaderboards/regions?metric=attempts&day=2021-06-16").json();
  CHECK(cities.at("items").at(0).at("code").as_string() == "640100");
  CHECK(cities.at("items").at(0).at("attempts") == 6);
  CHECK(cities.at("day").as_string() == "2021-06-16");

  CHECK(client.get("/api/v1/leaderboards/units?limit=101").status == 400);
  CHECK(client.get("/api/v1/leaderboards/units?metric=speed").status == 400);
  CHECK(client.get("/api/v1/leaderboards/units?day=June").status == 400);
  CHECK(client.get("/api/v1/leaderboards/units/U9999").status == 404);
}

TEST_CASE("an outbox replayed three times counts once", "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  play_league(server, client);
  REQUIRE(wait_until_verified(server));
  REQUIRE(server.stop() == 0);

  config_result loaded = load_server_config(server.config_file());
  REQUIRE(loaded.problems.empty());
  const secrets keys(server.data_dir());
  const system_time_source clock;
  sqlite_durable_store store(loaded.config, keys, clock, 1);
  boost::asio::io_context context;
  redis_client client_of_redis(context.get_executor(), clock, "127.0.0.1", redis.port());
  redis_leaderboard board(client_of_redis, loaded.config.competition.id);
  auto replayed = boost::asio::co_spawn(
      context,
      [&]() -> boost::asio::awaitable<std::vector<int>> {
        const auto events = co_await store.outbox_after(0, 1000);
        std::vector<int> applied;
        applied.reserve(5);
        for (int round = 0; round < 3; ++round) {
          applied.push_back(co_await board.apply(events));
        }
        applied.push_back(static_cast<int>(events.size()));
        applied.push_back(static_cast<int>((co_await board.verify(store)).size()));
        client_of_redis.close();  // a connected client keeps the io_context running
        co_return applied;
      },
      boost::asio::use_future);
  context.run();
  const auto counts = replayed.get();
  CHECK(counts == std::vector<int>{0, 0, 0, 6, 0});
}

TEST_CASE("Redis going away costs participants nothing and is repaired", "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  const auto units = unit_ids(client, "640104", 2);
  take_challenge(server, client, server.participant_in(client, "13822220001", "640104", units[0]),
                 15);
  REQUIRE(wait_until_verified(server));

  redis.stop();
  // Every participant request still succeeds; leaderboards come from SQLite meanwhile.
  take_challenge(server, client, server.participant_in(client, "13822220002", "640104", units[1]),
                 10);
  take_challenge(server, client, server.participant_in(client, "13822220003", "640104", units[1]),
                 3);
  CHECK(wait_until([&] { return redis_reported(client, "down"); }));
  CHECK(client.get("/readyz").status == 200);
  // The page cached from Redis lapses; the next one is counted in SQLite.
  const auto fallback = wait_for_page_from(client, "/api/v1/leaderboards/units?limit=1", "sqlite");
  CHECK(fallback.at("items").at(0).at("points") == 26);

  redis.start();  // empty: the server rebuilds it from SQLite and the outbox catches up
  REQUIRE(wait_until_verified(server));
  const auto page = wait_for_redis_page(client, "/api/v1/leaderboards/units?limit=2");
  CHECK(page.at("items").at(0).at("points") == 26);
  CHECK(page.at("items").at(1).at("points") == 15);  // 11 + 4

  redis.command({"FLUSHALL"});
  REQUIRE(wait_until_verified(server));
  const auto [status, output] =
      server.admin("leaderboards --config '" + server.config_file().string() + "' rebuild");
  CHECK(status == 0);
  CHECK(output.find("rebuilt") != std::string::npos);
  REQUIRE(wait_until_verified(server));
}

namespace {

// Explains the first few failed requests of a load, for a failing CHECK.
std::string describe_failures(const participant_load& load) {
  std::string text;
  const auto failed = load.failures();
  for (std::size_t i = 0; i < failed.size() && i < 5; ++i) {
    text += failed[i].kind + " -> " + std::to_string(failed[i].status) + " " +
            failed[i].body.substr(0, 200) + "\n";
  }
  return text;
}

// Waits until at least `count` requests of each kind were sent since `since` and answered.
bool wait_for_answered(const participant_load& load, monotonic_instant since,
                       const std::map<std::string, std::size_t>& counts) {
  return wait_until([&] {
    const auto now = monotonic_now();
    return std::all_of(counts.begin(), counts.end(), [&](const auto& wanted) {
      return load.answered_between(wanted.first, since, now) >= wanted.second;
    });
  });
}

}  // namespace

// How fast the requests are while Redis is away is measured by bench/run.sh (its Redis stages);
// here, that every one of them is answered, and that the leaderboards are repaired.
TEST_CASE("Redis going away under load fails no participant request", "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  participant_load load(server, 4, 100, "1371111");
  REQUIRE(wait_for_answered(load, {}, {{"answer", 5}}));  // participants are at work

  redis.shutdown_nosave();
  REQUIRE(wait_until([&] { return redis_reported(client, "down"); }));
  // They go on answering and reading the leaderboards while Redis is away.
  REQUIRE(wait_for_answered(load, monotonic_now(), {{"answer", 5}, {"leaderboard", 5}}));

  redis.start();  // empty: everything must come back from SQLite
  REQUIRE(wait_until([&] { return redis_reported(client, "up"); }));
  // Whole challenges go on being completed, and the leaderboards read, once it is back.
  const std::size_t completed = load.challenges_completed();
  REQUIRE(wait_for_answered(load, monotonic_now(), {{"leaderboard", 5}}));
  REQUIRE(wait_until([&] { return load.challenges_completed() > completed; }));
  load.stop();
  INFO(describe_failures(load));
  CHECK(load.failures().empty());
  REQUIRE(wait_until_verified(server));
}

// A hung Redis (SIGSTOP: the socket stays open, nothing is answered) must not hold requests until
// it comes back: every Redis call has a deadline. The load is stopped while Redis is still frozen,
// which joins every client, so each request sent during the freeze was answered (or failed)
// during it. The time requests take meanwhile is measured by bench/run.sh.
TEST_CASE("a frozen Redis holds up no participant request and is back after SIGCONT",
          "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  participant_load load(server, 4, 120, "1372222", std::chrono::milliseconds{50});
  REQUIRE(wait_for_answered(load, {}, {{"answer", 5}}));

  redis.pause();
  REQUIRE(wait_until([&] { return redis_reported(client, "down"); }));
  REQUIRE(
      wait_for_answered(load, monotonic_now(), {{"start", 1}, {"answer", 5}, {"leaderboard", 5}}));
  load.stop();  // while Redis is still frozen
  INFO(describe_failures(load));
  CHECK(load.failures().empty());
  CHECK(client.get("/api/v1/leaderboards/units?limit=1").status == 200);

  redis.resume();
  CHECK(wait_until([&] { return redis_reported(client, "up"); }));
  REQUIRE(wait_until_verified(server));
}

namespace {

// The item of `code` in a region board.
json::object region_item(const json::value& board, const std::string& code) {
  for (const auto& item : board.at("items").as_array()) {
    if (item.at("code").as_string() == code) {
      return item.as_object();
    }
  }
  FAIL("no item " << code << " in " << board);
  return {};
}

// Runs a Lua script on Redis over every key matching `pattern` (KEYS is fine on a test's Redis).
void on_each_key(const redis_process& redis, const std::string& pattern, const std::string& body) {
  redis.command({"EVAL",
                 "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do " + body + " end return 1",
                 "0", pattern});
}

// Two test counties under 银川市 (640100): 测试甲县 with one unit of 3 staff, 1 of them taking
// part, and 4 people without a unit (5 in all, more than its headcount); 测试乙县 with one unit
// whose imported headcount (1) is lower than its 2 participants (an import problem).
void play_two_populations(server_fixture& server, http_client& client) {
  std::ofstream(server.data_dir() / "regions.csv")
      << "code,name,parent_code\n640198,测试甲县,640100\n640199,测试乙县,640100\n";
  REQUIRE(
      server.admin("regions import '" + (server.data_dir() / "regions.csv").string() + "'").first ==
      0);
  std::ofstream(server.data_dir() / "units.csv")
      << "id,name,region_code,sector,headcount\nU9801,甲县示范企业,640198,其他,3\n"
         "U9901,乙县示范企业,640199,其他,1\n";
  REQUIRE(server.admin("units import '" + (server.data_dir() / "units.csv").string() + "'").first ==
          0);
  REQUIRE(server.stop() == 0);  // the server reads its directory when it starts
  server.start();
  client = server.client();
  const std::vector<std::tuple<std::string, std::string, std::string>> players{
      {"13900000001", "640198", "U9801"}, {"13900000002", "640198", ""},
      {"13900000003", "640198", ""},      {"13900000004", "640198", ""},
      {"13900000005", "640198", ""},      {"13900000006", "640199", "U9901"},
      {"13900000007", "640199", "U9901"}};
  for (const auto& [phone, region, unit_id] : players) {
    server.take_challenge(client, server.participant_in(client, phone, region, unit_id), 5);
  }
}

// The counties of 银川市 ranked by `metric` (and whatever else the query adds).
std::string county_board(std::string_view metric) {
  return "/api/v1/leaderboards/regions?parent=640100&metric=" + std::string{metric};
}

}  // namespace

TEST_CASE("region leaderboards count the public apart and never show a rate above 100 %",
          "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  play_two_populations(server, client);
  REQUIRE(wait_until_verified(server));

  const auto from_redis = wait_for_redis_page(client, county_board("participation_rate"));
  const auto crowded = region_item(from_redis, "640198");
  CHECK(crowded.at("participants") == 5);
  CHECK(crowded.at("participants_with_unit") == 1);
  CHECK(crowded.at("participants_public") == 4);
  CHECK(crowded.at("headcount") == 3);
  CHECK(crowded.at("participation_rate").as_double() == Approx(1.0 / 3.0));
  CHECK(crowded.at("rate") == crowded.at("participation_rate"));
  CHECK(crowded.at("rate_capped") == false);
  const auto short_of_staff = region_item(from_redis, "640199");
  CHECK(short_of_staff.at("participants_with_unit") == 2);
  CHECK(short_of_staff.at("participants_public") == 0);
  CHECK(short_of_staff.at("headcount") == 1);
  CHECK(short_of_staff.at("participation_rate") == 1.0);
  CHECK(short_of_staff.at("rate_capped") == true);
  // Ranked by the capped rate: 乙县 (100 %) first, 甲县 (33 %) next, the public not counted.
  CHECK(short_of_staff.at("rank") == 1);
  CHECK(crowded.at("rank") == 2);
  for (const auto& item : from_redis.at("items").as_array()) {
    CHECK(item.at("participants") ==
          item.at("participants_with_unit").as_int64() + item.at("participants_public").as_int64());
    if (!item.at("participation_rate").is_null()) {
      CHECK(item.at("participation_rate").as_double() <= 1.0);
    }
  }
  const auto city = region_item(client.get("/api/v1/leaderboards/regions").json(), "640100");
  CHECK(city.at("participants_with_unit") == 3);
  CHECK(city.at("participants_public") == 4);
  // "rate" is the earlier name of the metric and ranks the same way.
  const auto by_rate = client.get(county_board("rate")).json();
  CHECK(by_rate.at("items") == from_redis.at("items"));
  // A unit's participants all have a unit; its rate is capped the same way.
  const auto unit = client.get("/api/v1/leaderboards/units/U9901").json().at("unit");
  CHECK(unit.at("participants_with_unit") == 2);
  CHECK(unit.at("participants_public") == 0);
  CHECK(unit.at("participation_rate") == 1.0);
  CHECK(unit.at("rate_capped") == true);

  // The SQLite fallback answers exactly as Redis did, for the window and for a day.
  const auto day_target = county_board("participants&day=2021-06-16");
  const auto day_from_redis = wait_for_redis_page(client, day_target);
  CHECK(region_item(day_from_redis, "640198").at("participants_public") == 4);
  redis.stop();
  REQUIRE(wait_until([&] { return redis_reported(client, "down"); }));
  const auto from_sqlite = wait_for_page_from(client, county_board("participation_rate"), "sqlite");
  CHECK(from_sqlite.at("items") == from_redis.at("items"));
  const auto day_from_sqlite = wait_for_page_from(client, day_target, "sqlite");
  CHECK(day_from_sqlite.at("items") == day_from_redis.at("items"));

  redis.start();  // empty: rebuilt from SQLite, and verify agrees after the rebuild
  REQUIRE(wait_until_verified(server));
  CHECK(wait_for_redis_page(client, county_board("participation_rate")).at("items") ==
        from_redis.at("items"));
}

TEST_CASE("leaderboards an earlier release left in Redis are rebuilt, not added to",
          "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  play_two_populations(server, client);
  REQUIRE(wait_until_verified(server));
  const auto before = wait_for_redis_page(client, county_board("participation_rate"));
  REQUIRE(server.stop() == 0);

  // What an earlier release kept: no layout in the meta hash, no sets of participants with a unit.
  on_each_key(redis, "lb:*:meta", "redis.call('HDEL', key, 'layout')");
  on_each_key(redis, "lb:*:participants_with_unit:*", "redis.call('DEL', key)");
  const std::string verify = "leaderboards --config '" + server.config_file().string() + "' verify";
  const auto [status, output] = server.admin(verify);
  CHECK(status == 1);
  CHECK(output.find("layout: redis 1") != std::string::npos);

  // The relay rebuilds them before it applies the next event.
  server.start();
  client = server.client();
  server.take_challenge(client, server.participant_in(client, "13900000008", "640198", ""), 5);
  REQUIRE(wait_until_verified(server));
  const auto after = wait_for_redis_page(client, county_board("participation_rate"));
  const auto crowded = region_item(after, "640198");
  CHECK(crowded.at("participants_with_unit") == 1);
  CHECK(crowded.at("participants_public") == 5);
  CHECK(crowded.at("participation_rate") == region_item(before, "640198").at("participation_rate"));

  // The same through the admin tool, while the server is stopped.
  REQUIRE(server.stop() == 0);
  on_each_key(redis, "lb:*:meta", "redis.call('HDEL', key, 'layout')");
  const std::string rebuild =
      "leaderboards --config '" + server.config_file().string() + "' rebuild";
  CHECK(server.admin(rebuild).first == 0);
  const auto [verified, report] = server.admin(verify);
  CHECK(verified == 0);
  CHECK(report.find("0 difference(s)") != std::string::npos);
}

TEST_CASE(
    "a rebuild clears the days Redis holds and SQLite has no ledger for, personal rankings too",
    "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  server.take_challenge(client, server.participant(client, "13900000011"), 5);
  REQUIRE(wait_until_verified(server));
  REQUIRE(server.stop() == 0);

  // A day the database does not have, as Redis keeps after a restore from an earlier backup.
  on_each_key(redis, "lb:*:meta",
              "redis.call('ZADD', (string.gsub(key, ':meta$', ':unit:points:d:2021-06-01')), 7, "
              "'U0001')");
  // And a personal ranking of that day.
  on_each_key(redis, "pb:*:meta",
              "redis.call('ZADD', (string.gsub(key, ':meta$', ':r:640000:d:2021-06-01')), -7, "
              "'1')");
  const std::string verify = "leaderboards --config '" + server.config_file().string() + "' verify";
  const auto [status, output] = server.admin(verify);
  CHECK(status == 1);
  CHECK(output.find("day 2021-06-01") != std::string::npos);
  CHECK(output.find(":r:640000:d:2021-06-01: redis holds a board sqlite has no points for") !=
        std::string::npos);

  const std::string rebuild =
      "leaderboards --config '" + server.config_file().string() + "' rebuild";
  REQUIRE(server.admin(rebuild).first == 0);
  const auto [verified, report] = server.admin(verify);
  INFO(report);
  CHECK(verified == 0);
  CHECK(report.find("0 difference(s)") != std::string::npos);
}

namespace {

// The other clients of `redis` (not the connection asking), as id → the last command each sent.
std::map<std::string, std::string> other_connections(const redis_process& redis) {
  std::map<std::string, std::string> found;
  std::istringstream lines(redis.command({"CLIENT", "LIST"}));
  std::string line;
  while (std::getline(lines, line)) {
    std::string id;
    std::string command;
    std::istringstream fields(line);
    std::string field;
    while (fields >> field) {
      if (field.starts_with("id=")) {
        id = field.substr(3);
      } else if (field.starts_with("cmd=")) {
        command = field.substr(4);
      }
    }
    if (!id.empty() && command != "client|list") {
      found[id] = command;
    }
  }
  return found;
}

}  // namespace

// The leaderboards read Redis on a connection of their own: many readers never queue in front of
// the relay's commands, and losing the read connection costs a fall-back to SQLite at most, never
// the relay's connection or "Redis is down". The relay never sends ZRANGE; the unit boards' read
// ends with one, which tells the two connections apart.
TEST_CASE("the leaderboards read on a connection of their own: losing it leaves the relay up",
          "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  play_league(server, client);
  const std::string target = "/api/v1/leaderboards/units?limit=5";
  const auto before = wait_for_redis_page(client, target);

  const auto connections = other_connections(redis);
  REQUIRE(connections.size() == 2);
  std::string reads;
  std::string relay;
  for (const auto& [id, command] : connections) {
    (command == "zrange" ? reads : relay) = id;
  }
  REQUIRE(!reads.empty());
  REQUIRE(!relay.empty());
  redis.command({"CLIENT", "KILL", "ID", reads});

  // A later snapshot is read from Redis again, on a new read connection.
  REQUIRE(wait_until([&] {
    const auto now = other_connections(redis);
    return client.get(target).json().at("source") == "redis" &&
           std::any_of(now.begin(), now.end(), [&](const auto& entry) {
             return entry.first != reads && entry.first != relay && entry.second == "zrange";
           });
  }));
  CHECK(client.get(target).json().at("total") == before.at("total"));
  CHECK(other_connections(redis).contains(relay));  // the relay's connection never dropped
  CHECK(redis_reported(client, "up"));
  CHECK(server.log_tail().find("Redis is down") == std::string::npos);
}

// A province's personal rankings are sent board by board while they are staged; a rebuild larger
// than one such flush must still swap in every board whole (the temporaries written early are not
// leftovers to remove). 6,000 seeded participants with two days of history are about 54,000
// members, over the 32,000 that one flush holds.
TEST_CASE("a rebuild larger than one flush swaps in every personal ranking whole",
          "[leaderboard]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  REQUIRE(server.stop() == 0);
  const std::string config = "--config '" + server.config_file().string() + "'";
  const auto [seeded, seed_output] =
      server.admin("bench seed " + config + " --participants 6000 --units 0 --days 2");
  INFO(seed_output);
  REQUIRE(seeded == 0);
  REQUIRE(server.admin("leaderboards " + config + " rebuild").first == 0);
  const auto [verified, report] = server.admin("leaderboards " + config + " verify");
  INFO(report.substr(0, 2000));
  CHECK(verified == 0);
  CHECK(report.find("0 difference(s)") != std::string::npos);
}
