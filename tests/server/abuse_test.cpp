// Faults, attacks and bad input against the real server: a clock crossing midnight in another host
// time zone, crawling for leaked keys, tampered tokens, brute force, bots, a database whose write
// lock is held by someone else, slow clients (the kill -9 crash loop is in crash_loop_test.cpp).
#include <fcntl.h>
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "server/store/attempt_papers.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/metric_reader.hpp"
#include "tests/support/tmpfs_mount.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

std::string error_code(const http_response& response) {
  return std::string{response.json().at("error").at("code").as_string()};
}

std::string explanation_of(const server_fixture& server, std::int64_t attempt, int index) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  const auto paper = paper_of(database, attempt_id{attempt});
  REQUIRE(paper);
  return paper->at(static_cast<std::size_t>(index)).explanation;
}

std::int64_t count_rows(const server_fixture& server, const std::string& sql) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare(sql);
  statement.step();
  return statement.column_int64(0);
}

// Writes a file until the file system has no byte left; returns its path.
std::filesystem::path fill_disk(const std::filesystem::path& directory) {
  const auto filler = directory / "filler";
  const int descriptor = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(descriptor >= 0);
  const std::string chunk(1 << 20, 'x');
  for (std::size_t size = chunk.size(); size > 0; size /= 16) {
    while (::write(descriptor, chunk.data(), size) == static_cast<ssize_t>(size)) {
    }
  }
  ::close(descriptor);
  return filler;
}

// Sets the host time zone (TZ) for the server processes started while it lives, which inherit
// it, and for nothing after.
class host_time_zone {
 public:
  explicit host_time_zone(const char* zone) { ::setenv("TZ", zone, 1); }
  host_time_zone(const host_time_zone&) = delete;
  host_time_zone& operator=(const host_time_zone&) = delete;
  ~host_time_zone() { ::unsetenv("TZ"); }
};

}  // namespace

TEST_CASE("crossing midnight in another host time zone gives one attempt per China day",
          "[abuse]") {
  std::optional<host_time_zone> zone{std::in_place, "America/Los_Angeles"};
  server_fixture server(fixture_options{"2021-06-16T23:00:00+08:00", "", ""});
  auto client = server.client();
  const std::string token = server.participant(client, "13944440001");
  // Restarted a few seconds before midnight: the two requests below need only milliseconds of
  // them, and then the server's clock crosses midnight on its own.
  server.stop();
  server.start("2021-06-16T23:59:55+08:00");
  zone.reset();
  client = server.client();
  const auto before = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(before.status == 201);
  CHECK(before.json().at("day").as_string() == "2021-06-16");
  CHECK(error_code(client.post("/api/v1/attempts", json::object{}, token)) ==
        "already_attempted_today");
  REQUIRE(wait_until(
      [&] {
        return client.get("/api/v1/competition").json().at("today").as_string() == "2021-06-17";
      },
      patient_deadline, std::chrono::milliseconds{100}));
  const auto after = client.post("/api/v1/attempts", json::object{}, token);
  CHECK(after.status == 201);
  CHECK(after.json().at("day").as_string() == "2021-06-17");
}

TEST_CASE("no response of a whole challenge leaks the key of an unanswered question", "[abuse]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13944440002");
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  const std::int64_t attempt = started.json().at("id").as_int64();
  std::vector<std::string> explanations;
  for (int index = 0; index < 15; ++index) {
    explanations.push_back(explanation_of(server, attempt, index));
  }
  const auto no_leak_beyond = [&](const std::string& body, int answered) {
    for (int index = answered; index < 15; ++index) {
      CHECK(body.find(explanations[static_cast<std::size_t>(index)]) == std::string::npos);
    }
    CHECK(body.find("correct_keys") == std::string::npos);
  };
  no_leak_beyond(started.body, 0);
  for (int index = 0; index < 15; ++index) {
    const auto view = client.get("/api/v1/attempts/" + std::to_string(attempt), token);
    no_leak_beyond(view.body, index);
    const json::value parsed = view.json();
    const auto& question = parsed.at("current").at("question").as_object();
    for (const auto& field : question) {
      const std::string key{field.key()};
      CHECK(
          (key == "id" || key == "type" || key == "category" || key == "stem" || key == "options"));
    }
    no_leak_beyond(client.get("/api/v1/me", token).body, index);
    const auto answered =
        client.post("/api/v1/attempts/" + std::to_string(attempt) + "/answers",
                    json::object{{"index", index}, {"choice", json::array{"A"}}}, token);
    REQUIRE(answered.status == 200);
    CHECK(answered.body.find(explanations[static_cast<std::size_t>(index)]) != std::string::npos);
    no_leak_beyond(answered.body, index + 1);
  }
}

TEST_CASE("tampered and expired tokens and foreign attempts are refused and record nothing",
          "[abuse]") {
  // Expiry is simulated by editing the database below, which a server trusting its token cache
  // would not see for up to its recheck time: this test checks the database's side with the
  // cache off (the cache's own expiry is tests/server/token_cache_test.cpp).
  fixture_options options;
  options.extra_server = "token_cache_entries = 0\n";
  server_fixture server(options);
  auto client = server.client();
  const std::string token = server.participant(client, "13944440003");
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string flipped = token;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    REQUIRE(client.get("/api/v1/me", flipped).status == 401);
  }
  CHECK(client.get("/api/v1/me", token + "x").status == 401);
  CHECK(client.request("GET", "/api/v1/me", std::nullopt, {{"Authorization", "Basic " + token}})
            .status == 401);
  const std::int64_t attempt = server.take_challenge(client, token, 3);
  const std::string other = server.participant(client, "13944440004");
  const auto foreign =
      client.post("/api/v1/attempts/" + std::to_string(attempt) + "/finish", json::object{}, other);
  CHECK(foreign.status == 404);
  const auto before = count_rows(server, "SELECT COUNT(*) FROM answers");
  CHECK(client
            .post("/api/v1/attempts/" + std::to_string(attempt) + "/answers",
                  json::object{{"index", 14}, {"choice", json::array{"A"}}}, other)
            .status == 404);
  server.execute_sql("UPDATE tokens SET expires_at = 0");
  CHECK(client.get("/api/v1/me", token).status == 401);
  CHECK(client.post("/api/v1/draws", json::object{}, token).status == 401);
  CHECK(count_rows(server, "SELECT COUNT(*) FROM answers") == before);
}

TEST_CASE("answers faster than a person can read flag the attempt for the office", "[abuse]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13944440006");
  server.take_challenge(client, token, 15);  // machine speed: milliseconds per answer
  CHECK(count_rows(server, "SELECT flagged FROM attempts") == 1);
  REQUIRE(server.admin("admins add --username office --region 640000", "office-secret-1\n").first ==
          0);
  const auto login = client.post(
      "/api/v1/admin/login", json::object{{"username", "office"}, {"password", "office-secret-1"}});
  const std::string office{login.json().at("token").as_string()};
  const auto report = client.get("/api/v1/admin/bulletin?level=county", office).json();
  CHECK(report.at("totals").at("flagged_attempts") == 1);
  const auto csv = client.get("/api/v1/admin/bulletin?level=unit&format=csv&region=640104", office);
  CHECK(csv.body.find("疑似机器答题") != std::string::npos);
}

TEST_CASE("a write lock held by another process gives clear 503s and recovery", "[abuse]") {
  // No sweeps: a sweep caught by the lock just before the answer would hold the writer for its
  // own 5 s busy timeout first, and the answer's 503 would come 10 s after it was sent.
  fixture_options options;
  options.sweep_interval_ms = 60'000;
  server_fixture server(options);
  auto client = server.client();
  const std::string token = server.participant(client, "13944440007");
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  const std::int64_t attempt = started.json().at("id").as_int64();
  const auto answer_first = [&] {
    return client.post("/api/v1/attempts/" + std::to_string(attempt) + "/answers",
                       json::object{{"index", 0}, {"choice", server.correct_keys(attempt, 0)}},
                       token);
  };
  {
    sqlite_database intruder(server.data_dir() / "anquanli.db");
    intruder.execute("BEGIN EXCLUSIVE");
    const auto blocked = answer_first();  // waits out the busy timeout, then gives up
    CHECK(blocked.status == 503);
    CHECK(error_code(blocked) == "storage_unavailable");
    intruder.execute("ROLLBACK");
  }
  CHECK(count_rows(server, "SELECT COUNT(*) FROM answers") == 0);
  const auto recovered = answer_first();
  CHECK(recovered.status == 200);
  CHECK(count_rows(server, "SELECT COUNT(*) FROM answers") == 1);
}

TEST_CASE("a full disk gives clear 503s and no 200 for an answer that was not committed",
          "[abuse]") {
  const tmpfs_mount disk(24);  // declared first: unmounted after the server is gone
  fixture_options options;
  options.data_parent = disk.path();
  server_fixture server(options);
  auto client = server.client();
  std::vector<std::pair<std::string, std::int64_t>> players;  // token, attempt
  for (int i = 0; i < 30; ++i) {
    const std::string token = server.participant(client, "1394444" + std::to_string(1000 + i));
    const auto started = client.post("/api/v1/attempts", json::object{}, token);
    REQUIRE(started.status == 201);
    players.emplace_back(token, started.json().at("id").as_int64());
  }
  const auto answer = [&](const std::pair<std::string, std::int64_t>& player, int index) {
    const auto& [token, attempt] = player;
    return client.post(
        "/api/v1/attempts/" + std::to_string(attempt) + "/answers",
        json::object{{"index", index}, {"choice", server.correct_keys(attempt, index)}}, token);
  };
  const auto filler = fill_disk(disk.path());
  // Each player answers in order until one answer is refused; the rest of its challenge waits.
  std::vector<int> next(players.size(), 0);
  std::set<std::pair<std::int64_t, int>> acknowledged;
  std::map<std::string, int> refusals;
  for (int index = 0; index < 15; ++index) {
    for (std::size_t player = 0; player < players.size(); ++player) {
      if (next[player] != index) {
        continue;
      }
      const auto response = answer(players[player], index);
      if (response.status == 200) {
        acknowledged.insert({players[player].second, index});
        ++next[player];
        continue;
      }
      ++refusals[std::to_string(response.status) + " " + error_code(response) + " retry-after " +
                 response.header("retry-after")];
    }
  }
  CHECK(client.get("/healthz").status == 200);
  CHECK(client.get("/api/v1/me", players.front().first).status == 200);  // reads go on
  REQUIRE_FALSE(refusals.empty());  // the disk did fill up under the answers
  for (const auto& [refusal, count] : refusals) {
    INFO(refusal << " x" << count);
    CHECK(refusal == "503 storage_unavailable retry-after 5");
  }

  std::filesystem::remove(filler);  // space again: each challenge goes on where it was refused
  for (std::size_t player = 0; player < players.size(); ++player) {
    for (int index = next[player]; index < 15; ++index) {
      const auto retried = answer(players[player], index);
      CHECK(retried.status == 200);
      acknowledged.insert({players[player].second, index});
    }
  }
  server.stop();
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  CHECK(count_rows(server,
                   "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") ==
        0);
  for (const auto& [attempt, index] : acknowledged) {
    auto statement =
        database.prepare("SELECT COUNT(*) FROM answers WHERE attempt_id = ?1 AND position = ?2");
    statement.bind(1, attempt).bind(2, index);
    statement.step();
    CHECK(statement.column_int64(0) == 1);
  }
  CHECK(count_rows(server, "SELECT COUNT(*) FROM answers") ==
        static_cast<std::int64_t>(acknowledged.size()));
}

namespace {

// Sends `request` one byte every 300 ms until the server closes the connection; returns how many
// bytes were sent before a write failed (all of them if none did). The pause is the scenario: a
// client far slower than the read timeout allows.
std::size_t drip(boost::asio::ip::tcp::socket& slow, const std::string& request) {
  boost::system::error_code error;
  std::size_t sent = 0;
  for (; sent < request.size(); ++sent) {
    boost::asio::write(slow, boost::asio::buffer(&request[sent], 1), error);
    if (error) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
  }
  return sent;
}

}  // namespace

TEST_CASE("slow clients are dropped within the read timeout and connections are capped",
          "[abuse]") {
  boost::asio::io_context context;
  const auto loopback = boost::asio::ip::make_address("127.0.0.1");
  {
    // A request that takes 10 s to arrive meets a 1 s read timeout: the server drops it while
    // the client is still sending (a timeout per read, which each byte would renew, would not).
    fixture_options options;
    options.extra_server = "read_timeout_s = 1\n";
    server_fixture server(options);
    boost::asio::ip::tcp::socket slow(context);
    slow.connect({loopback, server.port()});
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(10, 'z') + "\r\n\r\n";
    CHECK(drip(slow, request) < request.size());
    std::array<char, 64> buffer{};
    boost::system::error_code error;
    slow.read_some(boost::asio::buffer(buffer), error);  // closed, and nothing was answered
    CHECK(error);
  }
  {
    // A generous read timeout here, so that the idle connections stay open whatever the pace.
    fixture_options options;
    options.extra_server = "read_timeout_s = 60\nmax_connections = 20\n";
    server_fixture server(options);
    auto watcher = server.client();  // the first of the 20, kept open to read /metrics
    REQUIRE(watcher.get("/healthz").status == 200);
    std::vector<boost::asio::ip::tcp::socket> idle;
    for (int i = 0; i < 19; ++i) {
      idle.emplace_back(context).connect({loopback, server.port()});
    }
    REQUIRE(wait_until([&] {
      return read_metric(watcher, "anquanli_open_connections") == 20.0;  // all 20 are counted
    }));
    const std::string probe = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto refused = http_client::send_raw(server.port(), probe);
    CHECK(refused.status == 503);
    CHECK(refused.header("Retry-After") == "1");
    idle.clear();  // room again once the server has seen them close
    CHECK(wait_until([&] { return http_client::send_raw(server.port(), probe).status == 200; }));
  }
}

TEST_CASE("overload is refused quickly with 503 and Retry-After - never a crash", "[abuse]") {
  fixture_options options;
  options.extra_server = "max_write_queue = 1\n";
  server_fixture server(options);
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 40; ++i) {
    senders.emplace_back([&, i] {
      auto client = server.client();
      const auto response = client.post(
          "/api/v1/auth/code", json::object{{"phone", "1398888" + std::to_string(1000 + i)}});
      if (response.status == 202) {
        ++accepted;
      } else if (response.status == 503 && !response.header("retry-after").empty()) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& sender : senders) {
    sender.join();
  }
  CHECK(accepted > 0);
  CHECK(other == 0);
  CHECK(accepted + refused == 40);
  CHECK(server.client().get("/healthz").status == 200);
}
