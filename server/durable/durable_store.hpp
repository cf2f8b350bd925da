// The narrow interface handlers use for everything durable. SQLite implements it today
// (sqlite_durable_store); a PostgreSQL store can implement it later without touching a handler.
// Every call is awaited on the caller's executor and never blocks an I/O thread. A call that
// returns has been committed; a failure to store throws store_unavailable.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/store/admin_store.hpp"
#include "server/store/bulletin_query.hpp"
#include "server/store/bulletin_snapshot_store.hpp"
#include "server/store/directory.hpp"
#include "server/store/draw_commitments.hpp"
#include "server/store/history_store.hpp"
#include "server/store/leaderboard_store.hpp"
#include "server/store/participant_board_store.hpp"
#include "server/store/participant_lookup.hpp"
#include "server/store/practice_store.hpp"
#include "server/store/prize_store.hpp"
#include "server/store/reporting_store.hpp"
#include "server/store/screen_query.hpp"
#include "server/store/store_types.hpp"

namespace anquanli {

class store_unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The writer's queue is full: the request is refused at once (503 with Retry-After) rather than
// queued behind work it cannot finish in time.
class store_overloaded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class admin_login_outcome { signed_in, invalid, locked };

struct admin_login_result {
  admin_login_outcome outcome = admin_login_outcome::invalid;
  std::string token;
  instant expires_at{};
  admin_account account;
  std::int64_t retry_after_s = 0;
};

struct unit_query {
  std::string region_code;  // empty = all
  std::string text;
  int limit = 20;
  bool with_parents = false;  // also the units of the region's ancestors (issue 16)
};

class durable_store {
 public:
  virtual ~durable_store() = default;

  using awaitable_code = boost::asio::awaitable<code_request_result>;

  virtual awaitable_code request_code(std::string phone, std::string address, instant now) = 0;
  virtual boost::asio::awaitable<login_result> login(std::string phone, std::string code,
                                                     std::string address, instant now) = 0;
  virtual boost::asio::awaitable<std::optional<participant_id>> authenticate(std::string token,
                                                                             instant now) = 0;
  virtual boost::asio::awaitable<profile_outcome> update_profile(
      participant_id who, std::string name, std::string region_code,
      std::optional<std::string> unit_id) = 0;
  virtual boost::asio::awaitable<std::optional<profile>> load_profile(participant_id who) = 0;
  virtual boost::asio::awaitable<me_view> me(participant_id who, instant now) = 0;
  virtual boost::asio::awaitable<start_result> start_attempt(participant_id who, instant now) = 0;
  virtual boost::asio::awaitable<std::optional<attempt_record>> load_attempt(attempt_id which) = 0;
  virtual boost::asio::awaitable<answer_result> answer(participant_id who, attempt_id which,
                                                       int index, choice_keys choice,
                                                       instant now) = 0;
  virtual boost::asio::awaitable<answer_result> finish(participant_id who, attempt_id which,
                                                       instant now) = 0;
  virtual boost::asio::awaitable<int> expire_due(instant now) = 0;
  // Deletes a batch of expired tokens, codes, request counts and idle throttles; returns how many
  // rows went (the sweeper calls it until a batch comes back short).
  virtual boost::asio::awaitable<int> remove_expired(instant now) = 0;
  virtual boost::asio::awaitable<draw_result_record> draw(participant_id who, instant now) = 0;
  virtual boost::asio::awaitable<std::vector<draw_record>> draws(participant_id who) = 0;
  virtual boost::asio::awaitable<std::vector<region>> regions() = 0;
  virtual boost::asio::awaitable<std::vector<unit>> units(unit_query query) = 0;
  // ---- leaderboards ----
  virtual boost::asio::awaitable<std::shared_ptr<const directory_snapshot>> directory() = 0;
  virtual boost::asio::awaitable<scope_totals> aggregate(std::optional<std::string> day) = 0;
  virtual boost::asio::awaitable<ledger_snapshot> snapshot_ledger() = 0;
  virtual boost::asio::awaitable<std::vector<outbox_event>> outbox_after(std::int64_t after,
                                                                         int limit) = 0;

  // ---- the regional office ----
  // Throttled per address and account before any hash is computed (admin_store.hpp).
  virtual boost::asio::awaitable<admin_login_result> admin_login(std::string username,
                                                                 std::string password,
                                                                 std::string address,
                                                                 instant now) = 0;
  // The audit log of what the office did with personal data.
  virtual boost::asio::awaitable<void> audit(admin_account who, std::string action,
                                             std::string address, std::string detail,
                                             instant now) = 0;
  virtual boost::asio::awaitable<std::vector<audit_entry>> audit_log(int limit,
                                                                     std::int64_t before_id) = 0;
  virtual boost::asio::awaitable<std::optional<admin_account>> authenticate_admin(std::string token,
                                                                                  instant now) = 0;
  virtual boost::asio::awaitable<bulletin> build_bulletin(bulletin_request request,
                                                          instant now) = 0;
  // Every level of one issued document, read in one transaction (request.level is ignored).
  virtual boost::asio::awaitable<std::vector<bulletin>> build_bulletins(
      bulletin_request request, std::vector<bulletin_level> levels, instant now) = 0;
  // Frozen bulletins (bulletin_snapshot_store.hpp): the competition is the store's own, whatever
  // the draft or filter says.
  virtual boost::asio::awaitable<bulletin_snapshot_summary> create_bulletin_snapshot(
      bulletin_snapshot_draft draft) = 0;
  virtual boost::asio::awaitable<std::vector<bulletin_snapshot_summary>> list_bulletin_snapshots(
      bulletin_snapshot_filter filter) = 0;
  virtual boost::asio::awaitable<std::optional<bulletin_snapshot>> load_bulletin_snapshot(
      std::int64_t id) = 0;
  virtual boost::asio::awaitable<std::vector<daily_row>> daily(std::string scope, day_key from,
                                                               day_key to) = 0;
  virtual boost::asio::awaitable<std::vector<winner_row>> winners(std::string scope) = 0;
  virtual boost::asio::awaitable<std::vector<question_stat>> question_stats(std::string scope,
                                                                            day_key from,
                                                                            day_key to) = 0;

  // Answers by question category for the scope and each region one level down (answer_stats.hpp).
  virtual boost::asio::awaitable<category_report> category_stats(std::string scope, day_key from,
                                                                 day_key to) = 0;

  // ---- the office's participant lookup (issue 17; participant_lookup.hpp) ----
  virtual boost::asio::awaitable<std::optional<participant_file>> find_participant(
      std::string phone) = 0;
  virtual boost::asio::awaitable<std::optional<participant_file>> participant_file_of(
      participant_id who) = 0;
  // Moves the participant for challenges from now on; records the correction and its audit entry.
  virtual boost::asio::awaitable<correction_outcome> correct_participant(placement_change change,
                                                                         admin_account by,
                                                                         std::string address,
                                                                         instant now) = 0;

  // ---- the participant's own layer (issue 16) ----
  virtual boost::asio::awaitable<std::vector<attempt_summary>> my_attempts(participant_id who,
                                                                           attempt_kind kind) = 0;
  virtual boost::asio::awaitable<std::vector<mistake_record>> mistakes(participant_id who) = 0;
  // A 练功房 attempt ([practice]); never touches the challenge's counts (practice_store.hpp).
  virtual boost::asio::awaitable<practice_result> start_practice(participant_id who,
                                                                 practice_request request,
                                                                 instant now) = 0;
  // Records that the participant agreed to the privacy notice (the first time only).
  virtual boost::asio::awaitable<void> record_consent(participant_id who, instant now) = 0;
  virtual boost::asio::awaitable<std::vector<prize_standing>> prizes(instant now) = 0;
  virtual boost::asio::awaitable<std::vector<public_winner>> public_winners(
      std::optional<std::string> day) = 0;
  virtual boost::asio::awaitable<claim_result> claim_prize(participant_id who, std::int64_t draw_id,
                                                           prize_claim details, instant now) = 0;
  virtual boost::asio::awaitable<sent_result> mark_prize_sent(std::string scope_region,
                                                              std::int64_t draw_id,
                                                              instant now) = 0;
  // The deliveries of won prizes, for the office's winners list.
  virtual boost::asio::awaitable<std::map<std::int64_t, prize_delivery>> prize_deliveries() = 0;
  // Each day's seed commitment, and the seeds of days over by `now`.
  virtual boost::asio::awaitable<std::vector<draw_commitment>> commitments(instant now) = 0;
  // ---- personal rankings (participant_board_store.hpp) ----
  virtual boost::asio::awaitable<std::vector<participant_event>> participant_events_after(
      std::int64_t after, int limit) = 0;
  virtual boost::asio::awaitable<participant_snapshot> snapshot_participants() = 0;
  virtual boost::asio::awaitable<participant_board_rows> participant_scores(
      std::string region_code, std::optional<std::string> day) = 0;

  // ---- the campaign's reporting forms (issue 17, reporting_store.hpp) ----
  // The account's own filing of `form`: its draft and every submitted version.
  virtual boost::asio::awaitable<reporting_filing> reporting_filing_of(
      admin_account who, reporting_form_kind form) = 0;
  virtual boost::asio::awaitable<reporting_draft> save_reporting_draft(admin_account who,
                                                                       reporting_form_kind form,
                                                                       reporting_values values,
                                                                       instant now) = 0;
  // A new version, late after `due`, and its line in the audit log, in one commit.
  virtual boost::asio::awaitable<reporting_submission> submit_reporting(
      admin_account who, reporting_form_kind form, reporting_values values, day_key due,
      std::string address, instant now) = 0;
  // The filer the account files as (its organisation, if it has one).
  virtual boost::asio::awaitable<reporting_filer> reporting_filer_of(admin_account who) = 0;
  virtual boost::asio::awaitable<std::vector<reporting_status_row>> reporting_overview(
      std::string scope, reporting_form_kind form) = 0;
  // ---- the 6·16 big screen (screen_query.hpp); bulk reads, off the sign-ins' readers ----
  virtual boost::asio::awaitable<screen_figures> read_screen(screen_query query) = 0;
  virtual boost::asio::awaitable<std::int64_t> draws_before(std::string day) = 0;

  // Re-reads the active question bank (after an operator's import).
  virtual boost::asio::awaitable<void> reload_questions() = 0;
  // True when a trivial query answers: for /readyz.
  virtual boost::asio::awaitable<bool> ready() = 0;
};

}  // namespace anquanli
