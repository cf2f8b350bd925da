// The 6·16 big screen (issue 17) against the real binary and a real Redis: the snapshot's figures
// after real challenges, who may watch (public, the screen token, an office sign-in), the bound on
// open streams (screen_full), and the Server-Sent Events stream pushing new figures after a
// finished challenge.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>

#include "server/store/screen_token.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string display_token = "a-display-token-for-the-hall-of-the-tests-0123456789";

std::string error_code(const http_response& response) {
  return std::string{response.json().at("error").at("code").as_string()};
}

fixture_options screen_options(std::uint16_t redis_port, bool is_public, int max_viewers = 50) {
  fixture_options options;
  options.redis_port = redis_port;
  options.extra_tables = "[screen]\npublic = " + std::string{is_public ? "true" : "false"} +
                         "\nmax_viewers = " + std::to_string(max_viewers) +
                         "\ninterval_ms = 200\nheartbeat_s = 1\ntoken_hash = \"" +
                         screen_token_hash(display_token) + "\"\n";
  return options;
}

// One Server-Sent Events connection read as raw bytes, as a browser's EventSource would.
class sse_reader {
 public:
  sse_reader(unsigned short port, const std::string& target)
      : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    REQUIRE(::send(socket_, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
  }
  ~sse_reader() { ::close(socket_); }
  sse_reader(const sse_reader&) = delete;
  sse_reader& operator=(const sse_reader&) = delete;

  // Reads until `found` holds for what arrived so far (true) or the deadline passes or the
  // server closes (false).
  bool read_until(const std::function<bool(const std::string&)>& found,
                  std::chrono::milliseconds within = patient_deadline) {
    const auto deadline = monotonic_now() + within;
    while (!found(received_)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - monotonic_now());
      pollfd ready{socket_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
        return false;
      }
      char buffer[4096];
      const ssize_t got = ::recv(socket_, buffer, sizeof buffer, 0);
      if (got <= 0) {
        return found(received_);
      }
      received_.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
  }
  [[nodiscard]] const std::string& received() const { return received_; }

 private:
  int socket_;
  std::string received_;
};

// The window's participants in the last complete `screen` event received, or -1.
std::int64_t last_participants(const std::string& received) {
  const auto start = received.rfind("event: screen\ndata: ");
  if (start == std::string::npos) {
    return -1;
  }
  const auto data = start + std::string_view{"event: screen\ndata: "}.size();
  const auto end = received.find('\n', data);
  if (end == std::string::npos) {
    return -1;
  }
  const auto figures = json::parse(received.substr(data, end - data));
  return figures.at("window").at("participants").as_int64();
}

std::string admin_token(server_fixture& server, http_client& client) {
  REQUIRE(
      server
          .admin("admins add --username screen-office --region 640000", "screen-office-secret-1\n")
          .first == 0);
  const auto login = client.post(
      "/api/v1/admin/login",
      json::object{{"username", "screen-office"}, {"password", "screen-office-secret-1"}});
  REQUIRE(login.status == 200);
  return std::string{login.json().at("token").as_string()};
}

}  // namespace

TEST_CASE("the screen's snapshot counts today's and the window's challenges", "[screen]") {
  redis_process redis;
  server_fixture server(screen_options(redis.port(), true));
  http_client client = server.client();
  const std::string first = server.participant(client, "13955550001");
  server.take_challenge(client, first, 15);
  client.post("/api/v1/draws", json::object{}, first);
  const std::string second = server.participant_in(client, "13955550002", "640202", "");
  server.take_challenge(client, second, 3);
  // The snapshot may be up to one interval old: wait for the figures to include both.
  http_response reply;
  REQUIRE(wait_until([&] {
    reply = client.get("/api/v1/screen");
    return reply.status == 200 && reply.json().at("window").at("participants").as_int64() == 2;
  }));
  CHECK(reply.header("content-type") == "application/json; charset=utf-8");
  const auto screen = reply.json().as_object();
  for (const char* figures : {"today", "window"}) {
    const auto& counts = screen.at(figures).as_object();
    CHECK(counts.at("participants").as_int64() == 2);
    CHECK(counts.at("challenges").as_int64() == 2);
    CHECK(counts.at("answers").as_int64() == 30);
    CHECK(counts.at("correct").as_int64() == 18);
    CHECK(counts.at("draws").as_int64() >= 1);
  }
  CHECK(screen.at("today").at("day").as_string() == "2021-06-16");
  CHECK(screen.at("prizes").at("total").as_int64() == 100);
  CHECK(screen.at("prizes").at("left").as_int64() <= 100);
  const auto& regions = screen.at("regions").as_array();
  REQUIRE(regions.size() == 7);  // five cities, 区直单位 and 宁东
  CHECK(regions.at(0).at("name").as_string() == "银川市");
  CHECK(regions.at(0).at("participants").as_int64() == 1);
  CHECK(regions.at(1).at("name").as_string() == "石嘴山市");
  CHECK(regions.at(1).at("participants").as_int64() == 1);
  const auto& units = screen.at("top_units").as_array();
  REQUIRE(units.size() == 1);
  CHECK(units.at(0).at("participants").as_int64() == 1);
  CHECK_FALSE(units.at(0).at("name").as_string().empty());
  CHECK(screen.contains("recent_winners"));
  CHECK(screen.contains("as_of"));
}

TEST_CASE("a private screen needs the screen token or an office sign-in", "[screen]") {
  redis_process redis;
  server_fixture server(screen_options(redis.port(), false));
  http_client client = server.client();
  const auto refused = client.get("/api/v1/screen");
  CHECK(refused.status == 401);
  CHECK(error_code(refused) == "screen_unauthorized");
  CHECK(client.get("/api/v1/screen?token=wrong").status == 401);
  CHECK(client.get("/api/v1/screen/stream").status == 401);
  CHECK(client.get("/api/v1/screen?token=" + display_token).status == 200);
  CHECK(client.get("/api/v1/screen", display_token).status == 200);
  const std::string office = admin_token(server, client);
  CHECK(client.get("/api/v1/screen", office).status == 200);
  CHECK(client.get("/api/v1/screen?token=" + office).status == 200);
  // A participant's sign-in is not an office's.
  const std::string participant = server.participant(client, "13955550003");
  CHECK(client.get("/api/v1/screen", participant).status == 401);
  sse_reader stream(server.port(), "/api/v1/screen/stream?token=" + display_token);
  CHECK(stream.read_until(
      [](const std::string& text) { return text.find("\r\n\r\n") != text.npos; }));
  CHECK(stream.received().starts_with("HTTP/1.1 200"));
  CHECK(stream.received().find("text/event-stream") != std::string::npos);
}

TEST_CASE("anquanli-admin screen token prints a token and the hash to configure", "[screen]") {
  server_fixture server;
  const auto [status, output] = server.admin("screen token");
  REQUIRE(status == 0);
  const auto marker = output.find("/screen?token=");
  REQUIRE(marker != std::string::npos);
  const auto start = marker + std::string_view{"/screen?token="}.size();
  const std::string token = output.substr(start, output.find('\n', start) - start);
  CHECK(token.size() >= 40);
  CHECK(output.find("token_hash = \"" + screen_token_hash(token) + "\"") != std::string::npos);
}

TEST_CASE("the stream pushes new figures after a finished challenge", "[screen]") {
  redis_process redis;
  server_fixture server(screen_options(redis.port(), true));
  http_client client = server.client();
  sse_reader stream(server.port(), "/api/v1/screen/stream");
  REQUIRE(stream.read_until([](const std::string& text) { return last_participants(text) == 0; }));
  const std::string token = server.participant(client, "13955550004");
  server.take_challenge(client, token, 10);
  CHECK(stream.read_until([](const std::string& text) { return last_participants(text) == 1; }));
  // With nothing new, the stream still says it lives.
  CHECK(stream.read_until(
      [](const std::string& text) { return text.find(": heartbeat\n\n") != text.npos; }));
}

TEST_CASE("streams beyond max_viewers get screen_full", "[screen]") {
  redis_process redis;
  server_fixture server(screen_options(redis.port(), true, 1));
  http_client client = server.client();
  {
    sse_reader first(server.port(), "/api/v1/screen/stream");
    REQUIRE(
        first.read_until([](const std::string& text) { return text.find("retry:") != text.npos; }));
    const auto full = client.get("/api/v1/screen/stream");
    CHECK(full.status == 503);
    CHECK(error_code(full) == "screen_full");
    CHECK_FALSE(full.header("retry-after").empty());
    CHECK(client.get("/api/v1/screen").status == 200);  // snapshots are not streams
  }
  // Once the first viewer has gone (noticed at its next heartbeat), a new one is let in.
  CHECK(wait_until([&] {
    sse_reader next(server.port(), "/api/v1/screen/stream");
    return next.read_until(
               [](const std::string& text) { return text.find("\r\n\r\n") != text.npos; },
               std::chrono::seconds{5}) &&
           next.received().starts_with("HTTP/1.1 200");
  }));
}
