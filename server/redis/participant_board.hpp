// Personal rankings in Redis (issue 16), a key family of its own beside the unit and region
// boards (redis_leaderboard.hpp), fed by the relay from the same transactional outbox with its own
// high-water mark. Per competition and scope ("all", or one day "d:YYYY-MM-DD"), one sorted set
// per region holds everyone whose region path passes through it:
//
//   pb:{CID}:meta                 hash: hwm (last applied outbox id), epoch
//   pb:{CID}:r:CODE:SCOPE         zset: member (zero-padded participant id) → −points
//   pb:{CID}:name / pb:{CID}:unit hash: member → masked name / unit name
//
// Scores are negated points so that Redis's ascending order is best first with ties by member,
// i.e. by participant id: the unit boards' tie rule (engine/ranking.hpp, "1224"), a participant's
// rank being one more than the number of people with more points. Everything here SQLite can
// recompute (participant_board_store.hpp): rebuild and verify as for the unit boards.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/durable/durable_store.hpp"
#include "server/redis/redis_client.hpp"

namespace anquanli {

struct ranked_person {
  int rank = 0;
  participant_display display;
  std::int64_t points = 0;
};

struct person_page {
  std::int64_t total = 0;  // people on this board
  std::vector<ranked_person> items;
};

// Where one person stands on their region's board; rank empty while they have no points there.
struct region_rank {
  std::string region_code;
  std::optional<std::int64_t> rank;
  std::int64_t of = 0;
};

// The same page and standing computed from SQLite rows (the fallback, and the reference the tests
// compare Redis with).
[[nodiscard]] person_page page_from(const participant_board_rows& rows, int offset, int limit);
[[nodiscard]] region_rank rank_from(const participant_board_rows& rows, const std::string& member,
                                    const std::string& region_code);

class participant_board {
 public:
  participant_board(redis_client& redis, std::string competition_id)
      : redis_(redis), competition_id_(std::move(competition_id)) {}

  // Applies the outbox events Redis has not seen, rebuilding first when it lost its data.
  // Throws redis_unavailable when Redis is away.
  boost::asio::awaitable<int> catch_up(durable_store& store);
  boost::asio::awaitable<int> apply(const std::vector<participant_event>& events);
  // Recomputes every set from SQLite and swaps them in atomically.
  boost::asio::awaitable<void> rebuild(durable_store& store);
  // Differences between Redis and SQLite, one line each; empty when they agree.
  boost::asio::awaitable<std::vector<std::string>> verify(durable_store& store);

  // A page of `region_code`'s board; empty when Redis holds no boards (no meta).
  boost::asio::awaitable<std::optional<person_page>> page(std::string region_code,
                                                          std::optional<std::string> day,
                                                          int offset, int limit);
  // `member`'s standing in each of `region_codes` over the window; empty when Redis holds none.
  boost::asio::awaitable<std::optional<std::vector<region_rank>>> ranks(
      std::string member, std::vector<std::string> region_codes);

  [[nodiscard]] std::string meta_key() const;
  [[nodiscard]] std::string board_key(std::string_view region_code, std::string_view scope) const;
  [[nodiscard]] std::string names_key() const;
  [[nodiscard]] std::string units_key() const;

 private:
  [[nodiscard]] std::vector<std::string> apply_command(const participant_event& event) const;
  boost::asio::awaitable<std::int64_t> stored_high_water();
  // Every key of this competition's personal rankings that Redis holds (SCAN).
  boost::asio::awaitable<std::vector<std::string>> stored_keys();
  // Every board's members and points as Redis has them, by key.
  boost::asio::awaitable<std::map<std::string, std::map<std::string, std::int64_t>>> read_boards(
      const std::vector<std::string>& keys);

  redis_client& redis_;
  std::string competition_id_;
};

}  // namespace anquanli
