// The public leaderboards (docs/api.md): regions under a parent and units, by points, attempts,
// participants or participation rate, for the window or one day. Numbers come from Redis while the
// relay keeps it current, and from SQLite aggregates when Redis is away; a response says which
// (`source`) and how fresh (`as_of`). Each scope is cached for a moment, so a burst of page views
// costs one Redis round trip, and every page is ranked in memory from that snapshot.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "server/api/api_services.hpp"
#include "server/api/leaderboard_requests.hpp"
#include "server/redis/redis_leaderboard.hpp"

namespace anquanli {

class leaderboard_api {
 public:
  // `redis` is null when no Redis is configured; `redis_up` tells whether the relay reaches it.
  leaderboard_api(const api_services& services, redis_leaderboard* redis,
                  const std::atomic<bool>& redis_up)
      : services_(services), redis_(redis), redis_up_(redis_up) {}

  boost::asio::awaitable<api_response> regions(api_request& request);
  boost::asio::awaitable<api_response> units(api_request& request);
  boost::asio::awaitable<api_response> unit_standing(api_request& request);

  // Re-reads regions and units (at start and after an operator's import).
  boost::asio::awaitable<void> refresh_directory();
  [[nodiscard]] std::shared_ptr<const directory_snapshot> directory() const;

 private:
  struct scope_view {
    std::shared_ptr<const scope_totals> totals;
    instant as_of{};
    std::string source;  // "redis" or "sqlite"
  };

  boost::asio::awaitable<scope_view> scope(std::optional<std::string> day);
  boost::asio::awaitable<scope_view> fetch_scope(std::optional<std::string> day);

  const api_services& services_;
  redis_leaderboard* redis_;
  const std::atomic<bool>& redis_up_;
  mutable std::mutex mutex_;
  std::shared_ptr<const directory_snapshot> directory_ = std::make_shared<directory_snapshot>();
  struct cached_scope {
    monotonic_instant expires;
    scope_view view;
    bool refreshing = false;  // one request refreshes; the others are served the stale view
  };
  std::map<std::string, cached_scope> cache_;
};

}  // namespace anquanli
