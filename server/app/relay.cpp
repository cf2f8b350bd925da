#include "server/app/relay.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace anquanli {

namespace asio = boost::asio;

namespace {

constexpr auto idle_pause = std::chrono::milliseconds{100};
constexpr auto busy_pause = std::chrono::milliseconds{5};  // more events are likely waiting
constexpr auto down_pause = std::chrono::milliseconds{500};

}  // namespace

asio::awaitable<void> run_relay(redis_leaderboard& board, durable_store& store,
                                const std::atomic<bool>& stopping, std::atomic<bool>& redis_up,
                                participant_board* people) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stopping) {
    auto pause = idle_pause;
    try {
      int applied = co_await board.catch_up(store);
      if (people != nullptr) {
        applied += co_await people->catch_up(store);
      }
      if (!redis_up.exchange(true)) {
        spdlog::info("leaderboard: Redis is up");
      }
      if (applied > 0) {
        pause = busy_pause;
      }
    } catch (const std::exception& failure) {
      if (redis_up.exchange(false)) {
        spdlog::warn("leaderboard: Redis is down ({}); serving leaderboards from SQLite",
                     failure.what());
      }
      pause = down_pause;
    }
    timer.expires_after(pause);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

}  // namespace anquanli
