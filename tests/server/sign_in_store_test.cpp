// Sign-in limits in storage, on a real SQLite file, with instants chosen by the test: a phone
// whose code dies waits twice as long each time, the wait tells nobody whether the phone has
// signed up, a client address is throttled (never locked) for wrong codes, and the sweeper's
// housekeeping removes only what no longer matters.
#include <catch2/catch.hpp>

#include "server/store/competition_store.hpp"
#include "server/store/schema.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;
using namespace std::chrono_literals;

namespace {

struct store_fixture {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db"};
  secrets keys{directory.path()};
  competition_rules rules;
  auth_config auth;
  instant now = instant{std::chrono::milliseconds{1'623'805'200'000}};  // 2021-06-16 09:00 +08

  store_fixture() { apply_migrations(database, database_migrations()); }

  competition_store store() { return competition_store(database, rules, keys, auth); }

  code_request_result ask(const std::string& phone, const std::string& address = "10.0.0.1") {
    return store().request_code(phone, address, now);
  }
  login_result try_code(const std::string& phone, const std::string& code,
                        const std::string& address = "10.0.0.1") {
    return store().login(phone, code, address, now);
  }
  std::int64_t count(const std::string& table) {
    auto statement = database.prepare("SELECT COUNT(*) FROM " + table);
    statement.step();
    return statement.column_int64(0);
  }
};

}  // namespace

TEST_CASE("a phone whose code dies of wrong tries waits, twice as long each time", "[sign-in]") {
  store_fixture f;
  const std::string phone = "13800000001";
  REQUIRE(f.ask(phone).outcome == code_request_outcome::sent);
  for (int i = 0; i < f.auth.code_attempts; ++i) {
    CHECK(f.try_code(phone, "000000").outcome == login_outcome::invalid_code);
  }
  auto locked = f.try_code(phone, "000000");
  CHECK(locked.outcome == login_outcome::locked);
  CHECK(locked.retry_after_s == f.auth.phone_lock.count());
  CHECK(f.ask(phone).outcome == code_request_outcome::too_soon);

  f.now += f.auth.phone_lock + 1s;
  REQUIRE(f.ask(phone).outcome == code_request_outcome::sent);
  for (int i = 0; i < f.auth.code_attempts; ++i) {
    f.try_code(phone, "000000");
  }
  CHECK(f.try_code(phone, "000000").retry_after_s == 2 * f.auth.phone_lock.count());

  f.now += 2 * f.auth.phone_lock + 1s;
  const auto sent = f.ask(phone);
  REQUIRE(sent.outcome == code_request_outcome::sent);
  CHECK(f.try_code(phone, sent.code).outcome == login_outcome::signed_in);
  // Signing in forgives: the next lock starts from the first wait again.
  REQUIRE(f.ask(phone).outcome == code_request_outcome::too_soon);  // the resend interval
}

TEST_CASE("the wait never tells whether a phone has signed up", "[sign-in]") {
  store_fixture f;
  const std::string known = "13800000002";
  const std::string unknown = "13800000003";
  const auto sent = f.ask(known);
  REQUIRE(f.try_code(known, sent.code).outcome == login_outcome::signed_in);
  f.now += 1h;
  f.ask(known);
  for (const auto& phone : {known, unknown}) {
    for (int i = 0; i < f.auth.code_attempts; ++i) {
      CHECK(f.try_code(phone, "000000").outcome == login_outcome::invalid_code);
    }
    const auto locked = f.try_code(phone, "000000");
    CHECK(locked.outcome == login_outcome::locked);
    CHECK(locked.retry_after_s == f.auth.phone_lock.count());
    const auto asked = f.ask(phone);
    CHECK(asked.outcome == code_request_outcome::too_soon);
    CHECK(asked.retry_after_s == f.auth.phone_lock.count());
  }
}

TEST_CASE("a phone gets at most its codes per hour and per day", "[sign-in]") {
  store_fixture f;
  f.auth.resend_after = 0s;
  const std::string phone = "13800000004";
  for (int i = 0; i < f.auth.codes_per_phone_per_hour; ++i) {
    CHECK(f.ask(phone).outcome == code_request_outcome::sent);
  }
  const auto refused = f.ask(phone);
  CHECK(refused.outcome == code_request_outcome::too_soon);
  CHECK(refused.retry_after_s > 0);
  CHECK(refused.retry_after_s <= 3600);
  f.now += 1h;
  for (int i = 0; i < f.auth.codes_per_phone_per_day - f.auth.codes_per_phone_per_hour; ++i) {
    CHECK(f.ask(phone).outcome == code_request_outcome::sent);
  }
  f.now += 1h;
  CHECK(f.ask(phone).outcome == code_request_outcome::too_soon);  // the day's codes are spent
  f.now += 24h;
  CHECK(f.ask(phone).outcome == code_request_outcome::sent);
}

TEST_CASE("wrong codes throttle an address but never lock out a right code for long", "[sign-in]") {
  store_fixture f;
  f.auth.resend_after = 0s;
  const std::string address = "203.0.113.7";
  int throttled_after = -1;
  for (int i = 0; i < 200 && throttled_after < 0; ++i) {
    const std::string phone = "1390000" + std::to_string(1000 + i);
    if (f.try_code(phone, "123456", address).outcome == login_outcome::throttled) {
      throttled_after = i;
    }
  }
  CHECK(throttled_after == f.auth.wrong_codes_per_address_burst);
  // Another address is untouched.
  const auto sent = f.ask("13800000005", "198.51.100.1");
  CHECK(f.try_code("13800000005", sent.code, "198.51.100.1").outcome == login_outcome::signed_in);
  // The throttle refills: one token after 3600 / per_hour seconds.
  const auto waiting = f.try_code("13800000006", "123456", address);
  REQUIRE(waiting.outcome == login_outcome::throttled);
  f.now += std::chrono::seconds{waiting.retry_after_s};
  const auto again = f.ask("13800000006", address);
  CHECK(f.try_code("13800000006", again.code, address).outcome == login_outcome::signed_in);
}

TEST_CASE("housekeeping removes expired sign-in rows in batches and keeps the rest", "[sign-in]") {
  store_fixture f;
  f.auth.resend_after = 0s;
  for (int i = 0; i < 30; ++i) {
    const std::string phone = "1370000" + std::to_string(1000 + i);
    const auto sent = f.ask(phone, "10.0.0." + std::to_string(i));
    f.try_code(phone, sent.code, "10.0.0." + std::to_string(i));
    f.try_code(phone, "000000", "10.1.0." + std::to_string(i));
  }
  REQUIRE(f.count("tokens") == 30);
  REQUIRE(f.count("throttles") == 30);
  CHECK(f.store().remove_expired(f.now, 500) == 0);  // nothing has expired yet

  f.now += f.auth.token_ttl + 25h;
  const int first = f.store().remove_expired(f.now, 10);
  CHECK(first > 0);
  CHECK(f.count("tokens") == 20);  // at most one batch of each kind per round
  while (f.store().remove_expired(f.now, 10) > 0) {
  }
  CHECK(f.count("tokens") == 0);
  CHECK(f.count("throttles") == 0);
  CHECK(f.count("code_requests") == 0);
  CHECK(f.count("phone_code_requests") == 0);
  CHECK(f.count("auth_codes") == 0);
  CHECK(f.count("participants") == 30);  // people are never housekeeping
}
