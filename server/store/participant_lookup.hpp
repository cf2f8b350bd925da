// The office's view of one participant, found by phone number for a hotline call (issue 17): the
// profile, every challenge with the region and unit it was credited to, the draws and their
// prizes' delivery, and the corrections of region or unit an office made. A correction moves the
// participant for challenges from then on only: the attempts already credited keep their ledger
// rows (region, unit, points), so the bulletins, the per-day totals and the Redis leaderboards of
// earlier days do not change (ledger_totals.hpp says how a moved person is counted).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/admin_store.hpp"
#include "server/store/secrets.hpp"
#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct looked_up_challenge {
  std::int64_t attempt_id = 0;
  std::string day;
  std::string status;  // in_progress | finished | expired
  instant started_at{};
  std::optional<int> correct;
  std::optional<int> points;
  bool flagged = false;
  // Where the challenge was credited (its ledger row); none while it is open.
  std::optional<named_ref> region;
  std::optional<named_ref> unit;
};

struct looked_up_draw {
  std::int64_t draw_id = 0;
  instant at{};
  std::string day;
  std::optional<named_ref> prize;
  std::optional<instant> claimed_at;
  std::optional<instant> sent_at;
};

struct placement_correction {
  std::int64_t id = 0;
  instant at{};
  std::string username;
  std::optional<named_ref> from_region;
  std::optional<named_ref> from_unit;
  std::optional<named_ref> to_region;
  std::optional<named_ref> to_unit;
  std::string reason;
};

struct participant_file {
  participant_id id{};
  std::string phone_masked;
  std::string name;
  std::optional<named_ref> region;
  std::optional<named_ref> unit;
  instant joined_at{};
  std::optional<instant> consent_at;
  int draws_earned = 0;
  std::vector<looked_up_challenge> challenges;    // newest first
  std::vector<looked_up_draw> draws;              // newest first
  std::vector<placement_correction> corrections;  // newest first
};

// POST …/participants/{id}/correction, as the handler validated it. `unit_id`: nullopt keeps the
// current unit, an empty string leaves the participant without one (社会公众).
struct placement_change {
  participant_id who{};
  std::optional<std::string> region_code;  // none: the current region
  std::optional<std::string> unit_id;
  std::string reason;
};

enum class correction_outcome { corrected, not_found, invalid_region, invalid_unit, unchanged };

class participant_lookup {
 public:
  participant_lookup(sqlite_database& database, const secrets& keys)
      : database_(database), keys_(keys) {}

  // The participant signed in with `phone`, or none.
  [[nodiscard]] std::optional<participant_file> find_by_phone(std::string_view phone);
  [[nodiscard]] std::optional<participant_file> find(participant_id who);

  // On the writer: moves the participant to a leaf region and a unit of it (or none), records the
  // correction and its audit entry, in one transaction. The caller checked the office's scope.
  correction_outcome correct(const placement_change& change, const admin_account& by,
                             std::string_view address, instant now);

 private:
  void load_challenges(participant_file& file);
  void load_draws(participant_file& file);
  void load_corrections(participant_file& file);
  [[nodiscard]] bool is_leaf(std::string_view region_code);
  [[nodiscard]] bool unit_fits(std::string_view unit_id, std::string_view region_code);

  sqlite_database& database_;
  const secrets& keys_;
};

// The schema step that records corrections (step 14).
[[nodiscard]] std::string_view placement_corrections_schema_sql();

}  // namespace anquanli
