#include "server/app/sweeper.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace anquanli {

namespace asio = boost::asio;

namespace {

constexpr auto question_reload_interval = std::chrono::seconds{60};

}  // namespace

asio::awaitable<void> run_sweeper(durable_store& store, const time_source& clock, metrics& counters,
                                  leaderboard_api& leaderboards, std::chrono::milliseconds interval,
                                  const std::atomic<bool>& stopping) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto last_reload = clock.monotonic();
  while (!stopping) {
    timer.expires_after(interval);
    co_await timer.async_wait(asio::use_awaitable);
    try {
      const int expired = co_await store.expire_due(clock.now());
      counters.attempts_expired.fetch_add(static_cast<std::uint64_t>(expired));
      counters.attempts_finished.fetch_add(static_cast<std::uint64_t>(expired));
      // Housekeeping in small batches, so the writer is never held for long.
      counters.rows_removed.fetch_add(
          static_cast<std::uint64_t>(co_await store.remove_expired(clock.now())));
      if (clock.monotonic() - last_reload > question_reload_interval) {
        co_await store.reload_questions();
        co_await leaderboards.refresh_directory();
        last_reload = clock.monotonic();
      }
    } catch (const std::exception& failure) {
      spdlog::warn("sweeper: {}", failure.what());
    }
  }
}

}  // namespace anquanli
