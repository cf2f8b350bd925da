// The backup and restore drill of docs/operations.md against real processes: `anquanli-admin
// backup DEST` while participants take challenges, then the restore (a stopped server's data
// directory replaced by the backup's two files) and a server started on it, which must hold every
// answer the first server acknowledged before the backup began, with the participants' own
// tokens still valid (so server.key came along), and leaderboards in Redis that agree with it once
// they are rebuilt (Redis still holds the newer state, whose high-water mark would otherwise make
// the relay skip the restored server's next events).
#include <sys/stat.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "tests/server/participant_load.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli::test;
namespace fs = std::filesystem;

namespace {

struct acknowledged_answer {
  std::int64_t attempt = 0;
  std::int64_t index = 0;
  std::string token;
};

std::size_t answers_acknowledged(const participant_load& load) {
  std::size_t count = 0;
  for (const auto& request : load.requests()) {
    count += request.kind == "answer" && request.status == 200 ? 1 : 0;
  }
  return count;
}

// Waits until the load has had `count` answers acknowledged.
void wait_for_answers(const participant_load& load, std::size_t count) {
  REQUIRE(wait_until([&] { return answers_acknowledged(load) >= count; }));
}

// The answers whose 200 had arrived before `before`, by attempt: the highest index of each.
std::map<std::int64_t, acknowledged_answer> acknowledged_before(
    const participant_load& load, anquanli::monotonic_instant before) {
  std::map<std::int64_t, acknowledged_answer> highest;
  for (const auto& request : load.requests()) {
    if (request.kind != "answer" || request.status != 200 || request.answered >= before) {
      continue;
    }
    const std::string prefix = "/api/v1/attempts/";
    const std::int64_t attempt = std::stoll(request.target.substr(prefix.size()));
    const std::int64_t index = boost::json::parse(request.request_body).at("index").as_int64();
    auto& entry = highest[attempt];
    if (entry.token.empty() || index > entry.index) {
      entry = {attempt, index, request.token};
    }
  }
  return highest;
}

fs::perms permissions_of(const fs::path& file) {
  return fs::status(file).permissions() & fs::perms::mask;
}

}  // namespace

// Runs `leaderboards verify` until Redis and SQLite agree; false if they never do (the last
// verification's output is then part of the failure's message).
bool leaderboards_agree(const server_fixture& server) {
  std::string last_output;
  const bool agreed = wait_until(
      [&] {
        auto [status, output] =
            server.admin("leaderboards --config '" + server.config_file().string() + "' verify");
        last_output = std::move(output);
        return status == 0;
      },
      patient_deadline, std::chrono::milliseconds{100});
  UNSCOPED_INFO("leaderboards verify: " << last_output);
  return agreed;
}

TEST_CASE("a backup taken under load restores into a server that holds every acknowledged answer",
          "[backup]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  participant_load load(server, 4, 24, "1361234", std::chrono::milliseconds{5});
  wait_for_answers(load, 30);

  const temporary_directory backups;
  const fs::path destination = backups.path() / "2021-06-16";
  const auto backup_started = monotonic_now();
  const auto [status, output] = server.admin("backup '" + destination.string() + "'");
  INFO(output);
  REQUIRE(status == 0);
  CHECK(output.find("WARNING: anquanli.db and server.key belong together") != std::string::npos);
  // The server kept serving: challenges go on being completed after the backup (so Redis gets
  // ahead of the backup), and nothing failed.
  const std::size_t completed_at_backup = load.challenges_completed();
  REQUIRE(wait_until([&] { return load.challenges_completed() >= completed_at_backup + 2; }));
  load.stop();
  CHECK(load.failures().empty());
  CHECK(permissions_of(destination / "server.key") ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(permissions_of(destination / "anquanli.db") ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_FALSE(fs::exists(destination / "anquanli.db-wal"));
  const auto acknowledged = acknowledged_before(load, backup_started);
  REQUIRE(acknowledged.size() >= 3);

  REQUIRE(server.stop() == 0);

  // The restore drill of docs/operations.md: stop, replace the data directory's database and key,
  // rebuild the leaderboards from the restored database, start.
  server_fixture restored(options);
  REQUIRE(restored.stop() == 0);
  for (const char* name : {"anquanli.db", "anquanli.db-wal", "anquanli.db-shm", "server.key"}) {
    fs::remove(restored.data_dir() / name);
  }
  fs::copy_file(destination / "anquanli.db", restored.data_dir() / "anquanli.db");
  fs::copy_file(destination / "server.key", restored.data_dir() / "server.key");
  const auto rebuilt =
      restored.admin("leaderboards --config '" + restored.config_file().string() + "' rebuild");
  INFO(rebuilt.second);
  REQUIRE(rebuilt.first == 0);
  restored.start();
  auto client = restored.client();
  for (const auto& [attempt, answer] : acknowledged) {
    const auto seen = client.get("/api/v1/attempts/" + std::to_string(attempt), answer.token);
    INFO("attempt " << attempt << ": " << seen.body);
    REQUIRE(seen.status == 200);
    CHECK(seen.json().at("answered").as_int64() > answer.index);
  }
  // A challenge on the restored server reaches the leaderboards, which agree with SQLite.
  const std::string newcomer = restored.participant(client, "13712340000");
  restored.take_challenge(client, newcomer, 10);
  CHECK(leaderboards_agree(restored));
  // A second backup of the restored server is refused into the same, non-empty directory.
  const auto again = restored.admin("backup '" + destination.string() + "'");
  CHECK(again.first == 1);
  CHECK(again.second.find("is not empty") != std::string::npos);
}

TEST_CASE("backup refuses a data directory without a database and creates nothing", "[backup]") {
  server_fixture server;
  const temporary_directory elsewhere;
  const auto destination = elsewhere.path() / "backup";
  const std::string command = std::string{ANQUANLI_ADMIN_BINARY} + " --data-dir '" +
                              (elsewhere.path() / "dta").string() + "' backup '" +
                              destination.string() + "' 2>&1";
  CHECK(std::system(command.c_str()) != 0);
  CHECK_FALSE(fs::exists(elsewhere.path() / "dta"));
  CHECK_FALSE(fs::exists(destination));
}
