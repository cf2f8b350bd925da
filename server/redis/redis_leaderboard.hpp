// The hot leaderboards in Redis. Redis holds only what SQLite can recompute: per competition and
// scope (the whole window "all", or one day "d:YYYY-MM-DD") sorted sets of units and of regions per
// level, by points, attempts and participants, and for regions also by participants with a unit
// (干部职工; a region's participants without one are the difference, a unit's participants all
// have one). Keys (all share the hash tag {CID}, so one Lua script may touch them together on a
// Redis Cluster too):
//
//   lb:{CID}:meta                              hash: hwm (last applied outbox id), epoch, layout
//   lb:{CID}:unit:METRIC:SCOPE                 zset: unit id → value
//   lb:{CID}:region:LLEVEL:METRIC:SCOPE        zset: region code → value (its whole subtree)
//
// Events reach Redis from the transactional outbox. apply_script adds one event's increments only
// when its id is above the stored high-water mark, so replays and restarts never count twice; it
// refuses when the meta hash is missing (Redis lost its data) or holds another layout (the sets
// were written by a release that kept other ones), and the caller then rebuilds from SQLite into
// temporary keys that one script renames into place together with the new mark and layout.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/durable/durable_store.hpp"
#include "server/redis/redis_client.hpp"

namespace anquanli {

class redis_leaderboard {
 public:
  // The set of keys this release writes, stored in the meta hash. Releases before the two
  // populations stored none (layout 1): their sets lack the participants with a unit, so they are
  // rebuilt rather than read or added to.
  static constexpr std::string_view layout = "2";

  redis_leaderboard(redis_client& redis, std::string competition_id)
      : redis_(redis), competition_id_(std::move(competition_id)) {}

  // Applies the outbox events Redis has not seen, rebuilding first when Redis lost its data.
  // Returns how many events were applied. Throws redis_unavailable when Redis is away.
  boost::asio::awaitable<int> catch_up(durable_store& store);

  // Applies events (skipping those at or below the stored mark); returns how many took effect.
  // Throws redis_unavailable when Redis is away or holds no leaderboard to apply them to.
  boost::asio::awaitable<int> apply(const std::vector<outbox_event>& events);

  // Recomputes every set from SQLite and swaps them in atomically, with the current layout.
  boost::asio::awaitable<void> rebuild(durable_store& store);

  // Differences between Redis and SQLite, one line each; empty when they agree.
  boost::asio::awaitable<std::vector<std::string>> verify(durable_store& store);

  // The totals of one scope as Redis has them; empty when Redis holds no leaderboard of the
  // current layout (no meta, or an earlier release's).
  boost::asio::awaitable<std::optional<scope_totals>> read(std::optional<std::string> day,
                                                           int deepest_level);

  [[nodiscard]] std::string meta_key() const;
  [[nodiscard]] std::string unit_key(std::string_view metric, std::string_view scope) const;
  [[nodiscard]] std::string region_key(int level, std::string_view metric,
                                       std::string_view scope) const;

 private:
  // Every key of this competition's leaderboards that Redis holds, found with SCAN (which never
  // blocks Redis the way KEYS does).
  boost::asio::awaitable<std::vector<std::string>> stored_keys();
  // The apply command of one event.
  [[nodiscard]] std::vector<std::string> apply_command(const outbox_event& event) const;
  struct stored_meta {
    std::int64_t high_water = -1;
    std::string layout;  // empty without a meta hash, "1" for a meta hash without a layout
  };
  boost::asio::awaitable<stored_meta> read_meta();
  // The stored high-water mark; -1 when Redis holds no leaderboard of the current layout.
  boost::asio::awaitable<std::int64_t> stored_high_water();

  redis_client& redis_;
  std::string competition_id_;
};

}  // namespace anquanli
