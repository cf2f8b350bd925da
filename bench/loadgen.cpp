// anquanli-loadgen: the HTTP load generator of bench/run.sh. Keep-alive connections run as
// coroutines on a few threads against one HOST:PORT, for a time or a number of challenges, and the
// run is reported per route (rate, p50/p90/p99/p99.9, statuses) with the server's CPU per request,
// peak memory and group-commit size. See docs/performance.md.
//
//   anquanli-loadgen --target 127.0.0.1:8080 --mode static --path /healthz -c 64 -d 10
//   anquanli-loadgen --target 127.0.0.1:8080 --mode mixed --tokens tokens.txt --server-pid PID
//   anquanli-loadgen --target 127.0.0.1:8080 --path /api/v1/competition -c 1 --hold-idle 10000
//                    --hold-slow 1000   (a real client while connections are held open)
//
// Exit status: 0 clean run, 1 unexpected replies (any 5xx, connection failures, a status the flow
// does not expect) or exhausted tokens, 2 usage.
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>

#include "bench/held_connections.hpp"
#include "bench/http_client.hpp"
#include "bench/load_report.hpp"
#include "bench/scenarios.hpp"
#include "bench/server_probe.hpp"

namespace asio = boost::asio;
using namespace anquanli::bench;

namespace {

struct command_line {
  load_settings load;
  std::string target;
  double warmup_s = 1.0;
  double duration_s = 10.0;
  std::string tokens_file;
  std::string token_state_file;  // holds the index of the first unused token between runs
  int server_pid = 0;
  std::string json_file;     // appends the JSON line
  std::string summary_file;  // writes the tab-separated summary
  int hold_idle = 0;         // connections held open, silent, for the whole run
  int hold_slow = 0;         // connections held open that send a byte every 5 s
};

// GETs `target` on its own short-lived connection; empty when it did not answer 200.
std::optional<std::string> fetch(const load_settings& settings, const std::string& target) {
  asio::io_context context;
  auto reply = asio::co_spawn(
      context,
      [&]() -> asio::awaitable<http_reply> {
        http_connection client(co_await asio::this_coro::executor, settings.host, settings.port);
        co_return co_await client.request("GET", target);
      },
      asio::use_future);
  context.run();
  http_reply result = reply.get();
  if (result.status != 200) {
    return std::nullopt;
  }
  return std::move(result.body);
}

// The non-empty lines of `file`; throws when it cannot be read.
std::vector<std::string> read_lines(const std::string& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read " + file);
  }
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

// The first unused token index a previous run left in `file`; 0 when there is none.
std::size_t read_token_state(const std::string& file) {
  std::ifstream in(file);
  std::size_t next = 0;
  if (in >> next) {
    return next;
  }
  return 0;
}

// Parses HOST:PORT into the settings; false when it is not one.
bool set_target(load_settings& settings, const std::string& target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return false;
  }
  try {
    const int port = std::stoi(target.substr(colon + 1));
    if (port <= 0 || port > 65535) {
      return false;
    }
    settings.host = target.substr(0, colon);
    settings.port = static_cast<std::uint16_t>(port);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Declares every command-line option.
void add_options(CLI::App& app, command_line& options) {
  app.add_option("--target", options.target, "HOST:PORT (an IP address)")->required();
  app.add_option("--mode", options.load.mode, "static or mixed")
      ->check(CLI::IsMember({"static", "mixed"}))
      ->capture_default_str();
  app.add_option("--path", options.load.path, "static: the path to GET")->capture_default_str();
  app.add_option("-c,--connections", options.load.connections, "concurrent connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--threads", options.load.threads, "client threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("-d,--duration", options.duration_s, "measured seconds")->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "seconds before measuring")->capture_default_str();
  app.add_option("--challenges", options.load.max_challenges, "mixed: stop after N challenges");
  app.add_option("--readers", options.load.reader_share, "mixed: share of leaderboard readers")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--correct", options.load.correct_share, "mixed: share of right answers")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--tokens", options.tokens_file, "mixed: bearer tokens, one a line");
  app.add_option("--sources", options.load.source_addresses,
                 "connect from N loopback addresses 127.0.1.x (0: one, the system's choice)")
      ->check(CLI::Range(0, 254));
  app.add_option("--rate", options.load.rate,
                 "open loop: static requests or mixed challenges due per second (0: closed)")
      ->check(CLI::Range(0.0, 10'000'000.0))
      ->capture_default_str();
  app.add_option("--token-state", options.token_state_file, "file with the next unused token");
  app.add_option("--server-pid", options.server_pid, "measure this process and its children");
  app.add_option("--json", options.json_file, "append the JSON line to this file");
  app.add_option("--summary", options.summary_file, "write the tab-separated summary here");
  app.add_option("--hold-idle", options.hold_idle, "hold N silent connections during the run")
      ->check(CLI::Range(0, 100000));
  app.add_option("--hold-slow", options.hold_slow,
                 "hold N connections sending a byte every 5 s during the run")
      ->check(CLI::Range(0, 100000));
}

// Runs the load with the server probes around its measurement window.
run_report measure(command_line& options) {
  run_report report;
  report.mode = options.load.mode;
  report.target = options.target;
  report.connections = options.load.connections;
  report.threads = options.load.threads;
  const auto probe = [&](process_sample& process, writer_sample& writer) {
    process = sample_process(options.server_pid);
    if (const auto text = fetch(options.load, "/metrics")) {
      writer = parse_metrics(*text);
    }
  };
  load_outcome outcome = run_load(
      options.load, [&] { probe(report.server_before, report.writer_before); },
      [&] { probe(report.server_after, report.writer_after); });
  report.totals = std::move(outcome.totals);
  report.seconds = outcome.seconds;
  report.tokens_exhausted = outcome.tokens_exhausted;
  if (!options.token_state_file.empty()) {
    std::ofstream(options.token_state_file) << outcome.next_token << '\n';
  }
  return report;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"anquanli-loadgen: HTTP load for anquanli-server and its nginx baseline"};
  command_line options;
  add_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (!set_target(options.load, options.target)) {
    std::cerr << "anquanli-loadgen: --target must be HOST:PORT\n";
    return 2;
  }
  try {
    options.load.warmup = std::chrono::milliseconds{static_cast<long>(options.warmup_s * 1000)};
    options.load.duration = std::chrono::milliseconds{static_cast<long>(options.duration_s * 1000)};
    if (options.load.mode != "static" && !options.tokens_file.empty()) {
      options.load.tokens = read_lines(options.tokens_file);
    }
    if (!options.token_state_file.empty()) {
      options.load.token_start = read_token_state(options.token_state_file);
    }
    std::optional<held_connections> attack;
    if (options.hold_idle > 0 || options.hold_slow > 0) {
      attack.emplace(options.load.host, options.load.port, options.hold_idle, options.hold_slow,
                     options.load.source_addresses);
    }
    const run_report report = measure(options);
    attack.reset();
    print_table(std::cout, report);
    const std::string line = json_line(report);
    std::cout << line << '\n';
    if (!options.json_file.empty()) {
      std::ofstream(options.json_file, std::ios::app) << line << '\n';
    }
    if (!options.summary_file.empty()) {
      std::ofstream(options.summary_file) << summary_tsv(report);
    }
    return report.totals.unexpected_all > 0 || report.tokens_exhausted ? 1 : 0;
  } catch (const std::exception& failure) {
    std::cerr << "anquanli-loadgen: " << failure.what() << '\n';
    return 1;
  }
}
