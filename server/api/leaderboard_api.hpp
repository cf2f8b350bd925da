// The public leaderboards (docs/api.md): regions under a parent and units, by points, attempts,
// participants or participation rate, for the window or one day. Numbers come from Redis while the
// relay keeps it current, and from SQLite aggregates when Redis is away; a response says which
// (`source`) and how fresh (`as_of`). Each scope is cached for a moment as a board_snapshot, so a
// burst of page views costs one Redis round trip, each ranking is computed once per snapshot and
// the first pages are served as the bodies serialized for the first request that asked for them.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "server/api/api_services.hpp"
#include "server/api/board_snapshot.hpp"
#include "server/api/leaderboard_requests.hpp"
#include "server/redis/redis_leaderboard.hpp"

namespace anquanli {

class leaderboard_api {
 public:
  // `redis` is null when no Redis is configured. It is only read from, and should sit on a
  // connection of its own, not the relay's: a burst of readers then never delays the relay's
  // commands, and a read that fails only makes this request fall back to SQLite. `redis_up` tells
  // whether the relay keeps Redis current; only the relay sets it.
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
  using snapshot_ptr = std::shared_ptr<const board_snapshot>;

  // The scope's snapshot, read again once it expired or the directory changed.
  boost::asio::awaitable<snapshot_ptr> scope(std::optional<std::string> day);
  boost::asio::awaitable<snapshot_ptr> fetch_scope(std::optional<std::string> day);

  const api_services& services_;
  redis_leaderboard* redis_;
  const std::atomic<bool>& redis_up_;
  mutable std::mutex mutex_;
  std::shared_ptr<const directory_snapshot> directory_ = std::make_shared<directory_snapshot>();
  struct cached_scope {
    monotonic_instant expires;
    snapshot_ptr view;
    bool refreshing = false;  // one request refreshes; the others are served the stale view
  };
  std::map<std::string, cached_scope> cache_;
};

}  // namespace anquanli
