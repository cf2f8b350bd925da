#include "server/core/server_config.hpp"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/prize_draw.hpp"

namespace anquanli {

namespace {

// Reads typed values out of one TOML table, noting every problem and every key it did not know.
class table_reader {
 public:
  table_reader(const toml::table& table, std::string prefix, std::vector<std::string>& problems)
      : table_(table), prefix_(std::move(prefix)), problems_(problems) {}

  ~table_reader() {
    for (const auto& [key, value] : table_) {
      if (!known_.contains(std::string{key.str()})) {
        problems_.emplace_back("unknown key '" + prefix_ + std::string{key.str()} + "'");
      }
    }
  }
  table_reader(const table_reader&) = delete;
  table_reader& operator=(const table_reader&) = delete;

  void read(std::string_view key, std::string& target) {
    if (const toml::node* node = find(key)) {
      assign(key, node->is_string(), node->value<std::string>(), target);
    }
  }
  void read(std::string_view key, std::int64_t& target) {
    if (const toml::node* node = find(key)) {
      // Not value<>(): toml++ 3.3 casts a float such as 1e308 to int64 unchecked (UB).
      assign(key, node->is_integer(), node->value_exact<std::int64_t>(), target);
    }
  }
  void read(std::string_view key, double& target) {
    if (const toml::node* node = find(key)) {
      assign(key, node->is_number(), node->value<double>(), target);
    }
  }
  void read(std::string_view key, std::vector<std::string>& target) {
    const toml::node* node = find(key);
    if (node == nullptr) {
      return;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_homogeneous(toml::node_type::string)) {
      problems_.emplace_back("'" + prefix_ + std::string{key} + "' must be an array of strings");
      return;
    }
    target.clear();
    for (const auto& item : *array) {
      target.push_back(*item.value<std::string>());
    }
  }
  void read(std::string_view key, bool& target) {
    if (const toml::node* node = find(key)) {
      assign(key, node->is_boolean(), node->value<bool>(), target);
    }
  }

  const toml::table* table(std::string_view key) {
    known_.insert(std::string{key});
    const toml::node* node = table_.get(key);
    if (node != nullptr && !node->is_table()) {
      problems_.emplace_back("'" + prefix_ + std::string{key} + "' must be a table");
      return nullptr;
    }
    return node == nullptr ? nullptr : node->as_table();
  }

  const toml::array* array(std::string_view key) {
    known_.insert(std::string{key});
    const toml::node* node = table_.get(key);
    if (node != nullptr && !node->is_array_of_tables()) {
      problems_.emplace_back("'" + prefix_ + std::string{key} + "' must be an array of tables ([[" +
                             std::string{key} + "]])");
      return nullptr;
    }
    return node == nullptr ? nullptr : node->as_array();
  }

  [[nodiscard]] bool has(std::string_view key) const { return table_.get(key) != nullptr; }
  std::vector<std::string>& problems() { return problems_; }
  const std::string& prefix() const { return prefix_; }

 private:
  const toml::node* find(std::string_view key) {
    known_.insert(std::string{key});
    return table_.get(key);
  }

  template <class T>
  void assign(std::string_view key, bool right_type, std::optional<T> value, T& target) {
    if (right_type && value) {
      target = std::move(*value);
      return;
    }
    problems_.emplace_back("'" + prefix_ + std::string{key} + "' has the wrong type");
  }

  const toml::table& table_;
  std::string prefix_;
  std::vector<std::string>& problems_;
  std::set<std::string> known_;
};

int to_int(std::int64_t value) {
  return static_cast<int>(std::clamp<std::int64_t>(value, -1, 1'000'000'000));
}

void read_day(table_reader& reader, std::string_view key, day_key& target) {
  std::string text;
  reader.read(key, text);
  if (text.empty()) {
    return;
  }
  if (const auto day = parse_day_key(text)) {
    target = *day;
  } else {
    reader.problems().emplace_back("'" + reader.prefix() + std::string{key} +
                                   "' must be YYYY-MM-DD");
  }
}

void read_seconds(table_reader& reader, std::string_view key, std::chrono::seconds& target) {
  std::int64_t value = target.count();
  reader.read(key, value);
  target = std::chrono::seconds{value};
}

void read_points(table_reader& reader, points_rule& points) {
  const toml::table* table = reader.table("points");
  if (table == nullptr) {
    return;
  }
  table_reader inner(*table, "competition.points.", reader.problems());
  std::int64_t per_attempt = points.per_attempt;
  std::int64_t per_correct = points.per_correct;
  std::int64_t perfect_bonus = points.perfect_bonus;
  inner.read("per_attempt", per_attempt);
  inner.read("per_correct", per_correct);
  inner.read("perfect_bonus", perfect_bonus);
  points = {to_int(per_attempt), to_int(per_correct), to_int(perfect_bonus)};
}

void read_quotas(table_reader& reader, std::vector<category_quota>& quotas) {
  const toml::table* table = reader.table("quotas");
  if (table == nullptr) {
    return;
  }
  for (const auto& [category, count] : *table) {
    if (!count.is_integer()) {
      reader.problems().emplace_back("quota of '" + std::string{category.str()} +
                                     "' must be an integer");
      continue;
    }
    quotas.push_back({std::string{category.str()}, to_int(*count.value<std::int64_t>())});
  }
}

// [competition] contacts = [{name, phone}, …]: the support lines /help shows.
void read_contacts(table_reader& reader, std::vector<contact_line>& contacts) {
  const toml::array* array = reader.array("contacts");
  if (array == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string prefix = "competition.contacts[" + std::to_string(i + 1) + "].";
    table_reader item(*array->get(i)->as_table(), prefix, reader.problems());
    contact_line line;
    item.read("name", line.name);
    item.read("phone", line.phone);
    if (line.name.empty() || line.phone.empty()) {
      reader.problems().push_back(prefix + "name and phone must be set");
    }
    contacts.push_back(std::move(line));
  }
}

void read_competition(table_reader& root, server_config& config) {
  const toml::table* table = root.table("competition");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "competition.", root.problems());
  read_contacts(reader, config.contacts);
  reader.read("privacy_notice", config.privacy_notice);
  competition_rules& rules = config.competition;
  reader.read("id", rules.id);
  reader.read("title", rules.title);
  read_day(reader, "starts_on", rules.starts_on);
  read_day(reader, "ends_on", rules.ends_on);
  std::string offset = format_utc_offset(rules.offset);
  reader.read("utc_offset", offset);
  if (const auto parsed = parse_utc_offset(offset)) {
    rules.offset = *parsed;
  } else {
    reader.problems().emplace_back("'competition.utc_offset' must look like +08:00");
  }
  std::int64_t questions = rules.questions_per_attempt;
  std::int64_t attempts = rules.attempts_per_day;
  std::int64_t per_draw = rules.correct_per_draw;
  reader.read("questions_per_attempt", questions);
  reader.read("attempts_per_day", attempts);
  reader.read("correct_per_draw", per_draw);
  rules.questions_per_attempt = to_int(questions);
  rules.attempts_per_day = to_int(attempts);
  rules.correct_per_draw = to_int(per_draw);
  std::string draws{to_string(rules.draws)};
  reader.read("draw_rule", draws);
  if (draws == "total" || draws == "consecutive") {
    rules.draws = draws == "total" ? draw_rule::total : draw_rule::consecutive;
  } else {
    reader.problems().emplace_back(R"('competition.draw_rule' must be "total" or "consecutive")");
  }
  read_seconds(reader, "question_time_limit_s", rules.question_time_limit);
  read_seconds(reader, "attempt_time_limit_s", rules.attempt_time_limit);
  reader.read("end_on_wrong", rules.end_on_wrong);
  reader.read("shuffle_options", rules.shuffle_options);
  read_points(reader, rules.points);
  read_quotas(reader, rules.quotas);
  for (const auto& problem : find_rule_problems(rules)) {
    reader.problems().emplace_back("competition: " + problem);
  }
}

// A Redis deadline in milliseconds, from 10 to 10000.
void read_redis_timeout(table_reader& reader, std::string_view key,
                        std::chrono::milliseconds& target) {
  std::int64_t timeout = target.count();
  reader.read(key, timeout);
  if (timeout < 10 || timeout > 10'000) {
    reader.problems().emplace_back("'redis." + std::string{key} + "' must be from 10 to 10000");
  }
  target = std::chrono::milliseconds{std::clamp<std::int64_t>(timeout, 10, 10'000)};
}

void read_clock(table_reader& root, server_config& config) {
  const toml::table* table = root.table("clock");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "clock.", root.problems());
  std::string start;
  reader.read("start", start);
  if (start.empty()) {
    return;
  }
  config.clock_start = parse_rfc3339(start);
  if (!config.clock_start) {
    reader.problems().emplace_back(
        "'clock.start' must be RFC 3339, e.g. 2021-06-01T08:00:00+08:00");
  }
}

void read_count(table_reader& reader, std::string_view key, int& target) {
  std::int64_t value = target;
  reader.read(key, value);
  target = to_int(value);
}

// The limits of [auth] beyond the sender; each must be at least 1.
void read_sign_in_limits(table_reader& reader, auth_config& auth) {
  read_seconds(reader, "code_ttl_s", auth.code_ttl);
  read_seconds(reader, "resend_after_s", auth.resend_after);
  read_seconds(reader, "phone_lock_s", auth.phone_lock);
  read_count(reader, "code_attempts", auth.code_attempts);
  read_count(reader, "codes_per_phone_per_hour", auth.codes_per_phone_per_hour);
  read_count(reader, "codes_per_phone_per_day", auth.codes_per_phone_per_day);
  read_count(reader, "wrong_codes_per_address_burst", auth.wrong_codes_per_address_burst);
  read_count(reader, "wrong_codes_per_address_per_hour", auth.wrong_codes_per_address_per_hour);
  const bool positive = auth.code_ttl.count() >= 1 && auth.resend_after.count() >= 0 &&
                        auth.phone_lock.count() >= 1 && auth.code_attempts >= 1 &&
                        auth.codes_per_phone_per_hour >= 1 && auth.codes_per_phone_per_day >= 1 &&
                        auth.wrong_codes_per_address_burst >= 1 &&
                        auth.wrong_codes_per_address_per_hour >= 1;
  if (!positive) {
    reader.problems().emplace_back(
        "an [auth] limit must be at least 1 (see docs/configuration.md)");
  }
}

void read_auth(table_reader& root, auth_config& auth) {
  const toml::table* table = root.table("auth");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "auth.", root.problems());
  reader.read("code_sender", auth.code_sender);
  read_seconds(reader, "token_ttl_s", auth.token_ttl);
  std::int64_t per_hour = auth.codes_per_address_per_hour;
  reader.read("codes_per_address_per_hour", per_hour);
  auth.codes_per_address_per_hour = to_int(per_hour);
  std::int64_t per_day = auth.codes_per_address_per_day;
  reader.read("codes_per_address_per_day", per_day);
  auth.codes_per_address_per_day = to_int(per_day);
  read_sign_in_limits(reader, auth);
  const bool sender_ok = auth.code_sender == "log" || is_sms_sender(auth.code_sender) ||
                         (auth.code_sender.starts_with("file:") && auth.code_sender.size() > 5) ||
                         auth.code_sender.starts_with("webhook:http://") ||
                         auth.code_sender.starts_with("webhook:https://");
  if (!sender_ok) {
    reader.problems().emplace_back(
        "'auth.code_sender' must be log, file:PATH, webhook:http[s]://HOST[:PORT]/PATH, aliyun or "
        "tencentcloud");
  }
  if (auth.token_ttl.count() < 60) {
    reader.problems().emplace_back("'auth.token_ttl_s' must be at least 60");
  }
  if (auth.codes_per_address_per_hour < 1 || auth.codes_per_address_per_day < 1) {
    reader.problems().emplace_back(
        "'auth.codes_per_address_per_hour' and '…_per_day' must be at least 1");
  }
}

void read_sms(table_reader& root, sms_config& sms) {
  const toml::table* table = root.table("sms");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "sms.", root.problems());
  reader.read("sign_name", sms.sign_name);
  reader.read("template_id", sms.template_id);
  reader.read("template_param", sms.template_param);
  reader.read("app_id", sms.app_id);
  reader.read("region", sms.region);
  reader.read("endpoint", sms.endpoint);
  reader.read("credentials_file", sms.credentials_file);
  reader.read("ca_file", sms.ca_file);
  std::int64_t timeout = sms.timeout.count();
  reader.read("timeout_ms", timeout);
  std::int64_t attempts = sms.attempts;
  reader.read("attempts", attempts);
  if (timeout < 100 || timeout > 60'000 || attempts < 1 || attempts > 10) {
    reader.problems().emplace_back("'sms.timeout_ms' must be 100-60000 and 'sms.attempts' 1-10");
  }
  sms.timeout = std::chrono::milliseconds{std::clamp<std::int64_t>(timeout, 100, 60'000)};
  sms.attempts = static_cast<int>(std::clamp<std::int64_t>(attempts, 1, 10));
  if (!sms.endpoint.empty() && !sms.endpoint.starts_with("https://")) {
    reader.problems().emplace_back("'sms.endpoint' must be an https:// URL");
  }
}

// What the SMS senders need, checked once the whole file has been read.
void check_sms(const server_config& config, std::vector<std::string>& problems) {
  if (!is_sms_sender(config.auth.code_sender)) {
    return;
  }
  const sms_config& sms = config.sms;
  if (sms.sign_name.empty() || sms.template_id.empty()) {
    problems.emplace_back("code_sender " + config.auth.code_sender +
                          " needs [sms] sign_name and template_id");
  }
  if (config.auth.code_sender == "tencentcloud" && sms.app_id.empty()) {
    problems.emplace_back("code_sender tencentcloud needs [sms] app_id (the SmsSdkAppId)");
  }
  if (config.auth.code_sender == "aliyun" && sms.template_param.empty()) {
    problems.emplace_back(
        "code_sender aliyun needs [sms] template_param (the template's variable)");
  }
}

void read_prizes(table_reader& root, std::vector<prize_config>& prizes) {
  const toml::array* array = root.array("prizes");
  if (array == nullptr) {
    return;
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table* table = array->get(i)->as_table();
    const std::string prefix = "prizes[" + std::to_string(i + 1) + "].";
    if (table == nullptr) {
      root.problems().emplace_back(prefix + "must be a table ([[prizes]])");
      continue;
    }
    table_reader reader(*table, prefix, root.problems());
    prize_config prize;
    std::int64_t cap = -1;
    reader.read("id", prize.id);
    reader.read("name", prize.name);
    reader.read("total", prize.total);
    reader.read("daily_cap", cap);
    reader.read("probability", prize.probability);
    if (cap >= 0) {
      prize.daily_cap = cap;
    }
    if (prize.id.empty() || prize.name.empty() || !ids.insert(prize.id).second) {
      reader.problems().emplace_back(prefix + "id and name must be set, and ids unique");
    }
    prizes.push_back(prize);
  }
  std::vector<prize_odds> odds;
  odds.reserve(prizes.size());
  for (const auto& prize : prizes) {
    odds.push_back({prize.probability, prize.total, prize.daily_cap});
  }
  for (const auto& problem : find_prize_problems(odds)) {
    root.problems().emplace_back(problem);
  }
}

// An array of CIDR strings; each bad one is a problem of its own.
void read_ranges(table_reader& reader, std::string_view key, std::vector<address_range>& target) {
  std::vector<std::string> texts;
  reader.read(key, texts);
  for (const auto& text : texts) {
    if (const auto range = address_range::parse(text)) {
      target.push_back(*range);
    } else {
      reader.problems().emplace_back("'" + reader.prefix() + std::string{key} + "': '" + text +
                                     "' is not an address or CIDR range");
    }
  }
}

// [server] shared_reads_when_busy: how fast leaderboard reads are served while participants work.
void read_shared_reads(table_reader& reader, http_limits& limits) {
  reader.read("shared_reads_when_busy", limits.shared_reads_when_busy);
  if (limits.shared_reads_when_busy < 0 || limits.shared_reads_when_busy > 1'000'000) {
    reader.problems().emplace_back("'server.shared_reads_when_busy' must be 0 to 1000000");
    limits.shared_reads_when_busy = 0;
  }
}

void read_server(table_reader& root, server_config& config) {
  const toml::table* table = root.table("server");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "server.", root.problems());
  std::int64_t threads = config.io_threads;
  auto body = static_cast<std::int64_t>(config.limits.body_bytes);
  auto header = static_cast<std::int64_t>(config.limits.header_bytes);
  auto connections = static_cast<std::int64_t>(config.limits.max_connections);
  std::int64_t sweep = config.sweep_interval.count();
  reader.read("io_threads", threads);
  reader.read("max_body_bytes", body);
  reader.read("max_header_bytes", header);
  reader.read("max_connections", connections);
  auto in_flight = static_cast<std::int64_t>(config.limits.max_requests_in_flight);
  reader.read("max_requests_in_flight", in_flight);
  read_seconds(reader, "read_timeout_s", config.limits.read_timeout);
  read_seconds(reader, "idle_timeout_s", config.limits.idle_timeout);
  reader.read("sqlite_synchronous", config.sqlite_synchronous);
  reader.read("sweep_interval_ms", sweep);
  read_ranges(reader, "trusted_proxies", config.limits.trusted_proxies);
  read_shared_reads(reader, config.limits);
  if (reader.has("metrics_allow")) {
    config.metrics_allow.clear();
    read_ranges(reader, "metrics_allow", config.metrics_allow);
  }
  auto per_address = static_cast<std::int64_t>(config.limits.max_connections_per_address);
  reader.read("max_connections_per_address", per_address);
  config.limits.max_connections_per_address =
      static_cast<std::size_t>(std::max<std::int64_t>(per_address, 0));
  if (per_address < 1) {
    reader.problems().emplace_back("'server.max_connections_per_address' must be at least 1");
  }
  auto token_entries = static_cast<std::int64_t>(config.token_cache_entries);
  reader.read("token_cache_entries", token_entries);
  if (token_entries < 0 || token_entries > 50'000'000) {
    reader.problems().emplace_back("'server.token_cache_entries' must be 0 to 50000000");
  }
  config.token_cache_entries =
      static_cast<std::size_t>(std::clamp<std::int64_t>(token_entries, 0, 50'000'000));
  auto write_queue = static_cast<std::int64_t>(config.max_write_queue);
  reader.read("max_write_queue", write_queue);
  config.max_write_queue = static_cast<std::size_t>(std::max<std::int64_t>(write_queue, 1));
  std::int64_t write_wait = config.max_write_wait.count();
  reader.read("max_write_wait_ms", write_wait);
  config.max_write_wait =
      std::chrono::milliseconds{std::clamp<std::int64_t>(write_wait, 1, 60'000)};
  // Unset, it follows a lower max_write_wait_ms down; set, it must not exceed it.
  std::int64_t write_wait_new = std::min(config.max_write_wait_new.count(), write_wait);
  reader.read("max_write_wait_new_ms", write_wait_new);
  config.max_write_wait_new = std::chrono::milliseconds{
      std::clamp<std::int64_t>(write_wait_new, 1, std::max<std::int64_t>(write_wait, 1))};
  if (threads < 1 || threads > 64 || body < 256 || header < 512 || connections < 1 ||
      config.limits.read_timeout.count() < 1 || config.limits.idle_timeout.count() < 1 ||
      sweep < 10 || write_wait < 1 || write_wait > 60'000 || write_wait_new < 1 ||
      write_wait_new > write_wait || in_flight < 1) {
    reader.problems().emplace_back("a [server] limit is out of range (see docs/configuration.md)");
  }
  if (config.sqlite_synchronous != "FULL" && config.sqlite_synchronous != "NORMAL") {
    reader.problems().emplace_back("'server.sqlite_synchronous' must be FULL or NORMAL");
  }
  config.io_threads = to_int(threads);
  config.limits.body_bytes = static_cast<std::size_t>(std::max<std::int64_t>(body, 0));
  config.limits.header_bytes = static_cast<std::size_t>(std::max<std::int64_t>(header, 0));
  config.limits.max_connections = static_cast<std::size_t>(std::max<std::int64_t>(connections, 0));
  config.limits.max_requests_in_flight =
      static_cast<std::size_t>(std::max<std::int64_t>(in_flight, 1));
  config.sweep_interval = std::chrono::milliseconds{sweep};
}

void read_practice(table_reader& root, practice_config& practice) {
  const toml::table* table = root.table("practice");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "practice.", root.problems());
  reader.read("enabled", practice.enabled);
  read_count(reader, "questions", practice.questions);
  read_count(reader, "per_day", practice.per_day);
  if (practice.questions < 1 || practice.questions > 100 || practice.per_day < 1) {
    reader.problems().push_back(
        "'practice.questions' must be from 1 to 100 and 'practice.per_day' at least 1");
  }
}

void read_bulletin(table_reader& root, bulletin_settings& bulletin) {
  const toml::table* table = root.table("bulletin");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "bulletin.", root.problems());
  reader.read("issuer", bulletin.issuer);
  reader.read("title", bulletin.title);
  reader.read("copy_to", bulletin.copy_to);
  // Printed on one line of a document: short, and never a control character.
  const auto printable = [](const std::string& text, std::size_t most) {
    return text.size() <= most && std::none_of(text.begin(), text.end(), [](char c) {
             return static_cast<unsigned char>(c) < 0x20;
           });
  };
  if (!printable(bulletin.issuer, 200) || bulletin.title.empty() ||
      !printable(bulletin.title, 400)) {
    reader.problems().push_back(
        "'bulletin.issuer' (up to 200 bytes) and 'bulletin.title' (1 to 400 bytes) must be one "
        "line of text");
  }
  if (bulletin.copy_to.size() > 30 ||
      !std::all_of(bulletin.copy_to.begin(), bulletin.copy_to.end(), [&](const std::string& name) {
        return !name.empty() && printable(name, 200);
      })) {
    reader.problems().push_back(
        "'bulletin.copy_to' must list at most 30 names, each one line of up to 200 bytes");
  }
}

// Defaults follow the competition's year, so it must be read first.
void read_reporting(table_reader& root, const competition_rules& competition,
                    reporting_settings& reporting) {
  const std::chrono::year year = std::chrono::year_month_day{competition.starts_on.days()}.year();
  reporting.contacts_due = day_key{year / std::chrono::May / 31};
  reporting.progress_due = day_key{year / std::chrono::July / 5};
  const toml::table* table = root.table("reporting");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "reporting.", root.problems());
  read_day(reader, "contacts_due", reporting.contacts_due);
  read_day(reader, "progress_due", reporting.progress_due);
}

// [screen]: every bound keeps one bad value from costing the server (a 1 ms interval) or the
// viewers (a heartbeat longer than a proxy's idle timeout).
void read_screen(table_reader& root, screen_config& screen) {
  const toml::table* table = root.table("screen");
  if (table == nullptr) {
    return;
  }
  table_reader reader(*table, "screen.", root.problems());
  reader.read("public", screen.is_public);
  auto viewers = static_cast<std::int64_t>(screen.max_viewers);
  auto interval = static_cast<std::int64_t>(screen.interval.count());
  auto heartbeat = static_cast<std::int64_t>(screen.heartbeat.count());
  reader.read("max_viewers", viewers);
  reader.read("interval_ms", interval);
  reader.read("heartbeat_s", heartbeat);
  reader.read("token_hash", screen.token_hash);
  if (viewers < 1 || viewers > 100000) {
    reader.problems().emplace_back("'screen.max_viewers' must be from 1 to 100000");
  }
  if (interval < 200 || interval > 60000) {
    reader.problems().emplace_back("'screen.interval_ms' must be from 200 to 60000");
  }
  if (heartbeat < 1 || heartbeat > 300) {
    reader.problems().emplace_back("'screen.heartbeat_s' must be from 1 to 300");
  }
  if (!screen.token_hash.empty() &&
      (screen.token_hash.size() != 64 ||
       screen.token_hash.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    reader.problems().emplace_back(
        "'screen.token_hash' must be 64 lowercase hex characters (from anquanli-admin screen "
        "token)");
  }
  screen.max_viewers = static_cast<std::size_t>(std::clamp<std::int64_t>(viewers, 1, 100000));
  screen.interval = std::chrono::milliseconds{std::clamp<std::int64_t>(interval, 200, 60000)};
  screen.heartbeat = std::chrono::seconds{std::clamp<std::int64_t>(heartbeat, 1, 300)};
}

void read_root(const toml::table& root_table, config_result& result) {
  table_reader root(root_table, "", result.problems);
  server_config& config = result.config;
  std::string listen = config.listen.host + ":" + std::to_string(config.listen.port);
  root.read("listen", listen);
  if (const auto parsed = parse_listen_address(listen)) {
    config.listen = *parsed;
  } else {
    result.problems.emplace_back("'listen' must be IPV4:PORT, e.g. 127.0.0.1:8080");
  }
  std::string data_dir = config.data_dir.string();
  root.read("data_dir", data_dir);
  config.data_dir = data_dir;
  read_competition(root, config);
  read_clock(root, config);
  read_auth(root, config.auth);
  read_sms(root, config.sms);
  check_sms(config, result.problems);
  if (const toml::table* redis = root.table("redis")) {
    table_reader reader(*redis, "redis.", result.problems);
    reader.read("address", config.redis_address);
    if (!config.redis_address.empty() && !parse_listen_address(config.redis_address)) {
      result.problems.emplace_back(
          "'redis.address' must be IPV4:PORT (hiredis must not resolve names)");
    }
    read_redis_timeout(reader, "command_timeout_ms", config.redis_command_timeout);
    read_redis_timeout(reader, "read_timeout_ms", config.redis_read_timeout);
  }
  if (const toml::table* web = root.table("web")) {
    table_reader reader(*web, "web.", result.problems);
    std::string web_root;
    reader.read("root", web_root);
    if (!web_root.empty()) {
      config.web_root = web_root;
    }
  }
  read_prizes(root, config.prizes);
  read_server(root, config);
  read_practice(root, config.practice);
  read_bulletin(root, config.bulletin);
  read_reporting(root, config.competition, config.reporting);
  read_screen(root, config.screen);
  if (const toml::table* boards = root.table("leaderboards")) {
    table_reader reader(*boards, "leaderboards.", result.problems);
    reader.read("participants", config.participant_boards);
  }
}

}  // namespace

bool is_sms_sender(std::string_view code_sender) {
  return code_sender == "aliyun" || code_sender == "tencentcloud";
}

std::optional<listen_address> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  unsigned port = 0;
  const std::string_view digits = text.substr(colon + 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (error != std::errc{} || end != digits.data() + digits.size() || port > 65535) {
    return std::nullopt;
  }
  const std::string host{text.substr(0, colon)};
  in_addr ipv4{};
  if (::inet_pton(AF_INET, host.c_str(), &ipv4) != 1) {
    return std::nullopt;  // a numeric IPv4 address: the server never resolves names to listen on
  }
  return listen_address{host, static_cast<std::uint16_t>(port)};
}

config_result parse_server_config(std::string_view toml_text) {
  config_result result;
  try {
    const toml::table root = toml::parse(toml_text);
    read_root(root, result);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << "TOML syntax error at line " << error.source().begin.line << ": "
            << error.description();
    result.problems.emplace_back(message.str());
  }
  return result;
}

config_result load_server_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    config_result result;
    result.problems.emplace_back("cannot read configuration file " + file.string());
    return result;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return parse_server_config(content.str());
}

}  // namespace anquanli
