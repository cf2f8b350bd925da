// The workloads as coroutines: what each kind of connection sends and what it learns on the way.
#include "bench/scenarios.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "bench/http_client.hpp"
#include "bench/loopback_source.hpp"
#include "server/core/time_source.hpp"

namespace anquanli::bench {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// The load generator reads the time where the server does: the monotonic clock of its time source.
const system_time_source bench_clock;

monotonic_instant now() {
  return bench_clock.monotonic();
}

constexpr std::size_t max_known_units = 5000;
constexpr std::int64_t leaderboard_page = 20;

// What every connection of a run shares. Only the answer book and the unit pool take a lock, and
// only when a response teaches them something.
struct shared_state {
  explicit shared_state(const load_settings& configured)
      : settings(configured), next_token(configured.token_start) {}

  const load_settings& settings;
  monotonic_instant begun;  // open loop: slot n is due at begun + n / rate
  std::atomic<std::uint64_t> next_slot{0};
  monotonic_instant window_start;
  std::atomic<bool> window_closed{false};  // stop issuing; later replies are not measured
  std::atomic<std::size_t> next_token;
  std::atomic<bool> tokens_wrapped{false};
  std::atomic<std::int64_t> challenges_started{0};
  std::atomic<int> participants_active{0};
  std::mutex book_mutex;
  std::unordered_map<std::string, std::vector<std::string>> answer_book;  // id → right texts
  std::mutex units_mutex;
  std::vector<std::string> unit_ids;
  std::atomic<std::int64_t> unit_total{0};
};

// One connection: its client, its thread's recorder and its own random numbers.
struct worker {
  worker(shared_state& state, recorder& thread_stats, const asio::any_io_executor& executor,
         int index)
      : shared(state),
        stats(thread_stats),
        client(executor, state.settings.host, state.settings.port,
               source_address(state.settings, index)),
        random(static_cast<std::uint64_t>(index) * 7919 + 17) {}

  shared_state& shared;
  recorder& stats;
  http_connection client;
  std::mt19937_64 random;
  bool last_measured = false;
  bool challenge_late = false;  // a reply of the current challenge came late, refused or wrong

  [[nodiscard]] bool running() const { return !shared.window_closed.load(); }

  // Sends one request and records it under `route`; a status other than `expected` and
  // `also_expected` is unexpected (1, never a status, means no second one).
  // `due`, in an open loop, is when the request should have gone out; its latency counts from
  // then. In an open loop a 503 is an outcome being measured, not a failure.
  asio::awaitable<http_reply> call(const std::string& route, std::string_view method,
                                   const std::string& target, const std::string& body,
                                   std::string_view token, unsigned expected,
                                   unsigned also_expected = 1,
                                   std::optional<monotonic_instant> due = std::nullopt) {
    const auto started = due.value_or(now());
    http_reply reply = co_await client.request(method, target, body, token);
    const auto finished = now();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(finished - started);
    // Open loop: what completes inside the window counts, however late it was due (a schedule
    // that has fallen far behind must still show up, with its lateness).
    const auto counted_at = due ? finished : started;
    last_measured = counted_at >= shared.window_start && !shared.window_closed.load();
    const bool refusal_measured = reply.status == 503 && shared.settings.rate > 0;
    const bool unexpected =
        reply.status != expected && reply.status != also_expected && !refusal_measured;
    const auto deadline =
        std::chrono::duration_cast<std::chrono::microseconds>(shared.settings.deadline);
    challenge_late = challenge_late || unexpected || reply.status == 503 || micros > deadline;
    stats.record(route, reply.status, static_cast<std::uint64_t>(micros.count()), unexpected,
                 last_measured, static_cast<std::uint64_t>(deadline.count()));
    co_return reply;
  }

  // A random number in [0, 1).
  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(random); }
};

// Open loop: takes the next slot of the schedule and waits until it is due (at once when the
// schedule is behind, so a late request carries its lateness). Closed loop: now.
asio::awaitable<monotonic_instant> next_due(worker& self) {
  const double rate = self.shared.settings.rate;
  if (rate <= 0) {
    co_return now();
  }
  const auto slot = static_cast<double>(self.shared.next_slot.fetch_add(1));
  const auto due = self.shared.begun + std::chrono::duration_cast<monotonic_instant::duration>(
                                           std::chrono::duration<double>(slot / rate));
  if (due > now()) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, due);
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return due;
}

// Sends one later step of a challenge. In an open loop a 503 (the hard overload gate, which a
// challenge under way should rarely meet) is sent again after its Retry-After, as the participant
// would tap again; the challenge then no longer counts as served in time.
asio::awaitable<http_reply> step(worker& self, const std::string& route, const std::string& target,
                                 const std::string& body, std::string_view token) {
  http_reply reply = co_await self.call(route, "POST", target, body, token, 200);
  while (reply.status == 503 && self.shared.settings.rate > 0 && self.running()) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    asio::steady_timer retry_after(executor, std::chrono::seconds{1});
    co_await retry_after.async_wait(asio::use_awaitable);
    reply = co_await self.call(route, "POST", target, body, token, 200);
  }
  co_return reply;
}

// The body as a JSON object; empty when it is not one.
json::object parse_object(const std::string& body) {
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error || !value.is_object()) {
    return {};
  }
  return std::move(value.as_object());
}

// The next unused token; after the last one the run starts over and notes that it did.
const std::string* take_token(shared_state& shared) {
  const auto& tokens = shared.settings.tokens;
  if (tokens.empty()) {
    shared.tokens_wrapped = true;
    return nullptr;
  }
  const std::size_t index = shared.next_token.fetch_add(1);
  if (index >= tokens.size()) {
    shared.tokens_wrapped = true;
  }
  return &tokens[index % tokens.size()];
}

// The keys to send for `shown`: the right ones when the book knows them and the dice say so, else
// one key at random (which is right now and then, so the share of right answers is approximate).
std::vector<std::string> choose(worker& self, const json::object& shown) {
  const auto& options = shown.at("options").as_array();
  std::vector<std::string> keys;
  if (self.uniform() < self.shared.settings.correct_share) {
    const std::lock_guard lock(self.shared.book_mutex);
    const auto known = self.shared.answer_book.find(std::string{shown.at("id").as_string()});
    if (known != self.shared.answer_book.end()) {
      for (const auto& option : options) {
        const auto text = std::string{option.at("text").as_string()};
        if (std::find(known->second.begin(), known->second.end(), text) != known->second.end()) {
          keys.emplace_back(option.at("key").as_string());
        }
      }
    }
  }
  if (keys.empty()) {
    std::uniform_int_distribution<std::size_t> pick(0, options.size() - 1);
    keys.emplace_back(options.at(pick(self.random)).at("key").as_string());
  }
  return keys;
}

// Remembers the right option texts of `shown` from an answer's correct_choice.
void learn(shared_state& shared, const json::object& shown, const json::array& correct_keys) {
  std::vector<std::string> texts;
  for (const auto& option : shown.at("options").as_array()) {
    const auto& key = option.at("key").as_string();
    if (std::any_of(correct_keys.begin(), correct_keys.end(),
                    [&](const json::value& right) { return right.as_string() == key; })) {
      texts.emplace_back(option.at("text").as_string());
    }
  }
  const std::lock_guard lock(shared.book_mutex);
  shared.answer_book.try_emplace(std::string{shown.at("id").as_string()}, std::move(texts));
}

// {"index":N,"choice":["A"]}
std::string answer_body(std::int64_t index, const std::vector<std::string>& keys) {
  std::string body = "{\"index\":" + std::to_string(index) + ",\"choice\":[";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    body += (i == 0 ? "\"" : ",\"") + keys[i] + "\"";
  }
  return body + "]}";
}

// Draws while the participant has any; the count comes back with each draw.
asio::awaitable<void> use_draws(worker& self, const std::string& token, std::int64_t available) {
  static const std::string route = "POST /api/v1/draws";
  while (available > 0) {
    const http_reply reply = co_await step(self, route, "/api/v1/draws", "", token);
    if (reply.status != 200) {
      co_return;
    }
    available = parse_object(reply.body).at("draws_available").as_int64();
  }
}

// Answers every question of a started attempt, finishes it if still open, then uses its draws.
// Returns true when the whole challenge was done and measured.
asio::awaitable<bool> take_challenge(worker& self, const std::string& token, json::object attempt) {
  static const std::string answer_route = "POST /api/v1/attempts/{id}/answers";
  static const std::string finish_route = "POST /api/v1/attempts/{id}/finish";
  const std::string base = "/api/v1/attempts/" + std::to_string(attempt.at("id").as_int64());
  while (attempt.at("current").is_object() && self.running()) {
    const json::object current = attempt.at("current").as_object();
    const json::object& shown = current.at("question").as_object();
    const auto keys = choose(self, shown);
    const std::string body = answer_body(current.at("index").as_int64(), keys);
    const http_reply reply = co_await step(self, answer_route, base + "/answers", body, token);
    if (reply.status != 200) {
      co_return false;
    }
    self.stats.answers += self.last_measured ? 1 : 0;
    json::object answered = parse_object(reply.body);
    learn(self.shared, shown, answered.at("correct_choice").as_array());
    attempt = std::move(answered.at("attempt").as_object());
  }
  if (attempt.at("status").as_string() == "in_progress") {
    if (!self.running()) {
      co_return false;  // abandoned at the end of the run; the sweeper expires it
    }
    const http_reply reply = co_await step(self, finish_route, base + "/finish", "", token);
    if (reply.status != 200) {
      co_return false;
    }
    attempt = parse_object(reply.body);
  }
  co_await use_draws(self, token, attempt.at("result").at("draws_earned").as_int64());
  co_return self.last_measured;
}

// A participant connection: one challenge per token, token after token, until the run ends. In
// an open loop each challenge waits for its slot, and a participant refused at the start keeps
// the token and comes back at a later slot.
asio::awaitable<void> participant_loop(worker& self) {
  static const std::string start_route = "POST /api/v1/attempts";
  shared_state& shared = self.shared;
  const std::int64_t limit = shared.settings.max_challenges;
  const std::string* token = nullptr;
  while (self.running() && (limit == 0 || shared.challenges_started.fetch_add(1) < limit)) {
    const monotonic_instant due = co_await next_due(self);
    token = token != nullptr ? token : take_token(shared);
    if (token == nullptr || !self.running()) {
      break;
    }
    // A token used by an earlier run today gets 409; that is expected until the tokens run out.
    const bool fresh = !shared.tokens_wrapped.load();
    const unsigned also_expected = fresh ? 409U : 1U;
    const std::optional<monotonic_instant> paced =
        shared.settings.rate > 0 ? std::optional{due} : std::nullopt;
    self.challenge_late = false;
    const http_reply reply = co_await self.call(start_route, "POST", "/api/v1/attempts", "", *token,
                                                201, also_expected, paced);
    if (reply.status == 503) {
      continue;
    }
    const std::string& taken = *token;
    token = nullptr;
    if (reply.status == 201 && co_await take_challenge(self, taken, parse_object(reply.body))) {
      ++self.stats.challenges;
      self.stats.challenges_in_time += self.challenge_late ? 0 : 1;
    }
  }
}

// Reads one page of the unit leaderboard and remembers unit ids for standings.
asio::awaitable<void> read_units_page(worker& self) {
  static const std::string route = "GET /api/v1/leaderboards/units";
  const std::int64_t total = self.shared.unit_total.load();
  const std::int64_t pages = std::max<std::int64_t>(1, total / leaderboard_page);
  const std::int64_t offset =
      std::uniform_int_distribution<std::int64_t>(0, pages - 1)(self.random) * leaderboard_page;
  const http_reply reply = co_await self.call(
      route, "GET", "/api/v1/leaderboards/units?limit=20&offset=" + std::to_string(offset), "", "",
      200);
  if (reply.status != 200) {
    co_return;
  }
  const json::object page = parse_object(reply.body);
  self.shared.unit_total = page.at("total").as_int64();
  const std::lock_guard lock(self.shared.units_mutex);
  for (const auto& item : page.at("items").as_array()) {
    if (self.shared.unit_ids.size() < max_known_units) {
      self.shared.unit_ids.emplace_back(item.at("id").as_string());
    }
  }
}

// A spectator connection: 40 % unit pages, 20 % region pages, 40 % one unit's standing.
asio::awaitable<void> reader_loop(worker& self) {
  static const std::string regions_route = "GET /api/v1/leaderboards/regions";
  static const std::string standing_route = "GET /api/v1/leaderboards/units/{id}";
  while (self.running()) {
    const double pick = self.uniform();
    std::string unit_id;
    if (pick >= 0.6) {
      const std::lock_guard lock(self.shared.units_mutex);
      if (!self.shared.unit_ids.empty()) {
        unit_id = self.shared.unit_ids[std::uniform_int_distribution<std::size_t>(
            0, self.shared.unit_ids.size() - 1)(self.random)];
      }
    }
    if (!unit_id.empty()) {
      co_await self.call(standing_route, "GET",
                         "/api/v1/leaderboards/units/" + unit_id + "?around=3", "", "", 200);
    } else if (pick >= 0.4 && pick < 0.6) {
      co_await self.call(regions_route, "GET", "/api/v1/leaderboards/regions", "", "", 200);
    } else {
      co_await read_units_page(self);
    }
  }
}

// GETs the one path until the run ends (each one when due, in an open loop).
asio::awaitable<void> static_loop(worker& self) {
  const std::string route = "GET " + self.shared.settings.path;
  const bool paced = self.shared.settings.rate > 0;
  while (self.running()) {
    const monotonic_instant due = co_await next_due(self);
    if (!self.running()) {
      break;
    }
    const std::optional<monotonic_instant> counted_from = paced ? std::optional{due} : std::nullopt;
    co_await self.call(route, "GET", self.shared.settings.path, "", "", 200, 1, counted_from);
  }
}

}  // namespace

std::string source_address(const load_settings& settings, int index) {
  return loopback_source(1, settings.source_addresses, index);
}

namespace {

// Waits a random share of the first half of the warm-up. Connections that all started at once
// would meet the server's accept queue (thousands of them) and finish in cohorts; spread out,
// they do neither, as real clients would not.
asio::awaitable<void> start_within_warmup(worker& self) {
  const auto stagger =
      std::chrono::duration_cast<monotonic_instant::duration>(std::chrono::duration<double>(
          self.uniform() * std::chrono::duration<double>(self.shared.settings.warmup).count() / 2));
  asio::steady_timer pause(co_await asio::this_coro::executor, stagger);
  co_await pause.async_wait(asio::use_awaitable);
}

// Connection `index` of the run: its role follows from the mode and the reader share.
asio::awaitable<void> connection(shared_state& shared, recorder& stats, int index) {
  const load_settings& settings = shared.settings;
  // Not inside the braces below: GCC 12 destroys a braced aggregate twice around a co_await.
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  worker self(shared, stats, executor, index);
  if (settings.mode == "static") {
    co_await start_within_warmup(self);
    co_await static_loop(self);
    co_return;
  }
  const auto readers_before = [&](int i) {
    return static_cast<int>(static_cast<double>(i) * settings.reader_share);
  };
  if (readers_before(index + 1) > readers_before(index)) {
    co_await reader_loop(self);
    co_return;
  }
  ++shared.participants_active;
  if (settings.rate <= 0) {
    // A closed loop whose participants all started at once would finish its challenges in
    // cohorts, and a cohort landing just inside the window would count as a whole in it.
    co_await start_within_warmup(self);
  }
  co_await participant_loop(self);
  // With a challenge budget the run ends when the last participant is done.
  if (--shared.participants_active == 0 && settings.max_challenges > 0) {
    shared.window_closed = true;
  }
}

}  // namespace

load_outcome run_load(const load_settings& settings, const std::function<void()>& at_window_start,
                      const std::function<void()>& at_window_end) {
  shared_state shared(settings);
  const auto begun = now();
  shared.begun = begun;
  shared.window_start = begun + settings.warmup;
  const int threads = std::max(1, settings.threads);
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  contexts.reserve(static_cast<std::size_t>(threads));
  std::vector<recorder> recorders(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  for (int i = 0; i < settings.connections; ++i) {
    const auto slot = static_cast<std::size_t>(i % threads);
    asio::co_spawn(*contexts[slot], connection(shared, recorders[slot], i), asio::detached);
  }
  std::vector<std::thread> running;
  running.reserve(contexts.size());
  for (auto& context : contexts) {
    running.emplace_back([&context] { context->run(); });
  }
  std::this_thread::sleep_until(shared.window_start);
  at_window_start();
  const auto deadline = shared.window_start + settings.duration;
  while (!shared.window_closed.load() && now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  shared.window_closed = true;
  const auto closed = now();
  at_window_end();
  for (auto& thread : running) {
    thread.join();
  }
  load_outcome outcome;
  for (const auto& part : recorders) {
    outcome.totals.merge(part);
  }
  outcome.seconds = std::chrono::duration<double>(closed - shared.window_start).count();
  outcome.next_token = std::min(shared.next_token.load(), settings.tokens.size());
  outcome.tokens_exhausted = settings.mode == "mixed" && shared.tokens_wrapped.load();
  return outcome;
}

}  // namespace anquanli::bench
