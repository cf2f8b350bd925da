// Personal rankings (issue 16, docs/api.md): GET /api/v1/leaderboards/participants ranks the
// people of a region's subtree by points, for the window or one day, showing each only as a
// masked name and a unit; GET /api/v1/me adds the participant's own rank at every level of their
// region path. Numbers come from Redis (participant_board.hpp) while the relay keeps it current,
// from SQLite otherwise; `[leaderboards] participants = false` turns both off.
#pragma once

#include <atomic>
#include <boost/json/array.hpp>
#include <map>
#include <mutex>

#include "server/api/api_services.hpp"
#include "server/api/leaderboard_api.hpp"
#include "server/redis/participant_board.hpp"

namespace anquanli {

class participant_board_api {
 public:
  // `redis` is null without Redis; like the unit boards', it reads on a connection of its own, not
  // the relay's, and only the relay sets `redis_up`. The directory comes from the unit boards.
  participant_board_api(const api_services& services, participant_board* redis,
                        const std::atomic<bool>& redis_up, const leaderboard_api& boards)
      : services_(services), redis_(redis), redis_up_(redis_up), boards_(boards) {}

  boost::asio::awaitable<api_response> board(api_request& request);

  // One entry per level of `person`'s region path, the province first; empty when the rankings
  // are off or the person has no region yet.
  boost::asio::awaitable<boost::json::array> ranks_of(const profile& person);

 private:
  struct cached_rows {
    monotonic_instant expires;
    std::shared_ptr<const participant_board_rows> rows;
  };
  boost::asio::awaitable<std::shared_ptr<const participant_board_rows>> sqlite_rows(
      std::string region_code, std::optional<std::string> day);
  [[nodiscard]] bool redis_usable() const { return redis_ != nullptr && redis_up_; }

  const api_services& services_;
  participant_board* redis_;
  const std::atomic<bool>& redis_up_;
  const leaderboard_api& boards_;
  std::mutex mutex_;
  std::map<std::string, cached_rows> cache_;  // SQLite rows by region and day, for a moment
};

}  // namespace anquanli
