// An upgrade: today's anquanli-server started on a database of the previous release
// (tests/fixtures/upgrade-from-v5, schema version 5, with its server.key) migrates it to the
// current schema and serves what it held: the participants, with the tokens they already had,
// their finished challenges and points, the prize won, and the office's account and bulletin.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "server/store/schema.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace fs = std::filesystem;

namespace {

const fs::path fixture_dir = fs::path{ANQUANLI_SOURCE_DIR} / "tests/fixtures/upgrade-from-v5";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

int schema_version(const fs::path& database_file) {
  sqlite_database database(database_file, open_mode::read_only);
  return database.user_version();
}

}  // namespace

TEST_CASE("a database of the previous release is migrated and served by today's server",
          "[upgrade]") {
  const auto expected = boost::json::parse(read_text(fixture_dir / "fixture.json")).as_object();
  // The configuration the old server ran with: its competition, 5 questions a challenge.
  fixture_options options;
  options.competition_id = std::string{expected.at("competition_id").as_string()};
  options.extra_competition = "questions_per_attempt = 5";
  options.quotas = "";
  server_fixture server(options);
  // The upgrade, as docs/operations.md has it: stop, put the old data directory in place, start.
  REQUIRE(server.stop() == 0);
  for (const char* name : {"anquanli.db", "anquanli.db-wal", "anquanli.db-shm", "server.key"}) {
    fs::remove(server.data_dir() / name);
  }
  {
    sqlite_database old(server.data_dir() / "anquanli.db");
    old.execute(read_text(fixture_dir / "anquanli.sql"));
  }
  fs::copy_file(fixture_dir / "server.key", server.data_dir() / "server.key");
  REQUIRE(schema_version(server.data_dir() / "anquanli.db") ==
          expected.at("schema_version").as_int64());
  server.start();
  CHECK(schema_version(server.data_dir() / "anquanli.db") == database_migrations().back().version);

  auto client = server.client();
  for (const auto& entry : expected.at("participants").as_array()) {
    const auto& participant = entry.as_object();
    const std::string token{participant.at("token").as_string()};
    const auto me = client.get("/api/v1/me", token);
    INFO(me.body);
    REQUIRE(me.status == 200);
    CHECK(me.json().at("name") == participant.at("name"));
    CHECK(me.json().at("totals").at("points") == participant.at("points"));
    const auto attempt = client.get(
        "/api/v1/attempts/" + std::to_string(participant.at("attempt").as_int64()), token);
    INFO(attempt.body);
    REQUIRE(attempt.status == 200);
    CHECK(attempt.json().at("status") == "finished");
    CHECK(attempt.json().at("result").at("points") == participant.at("points"));
  }
  const auto draws =
      client.get("/api/v1/draws", expected.at("participants").at(0).at("token").as_string());
  REQUIRE(draws.status == 200);
  CHECK(draws.body.find("安全应急包") != std::string::npos);

  const auto& office = expected.at("admin").as_object();
  const auto login =
      client.post("/api/v1/admin/login", boost::json::object{{"username", office.at("username")},
                                                             {"password", office.at("password")}});
  INFO(login.body);
  REQUIRE(login.status == 200);
}
