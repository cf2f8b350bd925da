#include "tests/support/fake_durable_store.hpp"

#include <algorithm>

#include "engine/competition_window.hpp"
#include "engine/prize_draw.hpp"
#include "server/core/person_name.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli::test {

namespace asio = boost::asio;

namespace {

// The papers of a participant's last attempts avoid repeating their questions, as the SQLite
// store's do.
constexpr std::size_t recent_attempts_avoided = 3;

std::int64_t seconds_until(instant later, instant now) {
  return std::chrono::ceil<std::chrono::seconds>(later - now).count();
}

}  // namespace

fake_durable_store::fake_durable_store(const server_config& config, std::uint64_t seed)
    : rules_(config.competition), practice_(config.practice), random_state_(seed) {
  auth_ = config.auth;
  for (const auto& prize : config.prizes) {
    prizes_.push_back({prize, prize.total, {}});
  }
}

// ---- knobs ------------------------------------------------------------------------------------

void fake_durable_store::seed_directory(std::vector<region> regions, std::vector<unit> units) {
  directory_ = std::make_shared<const directory_snapshot>(std::move(regions), std::move(units));
}

void fake_durable_store::seed_questions(std::vector<question> bank) {
  bank_ = std::move(bank);
}

admin_account fake_durable_store::add_admin(const fake_office_account& seed) {
  const region* place = directory_->find_region(seed.region_code);
  admin_account account{++last_id_, seed.username, seed.region_code,
                        place == nullptr ? std::string{} : place->name, std::nullopt};
  admins_[seed.username] = {account, seed.password, 0, {}};
  if (!seed.token.empty()) {
    admin_tokens_[seed.token] = {seed.username, instant::max()};
  }
  return account;
}

participant_id fake_durable_store::add_participant(const fake_participant& seed) {
  const participant_id who = participant_for(seed.phone);
  participant_row& row = participants_.at(who);
  row.name = seed.name;
  row.region_code = seed.region_code;
  row.unit_id = seed.unit_id;
  row.draws_earned = seed.draws_earned;
  tokens_[seed.token] = {who, instant::max()};
  return who;
}

void fake_durable_store::fail_next(store_failure failure, int answering) {
  pending_failure_ = pending_failure{failure, answering};
}

void fake_durable_store::enter() {
  ++calls_;
  if (!pending_failure_ || pending_failure_->answering-- > 0) {
    return;
  }
  const store_failure failure = pending_failure_->failure;
  pending_failure_.reset();
  if (failure == store_failure::overloaded) {
    throw store_overloaded("fake store: the writer's queue is full");
  }
  throw store_unavailable("fake store: storage unavailable");
}

std::uint64_t fake_durable_store::next_random() {
  // splitmix64: a fixed, well-mixed sequence from the seed.
  std::uint64_t z = (random_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

// ---- sign-in ----------------------------------------------------------------------------------

code_request_result fake_durable_store::send_code(const std::string& phone, instant now) {
  code_row& row = codes_[phone];
  if (row.locked_until > now) {
    return {code_request_outcome::too_soon, {}, seconds_until(row.locked_until, now)};
  }
  if (row.sent_at && now - *row.sent_at < auth_.resend_after) {
    return {
        code_request_outcome::too_soon, {}, seconds_until(*row.sent_at + auth_.resend_after, now)};
  }
  row.code = std::to_string(100000 + next_random() % 900000);
  row.sent_at = now;
  row.expires_at = now + auth_.code_ttl;
  return {code_request_outcome::sent, row.code, auth_.resend_after.count()};
}

participant_id fake_durable_store::participant_for(const std::string& phone) {
  const auto [found, added] = participant_by_phone_.try_emplace(phone, participant_id{});
  if (added) {
    found->second = participant_id{++last_id_};
    participants_[found->second].phone = phone;
  }
  return found->second;
}

login_result fake_durable_store::sign_in(const std::string& phone, const std::string& code,
                                         instant now) {
  const auto found = codes_.find(phone);
  if (found == codes_.end()) {
    return {login_outcome::invalid_code, {}, {}, false, 0};
  }
  code_row& row = found->second;
  if (row.locked_until > now) {
    return {login_outcome::locked, {}, {}, false, seconds_until(row.locked_until, now)};
  }
  if (row.code.empty() || row.expires_at <= now || row.code != code) {
    if (++row.failures >= auth_.code_attempts) {
      row.failures = 0;
      row.locked_until = now + auth_.phone_lock;
    }
    return {login_outcome::invalid_code, {}, {}, false, 0};
  }
  row.code.clear();
  row.failures = 0;
  const participant_id who = participant_for(phone);
  login_result result{login_outcome::signed_in, "fake-token-" + std::to_string(++last_id_),
                      now + auth_.token_ttl, profile_of(who)->complete(), 0};
  tokens_[result.token] = {who, result.expires_at};
  return result;
}

// ---- profiles ---------------------------------------------------------------------------------

std::optional<profile> fake_durable_store::profile_of(participant_id who) const {
  const auto found = participants_.find(who);
  if (found == participants_.end()) {
    return std::nullopt;
  }
  const participant_row& row = found->second;
  const auto used = draws_.find(who);
  profile result{who,
                 mask_phone(row.phone),
                 row.name,
                 std::nullopt,
                 std::nullopt,
                 row.draws_earned,
                 used == draws_.end() ? 0 : static_cast<int>(used->second.size()),
                 row.consent_at};
  if (!row.region_code.empty()) {
    const region* place = directory_->find_region(row.region_code);
    result.region = named_ref{row.region_code, place == nullptr ? "" : place->name};
  }
  if (row.unit_id) {
    const unit* work = directory_->find_unit(*row.unit_id);
    result.unit = named_ref{*row.unit_id, work == nullptr ? "" : work->name};
  }
  return result;
}

profile_outcome fake_durable_store::change_profile(participant_id who, const std::string& name,
                                                   const std::string& region_code,
                                                   const std::optional<std::string>& unit_id) {
  if (std::any_of(attempts_.begin(), attempts_.end(), [who](const auto& entry) {
        return entry.second.owner == who && entry.second.kind == attempt_kind::challenge;
      })) {
    return profile_outcome::profile_locked;
  }
  // A participant belongs to a leaf of the region tree.
  if (directory_->find_region(region_code) == nullptr ||
      !directory_->children(region_code).empty()) {
    return profile_outcome::invalid_region;
  }
  if (unit_id) {
    // A unit of the region's subtree, or one registered higher up its path.
    const unit* work = directory_->find_unit(*unit_id);
    if (work == nullptr || !(directory_->within(work->region_code, region_code) ||
                             directory_->within(region_code, work->region_code))) {
      return profile_outcome::invalid_unit;
    }
  }
  participant_row& row = participants_.at(who);
  row.name = name;
  row.region_code = region_code;
  row.unit_id = unit_id;
  return profile_outcome::updated;
}

// ---- attempts ---------------------------------------------------------------------------------

std::vector<attempt_id> fake_durable_store::attempts_on(participant_id who, day_key day) const {
  std::vector<attempt_id> ids;
  for (const auto& [id, record] : attempts_) {
    if (record.owner == who && record.day == day && record.kind == attempt_kind::challenge) {
      ids.push_back(id);
    }
  }
  return ids;
}

std::unordered_set<question_id> fake_durable_store::recently_seen(participant_id who) const {
  std::unordered_set<question_id> seen;
  std::size_t counted = 0;
  for (auto entry = attempts_.rbegin();
       entry != attempts_.rend() && counted < recent_attempts_avoided; ++entry) {
    if (entry->second.owner == who && entry->second.kind == attempt_kind::challenge) {
      ++counted;
      for (const auto& shown : entry->second.questions) {
        seen.insert(shown.id);
      }
    }
  }
  return seen;
}

std::optional<attempt_record> fake_durable_store::attempt_of(attempt_id which) const {
  const auto found = attempts_.find(which);
  return found == attempts_.end() ? std::nullopt : std::optional{found->second};
}

start_result fake_durable_store::begin_attempt(participant_id who, instant now) {
  // Points need someone to credit: a name and a region first.
  const auto owner = participants_.find(who);
  if (owner == participants_.end() || owner->second.name.empty() ||
      owner->second.region_code.empty()) {
    return {verdict::profile_incomplete, std::nullopt};
  }
  const day_key today = day_key_of(now, rules_.offset);
  const std::vector<attempt_id> taken = attempts_on(who, today);
  if (const verdict refused = check_attempt_start(rules_, now, static_cast<int>(taken.size()));
      refused != verdict::accepted) {
    // A refusal names the attempt already taken today, if any.
    std::optional<attempt_record> existing;
    if (!taken.empty()) {
      existing = attempts_.at(taken.back());
    }
    return {refused, std::move(existing)};
  }
  attempt_paper paper = compose_paper(bank_, rules_, recently_seen(who), next_random());
  if (paper.outcome != verdict::accepted) {
    return {paper.outcome, std::nullopt};
  }
  std::vector<attempt_question> asked;
  for (const auto& shown : paper.questions) {
    asked.push_back(to_attempt_question(shown));
  }
  const attempt_id id{++last_id_};
  attempt_record record{id,
                        who,
                        today,
                        std::move(paper.questions),
                        attempt(std::move(asked), now),
                        std::nullopt,
                        attempt_kind::challenge};
  attempts_.emplace(id, record);
  return {verdict::accepted, std::move(record)};
}

void fake_durable_store::close(attempt_record& record) {
  if (record.kind == attempt_kind::practice) {
    record.result = attempt_result{tally(record.state, rules_).correct, 0, 0};
    return;  // practice credits nothing
  }
  const attempt_result result = tally(record.state, rules_);
  record.result = result;
  participant_row& owner = participants_.at(record.owner);
  owner.draws_earned += result.draws_earned;
  owner.totals.attempts += 1;
  owner.totals.correct += result.correct;
  owner.totals.points += result.points;
}

answer_result fake_durable_store::record_answer(participant_id who, attempt_id which, int index,
                                                const choice_keys& choice, instant now) {
  const auto found = attempts_.find(which);
  if (found == attempts_.end() || found->second.owner != who) {
    return {verdict::accepted, std::nullopt, std::nullopt};
  }
  attempt_record& record = found->second;
  const attempt_status before = record.state.status();
  const answer_outcome outcome = record.state.answer(rules_of(record), index, choice, now);
  if (before == attempt_status::in_progress && record.state.status() != before) {
    close(record);
  }
  return {outcome.outcome, outcome.answer, record};
}

answer_result fake_durable_store::end_attempt(participant_id who, attempt_id which, instant now) {
  const auto found = attempts_.find(which);
  if (found == attempts_.end() || found->second.owner != who) {
    return {verdict::accepted, std::nullopt, std::nullopt};
  }
  attempt_record& record = found->second;
  const verdict outcome = record.state.finish(rules_of(record), now);
  if (outcome == verdict::accepted) {
    close(record);
  }
  return {outcome, std::nullopt, record};
}

// ---- draws ------------------------------------------------------------------------------------

draw_result_record fake_durable_store::run_draw(participant_id who, instant now) {
  const auto owner = participants_.find(who);
  const int earned = owner == participants_.end() ? 0 : owner->second.draws_earned;
  std::vector<draw_record>& history = draws_[who];
  const int available = std::max(0, earned - static_cast<int>(history.size()));
  if (const verdict admission = check_draw(rules_, now, earned, static_cast<int>(history.size()));
      admission != verdict::accepted) {
    return {admission, std::nullopt, available};
  }
  const std::string today = to_string(day_key_of(now, rules_.offset));
  std::vector<prize_odds> odds;
  for (const prize_row& prize : prizes_) {
    std::optional<std::int64_t> left_today;
    if (prize.config.daily_cap) {
      const auto awarded = prize.awarded_on.find(today);
      left_today =
          *prize.config.daily_cap - (awarded == prize.awarded_on.end() ? 0 : awarded->second);
    }
    odds.push_back({prize.config.probability, prize.remaining, left_today});
  }
  const draw_result won = draw_prize(odds, next_random());
  draw_record record{++last_id_, now, std::nullopt, std::nullopt, std::nullopt};
  if (won.prize_index) {
    prize_row& prize = prizes_.at(*won.prize_index);
    prize.remaining -= 1;
    prize.awarded_on[today] += 1;
    record.prize = prize_ref{prize.config.id, prize.config.name};
  }
  history.push_back(record);
  return {won.outcome, record, available - 1};
}

// ---- the directory and the office -------------------------------------------------------------

std::vector<unit> fake_durable_store::find_units(const unit_query& query) const {
  std::vector<unit> found;
  for (const unit& item : directory_->units()) {
    const bool above = query.with_parents && !query.region_code.empty() &&
                       item.region_code != query.region_code &&
                       directory_->within(query.region_code, item.region_code);
    if ((query.region_code.empty() || directory_->within(item.region_code, query.region_code) ||
         above) &&
        item.name.find(query.text) != std::string::npos) {
      found.push_back(item);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const unit& a, const unit& b) { return a.name < b.name; });
  found.resize(std::min(found.size(), static_cast<std::size_t>(std::max(query.limit, 0))));
  return found;
}

admin_login_result fake_durable_store::office_sign_in(const std::string& username,
                                                      const std::string& password, instant now) {
  const auto found = admins_.find(username);
  if (found == admins_.end()) {
    return {};
  }
  admin_row& row = found->second;
  if (row.locked_until > now) {
    return {admin_login_outcome::locked, {}, {}, row.account, seconds_until(row.locked_until, now)};
  }
  if (password != row.password) {
    if (++row.failures >= admin_failures_before_wait) {
      row.failures = 0;
      row.locked_until = now + admin_first_wait;
    }
    return {};
  }
  row.failures = 0;
  admin_login_result result{admin_login_outcome::signed_in,
                            "fake-admin-token-" + std::to_string(++last_id_),
                            now + admin_token_lifetime, row.account, 0};
  admin_tokens_[result.token] = {username, result.expires_at};
  return result;
}

std::optional<admin_account> fake_durable_store::office_account(const std::string& token,
                                                                instant now) const {
  const auto found = admin_tokens_.find(token);
  if (found == admin_tokens_.end() || found->second.expires_at <= now) {
    return std::nullopt;
  }
  return admins_.at(found->second.username).account;
}

bulletin fake_durable_store::empty_bulletin(const bulletin_request& request, instant now) const {
  const region* scope = directory_->find_region(request.scope_code);
  bulletin report;
  report.title = rules_.title + " 参与情况通报";
  report.scope_code = request.scope_code;
  report.scope_name = scope == nullptr ? std::string{} : scope->name;
  report.from = request.from;
  report.to = request.to;
  report.level = request.level;
  report.generated_at = now;
  report.offset = rules_.offset;
  report.totals.name = "合计";
  return report;
}

// ---- durable_store: each call counts, may fail as asked, then answers from the maps -----------

durable_store::awaitable_code fake_durable_store::request_code(std::string phone,
                                                               std::string /*address*/,
                                                               instant now) {
  enter();
  co_return send_code(phone, now);
}

asio::awaitable<login_result> fake_durable_store::login(std::string phone, std::string code,
                                                        std::string /*address*/, instant now) {
  enter();
  co_return sign_in(phone, code, now);
}

asio::awaitable<std::optional<participant_id>> fake_durable_store::authenticate(std::string token,
                                                                                instant now) {
  enter();
  const auto found = tokens_.find(token);
  if (found == tokens_.end() || found->second.expires_at <= now) {
    co_return std::nullopt;
  }
  co_return found->second.who;
}

asio::awaitable<profile_outcome> fake_durable_store::update_profile(
    participant_id who, std::string name, std::string region_code,
    std::optional<std::string> unit_id) {
  enter();
  co_return change_profile(who, name, region_code, unit_id);
}

asio::awaitable<std::optional<profile>> fake_durable_store::load_profile(participant_id who) {
  enter();
  co_return profile_of(who);
}

asio::awaitable<me_view> fake_durable_store::me(participant_id who, instant now) {
  enter();
  me_view view{profile_of(who).value_or(profile{who, {}, {}, {}, {}, 0, 0, {}}), std::nullopt, {}};
  if (const auto found = participants_.find(who); found != participants_.end()) {
    view.totals = found->second.totals;
  }
  if (const auto today = attempts_on(who, day_key_of(now, rules_.offset)); !today.empty()) {
    view.today = attempt_of(today.back());
  }
  co_return view;
}

asio::awaitable<start_result> fake_durable_store::start_attempt(participant_id who, instant now) {
  enter();
  co_return begin_attempt(who, now);
}

asio::awaitable<std::optional<attempt_record>> fake_durable_store::load_attempt(attempt_id which) {
  enter();
  co_return attempt_of(which);
}

asio::awaitable<answer_result> fake_durable_store::answer(participant_id who, attempt_id which,
                                                          int index, choice_keys choice,
                                                          instant now) {
  enter();
  co_return record_answer(who, which, index, choice, now);
}

asio::awaitable<answer_result> fake_durable_store::finish(participant_id who, attempt_id which,
                                                          instant now) {
  enter();
  co_return end_attempt(who, which, now);
}

asio::awaitable<int> fake_durable_store::expire_due(instant now) {
  enter();
  int expired = 0;
  for (auto& [id, record] : attempts_) {
    if (record.state.expire_if_due(rules_of(record), now)) {
      close(record);
      expired += record.kind == attempt_kind::challenge ? 1 : 0;
    }
  }
  co_return expired;
}

asio::awaitable<draw_result_record> fake_durable_store::draw(participant_id who, instant now) {
  enter();
  co_return run_draw(who, now);
}

asio::awaitable<std::vector<draw_record>> fake_durable_store::draws(participant_id who) {
  enter();
  const auto found = draws_.find(who);
  co_return found == draws_.end() ? std::vector<draw_record>{} : found->second;
}

asio::awaitable<std::vector<region>> fake_durable_store::regions() {
  enter();
  co_return directory_->regions();
}

asio::awaitable<std::vector<unit>> fake_durable_store::units(unit_query query) {
  enter();
  co_return find_units(query);
}

asio::awaitable<std::shared_ptr<const directory_snapshot>> fake_durable_store::directory() {
  enter();
  co_return directory_;
}

asio::awaitable<scope_totals> fake_durable_store::aggregate(std::optional<std::string> /*day*/) {
  enter();
  co_return aggregate_;
}

asio::awaitable<ledger_snapshot> fake_durable_store::snapshot_ledger() {
  enter();
  co_return ledger_snapshot{};
}

asio::awaitable<std::vector<outbox_event>> fake_durable_store::outbox_after(std::int64_t /*after*/,
                                                                            int /*limit*/) {
  enter();
  co_return std::vector<outbox_event>{};
}

asio::awaitable<admin_login_result> fake_durable_store::admin_login(std::string username,
                                                                    std::string password,
                                                                    std::string /*address*/,
                                                                    instant now) {
  enter();
  co_return office_sign_in(username, password, now);
}

asio::awaitable<void> fake_durable_store::audit(admin_account who, std::string action,
                                                std::string address, std::string detail,
                                                instant now) {
  enter();
  audit_.insert(audit_.begin(),
                audit_entry{static_cast<std::int64_t>(audit_.size()) + 1, now, who.username,
                            std::move(action), std::move(address), std::move(detail)});
  co_return;
}

asio::awaitable<std::vector<audit_entry>> fake_durable_store::audit_log(int limit,
                                                                        std::int64_t before_id) {
  enter();
  std::vector<audit_entry> page;
  for (const auto& entry : audit_) {
    if (entry.id < before_id && page.size() < static_cast<std::size_t>(limit)) {
      page.push_back(entry);
    }
  }
  co_return page;
}

asio::awaitable<int> fake_durable_store::remove_expired(instant /*now*/) {
  enter();
  co_return 0;  // the fake keeps nothing that expires outside the tokens it checks
}

asio::awaitable<std::optional<admin_account>> fake_durable_store::authenticate_admin(
    std::string token, instant now) {
  enter();
  co_return office_account(token, now);
}

asio::awaitable<bulletin> fake_durable_store::build_bulletin(bulletin_request request,
                                                             instant now) {
  enter();
  co_return empty_bulletin(request, now);
}

asio::awaitable<std::vector<bulletin>> fake_durable_store::build_bulletins(
    bulletin_request request, std::vector<bulletin_level> levels, instant now) {
  enter();
  std::vector<bulletin> reports;
  for (const bulletin_level level : levels) {
    request.level = level;
    reports.push_back(empty_bulletin(request, now));
  }
  co_return reports;
}

asio::awaitable<bulletin_snapshot_summary> fake_durable_store::create_bulletin_snapshot(
    bulletin_snapshot_draft draft) {
  enter();
  bulletin_snapshot snapshot;
  snapshot.summary.id = static_cast<std::int64_t>(snapshots_.size()) + 1;
  snapshot.summary.created_at = draft.created_at;
  snapshot.summary.created_by = draft.created_by;
  snapshot.summary.scope_code = draft.levels.back().scope_code;
  snapshot.summary.level = draft.levels.back().level;
  snapshot.summary.rank_by = draft.levels.back().rank_by;
  snapshot.summary.sector = draft.levels.back().sector;
  snapshot.summary.from = draft.levels.back().from;
  snapshot.summary.to = draft.levels.back().to;
  snapshot.summary.title = draft.title;
  snapshot.issuer = draft.issuer;
  snapshot.title_template = draft.title ? *draft.title : draft.title_template;
  snapshot.copy_to = draft.copy_to;
  snapshot.levels = std::move(draft.levels);
  snapshots_.push_back(snapshot);
  co_return snapshot.summary;
}

asio::awaitable<std::vector<bulletin_snapshot_summary>> fake_durable_store::list_bulletin_snapshots(
    bulletin_snapshot_filter filter) {
  enter();
  std::vector<bulletin_snapshot_summary> listed;
  for (auto at = snapshots_.rbegin(); at != snapshots_.rend(); ++at) {
    if (at->summary.id < filter.before_id && std::cmp_less(listed.size(), filter.limit)) {
      listed.push_back(at->summary);
    }
  }
  co_return listed;
}

asio::awaitable<std::optional<bulletin_snapshot>> fake_durable_store::load_bulletin_snapshot(
    std::int64_t id) {
  enter();
  if (id < 1 || std::cmp_greater(id, snapshots_.size())) {
    co_return std::nullopt;
  }
  co_return snapshots_[static_cast<std::size_t>(id - 1)];
}

asio::awaitable<std::vector<daily_row>> fake_durable_store::daily(std::string /*scope*/,
                                                                  day_key /*from*/,
                                                                  day_key /*to*/) {
  enter();
  co_return std::vector<daily_row>{};
}

asio::awaitable<std::vector<winner_row>> fake_durable_store::winners(std::string /*scope*/) {
  enter();
  co_return std::vector<winner_row>{};
}

asio::awaitable<std::vector<question_stat>> fake_durable_store::question_stats(
    std::string /*scope*/, day_key /*from*/, day_key /*to*/) {
  enter();
  co_return std::vector<question_stat>{};
}

asio::awaitable<reporting_filing> fake_durable_store::reporting_filing_of(
    admin_account who, reporting_form_kind form) {
  enter();
  auto& filing = filings_[{who.region_code, form}];
  filing.filer = {who.region_code, who.region_name, 0, {}};
  co_return filing;
}

asio::awaitable<reporting_draft> fake_durable_store::save_reporting_draft(admin_account who,
                                                                          reporting_form_kind form,
                                                                          reporting_values values,
                                                                          instant now) {
  enter();
  auto& filing = filings_[{who.region_code, form}];
  filing.draft = reporting_draft{std::move(values), who.username, now};
  co_return *filing.draft;
}

asio::awaitable<reporting_submission> fake_durable_store::submit_reporting(
    admin_account who, reporting_form_kind form, reporting_values values, day_key due,
    std::string /*address*/, instant now) {
  enter();
  auto& filing = filings_[{who.region_code, form}];
  filing.versions.push_back({static_cast<std::int64_t>(filing.versions.size()) + 1,
                             std::move(values), who.username, now,
                             day_key_of(now, rules_.offset) > due});
  co_return filing.versions.back();
}

asio::awaitable<reporting_filer> fake_durable_store::reporting_filer_of(admin_account who) {
  enter();
  co_return reporting_filer{who.region_code, who.region_name, 0, {}};
}

asio::awaitable<std::vector<reporting_status_row>> fake_durable_store::reporting_overview(
    std::string /*scope*/, reporting_form_kind form) {
  enter();
  std::vector<reporting_status_row> rows;
  for (const auto& [key, filing] : filings_) {
    if (key.second != form) {
      continue;
    }
    reporting_status_row row{filing.filer, std::nullopt, std::nullopt};
    if (filing.draft) {
      row.draft_saved_at = filing.draft->saved_at;
    }
    if (!filing.versions.empty()) {
      row.latest = filing.versions.back();
    }
    rows.push_back(std::move(row));
  }
  co_return rows;
}

asio::awaitable<category_report> fake_durable_store::category_stats(std::string /*scope*/,
                                                                    day_key /*from*/,
                                                                    day_key /*to*/) {
  enter();
  co_return category_report{};
}

// The office's participant lookup is tested against SQLite (participant_lookup_test.cpp).
asio::awaitable<std::optional<participant_file>> fake_durable_store::find_participant(
    std::string /*phone*/) {
  enter();
  co_return std::nullopt;
}

asio::awaitable<std::optional<participant_file>> fake_durable_store::participant_file_of(
    participant_id /*who*/) {
  enter();
  co_return std::nullopt;
}

asio::awaitable<correction_outcome> fake_durable_store::correct_participant(
    placement_change /*change*/, admin_account /*by*/, std::string /*address*/, instant /*now*/) {
  enter();
  co_return correction_outcome::not_found;
}

asio::awaitable<void> fake_durable_store::reload_questions() {
  enter();  // the bank is what seed_questions() gave
  co_return;
}

asio::awaitable<screen_figures> fake_durable_store::read_screen(screen_query /*query*/) {
  enter();
  screen_figures figures;
  figures.today.attempts = ++screen_reads_;
  co_return figures;
}

asio::awaitable<std::int64_t> fake_durable_store::draws_before(std::string /*day*/) {
  enter();
  co_return 0;
}

asio::awaitable<bool> fake_durable_store::ready() {
  enter();
  co_return ready_;
}

// ---- the participant's own layer (issue 16) ---------------------------------------------------

competition_rules fake_durable_store::rules_of(const attempt_record& record) const {
  return rules_for(record.kind, rules_, practice_.questions);
}

practice_result fake_durable_store::begin_practice(participant_id who,
                                                   const practice_request& request, instant now) {
  const day_key today = day_key_of(now, rules_.offset);
  const auto taken = std::count_if(attempts_.begin(), attempts_.end(), [&](const auto& entry) {
    return entry.second.owner == who && entry.second.kind == attempt_kind::practice &&
           entry.second.day == today;
  });
  if (taken >= practice_.per_day) {
    return {practice_outcome::limit_reached, std::nullopt};
  }
  std::vector<question> pool;
  for (const auto& item : bank_) {
    if (!request.category || item.category == *request.category) {
      pool.push_back(item);
    }
  }
  if (request.mistakes) {
    return {practice_outcome::no_mistakes, std::nullopt};  // the fake keeps no 错题本
  }
  if (pool.empty()) {
    return {practice_outcome::unknown_category, std::nullopt};
  }
  const int questions = std::min(practice_.questions, static_cast<int>(pool.size()));
  attempt_paper paper = compose_paper(pool, practice_rules(rules_, questions), {}, next_random());
  std::vector<attempt_question> asked;
  for (const auto& shown : paper.questions) {
    asked.push_back(to_attempt_question(shown));
  }
  const attempt_id id{++last_id_};
  attempt_record record{id,
                        who,
                        today,
                        std::move(paper.questions),
                        attempt(std::move(asked), now),
                        std::nullopt,
                        attempt_kind::practice};
  attempts_.emplace(id, record);
  return {practice_outcome::started, std::move(record)};
}

asio::awaitable<std::vector<attempt_summary>> fake_durable_store::my_attempts(participant_id who,
                                                                              attempt_kind kind) {
  enter();
  std::vector<attempt_summary> items;
  for (const auto& [id, record] : attempts_) {
    if (record.owner == who && record.kind == kind) {
      items.push_back({record.id, to_string(record.day), record.kind, record.state.status(),
                       static_cast<int>(record.questions.size()), record.state.started_at(),
                       record.result});
    }
  }
  std::reverse(items.begin(), items.end());  // the latest first
  co_return items;
}

asio::awaitable<std::vector<mistake_record>> fake_durable_store::mistakes(participant_id /*who*/) {
  enter();
  co_return std::vector<mistake_record>{};  // the fake keeps no 错题本
}

asio::awaitable<practice_result> fake_durable_store::start_practice(participant_id who,
                                                                    practice_request request,
                                                                    instant now) {
  enter();
  co_return begin_practice(who, request, now);
}

asio::awaitable<void> fake_durable_store::record_consent(participant_id who, instant now) {
  enter();
  participant_row& row = participants_.at(who);
  if (!row.consent_at) {
    row.consent_at = now;
  }
  co_return;
}

asio::awaitable<std::vector<prize_standing>> fake_durable_store::prizes(instant now) {
  enter();
  const std::string today = to_string(day_key_of(now, rules_.offset));
  std::vector<prize_standing> items;
  for (const prize_row& prize : prizes_) {
    prize_standing item{prize.config.id,         prize.config.name,      prize.config.total,
                        prize.remaining,         prize.config.daily_cap, std::nullopt,
                        prize.config.probability};
    if (prize.config.daily_cap) {
      const auto awarded = prize.awarded_on.find(today);
      item.remaining_today =
          *prize.config.daily_cap - (awarded == prize.awarded_on.end() ? 0 : awarded->second);
    }
    items.push_back(std::move(item));
  }
  co_return items;
}

asio::awaitable<std::vector<public_winner>> fake_durable_store::public_winners(
    std::optional<std::string> day) {
  enter();
  std::vector<public_winner> items;
  for (const auto& [who, history] : draws_) {
    const participant_row& row = participants_.at(who);
    for (const auto& draw : history) {
      const std::string won_on = to_string(day_key_of(draw.at, rules_.offset));
      if (draw.prize && (!day || *day == won_on)) {
        const region* place = directory_->find_region(row.region_code);
        items.push_back({won_on, draw.at, mask_name(row.name), mask_phone(row.phone),
                         draw.prize->name, place == nullptr ? "" : place->name});
      }
    }
  }
  co_return items;
}

asio::awaitable<claim_result> fake_durable_store::claim_prize(participant_id who,
                                                              std::int64_t draw_id,
                                                              prize_claim /*details*/,
                                                              instant now) {
  enter();
  const auto history = draws_.find(who);
  const bool won =
      history != draws_.end() &&
      std::any_of(history->second.begin(), history->second.end(),
                  [&](const draw_record& d) { return d.draw_id == draw_id && d.prize; });
  if (!won) {
    co_return claim_result{claim_outcome::not_found, {}};
  }
  claim_status& status = claims_[draw_id];
  if (status.sent_at) {
    co_return claim_result{claim_outcome::already_sent, status};
  }
  status.claimed_at = now;
  co_return claim_result{claim_outcome::claimed, status};
}

asio::awaitable<sent_result> fake_durable_store::mark_prize_sent(std::string scope_region,
                                                                 std::int64_t draw_id,
                                                                 instant now) {
  enter();
  for (const auto& [who, history] : draws_) {
    for (const auto& draw : history) {
      if (draw.draw_id != draw_id || !draw.prize) {
        continue;
      }
      if (!directory_->within(participants_.at(who).region_code, scope_region)) {
        co_return sent_result{sent_outcome::region_forbidden, {}};
      }
      claim_status& status = claims_[draw_id];
      status.sent_at = status.sent_at.value_or(now);
      co_return sent_result{sent_outcome::marked, *status.sent_at};
    }
  }
  co_return sent_result{sent_outcome::not_found, {}};
}

asio::awaitable<std::map<std::int64_t, prize_delivery>> fake_durable_store::prize_deliveries() {
  enter();
  co_return std::map<std::int64_t, prize_delivery>{};
}

asio::awaitable<std::vector<draw_commitment>> fake_durable_store::commitments(instant /*now*/) {
  enter();
  co_return std::vector<draw_commitment>{};  // the fake's draws are not committed
}

asio::awaitable<std::vector<participant_event>> fake_durable_store::participant_events_after(
    std::int64_t /*after*/, int /*limit*/) {
  enter();
  co_return std::vector<participant_event>{};
}

asio::awaitable<participant_snapshot> fake_durable_store::snapshot_participants() {
  enter();
  co_return participant_snapshot{};
}

asio::awaitable<participant_board_rows> fake_durable_store::participant_scores(
    std::string region_code, std::optional<std::string> /*day*/) {
  enter();
  participant_board_rows rows;
  for (const auto& [who, row] : participants_) {
    if (row.totals.attempts > 0 && !row.region_code.empty() &&
        directory_->within(row.region_code, region_code)) {
      const std::string member = participant_member(who.value());
      rows.points.push_back({member, row.totals.points});
      const unit* work = row.unit_id ? directory_->find_unit(*row.unit_id) : nullptr;
      rows.displays[member] = {mask_name(row.name), work == nullptr
                                                        ? std::nullopt
                                                        : std::optional<std::string>{work->name}};
    }
  }
  co_return rows;
}

// ---- sample data ------------------------------------------------------------------------------

std::vector<region> sample_regions() {
  return {
      {"640000", "宁夏回族自治区", "", 1}, {"640100", "银川市", "640000", 2},
      {"640104", "兴庆区", "640100", 3},   {"640105", "西夏区", "640100", 3},
      {"640200", "石嘴山市", "640000", 2}, {"640202", "大武口区", "640200", 3},
  };
}

std::vector<unit> sample_units() {
  return {
      {"U0001", "（演示）兴庆区应急管理局", "640104", "党政机关", 31},
      {"U0002", "（演示）西夏区第一中学", "640105", "学校", 120},
      {"U0003", "（演示）大武口区热电厂", "640202", "工矿企业", 260},
  };
}

std::vector<question> sample_questions(int count) {
  std::vector<question> bank;
  for (int i = 1; i <= count; ++i) {
    question item;
    item.id = question_id{"FAKE-" + std::to_string(i)};
    item.category = i % 2 == 0 ? "消防安全" : "交通安全";
    item.stem = "演示题 " + std::to_string(i) + "：遇到险情时应当怎么做？";
    item.options = {{"A", "正确的做法"}, {"B", "错误的做法一"}, {"C", "错误的做法二"}};
    item.answer = {"A"};
    bank.push_back(std::move(item));
  }
  return bank;
}

}  // namespace anquanli::test
