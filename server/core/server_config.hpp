// Everything anquanli-server is told at start-up, read from a TOML file (see docs/configuration.md
// for every key and its default). Bad configuration is reported all at once and stops start-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/competition_rules.hpp"
#include "engine/instant.hpp"
#include "server/core/address_range.hpp"

namespace anquanli {

struct prize_config {
  std::string id;
  std::string name;
  std::int64_t total = 0;
  std::optional<std::int64_t> daily_cap;
  double probability = 0.0;
};

// The 练功房 practice room ([practice]): papers of `questions` questions, `per_day` a day each.
struct practice_config {
  bool enabled = true;
  int questions = 10;
  int per_day = 6;
};

// The issued 通报's document ([bulletin]): who issues it, its title ({competition} and {as_of}
// are filled in) and whom it is copied to (抄送).
struct bulletin_settings {
  std::string issuer;
  std::string title = "关于“{competition}”网络竞赛参与情况的通报（截至{as_of}）";
  std::vector<std::string> copy_to;
};

// The campaign's reporting forms ([reporting]): the days by which 附件2 (the 联络员) and 附件1 (the
// 活动进展情况统计表) are due; a later submission is kept and flagged late. Unset: 5月31日 and
// 7月5日 of the competition's year, as in the notice.
struct reporting_settings {
  day_key contacts_due{std::chrono::year{2021} / std::chrono::May / 31};
  day_key progress_due{std::chrono::year{2021} / std::chrono::July / 5};
};

// The 6·16 big screen ([screen], issue 17): who may watch it, how many may at once, how often
// its figures are recomputed (once for every viewer) and how often an idle stream says it lives.
struct screen_config {
  bool is_public = false;  // true: anyone may open /screen; false: an office sign-in or the token
  std::size_t max_viewers = 2000;            // open streams beyond this get 503 screen_full
  std::chrono::milliseconds interval{1000};  // one computed update per interval, for everyone
  std::chrono::seconds heartbeat{15};        // a comment frame on every stream this often
  std::string token_hash;  // BLAKE2b-256 hex of the read-only screen token; empty: none
};

// A support line shown on /help ([competition] contacts).
struct contact_line {
  std::string name;
  std::string phone;
};

struct listen_address {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

// Sign-in codes and their limits (docs/configuration.md, [auth]). Limits per phone stop SMS
// bombing and guessing; limits per client address are throttles (429 with Retry-After), generous
// enough for a unit of 300 people behind one address, and never lock a right code out.
struct auth_config {
  // log | file:PATH | webhook:http[s]://HOST[:PORT]/PATH | aliyun | tencentcloud
  std::string code_sender = "log";
  std::chrono::seconds token_ttl{12 * 3600};
  std::chrono::seconds code_ttl{300};
  int code_attempts = 5;  // wrong tries before a code dies and its phone waits
  std::chrono::seconds resend_after{60};
  int codes_per_phone_per_hour = 5;
  int codes_per_phone_per_day = 10;
  // The first wait of a phone whose code died of wrong tries; each further one doubles, up to a
  // day, until the phone signs in.
  std::chrono::seconds phone_lock{300};
  int codes_per_address_per_hour = 600;
  int codes_per_address_per_day = 3000;  // the SMS budget of one client address
  int wrong_codes_per_address_burst = 30;
  int wrong_codes_per_address_per_hour = 120;
};

// The SMS provider behind the `aliyun` and `tencentcloud` code senders
// (server/app/sms_senders.hpp). The credentials are never here: they come from the environment or a
// file only the server's user may read (`credentials_file`).
struct sms_config {
  std::string sign_name;                // 短信签名, as approved by the provider
  std::string template_id;              // Alibaba Cloud TemplateCode / Tencent Cloud TemplateId
  std::string template_param = "code";  // Alibaba Cloud: the template's variable for the code
  std::string app_id;                   // Tencent Cloud SmsSdkAppId
  std::string region;            // empty: the provider's default (cn-hangzhou / ap-guangzhou)
  std::string endpoint;          // empty: the provider's; else https://HOST[:PORT] (tests, proxies)
  std::string credentials_file;  // empty: ANQUANLI_SMS_ACCESS_KEY_ID / _SECRET from the environment
  std::string ca_file;           // empty: the system's CA certificates
  std::chrono::milliseconds timeout{5000};  // for one try: connect, TLS, request and response
  int attempts = 3;  // tries after a connection failure, a timeout or a 5xx, with backoff
};

struct http_limits {
  std::size_t body_bytes = std::size_t{16} * 1024;
  std::size_t header_bytes = std::size_t{8} * 1024;
  std::chrono::seconds read_timeout{10};  // to receive one whole request once it has begun
  std::chrono::seconds idle_timeout{30};  // between requests on a keep-alive connection
  std::size_t max_connections = 16000;
  // Connections one client address may hold open (trusted proxies are exempt: they carry many).
  std::size_t max_connections_per_address = 256;
  // API requests being handled at once (read, not yet answered) beyond which new ones get 503 at
  // once: when the CPUs are the bottleneck, queueing more only makes every answer late.
  std::size_t max_requests_in_flight = 1024;
  // Reverse proxies whose X-Forwarded-For is believed (server/http/client_address.hpp).
  std::vector<address_range> trusted_proxies;
  // Leaderboard reads a second, all clients together, while participants are at work; 0: never
  // paced (server/http/shared_read_pacer.hpp).
  std::int64_t shared_reads_when_busy = 1000;
};

struct server_config {
  listen_address listen;
  std::filesystem::path data_dir = "data";
  competition_rules competition;
  std::vector<contact_line> contacts;  // [competition] contacts, shown on /help
  std::string privacy_notice;          // [competition] privacy_notice, shown on /help
  practice_config practice;
  bulletin_settings bulletin;
  reporting_settings reporting;
  screen_config screen;
  bool participant_boards = true;      // [leaderboards] participants: personal rankings in Redis
  std::optional<instant> clock_start;  // the clock starts at this instant and runs on
  auth_config auth;
  sms_config sms;
  std::string redis_address;  // host:port; empty = no Redis
  // The longest a Redis command may take before the client gives up on the connection and its
  // caller falls back to SQLite: it bounds how long a hung Redis can hold a leaderboard request.
  std::chrono::milliseconds redis_command_timeout{200};
  // The same bound for the leaderboards' reads, which have a connection of their own: a read that
  // takes longer only makes its request fall back to SQLite (Redis is not counted as down).
  std::chrono::milliseconds redis_read_timeout{200};
  // The browser pages. Unset: the pages installed beside the binary, else `web` in the working
  // directory (server/app/web_root.hpp).
  std::optional<std::filesystem::path> web_root;
  // Who may read /metrics: Prometheus on the same host by default.
  std::vector<address_range> metrics_allow = {*address_range::parse("127.0.0.0/8"),
                                              *address_range::parse("::1/128")};
  std::vector<prize_config> prizes;
  http_limits limits;
  int io_threads = 2;
  std::string sqlite_synchronous = "FULL";
  std::chrono::milliseconds sweep_interval{2000};
  // Participant tokens kept in memory (server/durable/token_cache.hpp); 0 turns the cache off.
  std::size_t token_cache_entries = 500000;
  std::size_t max_write_queue = 20000;  // writes waiting for the writer before new ones get 503
  // New writes get 503 while the oldest waiting write has waited longer than this: under overload
  // the writer keeps working at full speed on requests that can still be answered in time, and
  // the excess is refused at once instead of queueing into timeouts.
  std::chrono::milliseconds max_write_wait{250};
  // The same for writes that begin work (sign-in, a new challenge), kept lower so that under
  // overload new arrivals are turned away first and challenges under way keep the writer.
  std::chrono::milliseconds max_write_wait_new{50};
};

struct config_result {
  server_config config;
  std::vector<std::string> problems;  // empty when the configuration is usable
};

// Reads and checks a TOML file. Unknown keys are problems too (a typo must not pass silently).
[[nodiscard]] config_result load_server_config(const std::filesystem::path& file);

// Parses the same TOML from a string (for tests).
[[nodiscard]] config_result parse_server_config(std::string_view toml_text);

// True for the code senders that are SMS providers (`aliyun`, `tencentcloud`).
[[nodiscard]] bool is_sms_sender(std::string_view code_sender);

// "HOST:PORT"; empty on error.
[[nodiscard]] std::optional<listen_address> parse_listen_address(std::string_view text);

}  // namespace anquanli
