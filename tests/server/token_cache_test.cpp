// The token cache answers only for what it was told the database holds, forgets at expiry and on
// request, and stays within its bound. The store's side (a sign-in's token found by its keyed
// hash, with its expiry) runs on a real SQLite file.
#include "server/durable/token_cache.hpp"

#include <catch2/catch.hpp>

#include "server/store/competition_store.hpp"
#include "server/store/schema.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;
using namespace std::chrono_literals;

namespace {

const instant start{std::chrono::milliseconds{1'623'805'200'000}};  // 2021-06-16 09:00 +08

}  // namespace

TEST_CASE("the token cache answers until the token's expiry and never for an unknown token",
          "[token-cache]") {
  token_cache cache(100);
  CHECK_FALSE(cache.find("h1", start).has_value());
  cache.remember("h1", participant_id{7}, start + 3min, start);
  CHECK(cache.find("h1", start + 2min) == participant_id{7});
  CHECK_FALSE(cache.find("h1", start + 3min).has_value());  // expired: gone, not just hidden
  CHECK(cache.size() == 0);
  cache.remember("h2", participant_id{8}, start + 1h, start);
  cache.forget("h2");
  CHECK_FALSE(cache.find("h2", start).has_value());
}

TEST_CASE("the token cache keeps within its capacity and evicts the oldest first",
          "[token-cache]") {
  token_cache cache(160);  // 16 shards of 10
  for (int i = 0; i < 10'000; ++i) {
    cache.remember("token-" + std::to_string(i), participant_id{i}, start + 1h, start);
  }
  CHECK(cache.size() <= 160);
  CHECK(cache.size() >= 100);
  // The newest survive; the first ones were evicted.
  CHECK(cache.find("token-9999", start) == participant_id{9999});
  CHECK_FALSE(cache.find("token-0", start).has_value());
}

TEST_CASE("the token cache asks the database again after its recheck time", "[token-cache]") {
  token_cache cache(100, std::chrono::minutes{5});
  cache.remember("h1", participant_id{7}, start + 12h, start);
  CHECK(cache.find("h1", start + 4min) == participant_id{7});
  CHECK_FALSE(cache.find("h1", start + 5min).has_value());
  cache.remember("h1", participant_id{7}, start + 12h, start + 5min);
  CHECK(cache.find("h1", start + 9min) == participant_id{7});
}

TEST_CASE("a token cache of capacity 0 remembers nothing", "[token-cache]") {
  token_cache cache(0);
  cache.remember("h1", participant_id{7}, start + 1h, start);
  CHECK_FALSE(cache.find("h1", start).has_value());
  CHECK(cache.size() == 0);
}

TEST_CASE("a sign-in's token is found by its keyed hash with its participant and expiry",
          "[token-cache]") {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db"};
  apply_migrations(database, database_migrations());
  const secrets keys{directory.path()};
  const competition_rules rules;
  const auth_config auth;
  competition_store store(database, rules, keys, auth);
  const auto sent = store.request_code("13800000001", "10.0.0.1", start);
  REQUIRE(sent.outcome == code_request_outcome::sent);
  const login_result signed_in = store.login("13800000001", sent.code, "10.0.0.1", start);
  REQUIRE(signed_in.outcome == login_outcome::signed_in);
  CHECK(signed_in.participant.value() > 0);

  const std::string hash = keys.keyed_hash("token", signed_in.token);
  const auto holder = store.find_token(hash, start);
  REQUIRE(holder.has_value());
  CHECK(holder->who == signed_in.participant);
  CHECK(holder->expires_at == signed_in.expires_at);
  CHECK_FALSE(store.find_token(hash, signed_in.expires_at).has_value());
  CHECK_FALSE(store.find_token(keys.keyed_hash("token", "not-a-token"), start).has_value());
}
