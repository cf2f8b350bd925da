// durable_store over SQLite: changes go through the group-commit writer, queries through a small
// pool of reader threads, each with its own connection (WAL lets them read while the writer
// writes). Queries that scan the whole ledger (the leaderboards' and bulletins' aggregates, the
// relay's snapshots) run on one more reader thread of their own, so a slow one never queues in
// front of the sign-ins' token misses and the participants' profile reads; their callers keep them
// single-flight. Results come back to the awaiting coroutine's executor.
#pragma once

#include <filesystem>
#include <memory>

#include "server/core/load_priority.hpp"
#include "server/core/server_config.hpp"
#include "server/durable/durable_store.hpp"
#include "server/store/secrets.hpp"
#include "server/store/sqlite_writer.hpp"

namespace anquanli {

class sqlite_durable_store final : public durable_store {
 public:
  // Opens (creating and migrating) DATA_DIR/anquanli.db. Throws on failure.
  sqlite_durable_store(const server_config& config, const secrets& keys, const time_source& clock,
                       int reader_threads);
  ~sqlite_durable_store() override;

  // True while a new write of this priority would be refused (the writer's queue is too long or
  // too old; work that begins something meets the lower `max_write_wait_new`). Cheap and
  // thread-safe, so the HTTP layer can refuse a write before spending any work on it.
  [[nodiscard]] bool writes_backed_up(load_priority priority) const;

  awaitable_code request_code(std::string phone, std::string address, instant now) override;
  boost::asio::awaitable<login_result> login(std::string phone, std::string code,
                                             std::string address, instant now) override;
  boost::asio::awaitable<std::optional<participant_id>> authenticate(std::string token,
                                                                     instant now) override;
  boost::asio::awaitable<profile_outcome> update_profile(
      participant_id who, std::string name, std::string region_code,
      std::optional<std::string> unit_id) override;
  boost::asio::awaitable<std::optional<profile>> load_profile(participant_id who) override;
  boost::asio::awaitable<me_view> me(participant_id who, instant now) override;
  boost::asio::awaitable<start_result> start_attempt(participant_id who, instant now) override;
  boost::asio::awaitable<std::optional<attempt_record>> load_attempt(attempt_id which) override;
  boost::asio::awaitable<answer_result> answer(participant_id who, attempt_id which, int index,
                                               choice_keys choice, instant now) override;
  boost::asio::awaitable<answer_result> finish(participant_id who, attempt_id which,
                                               instant now) override;
  boost::asio::awaitable<int> expire_due(instant now) override;
  boost::asio::awaitable<int> remove_expired(instant now) override;
  boost::asio::awaitable<draw_result_record> draw(participant_id who, instant now) override;
  boost::asio::awaitable<std::vector<draw_record>> draws(participant_id who) override;
  boost::asio::awaitable<std::vector<region>> regions() override;
  boost::asio::awaitable<std::vector<unit>> units(unit_query query) override;
  boost::asio::awaitable<std::shared_ptr<const directory_snapshot>> directory() override;
  boost::asio::awaitable<scope_totals> aggregate(std::optional<std::string> day) override;
  boost::asio::awaitable<ledger_snapshot> snapshot_ledger() override;
  boost::asio::awaitable<std::vector<outbox_event>> outbox_after(std::int64_t after,
                                                                 int limit) override;
  boost::asio::awaitable<admin_login_result> admin_login(std::string username, std::string password,
                                                         std::string address, instant now) override;
  boost::asio::awaitable<void> audit(admin_account who, std::string action, std::string address,
                                     std::string detail, instant now) override;
  boost::asio::awaitable<std::vector<audit_entry>> audit_log(int limit,
                                                             std::int64_t before_id) override;
  boost::asio::awaitable<std::optional<admin_account>> authenticate_admin(std::string token,
                                                                          instant now) override;
  boost::asio::awaitable<bulletin> build_bulletin(bulletin_request request, instant now) override;
  boost::asio::awaitable<std::vector<bulletin>> build_bulletins(bulletin_request request,
                                                                std::vector<bulletin_level> levels,
                                                                instant now) override;
  boost::asio::awaitable<bulletin_snapshot_summary> create_bulletin_snapshot(
      bulletin_snapshot_draft draft) override;
  boost::asio::awaitable<std::vector<bulletin_snapshot_summary>> list_bulletin_snapshots(
      bulletin_snapshot_filter filter) override;
  boost::asio::awaitable<std::optional<bulletin_snapshot>> load_bulletin_snapshot(
      std::int64_t id) override;
  boost::asio::awaitable<std::vector<daily_row>> daily(std::string scope, day_key from,
                                                       day_key to) override;
  boost::asio::awaitable<std::vector<winner_row>> winners(std::string scope) override;
  boost::asio::awaitable<std::vector<question_stat>> question_stats(std::string scope, day_key from,
                                                                    day_key to) override;
  boost::asio::awaitable<category_report> category_stats(std::string scope, day_key from,
                                                         day_key to) override;
  boost::asio::awaitable<std::optional<participant_file>> find_participant(
      std::string phone) override;
  boost::asio::awaitable<std::optional<participant_file>> participant_file_of(
      participant_id who) override;
  boost::asio::awaitable<correction_outcome> correct_participant(placement_change change,
                                                                 admin_account by,
                                                                 std::string address,
                                                                 instant now) override;
  boost::asio::awaitable<std::vector<attempt_summary>> my_attempts(participant_id who,
                                                                   attempt_kind kind) override;
  boost::asio::awaitable<std::vector<mistake_record>> mistakes(participant_id who) override;
  boost::asio::awaitable<practice_result> start_practice(participant_id who,
                                                         practice_request request,
                                                         instant now) override;
  boost::asio::awaitable<void> record_consent(participant_id who, instant now) override;
  boost::asio::awaitable<std::vector<prize_standing>> prizes(instant now) override;
  boost::asio::awaitable<std::vector<public_winner>> public_winners(
      std::optional<std::string> day) override;
  boost::asio::awaitable<claim_result> claim_prize(participant_id who, std::int64_t draw_id,
                                                   prize_claim details, instant now) override;
  boost::asio::awaitable<sent_result> mark_prize_sent(std::string scope_region,
                                                      std::int64_t draw_id, instant now) override;
  boost::asio::awaitable<std::map<std::int64_t, prize_delivery>> prize_deliveries() override;
  boost::asio::awaitable<std::vector<draw_commitment>> commitments(instant now) override;
  boost::asio::awaitable<std::vector<participant_event>> participant_events_after(
      std::int64_t after, int limit) override;
  boost::asio::awaitable<participant_snapshot> snapshot_participants() override;
  boost::asio::awaitable<participant_board_rows> participant_scores(
      std::string region_code, std::optional<std::string> day) override;
  boost::asio::awaitable<reporting_filing> reporting_filing_of(admin_account who,
                                                               reporting_form_kind form) override;
  boost::asio::awaitable<reporting_draft> save_reporting_draft(admin_account who,
                                                               reporting_form_kind form,
                                                               reporting_values values,
                                                               instant now) override;
  boost::asio::awaitable<reporting_submission> submit_reporting(admin_account who,
                                                                reporting_form_kind form,
                                                                reporting_values values,
                                                                day_key due, std::string address,
                                                                instant now) override;
  boost::asio::awaitable<reporting_filer> reporting_filer_of(admin_account who) override;
  boost::asio::awaitable<std::vector<reporting_status_row>> reporting_overview(
      std::string scope, reporting_form_kind form) override;
  boost::asio::awaitable<void> reload_questions() override;
  boost::asio::awaitable<screen_figures> read_screen(screen_query query) override;
  boost::asio::awaitable<std::int64_t> draws_before(std::string day) override;
  boost::asio::awaitable<bool> ready() override;

  // Finishes queued writes and stops the writer and readers.
  void stop();
  [[nodiscard]] writer_stats stats() const;

 private:
  boost::asio::awaitable<login_result> write_login(std::string phone, std::string code,
                                                   std::string address, instant now);
  boost::asio::awaitable<std::optional<token_holder>> read_token(std::string token_hash,
                                                                 instant now);

  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace anquanli
