// anquanli-server: the composition root. Reads the configuration, opens the durable store, wires
// the handlers into the router, starts the listener, the expiry sweeper and the signal handling,
// and writes DATA_DIR/server.addr once it accepts connections (tests and scripts wait for it).
//
//   anquanli-server --config FILE [--listen HOST:PORT] [--data-dir DIR]
//
// SIGTERM / SIGINT: stop accepting, let in-flight requests finish, flush the writer, exit 0.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>
#if ANQUANLI_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "server/admin_api.hpp"
#include "server/api_error.hpp"
#include "server/clock_source.hpp"
#include "server/code_sender.hpp"
#include "server/file_limit.hpp"
#include "server/http_server.hpp"
#include "server/leaderboard_api.hpp"
#include "server/participant_api.hpp"
#include "server/redis_leaderboard.hpp"
#include "server/sqlite_durable_store.hpp"
#include "server/static_files.hpp"

namespace asio = boost::asio;
using namespace anquanli;

namespace {

constexpr auto question_reload_interval = std::chrono::seconds{60};
constexpr auto shutdown_grace = std::chrono::seconds{10};

// The allocator in use, for the start-up line: asking jemalloc also proves it was linked in.
std::string allocator_name() {
#if ANQUANLI_JEMALLOC
  const char* version = nullptr;
  std::size_t length = sizeof version;
  if (mallctl("version", static_cast<void*>(&version), &length, nullptr, 0) == 0) {
    return std::string{"jemalloc "} + version;
  }
#endif
  return "the C library's malloc";
}

struct command_line {
  std::string config_file;
  std::string listen;
  std::string data_dir;
};

// Reads the file and applies the command line's overrides; exits with a message on any problem.
server_config load_or_exit(const command_line& options) {
  config_result loaded = load_server_config(options.config_file);
  if (!options.listen.empty()) {
    if (const auto address = parse_listen_address(options.listen)) {
      loaded.config.listen = *address;
    } else {
      loaded.problems.push_back("--listen must be HOST:PORT");
    }
  }
  if (!options.data_dir.empty()) {
    loaded.config.data_dir = options.data_dir;
  }
  if (!loaded.problems.empty()) {
    for (const auto& problem : loaded.problems) {
      std::cerr << "anquanli-server: " << options.config_file << ": " << problem << '\n';
    }
    std::exit(2);
  }
  return loaded.config;
}

void write_ready_file(const std::filesystem::path& data_dir, const listen_address& bound) {
  const auto temporary = data_dir / "server.addr.tmp";
  {
    std::ofstream out(temporary);
    out << bound.host << ':' << bound.port << '\n';
  }
  std::filesystem::rename(temporary, data_dir / "server.addr");
}

std::vector<route> system_routes(durable_store& store, metrics& counters,
                                 sqlite_durable_store& sqlite, const std::string& redis_state_name,
                                 const std::atomic<bool>& redis_up) {
  const auto text = [](unsigned status, std::string body) {
    return api_response{status, std::move(body), "text/plain; charset=utf-8", {}};
  };
  return {
      {"GET", "/healthz",
       [text](api_request&) -> asio::awaitable<api_response> { co_return text(200, "ok\n"); }},
      // Redis is not needed to take part, so a Redis outage is reported but keeps the server ready.
      {"GET", "/readyz",
       [text, &store, &redis_state_name, &redis_up](api_request&) -> asio::awaitable<api_response> {
         const bool ready = co_await store.ready();
         const std::string redis =
             redis_state_name == "disabled" ? "disabled" : (redis_up ? "up" : "down");
         co_return text(ready ? 200 : 503,
                        std::string{ready ? "ready" : "not ready"} + "\nredis: " + redis + "\n");
       }},
      {"GET", "/metrics",
       [text, &counters, &sqlite](api_request&) -> asio::awaitable<api_response> {
         auto reply = text(200, counters.render(sqlite.stats()));
         reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
         co_return reply;
       }},
  };
}

// Expires attempts whose time ran out (so counts and points include them) and picks up question
// bank changes, on a timer.
asio::awaitable<void> sweep(durable_store& store, const clock_source& clock, metrics& counters,
                            leaderboard_api& leaderboards, std::chrono::milliseconds interval,
                            const std::atomic<bool>& stopping) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto last_reload = std::chrono::steady_clock::now();
  while (!stopping) {
    timer.expires_after(interval);
    co_await timer.async_wait(asio::use_awaitable);
    try {
      const int expired = co_await store.expire_due(clock.now());
      counters.attempts_expired.fetch_add(static_cast<std::uint64_t>(expired));
      counters.attempts_finished.fetch_add(static_cast<std::uint64_t>(expired));
      if (std::chrono::steady_clock::now() - last_reload > question_reload_interval) {
        co_await store.reload_questions();
        co_await leaderboards.refresh_directory();
        last_reload = std::chrono::steady_clock::now();
      }
    } catch (const std::exception& failure) {
      spdlog::warn("sweeper: {}", failure.what());
    }
  }
}

// Carries outbox events to Redis, rebuilding it when it lost its data. Never blocks a request:
// while Redis is away the loop waits and tries again, and the outbox keeps every event.
asio::awaitable<void> relay(redis_leaderboard& board, durable_store& store,
                            const std::atomic<bool>& stopping, std::atomic<bool>& redis_up) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stopping) {
    auto pause = std::chrono::milliseconds{100};
    try {
      const int applied = co_await board.catch_up(store);
      if (!redis_up.exchange(true)) {
        spdlog::info("leaderboard: Redis is up");
      }
      if (applied > 0) {
        pause = std::chrono::milliseconds{5};
      }
    } catch (const std::exception& failure) {
      if (redis_up.exchange(false)) {
        spdlog::warn("leaderboard: Redis is down ({}); serving leaderboards from SQLite",
                     failure.what());
      }
      pause = std::chrono::milliseconds{500};
    }
    timer.expires_after(pause);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

int run(const server_config& config) {
  std::filesystem::create_directories(config.data_dir);
  const secrets keys(config.data_dir);
  const clock_source clock(config.clock_start);
  sqlite_durable_store store(config, keys, 2);
  metrics counters;
  auto sender = make_code_sender(config.auth.code_sender, config.competition.offset);
  asio::io_context context(config.io_threads);
  std::atomic<bool> redis_up{false};
  const std::string redis_state_name = config.redis_address.empty() ? "disabled" : "configured";
  std::unique_ptr<redis_client> redis;
  std::unique_ptr<redis_leaderboard> board;
  if (const auto address = parse_listen_address(config.redis_address)) {
    redis = std::make_unique<redis_client>(context.get_executor(), address->host, address->port,
                                           config.redis_command_timeout);
    board = std::make_unique<redis_leaderboard>(*redis, config.competition.id);
  }
  participant_api api(config, store, clock, *sender, counters);
  leaderboard_api leaderboards(config, store, board.get(), redis_up, clock);
  std::vector<route> table = system_routes(store, counters, store, redis_state_name, redis_up);
  for (auto& entry : api.routes()) {
    table.push_back(std::move(entry));
  }
  for (auto& entry : leaderboards.routes()) {
    table.push_back(std::move(entry));
  }
  admin_api office(config, store, clock);
  for (auto& entry : office.routes()) {
    table.push_back(std::move(entry));
  }
  const static_files pages(
      config.web_root,
      {{"/vendor/echarts.min.js", config.web_root / "node_modules/echarts/dist/echarts.min.js"}});
  for (auto& entry : pages.routes()) {
    table.push_back(std::move(entry));
  }
  spdlog::info("serving {} static file(s) from {}", pages.size(), config.web_root.string());
  const router routes(std::move(table));
  asio::co_spawn(context, leaderboards.refresh_directory(), asio::detached);
  http_limits limits = config.limits;
  const auto allowance = fit_connections_to_descriptor_limit(limits.max_connections);
  if (allowance.lowered) {
    spdlog::warn(
        "max_connections lowered from {} to {}: the process may open only {} files (raise the hard "
        "limit, e.g. LimitNOFILE= or ulimit -Hn)",
        limits.max_connections, allowance.max_connections, allowance.descriptor_limit);
  }
  limits.max_connections = allowance.max_connections;
  http_server server(context, limits, routes, counters,
                     [&store](load_priority priority) { return store.writes_backed_up(priority); });
  const listen_address bound = server.start(config.listen);
  std::atomic<bool> stopping{false};
  asio::co_spawn(context,
                 sweep(store, clock, counters, leaderboards, config.sweep_interval, stopping),
                 asio::detached);
  if (board) {
    asio::co_spawn(context, relay(*board, store, stopping, redis_up), asio::detached);
  }

  asio::signal_set signals(context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    spdlog::info("signal {}: stopping", signal_number);
    stopping = true;
    server.stop_accepting();
    std::thread([&] {
      const auto deadline = std::chrono::steady_clock::now() + shutdown_grace;
      while (server.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
      }
      context.stop();
    }).detach();
  });

  write_ready_file(config.data_dir, bound);
  spdlog::info("anquanli-server listening on http://{}:{} (competition {}, clock {}, {})",
               bound.host, bound.port, config.competition.id,
               format_rfc3339(clock.now(), config.competition.offset), allocator_name());
  std::vector<std::thread> threads;
  for (int i = 1; i < config.io_threads; ++i) {
    threads.emplace_back([&context] { context.run(); });
  }
  context.run();
  for (auto& thread : threads) {
    thread.join();
  }
  board.reset();
  redis.reset();
  store.stop();
  std::filesystem::remove(config.data_dir / "server.addr");
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer (a client or Redis) that goes away mid-write must cost an error code, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"anquanli-server: the 测测你的安全力 competition server"};
  command_line options;
  app.add_option("--config", options.config_file, "TOML configuration file")->required();
  app.add_option("--listen", options.listen, "HOST:PORT, overrides the file");
  app.add_option("--data-dir", options.data_dir, "data directory, overrides the file");
  CLI11_PARSE(app, argc, argv);
  const server_config config = load_or_exit(options);
  try {
    return run(config);
  } catch (const std::exception& failure) {
    std::cerr << "anquanli-server: " << failure.what() << '\n';
    return 1;
  }
}
