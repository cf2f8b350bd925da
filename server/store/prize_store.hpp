// Prizes in the open (issue 16): each prize's stock and today's cap for everyone to see, the
// 中奖公示 with names and phones masked, a winner's delivery details (sealed with the server key,
// like phone numbers) and the office marking a prize sent.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/store/secrets.hpp"
#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct prize_standing {
  std::string id;
  std::string name;
  std::int64_t total = 0;
  std::int64_t remaining = 0;
  std::optional<std::int64_t> daily_cap;
  std::optional<std::int64_t> remaining_today;  // with a daily cap
  double probability = 0.0;
};

// What the 中奖公示 shows of a winner: nothing that identifies them in full.
struct public_winner {
  std::string day;
  instant at{};
  std::string name;   // masked: 张*
  std::string phone;  // masked: 138****8000
  std::string prize_name;
  std::string region_name;
};

struct prize_claim {
  std::string recipient;
  std::string phone;
  std::string address;
};

enum class claim_outcome { claimed, not_found, already_sent };

struct claim_result {
  claim_outcome outcome = claim_outcome::claimed;
  claim_status status;
};

enum class sent_outcome { marked, not_found, region_forbidden };

struct sent_result {
  sent_outcome outcome = sent_outcome::marked;
  instant sent_at{};
};

// A won prize's delivery as the office's winners list carries it.
struct prize_delivery {
  std::optional<prize_claim> claim;
  std::optional<instant> claimed_at;
  std::optional<instant> sent_at;
};

inline constexpr int max_public_winners = 1000;

class prize_store {
 public:
  prize_store(sqlite_database& database, const secrets& keys) : database_(database), keys_(keys) {}

  [[nodiscard]] std::vector<prize_standing> standings(day_key today);
  // Winners of `day`, or of every day when empty, in the order they won (at most
  // max_public_winners, the latest).
  [[nodiscard]] std::vector<public_winner> winners(const std::optional<std::string>& day);
  // Stores (or replaces, until the prize is sent) the delivery details of `who`'s won draw.
  claim_result claim(participant_id who, std::int64_t draw_id, const prize_claim& details,
                     instant now);
  // Marks the won draw sent, when its winner is inside `scope_region`'s subtree. Idempotent.
  sent_result mark_sent(const std::string& scope_region, std::int64_t draw_id, instant now);
  // The deliveries of every won draw that has one, by draw id.
  [[nodiscard]] std::map<std::int64_t, prize_delivery> deliveries();

 private:
  sqlite_database& database_;
  const secrets& keys_;
};

}  // namespace anquanli
