// An in-memory durable_store for the handlers' unit tests (tests/api) and the HTTP fuzz target:
// no process, no file, no thread. It keeps plain maps and applies the engine's rules where they are
// cheap (the window and one attempt a day, papers from compose_paper, the attempt state machine,
// tallies, prize draws) and the real store's default sign-in limits (auth_config), so a handler
// meets honest outcomes. It is a test fake, not a second storage implementation: it keeps no
// points ledger (the outbox, the daily trend, winners and question statistics come back empty;
// aggregates are what set_aggregate gave, empty by default; a bulletin has no rows), counts no
// per-address limits, and keeps admin passwords as given. Every storage path keeps its own tests
// against real SQLite and Redis (tests/server).
//
// Everything is deterministic: codes, tokens, papers and draws come from a seeded sequence, so a
// fuzz input always meets the same store. Calls must come from one thread at a time (an
// io_context run by one thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "server/core/server_config.hpp"
#include "server/durable/durable_store.hpp"
#include "server/store/competition_store.hpp"

namespace anquanli::test {

// What the next call throws, as the SQLite store does when it fails or its writer is behind.
enum class store_failure { unavailable, overloaded };

// A participant put straight into the store, already signed in with `token` (which never
// expires). An empty name leaves the profile to be filled in.
struct fake_participant {
  std::string phone;
  std::string token;
  std::string name;
  std::string region_code;
  std::optional<std::string> unit_id;
  int draws_earned = 0;
};

// An office account put straight into the store; with a token, already signed in (for good).
struct fake_office_account {
  std::string username;
  std::string password;
  std::string region_code;
  std::string token;  // empty: the account signs in through admin_login
};

class fake_durable_store final : public durable_store {
 public:
  // Takes the competition's rules, its prizes and the token lifetime from `config`.
  explicit fake_durable_store(const server_config& config, std::uint64_t seed = 2021);

  // ---- knobs for tests ----
  void seed_directory(std::vector<region> regions, std::vector<unit> units);
  void seed_questions(std::vector<question> bank);
  admin_account add_admin(const fake_office_account& seed);
  participant_id add_participant(const fake_participant& seed);
  // The next call, after `answering` more calls that answer as usual, throws store_unavailable
  // or store_overloaded instead. One failure is pending at a time; a new one replaces it.
  void fail_next(store_failure failure, int answering = 0);
  void set_ready(bool ready) { ready_ = ready; }
  // How often the big screen's figures were read; each read's figures differ from the last.
  [[nodiscard]] std::int64_t screen_reads() const { return screen_reads_; }
  // What aggregate() answers from now on, for every scope (the leaderboards' SQLite numbers).
  void set_aggregate(scope_totals totals) { aggregate_ = std::move(totals); }
  // Every call so far, failed or not: a test can tell that a refusal never reached storage.
  [[nodiscard]] std::size_t calls() const { return calls_; }

  // ---- durable_store ----
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
  boost::asio::awaitable<int> remove_expired(instant now) override;
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

 private:
  // The reporting forms by region code and form (the fake knows no organisations).
  std::map<std::pair<std::string, reporting_form_kind>, reporting_filing> filings_;
  scope_totals aggregate_;
  struct participant_row {
    std::string phone;
    std::string name;
    std::string region_code;  // empty until the profile is filled in
    std::optional<std::string> unit_id;
    int draws_earned = 0;
    attempt_totals totals;
    std::optional<instant> consent_at;
  };
  struct code_row {
    std::string code;  // empty once used
    std::optional<instant> sent_at;
    instant expires_at{};
    int failures = 0;
    instant locked_until{};
  };
  struct token_row {
    participant_id who;
    instant expires_at{};
  };
  struct admin_row {
    admin_account account;
    std::string password;
    int failures = 0;
    instant locked_until{};
  };
  struct admin_token_row {
    std::string username;
    instant expires_at{};
  };
  struct prize_row {
    prize_config config;
    std::int64_t remaining = 0;
    std::map<std::string, std::int64_t> awarded_on;  // day → prizes awarded that day
  };

  // Counts the call and throws the failure a test asked for, if any.
  void enter();
  std::uint64_t next_random();

  code_request_result send_code(const std::string& phone, instant now);
  login_result sign_in(const std::string& phone, const std::string& code, instant now);
  participant_id participant_for(const std::string& phone);
  profile_outcome change_profile(participant_id who, const std::string& name,
                                 const std::string& region_code,
                                 const std::optional<std::string>& unit_id);
  [[nodiscard]] std::optional<profile> profile_of(participant_id who) const;
  [[nodiscard]] std::vector<attempt_id> attempts_on(participant_id who, day_key day) const;
  [[nodiscard]] std::unordered_set<question_id> recently_seen(participant_id who) const;
  [[nodiscard]] std::optional<attempt_record> attempt_of(attempt_id which) const;
  start_result begin_attempt(participant_id who, instant now);
  answer_result record_answer(participant_id who, attempt_id which, int index,
                              const choice_keys& choice, instant now);
  answer_result end_attempt(participant_id who, attempt_id which, instant now);
  // Tallies a closed attempt and credits its owner.
  void close(attempt_record& record);
  draw_result_record run_draw(participant_id who, instant now);
  [[nodiscard]] competition_rules rules_of(const attempt_record& record) const;
  practice_result begin_practice(participant_id who, const practice_request& request, instant now);
  [[nodiscard]] std::vector<unit> find_units(const unit_query& query) const;
  admin_login_result office_sign_in(const std::string& username, const std::string& password,
                                    instant now);
  [[nodiscard]] std::optional<admin_account> office_account(const std::string& token,
                                                            instant now) const;
  [[nodiscard]] bulletin empty_bulletin(const bulletin_request& request, instant now) const;

  competition_rules rules_;
  practice_config practice_;
  auth_config auth_;
  std::vector<audit_entry> audit_;
  std::uint64_t random_state_;
  std::shared_ptr<const directory_snapshot> directory_ = std::make_shared<directory_snapshot>();
  std::vector<question> bank_;
  std::map<std::string, code_row> codes_;  // by phone
  std::map<std::string, participant_id> participant_by_phone_;
  std::map<participant_id, participant_row> participants_;
  std::map<std::string, token_row> tokens_;
  std::map<attempt_id, attempt_record> attempts_;
  std::map<participant_id, std::vector<draw_record>> draws_;
  std::map<std::int64_t, claim_status> claims_;  // by draw id
  std::vector<prize_row> prizes_;
  std::map<std::string, admin_row> admins_;  // by username
  std::map<std::string, admin_token_row> admin_tokens_;
  std::vector<bulletin_snapshot> snapshots_;  // frozen bulletins, id = position + 1
  struct pending_failure {
    store_failure failure = store_failure::unavailable;
    int answering = 0;  // calls that still answer first
  };
  std::optional<pending_failure> pending_failure_;
  std::int64_t last_id_ = 0;  // participants, attempts, draws and accounts share one sequence
  std::size_t calls_ = 0;
  bool ready_ = true;
  std::int64_t screen_reads_ = 0;
};

// Small fixed data for handler tests and the fuzz target: part of Ningxia's region tree
// (宁夏 → 银川市 → 兴庆区, 西夏区; 石嘴山市 → 大武口区), a unit in each county, and `count`
// single-choice questions whose correct key is always "A" before the paper shuffles options.
[[nodiscard]] std::vector<region> sample_regions();
[[nodiscard]] std::vector<unit> sample_units();
[[nodiscard]] std::vector<question> sample_questions(int count);

}  // namespace anquanli::test
