// Participant tokens checked in memory. Every API call of a participant starts with a token check;
// answering it from SQLite costs a hop to a reader thread and back, which on a busy server is most
// of an answer's latency. The cache maps a token's keyed hash (never the token itself) to its
// participant and expiry. It is filled only with what the database holds: after a sign-in's
// commit, or from a lookup that found the row. It never caches a miss, so a token issued a moment
// ago is never refused because of the cache. Entries die at the token's expiry; `forget` drops one
// (a revocation), `clear` all. An entry is also trusted for at most `recheck_after` (by the time
// source's clock) before the database is asked again, so a token deleted or shortened behind the
// server's back (an operator's SQL, another node) stops working within that time. Bounded: each
// shard holds at most capacity / shards entries and evicts its oldest insertion when full.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/core/time_source.hpp"
#include "server/store/store_types.hpp"

namespace anquanli {

class token_cache {
 public:
  static constexpr std::chrono::minutes default_recheck_after{5};

  // capacity 0 turns the cache off (every lookup misses).
  explicit token_cache(std::size_t capacity,
                       std::chrono::milliseconds recheck_after = default_recheck_after);

  // The participant of `token_hash` if cached and not expired at `now`.
  [[nodiscard]] std::optional<participant_id> find(const std::string& token_hash, instant now);
  // Remembers a token the database holds (committed) at `now`, until `expires_at`.
  void remember(const std::string& token_hash, participant_id who, instant expires_at, instant now);
  void forget(const std::string& token_hash);
  void clear();

  [[nodiscard]] std::size_t size() const;

 private:
  struct entry {
    participant_id who;
    instant trusted_until;  // the token's expiry, or the next recheck if that comes first
  };
  struct shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, entry> entries;
    std::deque<std::string> order;  // insertion order, for eviction (may hold forgotten keys)
  };

  shard& shard_of(const std::string& token_hash);

  std::size_t per_shard_;
  std::chrono::milliseconds recheck_after_;
  std::vector<shard> shards_;
};

}  // namespace anquanli
