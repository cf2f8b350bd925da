// The competition's state in SQLite: sign-in, profiles, attempts and their answers, the points
// ledger, prize stock and draws. Every method is synchronous and runs on a thread that owns the
// connection: the writer thread for changes (each call inside the writer's transaction), a reader
// thread for queries. Rules are decided by the engine; this class only loads, asks and stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/competition_rules.hpp"
#include "question_bank/question.hpp"
#include "server/core/phone_number.hpp"
#include "server/core/server_config.hpp"
#include "server/store/open_attempts.hpp"
#include "server/store/secrets.hpp"
#include "server/store/store_types.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

class competition_store {
 public:
  // `open`, on the writer thread only, keeps attempts in progress in memory between calls
  // (open_attempts.hpp); without it every call reads the attempt from the database.
  competition_store(sqlite_database& database, const competition_rules& rules, const secrets& keys,
                    const auth_config& auth, open_attempts* open = nullptr)
      : database_(database), rules_(rules), keys_(keys), auth_(auth), open_(open) {}

  // ---- changes (run inside the writer's transaction) ----
  code_request_result request_code(std::string_view phone, std::string_view address, instant now);
  login_result login(std::string_view phone, std::string_view code, std::string_view address,
                     instant now);
  profile_outcome update_profile(participant_id who, std::string_view name,
                                 std::string_view region_code,
                                 const std::optional<std::string>& unit_id);
  // `bank` holds the active questions; `seed` decides the paper.
  start_result start_attempt(participant_id who, instant now, const std::vector<question>& bank,
                             std::uint64_t seed);
  answer_result answer(participant_id who, attempt_id which, int index, const choice_keys& choice,
                       instant now);
  answer_result finish(participant_id who, attempt_id which, instant now);
  // Expires up to `limit` attempts whose deadline has passed; returns how many.
  int expire_due(instant now, int limit);
  // Deletes up to `limit` rows of each kind that no longer matter: expired tokens, codes and
  // office tokens, request counts older than a day, throttles and waits idle for a day. Returns
  // how many rows went.
  int remove_expired(instant now, int limit);
  // The draw's number comes from the day's committed seed (server/store/draw_commitments.hpp).
  draw_result_record draw(participant_id who, instant now);
  // Makes the prize table match the configuration, keeping what was already awarded.
  void sync_prizes(const std::vector<prize_config>& prizes);

  // ---- queries ----
  [[nodiscard]] std::optional<participant_id> authenticate(std::string_view token, instant now);
  // The holder of the token whose keyed hash is `token_hash`, if it is valid at `now`.
  [[nodiscard]] std::optional<token_holder> find_token(std::string_view token_hash, instant now);
  [[nodiscard]] std::optional<profile> load_profile(participant_id who);
  [[nodiscard]] me_view me(participant_id who, instant now);
  [[nodiscard]] std::optional<attempt_record> load_attempt(attempt_id which);
  [[nodiscard]] std::vector<draw_record> draws(participant_id who);

  // Stores a new attempt with its paper (practice too: practice_store.hpp). `bank` holds the
  // questions the paper was composed from.
  attempt_id insert_attempt(participant_id who, day_key day, int sequence, instant now,
                            const attempt_paper& paper, const std::vector<question>& bank,
                            attempt_kind kind = attempt_kind::challenge);

 private:
  // Seconds this phone must wait before it may be sent another code, or 0.
  [[nodiscard]] std::int64_t phone_code_wait(std::string_view phone_hash, instant now);
  // Seconds this address must wait before it may be sent another code, or 0.
  [[nodiscard]] std::int64_t address_code_wait(std::string_view address, instant now);
  void count_code_request(std::string_view phone_hash, std::string_view address, instant now);
  // A wrong code for this phone: the code dies after auth_.code_attempts, and the phone waits.
  void count_wrong_code(std::string_view phone_hash, int failures, int lock_count, instant now);
  [[nodiscard]] login_result sign_in(std::string_view phone, std::string_view phone_hash,
                                     instant now);
  [[nodiscard]] std::vector<attempt_id> attempts_on(participant_id who, day_key day);
  [[nodiscard]] std::vector<recorded_answer> load_answers(attempt_id which);
  // The attempt to change: the writer's kept copy, else loaded (and kept); null when unknown.
  attempt_record* open_record(attempt_id which);
  void forget(attempt_id which);
  // Stores an accepted answer; false when the stored answer count is not the one `record`
  // expects (someone else changed the attempt).
  [[nodiscard]] bool save_answer(const attempt_record& record, const recorded_answer& answer);
  // Stores a closed attempt's result and credits its points once.
  void close_attempt(attempt_record& record);
  void close_practice(attempt_record& record);
  // The rules an attempt of `kind` runs under (deadlines, end on wrong): the competition's own
  // for a challenge, with no copy on the answer path; practice's derived once per store.
  [[nodiscard]] const competition_rules& run_rules(attempt_kind kind) {
    if (kind == attempt_kind::challenge) {
      return rules_;
    }
    if (!practice_rules_) {
      practice_rules_ = rules_for(kind, rules_, rules_.questions_per_attempt);
    }
    return *practice_rules_;
  }
  void add_proof_and_claim(sqlite_statement& row, participant_id who, draw_record& item);
  // The leaderboard event of a closed attempt, in the same transaction as its ledger row.
  struct first_counted {
    bool in_window = false;  // the participant's first ledger row of the competition
    bool in_day = false;     // … and of the attempt's day
  };
  [[nodiscard]] first_counted first_in_ledger(const attempt_record& record);
  void credit(const attempt_record& record, const attempt_result& result);
  void write_outbox(const attempt_record& record, const attempt_result& result,
                    first_counted first);
  [[nodiscard]] attempt_totals totals_of(participant_id who);

  sqlite_database& database_;
  const competition_rules& rules_;
  const secrets& keys_;
  const auth_config& auth_;
  open_attempts* open_;
  std::optional<competition_rules> practice_rules_;  // run_rules' practice rules, once derived
  std::optional<attempt_record> scratch_;            // open_record's attempt when nothing is kept
};

}  // namespace anquanli
