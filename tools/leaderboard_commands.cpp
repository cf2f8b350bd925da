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
#include "tools/admin_database.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

struct leaderboard_options {
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
  if (!admin.config) {
    std::cerr << "leaderboards need --config FILE: the competition and its Redis\n";
    return 2;
  }
  const server_config& config = *admin.config;  // its data_dir is --data-dir when given
  const auto address = parse_listen_address(options.redis_address.empty() ? config.redis_address
                                                                          : options.redis_address);
  if (!address) {
    std::cerr << "no Redis address: set [redis] address or pass --redis HOST:PORT\n";
    return 2;
  }
  require_database(config.data_dir);
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
  const auto add_redis = [settings](CLI::App& command) {
    command
        .add_option("--redis", settings->redis_address, "HOST:PORT, overrides the configuration")
        ->type_name("HOST:PORT");
  };
  add_redis(*group);

  auto* rebuild = group->add_subcommand(
      "rebuild", "recompute every leaderboard in Redis from SQLite (needs --config)");
  add_redis(*rebuild);
  rebuild->callback([&options, settings] {
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
  auto* verify = group->add_subcommand(
      "verify",
      "compare Redis with SQLite (key layout, high-water mark, every set, the personal rankings) "
      "and print every difference (needs --config)");
  add_redis(*verify);
  verify->callback([&options, settings] {
    options.run = [&options, settings] {
      return with_leaderboard(
          options, *settings,
          [](const boards& board, durable_store& store) -> asio::awaitable<int> {
            auto differences = co_await board.units.verify(store);
            if (board.people != nullptr) {
              for (auto& difference : co_await board.people->verify(store)) {
                difference.insert(0, "personal: ");
                differences.push_back(std::move(difference));
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
