// Verifiable draws by commit and reveal (docs/draws.md). Before a competition day begins the
// server fixes a secret 32-byte seed for it and publishes the seed's SHA-256 (the commitment); the
// seed itself is kept sealed under the server key and published once the day is over. Each draw's
// random number is HMAC-SHA256(seed, identity), the identity naming the day, the participant and
// their draw number, all fixed before the draw: the server cannot pick a number, and anyone
// holding the revealed seed can recompute every draw. The prize table each draw was drawn against
// is kept too (prize_tables), so stock and daily caps can be replayed in commit order.
//
// Runs on a connection the caller owns, like the rest of storage; changes inside the writer's
// transaction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/day_key.hpp"
#include "engine/instant.hpp"
#include "server/store/secrets.hpp"
#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

using draw_seed = std::array<unsigned char, 32>;

struct draw_identity {
  std::string day;  // YYYY-MM-DD
  std::int64_t participant = 0;
  int draw_number = 0;  // the participant's 1st, 2nd … draw
};

// "anquanli-draw:2021-06-16:42:3": what the day's seed authenticates.
[[nodiscard]] std::string draw_message(const draw_identity& identity);
// HMAC-SHA256(seed, message) as 64 hex characters.
[[nodiscard]] std::string draw_hmac(const draw_seed& seed, const std::string& message);
// The draw's 64-bit random number: the first 8 bytes of the HMAC, big-endian.
[[nodiscard]] std::uint64_t draw_random(const std::string& hmac_hex);
// SHA-256 of the seed as 64 hex characters: the commitment.
[[nodiscard]] std::string seed_commitment(const draw_seed& seed);
[[nodiscard]] std::string seed_hex(const draw_seed& seed);
[[nodiscard]] std::optional<draw_seed> seed_from_hex(const std::string& hex);

struct draw_commitment {
  std::string day;
  std::string commitment;
  std::optional<std::string> seed;  // hex, once the day is over
};

// One prize as a draw's prize table holds it, in draw order.
struct prize_table_entry {
  std::string id;
  std::int64_t total = 0;
  std::optional<std::int64_t> daily_cap;
  double probability = 0.0;
};

class draw_commitments {
 public:
  draw_commitments(sqlite_database& database, const secrets& keys)
      : database_(database), keys_(keys) {}

  // Fixes a seed for every day from `first` to `last` (at most 1000 days) that has none.
  void ensure_seeds(day_key first, day_key last, instant now);
  // The seed of `day`, fixing one now if it has none (a day outside the configured window).
  draw_seed seed_for(const std::string& day, instant now);
  // The seed of `day` as stored, unsealed; empty when the day has none.
  [[nodiscard]] std::optional<draw_seed> stored_seed(const std::string& day);
  // The proof of one draw (no odds: the caller adds them).
  draw_proof prove(const draw_identity& identity, instant now);

  // Every committed day, oldest first; the seed only for days before `today`.
  [[nodiscard]] std::vector<draw_commitment> list(day_key today);

  // The id of the prize table now in force, recording the prizes as a new table when they differ
  // from the last one recorded.
  std::int64_t prize_table_in_effect(instant now);
  [[nodiscard]] std::vector<prize_table_entry> prize_table(std::int64_t id);

 private:
  sqlite_database& database_;
  const secrets& keys_;
};

}  // namespace anquanli
