#include "server/core/server_config.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace anquanli;

TEST_CASE("an empty configuration gives the documented defaults", "[config]") {
  const auto loaded = parse_server_config("");
  CHECK(loaded.problems.empty());
  CHECK(loaded.config.listen.host == "127.0.0.1");
  CHECK(loaded.config.listen.port == 8080);
  CHECK(loaded.config.competition.questions_per_attempt == 15);
  CHECK(loaded.config.auth.code_sender == "log");
  CHECK(loaded.config.auth.token_ttl == std::chrono::hours{12});
  CHECK(loaded.config.limits.body_bytes == 16 * 1024);
  CHECK(loaded.config.redis_command_timeout == std::chrono::milliseconds{200});
  CHECK(loaded.config.redis_read_timeout == std::chrono::milliseconds{200});
  CHECK(loaded.config.limits.max_connections == 16000);
  CHECK(loaded.config.limits.max_requests_in_flight == 1024);
  CHECK(loaded.config.max_write_wait == std::chrono::milliseconds{250});
  CHECK(loaded.config.max_write_wait_new == std::chrono::milliseconds{50});
  CHECK_FALSE(loaded.config.clock_start);
}

TEST_CASE("every binding key is read", "[config]") {
  const auto loaded = parse_server_config(R"(
listen = "0.0.0.0:9000"
data_dir = "/srv/anquanli"
[competition]
id = "nx-2022"
title = "安全知识竞赛"
starts_on = "2022-06-01"
ends_on = "2022-06-30"
utc_offset = "+08:00"
questions_per_attempt = 10
attempts_per_day = 2
correct_per_draw = 4
draw_rule = "consecutive"
question_time_limit_s = 0
attempt_time_limit_s = 600
end_on_wrong = true
shuffle_options = false
[competition.points]
per_attempt = 2
per_correct = 3
perfect_bonus = 5
[competition.quotas]
"法律法规" = 6
"安全管理" = 4
[clock]
start = "2022-06-02T10:00:00+08:00"
[auth]
code_sender = "file:/tmp/codes.jsonl"
token_ttl_s = 3600
[redis]
address = "127.0.0.1:6379"
command_timeout_ms = 150
read_timeout_ms = 900
[server]
max_requests_in_flight = 64
max_write_wait_ms = 75
max_write_wait_new_ms = 20
trusted_proxies = ["127.0.0.1/32", "fd00::/8"]
[[prizes]]
id = "P1"
name = "应急包"
total = 5
daily_cap = 1
probability = 0.5
)");
  INFO((loaded.problems.empty() ? std::string{} : loaded.problems.front()));
  REQUIRE(loaded.problems.empty());
  const auto& config = loaded.config;
  CHECK(config.listen.port == 9000);
  CHECK(config.data_dir == "/srv/anquanli");
  CHECK(config.competition.id == "nx-2022");
  CHECK(config.competition.attempts_per_day == 2);
  CHECK(config.competition.draws == draw_rule::consecutive);
  CHECK(config.competition.question_time_limit.count() == 0);
  CHECK(config.competition.end_on_wrong);
  CHECK_FALSE(config.competition.shuffle_options);
  CHECK(config.competition.points.per_correct == 3);
  CHECK(config.competition.quotas.size() == 2);
  CHECK(config.clock_start.has_value());
  CHECK(config.auth.token_ttl == std::chrono::hours{1});
  CHECK(config.redis_address == "127.0.0.1:6379");
  CHECK(config.redis_command_timeout == std::chrono::milliseconds{150});
  CHECK(config.redis_read_timeout == std::chrono::milliseconds{900});
  CHECK(config.limits.max_requests_in_flight == 64);
  CHECK(config.max_write_wait == std::chrono::milliseconds{75});
  CHECK(config.max_write_wait_new == std::chrono::milliseconds{20});
  REQUIRE(config.limits.trusted_proxies.size() == 2);
  CHECK(config.limits.trusted_proxies[1].contains("fd00::9"));
  REQUIRE(config.prizes.size() == 1);
  CHECK(config.prizes[0].daily_cap == 1);
}

TEST_CASE("bad configuration is reported problem by problem", "[config]") {
  const auto loaded = parse_server_config(R"(
listen = "nowhere"
lisen = "typo"
[competition]
starts_on = "2021-13-01"
draw_rule = "sometimes"
questions_per_attempt = "fifteen"
[clock]
start = "yesterday"
[auth]
code_sender = "carrier-pigeon"
[[prizes]]
id = "P1"
name = "甲"
probability = 0.7
[[prizes]]
id = "P2"
name = "乙"
probability = 0.7
)");
  const auto has = [&](const std::string& fragment) {
    return std::any_of(
        loaded.problems.begin(), loaded.problems.end(),
        [&](const std::string& problem) { return problem.find(fragment) != std::string::npos; });
  };
  CHECK(has("'listen' must be IPV4:PORT"));
  CHECK(parse_server_config("listen = \"localhost:80\"").problems.size() == 1);
  CHECK(parse_server_config("prizes = 5").problems.front().find("array of tables") !=
        std::string::npos);
  CHECK(has("unknown key 'lisen'"));
  CHECK(has("'competition.starts_on' must be YYYY-MM-DD"));
  CHECK(has("draw_rule"));
  CHECK(has("'competition.questions_per_attempt' has the wrong type"));
  CHECK(has("'clock.start' must be RFC 3339"));
  CHECK(has("'auth.code_sender'"));
  CHECK(has("add up to more than 1"));
  CHECK(parse_server_config("[redis]\ncommand_timeout_ms = 5")
            .problems.front()
            .find("'redis.command_timeout_ms'") == 0);
  CHECK(parse_server_config("[redis]\nread_timeout_ms = 20000")
            .problems.front()
            .find("'redis.read_timeout_ms' must be from 10 to 10000") == 0);
  CHECK(parse_server_config("listen = ").problems.front().find("TOML syntax error") == 0);
  CHECK(parse_server_config("[server]\ntrusted_proxies = [\"10.0.0.0/40\"]")
            .problems.front()
            .find("'server.trusted_proxies': '10.0.0.0/40' is not an address") == 0);
  CHECK(parse_server_config("[server]\ntrusted_proxies = \"10.0.0.0/8\"")
            .problems.front()
            .find("must be an array of strings") != std::string::npos);
}

TEST_CASE("new work never waits longer for the writer than work under way", "[config]") {
  // Unset, the wait for new work follows a lower max_write_wait_ms down.
  const auto lowered = parse_server_config("[server]\nmax_write_wait_ms = 30\n");
  REQUIRE(lowered.problems.empty());
  CHECK(lowered.config.max_write_wait_new == std::chrono::milliseconds{30});
  // Set higher than it, it is a configuration error.
  const auto inverted =
      parse_server_config("[server]\nmax_write_wait_ms = 100\nmax_write_wait_new_ms = 200\n");
  REQUIRE(inverted.problems.size() == 1);
  CHECK(inverted.problems.front().find("[server] limit") != std::string::npos);
}

TEST_CASE("the SMS senders' table is read and what they need is checked", "[config]") {
  const auto loaded = parse_server_config(R"(
[auth]
code_sender = "tencentcloud"
[sms]
sign_name = "安全生产月"
template_id = "1234567"
app_id = "1400000001"
region = "ap-nanjing"
endpoint = "https://sms.example.internal:8443"
credentials_file = "/etc/anquanli/sms-credentials"
ca_file = "/etc/ssl/certs/ca-certificates.crt"
timeout_ms = 2000
attempts = 2
[web]
root = "/srv/anquanli/web"
)");
  INFO((loaded.problems.empty() ? std::string{} : loaded.problems.front()));
  REQUIRE(loaded.problems.empty());
  const auto& sms = loaded.config.sms;
  CHECK(sms.sign_name == "安全生产月");
  CHECK(sms.template_id == "1234567");
  CHECK(sms.app_id == "1400000001");
  CHECK(sms.region == "ap-nanjing");
  CHECK(sms.endpoint == "https://sms.example.internal:8443");
  CHECK(sms.credentials_file == "/etc/anquanli/sms-credentials");
  CHECK(sms.timeout == std::chrono::milliseconds{2000});
  CHECK(sms.attempts == 2);
  CHECK(loaded.config.web_root == std::filesystem::path{"/srv/anquanli/web"});
  CHECK_FALSE(parse_server_config("").config.web_root);

  const auto problems = [](const std::string& text) { return parse_server_config(text).problems; };
  CHECK(problems("[auth]\ncode_sender = \"webhook:https://gw.example/sms\"\n").empty());
  CHECK(problems("[auth]\ncode_sender = \"aliyun\"\n").size() == 1);  // sign_name, template_id
  CHECK(problems("[auth]\ncode_sender = \"tencentcloud\"\n[sms]\nsign_name = \"a\"\n"
                 "template_id = \"1\"\n")
            .size() == 1);  // app_id
  CHECK(problems("[sms]\nendpoint = \"http://plain.example\"\n").size() == 1);
  CHECK(problems("[sms]\naccess_key_secret = \"no\"\n").size() == 1);  // never in the TOML
  CHECK(problems("[sms]\nattempts = 0\n").size() == 1);
}

namespace {

std::string source_file(const std::string& relative) {
  std::ifstream in(std::filesystem::path{ANQUANLI_SOURCE_DIR} / relative, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_CASE("the example configuration is valid and names every documented key", "[config]") {
  const std::string example = source_file("config/anquanli.example.toml");
  const auto loaded = parse_server_config(example);
  INFO((loaded.problems.empty() ? std::string{} : loaded.problems.front()));
  CHECK(loaded.problems.empty());
  CHECK(loaded.config.auth.code_sender == "aliyun");
  CHECK(loaded.config.data_dir == "/var/lib/anquanli");
  CHECK_FALSE(loaded.config.clock_start);
  CHECK_FALSE(loaded.config.web_root);

  // Every key row of docs/configuration.md's tables (a row whose second column is a value's type),
  // as a line of the example, set or commented out: "key = …" or "# key = …".
  const std::string docs = source_file("docs/configuration.md");
  const std::regex row{R"(\n\| `([a-z_]+)` \| ([^|]+) \|)"};
  int documented = 0;
  for (auto it = std::sregex_iterator(docs.begin(), docs.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string key = (*it)[1];
    const std::string type = (*it)[2];
    if (!std::regex_search(type, std::regex{"^(string|integer|boolean|number|array of strings)"})) {
      continue;  // a table, or a row of another kind of table (the code senders)
    }
    ++documented;
    INFO("the example lacks " << key);
    CHECK(std::regex_search(example, std::regex{"(^|\n)(# )?" + key + " = "}));
  }
  CHECK(documented > 40);
}

TEST_CASE("[screen] is private by default and its bounds are checked", "[config][screen]") {
  const auto defaults = parse_server_config("");
  CHECK_FALSE(defaults.config.screen.is_public);
  CHECK(defaults.config.screen.max_viewers == 2000);
  CHECK(defaults.config.screen.interval == std::chrono::milliseconds{1000});
  CHECK(defaults.config.screen.heartbeat == std::chrono::seconds{15});
  CHECK(defaults.config.screen.token_hash.empty());
  const auto set = parse_server_config(
      "[screen]\npublic = true\nmax_viewers = 10\ninterval_ms = 500\nheartbeat_s = 5\n"
      "token_hash = \"" +
      std::string(64, 'a') + "\"\n");
  CHECK(set.problems.empty());
  CHECK(set.config.screen.is_public);
  CHECK(set.config.screen.max_viewers == 10);
  CHECK(set.config.screen.interval == std::chrono::milliseconds{500});
  CHECK(set.config.screen.heartbeat == std::chrono::seconds{5});
  for (const char* bad :
       {"max_viewers = 0", "interval_ms = 10", "heartbeat_s = 0", "heartbeat_s = 301",
        "token_hash = \"secret\"", "public = \"yes\"", "viewers = 3"}) {
    INFO(bad);
    CHECK(parse_server_config(std::string{"[screen]\n"} + bad + "\n").problems.size() == 1);
  }
}
