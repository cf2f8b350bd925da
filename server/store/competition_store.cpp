#include "server/store/competition_store.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "engine/competition_window.hpp"
#include "engine/prize_draw.hpp"
#include "engine/random_sequence.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/draw_commitments.hpp"
#include "server/store/ledger_totals.hpp"
#include "server/store/throttle.hpp"

namespace anquanli {

namespace {

constexpr int recent_attempts_avoided = 3;

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}
instant from_millis(std::int64_t value) {
  return instant{std::chrono::milliseconds{value}};
}

}  // namespace

// ---- sign-in ----------------------------------------------------------------------------------

std::int64_t competition_store::phone_code_wait(std::string_view phone_hash, instant now) {
  sqlite_statement last =
      database_.prepare("SELECT sent_at, locked_until FROM auth_codes WHERE phone_hash = ?1");
  last.bind(1, phone_hash);
  if (last.step() == step_result::row) {
    // A waiting phone gets no code: it could not be used before it expires anyway.
    if (const instant locked_until = from_millis(last.column_int64(1)); locked_until > now) {
      return std::chrono::ceil<std::chrono::seconds>(locked_until - now).count();
    }
    if (const auto since = now - from_millis(last.column_int64(0)); since < auth_.resend_after) {
      return std::chrono::ceil<std::chrono::seconds>(auth_.resend_after - since).count();
    }
  }
  const std::int64_t hour = millis(now) / 3'600'000;
  sqlite_statement counts = database_.prepare(
      "SELECT IFNULL(SUM(count) FILTER (WHERE hour = ?2), 0), IFNULL(SUM(count), 0) "
      "FROM phone_code_requests WHERE phone_hash = ?1 AND hour > ?2 - 24");
  counts.bind(1, phone_hash).bind(2, hour);
  counts.step();
  if (counts.column_int(0) >= auth_.codes_per_phone_per_hour) {
    return (hour + 1) * 3600 - millis(now) / 1000;
  }
  return counts.column_int(1) >= auth_.codes_per_phone_per_day ? 3600 : 0;
}

std::int64_t competition_store::address_code_wait(std::string_view address, instant now) {
  const std::int64_t hour = millis(now) / 3'600'000;
  sqlite_statement counts = database_.prepare(
      "SELECT IFNULL(SUM(count) FILTER (WHERE hour = ?2), 0), IFNULL(SUM(count), 0) "
      "FROM code_requests WHERE address = ?1 AND hour > ?2 - 24");
  counts.bind(1, address).bind(2, hour);
  counts.step();
  if (counts.column_int(0) >= auth_.codes_per_address_per_hour) {
    return (hour + 1) * 3600 - millis(now) / 1000;
  }
  return counts.column_int(1) >= auth_.codes_per_address_per_day ? 3600 : 0;
}

void competition_store::count_code_request(std::string_view phone_hash, std::string_view address,
                                           instant now) {
  const std::int64_t hour = millis(now) / 3'600'000;
  sqlite_statement by_address = database_.prepare(
      "INSERT INTO code_requests (address, hour, count) VALUES (?1, ?2, 1) "
      "ON CONFLICT (address, hour) DO UPDATE SET count = count + 1");
  by_address.bind(1, address).bind(2, hour);
  by_address.run();
  sqlite_statement by_phone = database_.prepare(
      "INSERT INTO phone_code_requests (phone_hash, hour, count) VALUES (?1, ?2, 1) "
      "ON CONFLICT (phone_hash, hour) DO UPDATE SET count = count + 1");
  by_phone.bind(1, phone_hash).bind(2, hour);
  by_phone.run();
}

code_request_result competition_store::request_code(std::string_view phone,
                                                    std::string_view address, instant now) {
  const std::string phone_hash = keys_.keyed_hash("phone", phone);
  if (const auto wait = phone_code_wait(phone_hash, now); wait > 0) {
    return {code_request_outcome::too_soon, {}, wait};
  }
  if (const auto wait = address_code_wait(address, now); wait > 0) {
    return {code_request_outcome::address_limited, {}, wait};
  }
  const std::string code = secrets::new_code();
  sqlite_statement save = database_.prepare(
      "INSERT INTO auth_codes (phone_hash, code_hash, sent_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (phone_hash) DO UPDATE SET code_hash = ?2, sent_at = ?3, expires_at = ?4, "
      "failures = 0");
  save.bind(1, std::string_view{phone_hash})
      .bind(2, std::string_view{keys_.keyed_hash("code", phone_hash + ":" + code)})
      .bind(3, millis(now))
      .bind(4, millis(now + auth_.code_ttl));
  save.run();
  count_code_request(phone_hash, address, now);
  return {code_request_outcome::sent, code, auth_.resend_after.count()};
}

void competition_store::count_wrong_code(std::string_view phone_hash, int failures, int lock_count,
                                         instant now) {
  if (failures + 1 < auth_.code_attempts) {
    sqlite_statement fail =
        database_.prepare("UPDATE auth_codes SET failures = ?2 WHERE phone_hash = ?1");
    fail.bind(1, phone_hash).bind(2, failures + 1);
    fail.run();
    return;
  }
  // The code dies; the phone waits, twice as long each time, at most a day.
  constexpr std::chrono::seconds longest_wait{24 * 3600};
  const auto wait =
      std::min(longest_wait, auth_.phone_lock * (std::int64_t{1} << std::min(lock_count, 20)));
  sqlite_statement lock = database_.prepare(
      "UPDATE auth_codes SET code_hash = NULL, failures = 0, lock_count = ?2, locked_until = ?3 "
      "WHERE phone_hash = ?1");
  lock.bind(1, phone_hash).bind(2, lock_count + 1).bind(3, millis(now + wait));
  lock.run();
}

login_result competition_store::login(std::string_view phone, std::string_view code,
                                      std::string_view address, instant now) {
  throttle wrong_codes(database_);
  const bucket_rule rule{static_cast<double>(auth_.wrong_codes_per_address_burst),
                         static_cast<double>(auth_.wrong_codes_per_address_per_hour)};
  if (const auto wait = wrong_codes.wait("wrong_code", address, rule, now); wait > 0) {
    return {login_outcome::throttled, {}, {}, false, wait};
  }
  const std::string phone_hash = keys_.keyed_hash("phone", phone);
  // Every phone has a row once it is tried, so a phone that never asked for a code is locked
  // exactly like one that did: the lock tells nobody whether a number has signed up.
  sqlite_statement ensure = database_.prepare(
      "INSERT INTO auth_codes (phone_hash, code_hash, sent_at, expires_at) VALUES (?1, NULL, 0, 0) "
      "ON CONFLICT (phone_hash) DO NOTHING");
  ensure.bind(1, std::string_view{phone_hash});
  ensure.run();
  sqlite_statement row = database_.prepare(
      "SELECT IFNULL(code_hash, ''), expires_at, failures, locked_until, lock_count FROM "
      "auth_codes "
      "WHERE phone_hash = ?1");
  row.bind(1, std::string_view{phone_hash});
  row.step();
  if (const instant locked_until = from_millis(row.column_int64(3)); locked_until > now) {
    return {login_outcome::locked,
            {},
            {},
            false,
            std::chrono::ceil<std::chrono::seconds>(locked_until - now).count()};
  }
  const bool matches =
      !row.column_text(0).empty() && from_millis(row.column_int64(1)) > now &&
      row.column_text(0) == keys_.keyed_hash("code", phone_hash + ":" + std::string{code});
  if (!matches) {
    count_wrong_code(phone_hash, row.column_int(2), row.column_int(4), now);
    wrong_codes.spend("wrong_code", address, rule, now);
    return {login_outcome::invalid_code, {}, {}, false, 0};
  }
  return sign_in(phone, phone_hash, now);
}

login_result competition_store::sign_in(std::string_view phone, std::string_view phone_hash,
                                        instant now) {
  sqlite_statement used = database_.prepare(
      "UPDATE auth_codes SET code_hash = NULL, failures = 0, lock_count = 0 WHERE phone_hash = ?1");
  used.bind(1, phone_hash);
  used.run();
  sqlite_statement join = database_.prepare(
      "INSERT INTO participants (phone_hash, phone_sealed, phone_masked, created_at) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (phone_hash) DO NOTHING");
  join.bind(1, phone_hash)
      .bind(2, std::string_view{keys_.seal(phone)})
      .bind(3, std::string_view{mask_phone(phone)})
      .bind(4, millis(now));
  join.run();
  sqlite_statement who = database_.prepare(
      "SELECT id, name IS NOT NULL AND region_code IS NOT NULL FROM participants WHERE phone_hash "
      "= ?1");
  who.bind(1, phone_hash);
  who.step();
  const participant_id id{who.column_int64(0)};
  login_result result{login_outcome::signed_in,
                      secrets::new_token(),
                      now + auth_.token_ttl,
                      who.column_int(1) != 0,
                      0,
                      id};
  sqlite_statement token = database_.prepare(
      "INSERT INTO tokens (token_hash, participant_id, expires_at) VALUES (?1, ?2, ?3)");
  token.bind(1, std::string_view{keys_.keyed_hash("token", result.token)})
      .bind(2, id.value())
      .bind(3, millis(result.expires_at));
  token.run();
  return result;
}

std::optional<participant_id> competition_store::authenticate(std::string_view token, instant now) {
  const auto holder = find_token(keys_.keyed_hash("token", token), now);
  return holder ? std::optional{holder->who} : std::nullopt;
}

std::optional<token_holder> competition_store::find_token(std::string_view token_hash,
                                                          instant now) {
  sqlite_statement statement = database_.prepare(
      "SELECT participant_id, expires_at FROM tokens WHERE token_hash = ?1 AND expires_at > ?2");
  statement.bind(1, token_hash).bind(2, millis(now));
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return token_holder{participant_id{statement.column_int64(0)},
                      from_millis(statement.column_int64(1))};
}

// ---- profiles ---------------------------------------------------------------------------------

std::optional<profile> competition_store::load_profile(participant_id who) {
  sqlite_statement statement = database_.prepare(
      "SELECT p.phone_masked, IFNULL(p.name, ''), p.region_code, r.name, p.unit_id, u.name, "
      "  p.draws_earned, (SELECT COUNT(*) FROM draws d WHERE d.participant_id = p.id), "
      "  p.consent_at "
      "FROM participants p LEFT JOIN regions r ON r.code = p.region_code "
      "LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = ?1");
  statement.bind(1, who.value());
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  profile result{who,          statement.column_text(0), statement.column_text(1), std::nullopt,
                 std::nullopt, statement.column_int(6),  statement.column_int(7),  std::nullopt};
  if (!statement.column_is_null(2)) {
    result.region = named_ref{statement.column_text(2), statement.column_text(3)};
  }
  if (!statement.column_is_null(4)) {
    result.unit = named_ref{statement.column_text(4), statement.column_text(5)};
  }
  if (!statement.column_is_null(8)) {
    result.consent_at = from_millis(statement.column_int64(8));
  }
  return result;
}

profile_outcome competition_store::update_profile(participant_id who, std::string_view name,
                                                  std::string_view region_code,
                                                  const std::optional<std::string>& unit_id) {
  sqlite_statement taken = database_.prepare(
      "SELECT 1 FROM attempts WHERE participant_id = ?1 AND kind = 'challenge' LIMIT 1");
  taken.bind(1, who.value());
  if (taken.step() == step_result::row) {
    return profile_outcome::profile_locked;
  }
  // A participant belongs to a leaf of the region tree (a county, or 宁东 / 区直单位).
  sqlite_statement leaf = database_.prepare(
      "SELECT 1 FROM regions r WHERE r.code = ?1 AND NOT EXISTS "
      "(SELECT 1 FROM regions c WHERE c.parent_code = r.code)");
  leaf.bind(1, region_code);
  if (leaf.step() != step_result::row) {
    return profile_outcome::invalid_region;
  }
  if (unit_id) {
    // A unit of the region's subtree, or one registered higher up its path (a 市直 unit of the
    // participant's city).
    sqlite_statement unit = database_.prepare(
        "WITH RECURSIVE down (code) AS (SELECT ?2 UNION SELECT r.code FROM regions r JOIN down "
        "ON r.parent_code = down.code), "
        "up (code) AS (SELECT ?2 UNION SELECT r.parent_code FROM regions r JOIN up ON r.code = "
        "up.code WHERE r.parent_code IS NOT NULL) "
        "SELECT 1 FROM units WHERE id = ?1 AND (region_code IN (SELECT code FROM down) OR "
        "region_code IN (SELECT code FROM up))");
    unit.bind(1, std::string_view{*unit_id}).bind(2, region_code);
    if (unit.step() != step_result::row) {
      return profile_outcome::invalid_unit;
    }
  }
  sqlite_statement update = database_.prepare(
      "UPDATE participants SET name = ?2, region_code = ?3, unit_id = ?4 WHERE id = ?1");
  update.bind(1, who.value()).bind(2, name).bind(3, region_code);
  if (unit_id) {
    update.bind(4, std::string_view{*unit_id});
  } else {
    update.bind_null(4);
  }
  update.run();
  return profile_outcome::updated;
}

// ---- attempts ---------------------------------------------------------------------------------

std::vector<attempt_id> competition_store::attempts_on(participant_id who, day_key day) {
  sqlite_statement statement = database_.prepare(
      "SELECT id FROM attempts WHERE participant_id = ?1 AND competition_id = ?2 AND day = ?3 "
      "AND kind = 'challenge' ORDER BY day_sequence");
  statement.bind(1, who.value())
      .bind(2, std::string_view{rules_.id})
      .bind(3, std::string_view{to_string(day)});
  std::vector<attempt_id> ids;
  while (statement.step() == step_result::row) {
    ids.emplace_back(statement.column_int64(0));
  }
  return ids;
}

attempt_id competition_store::insert_attempt(participant_id who, day_key day, int sequence,
                                             instant now, const attempt_paper& paper,
                                             const std::vector<question>& bank, attempt_kind kind) {
  const attempt draft({}, now);
  const instant deadline = draft.deadline(run_rules(kind));
  sqlite_statement insert = database_.prepare(
      "INSERT INTO attempts (participant_id, competition_id, day, day_sequence, started_at, "
      "status, deadline, paper, kind) VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7, ?8)");
  insert.bind(1, who.value())
      .bind(2, std::string_view{rules_.id})
      .bind(3, std::string_view{to_string(day)})
      .bind(4, sequence)
      .bind(5, millis(now))
      .bind(6, deadline == instant::max() ? std::numeric_limits<std::int64_t>::max()
                                          : millis(deadline))
      .bind(7, std::string_view{save_paper(database_, paper, bank)})
      .bind(8, to_string(kind));
  insert.run();
  return attempt_id{database_.last_insert_rowid()};
}

start_result competition_store::start_attempt(participant_id who, instant now,
                                              const std::vector<question>& bank,
                                              std::uint64_t seed) {
  const auto person = load_profile(who);
  if (!person || !person->complete()) {
    return {verdict::profile_incomplete, std::nullopt};
  }
  const day_key today = day_key_of(now, rules_.offset);
  const std::vector<attempt_id> taken = attempts_on(who, today);
  const verdict admission = check_attempt_start(rules_, now, static_cast<int>(taken.size()));
  if (admission != verdict::accepted) {
    return {admission, taken.empty() ? std::nullopt : load_attempt(taken.back())};
  }
  attempt_paper paper = compose_paper(
      bank, rules_,
      recent_questions(database_, who, recent_attempts_avoided, attempt_kind::challenge), seed);
  if (paper.outcome != verdict::accepted) {
    return {paper.outcome, std::nullopt};
  }
  const attempt_id id =
      insert_attempt(who, today, static_cast<int>(taken.size()) + 1, now, paper, bank);
  std::vector<attempt_question> engine_questions;
  engine_questions.reserve(paper.questions.size());
  for (const auto& shown : paper.questions) {
    engine_questions.push_back(to_attempt_question(shown));
  }
  attempt_record record{id,
                        who,
                        today,
                        std::move(paper.questions),
                        attempt(std::move(engine_questions), now),
                        std::nullopt};
  if (open_ != nullptr) {
    open_->keep(record);
  }
  return {verdict::accepted, std::move(record)};
}

std::optional<attempt_record> competition_store::load_attempt(attempt_id which) {
  sqlite_statement head = database_.prepare(
      "SELECT participant_id, day, started_at, status, closed_at, correct, points, draws_earned, "
      "paper, kind FROM attempts WHERE id = ?1");
  head.bind(1, which.value());
  if (head.step() != step_result::row) {
    return std::nullopt;
  }
  std::vector<presented_question> questions = head.column_is_null(8)
                                                  ? load_legacy_paper(database_, which)
                                                  : load_paper(database_, head.column_text(8));
  std::vector<attempt_question> engine_questions;
  engine_questions.reserve(questions.size());
  for (const auto& shown : questions) {
    engine_questions.push_back(to_attempt_question(shown));
  }
  const attempt_status status = attempt_status_from(head.column_text(3));
  std::optional<instant> closed_at;
  if (!head.column_is_null(4)) {
    closed_at = from_millis(head.column_int64(4));
  }
  attempt_record record{
      which,
      participant_id{head.column_int64(0)},
      parse_day_key(head.column_text(1)).value_or(day_key{}),
      std::move(questions),
      attempt::restore(std::move(engine_questions), from_millis(head.column_int64(2)),
                       load_answers(which), status, closed_at),
      std::nullopt,
      head.column_text(9) == "practice" ? attempt_kind::practice : attempt_kind::challenge};
  if (status != attempt_status::in_progress) {
    record.result = attempt_result{head.column_int(5), head.column_int(6), head.column_int(7)};
  }
  return record;
}

std::vector<recorded_answer> competition_store::load_answers(attempt_id which) {
  sqlite_statement given = database_.prepare(
      "SELECT position, choice, correct, timed_out, answered_at FROM answers WHERE attempt_id = ?1 "
      "ORDER BY position");
  given.bind(1, which.value());
  std::vector<recorded_answer> answers;
  while (given.step() == step_result::row) {
    answers.push_back({given.column_int(0), decode_choice(given.column_text(1)),
                       given.column_int(2) != 0, given.column_int(3) != 0,
                       from_millis(given.column_int64(4))});
  }
  return answers;
}

attempt_record* competition_store::open_record(attempt_id which) {
  if (open_ != nullptr) {
    if (attempt_record* kept = open_->find(which)) {
      return kept;
    }
  }
  auto loaded = load_attempt(which);
  if (!loaded) {
    return nullptr;
  }
  if (open_ == nullptr) {
    scratch_ = std::move(loaded);
    return &*scratch_;
  }
  return &open_->keep(std::move(*loaded));
}

bool competition_store::save_answer(const attempt_record& record, const recorded_answer& answer) {
  // The count this writer knew moves by one, or someone else changed the attempt: see
  // open_attempts.hpp.
  const auto known = static_cast<std::int64_t>(record.state.answers().size()) - 1;
  sqlite_statement count =
      database_.prepare("UPDATE attempts SET answered = ?2 + 1 WHERE id = ?1 AND answered = ?2");
  count.bind(1, record.id.value()).bind(2, known);
  count.run();
  if (database_.changes() == 0) {
    return false;
  }
  sqlite_statement insert = database_.prepare(
      "INSERT INTO answers (attempt_id, position, choice, correct, timed_out, answered_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, record.id.value())
      .bind(2, answer.index)
      .bind(3, std::string_view{encode_choice(answer.choice)})
      .bind(4, answer.correct ? 1 : 0)
      .bind(5, answer.timed_out ? 1 : 0)
      .bind(6, millis(answer.answered_at));
  insert.run();
  return true;
}

void competition_store::close_attempt(attempt_record& record) {
  if (record.kind == attempt_kind::practice) {
    close_practice(record);
    return;
  }
  const attempt_result result = tally(record.state, rules_);
  sqlite_statement update = database_.prepare(
      "UPDATE attempts SET status = ?2, closed_at = ?3, correct = ?4, points = ?5, "
      "draws_earned = ?6, flagged = ?7 WHERE id = ?1 AND status = 'in_progress'");
  update.bind(1, record.id.value())
      .bind(2, to_string(record.state.status()))
      .bind(3, millis(record.state.closed_at().value_or(instant{})))
      .bind(4, result.correct)
      .bind(5, result.points)
      .bind(6, result.draws_earned)
      .bind(7, looks_automated(record.state) ? 1 : 0);
  update.run();
  record.result = result;
  if (database_.changes() == 0) {
    return;  // already closed by someone else: credited then
  }
  credit(record, result);
}

// The finished challenge's ledger row, its outbox event for Redis, its day's totals and the
// participant's earned draws, all in the closing transaction.
void competition_store::credit(const attempt_record& record, const attempt_result& result) {
  const bool flagged = looks_automated(record.state);
  sqlite_statement ledger = database_.prepare(
      "INSERT INTO points_ledger (attempt_id, participant_id, competition_id, day, region_code, "
      "unit_id, correct, points, recorded_at, flagged) SELECT ?1, p.id, ?2, ?3, p.region_code, "
      "p.unit_id, ?4, ?5, ?6, ?8 FROM participants p WHERE p.id = ?7");
  ledger.bind(1, record.id.value())
      .bind(2, std::string_view{rules_.id})
      .bind(3, std::string_view{to_string(record.day)})
      .bind(4, result.correct)
      .bind(5, result.points)
      .bind(6, millis(record.state.closed_at().value_or(instant{})))
      .bind(7, record.owner.value())
      .bind(8, flagged ? 1 : 0);
  ledger.run();
  const first_counted first = first_in_ledger(record);
  write_outbox(record, result, first);
  add_to_ledger_totals(
      database_, {rules_.id, std::string{to_string(record.day)}, record.owner.value(), first.in_day,
                  first.in_window, result.points, result.correct, flagged});
  sqlite_statement draws =
      database_.prepare("UPDATE participants SET draws_earned = draws_earned + ?2 WHERE id = ?1");
  draws.bind(1, record.owner.value()).bind(2, result.draws_earned);
  draws.run();
}

// Practice (issue 16) closes with its number of correct answers and nothing else: no points, no
// draws, no flag, no ledger row and no outbox event, so no leaderboard, bulletin or statistic
// ever sees it.
void competition_store::close_practice(attempt_record& record) {
  const attempt_result result{tally(record.state, rules_).correct, 0, 0};
  sqlite_statement update = database_.prepare(
      "UPDATE attempts SET status = ?2, closed_at = ?3, correct = ?4, points = 0, "
      "draws_earned = 0 WHERE id = ?1 AND status = 'in_progress'");
  update.bind(1, record.id.value())
      .bind(2, to_string(record.state.status()))
      .bind(3, millis(record.state.closed_at().value_or(instant{})))
      .bind(4, result.correct);
  update.run();
  record.result = result;
}

competition_store::first_counted competition_store::first_in_ledger(const attempt_record& record) {
  // The ledger row of this attempt is already written, so "first" means exactly one row so far.
  sqlite_statement counts = database_.prepare(
      "SELECT COUNT(*), SUM(day = ?3) FROM points_ledger WHERE participant_id = ?1 AND "
      "competition_id = ?2");
  counts.bind(1, record.owner.value())
      .bind(2, std::string_view{rules_.id})
      .bind(3, std::string_view{to_string(record.day)});
  counts.step();
  return {counts.column_int(0) == 1, counts.column_int(1) == 1};
}

void competition_store::write_outbox(const attempt_record& record, const attempt_result& result,
                                     first_counted first) {
  sqlite_statement outbox = database_.prepare(
      "WITH RECURSIVE up (code, parent, depth) AS ("
      "  SELECT r.code, r.parent_code, 0 FROM regions r JOIN participants p ON p.region_code = "
      "r.code"
      "  WHERE p.id = ?1"
      "  UNION ALL SELECT r.code, r.parent_code, up.depth + 1 FROM regions r JOIN up ON r.code = "
      "up.parent)"
      "INSERT INTO outbox (competition_id, attempt_id, day, region_codes, unit_id, points, "
      "first_in_window, first_in_day) SELECT ?2, ?3, ?4, (SELECT group_concat(code, ',') FROM "
      "(SELECT code FROM up ORDER BY depth)), p.unit_id, ?5, ?6, ?7 FROM participants p WHERE p.id "
      "= ?1");
  outbox.bind(1, record.owner.value())
      .bind(2, std::string_view{rules_.id})
      .bind(3, record.id.value())
      .bind(4, std::string_view{to_string(record.day)})
      .bind(5, result.points)
      .bind(6, first.in_window ? 1 : 0)
      .bind(7, first.in_day ? 1 : 0);
  outbox.run();
}

answer_result competition_store::answer(participant_id who, attempt_id which, int index,
                                        const choice_keys& choice, instant now) {
  for (int tries = 0; tries < 2; ++tries) {
    attempt_record* record = open_record(which);
    if (record == nullptr || record->owner != who) {
      return {verdict::accepted, std::nullopt, std::nullopt};
    }
    if (open_ != nullptr) {
      open_->touch(which);
    }
    const attempt_status before = record->state.status();
    const answer_outcome outcome =
        record->state.answer(run_rules(record->kind), index, choice, now);
    if (outcome.outcome == verdict::accepted && !save_answer(*record, *outcome.answer)) {
      forget(which);  // changed underneath: reload the truth and answer again
      continue;
    }
    if (before == attempt_status::in_progress && record->state.status() != before) {
      close_attempt(*record);
    }
    answer_result result{outcome.outcome, outcome.answer, *record};
    if (record->state.status() != attempt_status::in_progress) {
      forget(which);
    }
    return result;
  }
  throw std::runtime_error("attempt " + std::to_string(which.value()) +
                           " keeps changing underneath the writer");
}

answer_result competition_store::finish(participant_id who, attempt_id which, instant now) {
  attempt_record* record = open_record(which);
  if (record == nullptr || record->owner != who) {
    return {verdict::accepted, std::nullopt, std::nullopt};
  }
  if (open_ != nullptr) {
    open_->touch(which);
  }
  const verdict outcome = record->state.finish(run_rules(record->kind), now);
  if (outcome == verdict::accepted) {
    close_attempt(*record);
  }
  answer_result result{outcome, std::nullopt, *record};
  forget(which);
  return result;
}

void competition_store::forget(attempt_id which) {
  if (open_ != nullptr) {
    open_->forget(which);
  }
}

int competition_store::expire_due(instant now, int limit) {
  sqlite_statement due = database_.prepare(
      "SELECT id FROM attempts WHERE status = 'in_progress' AND deadline < ?1 ORDER BY deadline "
      "LIMIT ?2");
  due.bind(1, millis(now)).bind(2, limit);
  std::vector<attempt_id> ids;
  while (due.step() == step_result::row) {
    ids.emplace_back(due.column_int64(0));
  }
  int expired = 0;
  for (const attempt_id& id : ids) {
    attempt_record* record = open_record(id);
    if (open_ != nullptr) {
      open_->touch(id);
    }
    if (record != nullptr && record->state.expire_if_due(run_rules(record->kind), now)) {
      close_attempt(*record);
      expired += record->kind == attempt_kind::challenge ? 1 : 0;  // practice counts nowhere
    }
    forget(id);
  }
  return expired;
}

int competition_store::remove_expired(instant now, int limit) {
  const std::int64_t day_ago = millis(now) - 86'400'000;
  const std::int64_t hours_ago = millis(now) / 3'600'000 - 25;
  // Each statement deletes at most `limit` rows, so one round never holds the writer for long.
  const std::array<std::pair<std::string_view, std::int64_t>, 7> rules{{
      {"DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tokens WHERE expires_at < "
       "?1 LIMIT ?2)",
       millis(now)},
      {"DELETE FROM admin_tokens WHERE token_hash IN (SELECT token_hash FROM admin_tokens WHERE "
       "expires_at < ?1 LIMIT ?2)",
       millis(now)},
      {"DELETE FROM auth_codes WHERE phone_hash IN (SELECT phone_hash FROM auth_codes WHERE "
       "expires_at < ?1 AND locked_until < ?1 LIMIT ?2)",
       day_ago},
      {"DELETE FROM code_requests WHERE (address, hour) IN (SELECT address, hour FROM "
       "code_requests WHERE hour < ?1 LIMIT ?2)",
       hours_ago},
      {"DELETE FROM phone_code_requests WHERE (phone_hash, hour) IN (SELECT phone_hash, hour FROM "
       "phone_code_requests WHERE hour < ?1 LIMIT ?2)",
       hours_ago},
      {"DELETE FROM throttles WHERE (kind, subject) IN (SELECT kind, subject FROM throttles WHERE "
       "updated_at < ?1 LIMIT ?2)",
       day_ago},
      {"DELETE FROM admin_failures WHERE (admin_id, address) IN (SELECT admin_id, address FROM "
       "admin_failures WHERE updated_at < ?1 AND locked_until < ?1 LIMIT ?2)",
       day_ago},
  }};
  int removed = 0;
  for (const auto& [sql, bound] : rules) {
    sqlite_statement statement = database_.prepare(sql);
    statement.bind(1, bound).bind(2, limit);
    statement.run();
    removed += database_.changes();
  }
  return removed;
}

attempt_totals competition_store::totals_of(participant_id who) {
  sqlite_statement statement = database_.prepare(
      "SELECT COUNT(*), IFNULL(SUM(correct), 0), IFNULL(SUM(points), 0) FROM points_ledger "
      "WHERE participant_id = ?1 AND competition_id = ?2");
  statement.bind(1, who.value()).bind(2, std::string_view{rules_.id});
  statement.step();
  return {statement.column_int(0), statement.column_int(1), statement.column_int(2)};
}

me_view competition_store::me(participant_id who, instant now) {
  me_view view{*load_profile(who), std::nullopt, totals_of(who)};
  const auto today = attempts_on(who, day_key_of(now, rules_.offset));
  if (!today.empty()) {
    view.today = load_attempt(today.back());
  }
  return view;
}

// ---- prizes and draws -------------------------------------------------------------------------

void competition_store::sync_prizes(const std::vector<prize_config>& prizes) {
  // Prizes no longer configured can no longer be won, but their history stays.
  database_.execute("UPDATE prizes SET probability = 0");
  sqlite_statement upsert = database_.prepare(
      "INSERT INTO prizes (id, name, total, remaining, daily_cap, probability) "
      "VALUES (?1, ?2, ?3, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET name = ?2, "
      "remaining = MAX(0, remaining + ?3 - total), total = ?3, daily_cap = ?4, probability = ?5");
  for (const auto& prize : prizes) {
    upsert.bind(1, std::string_view{prize.id})
        .bind(2, std::string_view{prize.name})
        .bind(3, prize.total)
        .bind(5, prize.probability);
    if (prize.daily_cap) {
      upsert.bind(4, *prize.daily_cap);
    } else {
      upsert.bind_null(4);
    }
    upsert.run();
    upsert.reset();
  }
}

draw_result_record competition_store::draw(participant_id who, instant now) {
  const auto person = load_profile(who);
  if (!person) {
    return {verdict::no_draws_available, std::nullopt, 0};
  }
  const verdict admission = check_draw(rules_, now, person->draws_earned, person->draws_used);
  const int available = std::max(0, person->draws_earned - person->draws_used);
  if (admission != verdict::accepted) {
    return {admission, std::nullopt, available};
  }
  const std::string today = to_string(day_key_of(now, rules_.offset));
  sqlite_statement stock = database_.prepare(
      "SELECT p.id, p.name, p.probability, p.remaining, p.daily_cap - IFNULL(d.awarded, 0) "
      "FROM prizes p LEFT JOIN prize_days d ON d.prize_id = p.id AND d.day = ?1 ORDER BY p.id");
  stock.bind(1, std::string_view{today});
  std::vector<prize_ref> refs;
  std::vector<prize_odds> odds;
  while (stock.step() == step_result::row) {
    refs.push_back({stock.column_text(0), stock.column_text(1)});
    odds.push_back({stock.column_double(2), stock.column_int64(3),
                    stock.column_is_null(4) ? std::nullopt
                                            : std::optional<std::int64_t>{stock.column_int64(4)}});
  }
  // Verifiable draws (issue 16): the number is the HMAC of this draw's identity under the day's
  // committed seed, not a fresh random number (server/store/draw_commitments.hpp).
  draw_commitments commitments(database_, keys_);
  draw_proof proof = commitments.prove({today, who.value(), person->draws_used + 1}, now);
  const std::int64_t prize_table = commitments.prize_table_in_effect(now);
  const draw_result won = draw_prize(odds, draw_random(proof.hmac));
  for (std::size_t i = 0; i < odds.size(); ++i) {
    const bool in_stock =
        odds[i].remaining > 0 && (!odds[i].remaining_today || *odds[i].remaining_today > 0);
    proof.odds.push_back({refs[i].id, odds[i].probability, in_stock});
  }
  std::optional<prize_ref> prize;
  if (won.prize_index) {
    prize = refs[*won.prize_index];
    sqlite_statement take = database_.prepare(
        "UPDATE prizes SET remaining = remaining - 1 WHERE id = ?1 AND remaining > 0");
    take.bind(1, std::string_view{prize->id});
    take.run();
    sqlite_statement day = database_.prepare(
        "INSERT INTO prize_days (prize_id, day, awarded) VALUES (?1, ?2, 1) "
        "ON CONFLICT (prize_id, day) DO UPDATE SET awarded = awarded + 1");
    day.bind(1, std::string_view{prize->id}).bind(2, std::string_view{today});
    day.run();
  }
  sqlite_statement insert = database_.prepare(
      "INSERT INTO draws (participant_id, draw_number, drawn_at, day, prize_id, random, "
      "prize_table) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind(1, who.value())
      .bind(2, person->draws_used + 1)
      .bind(3, millis(now))
      .bind(4, std::string_view{today})
      .bind(6, std::string_view{proof.hmac})
      .bind(7, prize_table);
  if (prize) {
    insert.bind(5, std::string_view{prize->id});
  } else {
    insert.bind_null(5);
  }
  insert.run();
  return {won.outcome,
          draw_record{database_.last_insert_rowid(), now, prize, std::move(proof), std::nullopt},
          available - 1};
}

// Columns 4.. of draws(): the stored proof (issue 16) and the prize's delivery.
void competition_store::add_proof_and_claim(sqlite_statement& row, participant_id who,
                                            draw_record& item) {
  if (!row.column_is_null(6)) {
    draw_proof proof;
    proof.day = row.column_text(4);
    proof.message = draw_message({proof.day, who.value(), row.column_int(5)});
    proof.hmac = row.column_text(6);
    proof.roll = unit_interval(draw_random(proof.hmac));
    proof.commitment = row.column_text(7);
    item.proof = std::move(proof);
  }
  if (row.column_int(8) != 0) {
    claim_status claim;
    if (!row.column_is_null(9)) {
      claim.claimed_at = from_millis(row.column_int64(9));
    }
    if (!row.column_is_null(10)) {
      claim.sent_at = from_millis(row.column_int64(10));
    }
    item.claim = claim;
  }
}

std::vector<draw_record> competition_store::draws(participant_id who) {
  sqlite_statement statement = database_.prepare(
      "SELECT d.id, d.drawn_at, d.prize_id, p.name, d.day, d.draw_number, d.random, "
      "s.commitment, c.draw_id IS NOT NULL, c.claimed_at, c.sent_at FROM draws d "
      "LEFT JOIN prizes p ON p.id = d.prize_id LEFT JOIN draw_seeds s ON s.day = d.day "
      "LEFT JOIN prize_claims c ON c.draw_id = d.id WHERE d.participant_id = ?1 "
      "ORDER BY d.draw_number");
  statement.bind(1, who.value());
  std::vector<draw_record> result;
  while (statement.step() == step_result::row) {
    draw_record item{statement.column_int64(0), from_millis(statement.column_int64(1)),
                     std::nullopt, std::nullopt, std::nullopt};
    if (!statement.column_is_null(2)) {
      item.prize = prize_ref{statement.column_text(2), statement.column_text(3)};
    }
    add_proof_and_claim(statement, who, item);
    result.push_back(std::move(item));
  }
  return result;
}

}  // namespace anquanli
