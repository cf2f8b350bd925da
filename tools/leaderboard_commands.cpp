#include "tools/leaderboard_commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>
#include <memory>

#include "server/durable/sqlite_durable_store.hpp"
#include "server/redis/participant_board.hpp"
#include "server/redis/redis_leaderboard.hpp"
#include "server/store/secrets.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

struct leaderboard_options {
  std::filesystem::path config_file;
  std::string redis_address;  // overrides the configuration's
};

// The boards the commands work on: the unit and region boards, and the personal rankings (issue 16)
// unless `[leaderboards] participants = false`.
struct boards {
  redis_leaderboard& units;
  participant_board* people;
};

// Runs `work` against the server's database and Redis; returns the process exit status.
template <class Work>
int with_leaderboard(const admin_options& admin, const leaderboard_options& options, Work work) {
  config_result loaded = load_server_config(options.config_file);
  for (const auto& problem : loaded.problems) {
    std::cerr << options.config_file.string() << ": " << problem << '\n';
  }
  if (!loaded.problems.empty()) {
    return 2;
  }
  server_config config = loaded.config;
  if (admin.data_dir_given) {
    config.data_dir = admin.data_dir;
  }
  const auto address = parse_listen_address(options.redis_address.empty() ? config.redis_address
                                                                          : options.redis_address);
  if (!address) {
    std::cerr << "no Redis address: set [redis] address or pass --redis HOST:PORT\n";
    return 2;
  }
  const secrets keys(config.data_dir);
  const system_time_source clock;
  sqlite_durable_store store(config, keys, clock, 1);
  asio::io_context context;
  redis_client redis(context.get_executor(), clock, address->host, address->port,
                     std::chrono::milliseconds{5000});
  redis_leaderboard board(redis, config.competition.id);
  participant_board people(redis, config.competition.id);
  const boards both{board, config.participant_boards ? &people : nullptr};
  auto result = asio::co_spawn(
      context,
      [&]() -> asio::awaitable<int> {
        int status = 1;
        try {
          status = co_await work(both, store);
        } catch (const std::exception& failure) {
          std::cerr << "leaderboards: " << failure.what() << '\n';
        }
        redis.close();  // a connected client keeps the io_context running
        co_return status;
      },
      asio::use_future);
  context.run();
  return result.get();
}

}  // namespace

void add_leaderboard_commands(CLI::App& app, admin_options& options) {
  auto* group = app.add_subcommand("leaderboards", "the Redis leaderboards");
  group->require_subcommand(1);
  auto settings = std::make_shared<leaderboard_options>();
  group->add_option("--config", settings->config_file, "the server's TOML configuration")
      ->required();
  group->add_option("--redis", settings->redis_address, "HOST:PORT, overrides the configuration");

  group->add_subcommand("rebuild", "recompute every leaderboard in Redis from SQLite")
      ->fallthrough()
      ->callback([&options, settings] {
        options.run = [&options, settings] {
          return with_leaderboard(
              options, *settings,
              [](const boards& board, durable_store& store) -> asio::awaitable<int> {
                co_await board.units.rebuild(store);
                if (board.people != nullptr) {
                  co_await board.people->rebuild(store);
                }
                std::cout << "leaderboards rebuilt from SQLite\n";
                co_return 0;
              });
        };
      });
  group->add_subcommand("verify", "compare Redis with SQLite and print every difference")
      ->fallthrough()
      ->callback([&options, settings] {
        options.run = [&options, settings] {
          return with_leaderboard(
              options, *settings,
              [](const boards& board, durable_store& store) -> asio::awaitable<int> {
                auto differences = co_await board.units.verify(store);
                if (board.people != nullptr) {
                  for (auto& difference : co_await board.people->verify(store)) {
                    differences.push_back("personal: " + std::move(difference));
                  }
                }
                for (const auto& difference : differences) {
                  std::cout << difference << '\n';
                }
                std::cout << differences.size() << " difference(s)\n";
                co_return differences.empty() ? 0 : 1;
              });
        };
      });
}

}  // namespace anquanli
