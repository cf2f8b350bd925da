#include "server/store/schema.hpp"

#include <algorithm>
#include <vector>

#include "question_bank/question_store.hpp"
#include "server/store/bulletin_snapshot_store.hpp"
#include "server/store/ledger_totals.hpp"
#include "server/store/participant_lookup.hpp"

namespace anquanli {

namespace {

// Times are milliseconds since the Unix epoch (UTC); days are 'YYYY-MM-DD' in the competition's
// offset. Natural keys are UNIQUE constraints so that no race can count anything twice.
constexpr std::string_view directory_and_participants = R"sql(
CREATE TABLE regions (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  parent_code TEXT REFERENCES regions (code),
  level       INTEGER NOT NULL
) STRICT;
CREATE INDEX regions_by_parent ON regions (parent_code);

CREATE TABLE units (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions (code),
  sector      TEXT NOT NULL,
  headcount   INTEGER NOT NULL CHECK (headcount >= 0)
) STRICT;
CREATE INDEX units_by_region ON units (region_code);

CREATE TABLE participants (
  id           INTEGER PRIMARY KEY,
  phone_hash   TEXT NOT NULL UNIQUE,
  phone_sealed TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  name         TEXT,
  region_code  TEXT REFERENCES regions (code),
  unit_id      TEXT REFERENCES units (id),
  draws_earned INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE auth_codes (
  phone_hash   TEXT PRIMARY KEY,
  code_hash    TEXT,
  sent_at      INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  failures     INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE code_requests (
  address TEXT NOT NULL,
  hour    INTEGER NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (address, hour)
) STRICT, WITHOUT ROWID;

CREATE TABLE tokens (
  token_hash     TEXT PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  expires_at     INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::string_view attempts_and_draws = R"sql(
CREATE TABLE attempts (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  competition_id TEXT NOT NULL,
  day            TEXT NOT NULL,
  day_sequence   INTEGER NOT NULL,
  started_at     INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'expired')),
  deadline       INTEGER NOT NULL,
  closed_at      INTEGER,
  correct        INTEGER,
  points         INTEGER,
  draws_earned   INTEGER,
  UNIQUE (participant_id, competition_id, day, day_sequence)
) STRICT;
CREATE INDEX attempts_open_by_deadline ON attempts (deadline) WHERE status = 'in_progress';

CREATE TABLE attempt_questions (
  attempt_id   INTEGER NOT NULL REFERENCES attempts (id),
  position     INTEGER NOT NULL,
  question_id  TEXT NOT NULL REFERENCES questions (id),
  options      TEXT NOT NULL,  -- JSON array of {"key","text"} as shown
  correct_keys TEXT NOT NULL,  -- JSON array of shown keys
  PRIMARY KEY (attempt_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE answers (
  attempt_id  INTEGER NOT NULL REFERENCES attempts (id),
  position    INTEGER NOT NULL,
  choice      TEXT NOT NULL,  -- JSON array of shown keys, sorted
  correct     INTEGER NOT NULL,
  timed_out   INTEGER NOT NULL,
  answered_at INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE points_ledger (
  id             INTEGER PRIMARY KEY,
  attempt_id     INTEGER NOT NULL UNIQUE REFERENCES attempts (id),
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  competition_id TEXT NOT NULL,
  day            TEXT NOT NULL,
  region_code    TEXT NOT NULL,
  unit_id        TEXT,
  correct        INTEGER NOT NULL,
  points         INTEGER NOT NULL,
  recorded_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE prizes (
  id        TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  total     INTEGER NOT NULL,
  remaining   INTEGER NOT NULL CHECK (remaining >= 0),
  daily_cap   INTEGER,
  probability REAL NOT NULL
) STRICT;

CREATE TABLE prize_days (
  prize_id TEXT NOT NULL REFERENCES prizes (id),
  day      TEXT NOT NULL,
  awarded  INTEGER NOT NULL,
  PRIMARY KEY (prize_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE draws (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  draw_number    INTEGER NOT NULL,
  drawn_at       INTEGER NOT NULL,
  day            TEXT NOT NULL,
  prize_id       TEXT REFERENCES prizes (id),
  UNIQUE (participant_id, draw_number)
) STRICT;
)sql";

// The outbox carries each finished attempt's increments to the Redis leaderboards. It is written in
// the attempt's finishing transaction, so Redis can never count an attempt SQLite does not have;
// its id is the event sequence the relay's high-water mark refers to.
constexpr std::string_view outbox_and_office = R"sql(
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  competition_id   TEXT NOT NULL,
  attempt_id       INTEGER NOT NULL UNIQUE REFERENCES attempts (id),
  day              TEXT NOT NULL,
  region_codes     TEXT NOT NULL,  -- the participant's region and its ancestors, comma separated
  unit_id          TEXT,
  points           INTEGER NOT NULL,
  first_in_window  INTEGER NOT NULL,  -- the participant's first counted attempt of the competition
  first_in_day     INTEGER NOT NULL   -- … and of that day
) STRICT;

CREATE INDEX points_ledger_by_day ON points_ledger (competition_id, day);
CREATE INDEX points_ledger_by_participant ON points_ledger (participant_id, competition_id, day);

CREATE TABLE admins (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  region_code   TEXT NOT NULL REFERENCES regions (code),
  failures      INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE admin_tokens (
  token_hash TEXT PRIMARY KEY,
  admin_id   INTEGER NOT NULL REFERENCES admins (id),
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX draws_with_prize ON draws (prize_id) WHERE prize_id IS NOT NULL;
)sql";

// Abuse defences: attempts answered faster than a person can read are flagged for the office, and
// wrong sign-in codes are counted per client address as well as per phone.
constexpr std::string_view abuse_defences = R"sql(
ALTER TABLE attempts ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE points_ledger ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
CREATE TABLE login_failures (
  address      TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures     INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;
)sql";

// Sign-in on a real network: limits per phone (codes per hour and day, growing waits after a code
// dies of wrong tries), throttles per client address and per office account instead of locks
// (token buckets, server/store/throttle.hpp), office accounts that can be disabled, and the audit
// log of what the office did with personal data. Indexes let the sweeper remove expired rows.
constexpr std::string_view sign_in_on_a_real_network = R"sql(
ALTER TABLE auth_codes ADD COLUMN lock_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX auth_codes_by_expiry ON auth_codes (expires_at);
CREATE TABLE phone_code_requests (
  phone_hash TEXT NOT NULL,
  hour       INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (phone_hash, hour)
) STRICT, WITHOUT ROWID;
CREATE INDEX code_requests_by_hour ON code_requests (hour);
CREATE INDEX phone_code_requests_by_hour ON phone_code_requests (hour);
CREATE TABLE throttles (
  kind       TEXT NOT NULL,
  subject    TEXT NOT NULL,
  tokens     REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, subject)
) STRICT, WITHOUT ROWID;
CREATE INDEX throttles_by_age ON throttles (updated_at);
DROP TABLE login_failures;
CREATE INDEX tokens_by_expiry ON tokens (expires_at);
CREATE INDEX admin_tokens_by_expiry ON admin_tokens (expires_at);
CREATE INDEX admin_tokens_by_admin ON admin_tokens (admin_id);
ALTER TABLE admins ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE TABLE admin_failures (
  admin_id     INTEGER NOT NULL REFERENCES admins (id),
  address      TEXT NOT NULL,
  failures     INTEGER NOT NULL,
  lock_count   INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (admin_id, address)
) STRICT, WITHOUT ROWID;
CREATE INDEX admin_failures_by_age ON admin_failures (updated_at);
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  admin_id INTEGER REFERENCES admins (id),
  username TEXT NOT NULL,
  action   TEXT NOT NULL,
  address  TEXT NOT NULL,
  detail   TEXT NOT NULL DEFAULT ''
) STRICT;
)sql";

// Smaller attempts, and answers that need no reload: the paper is a list of question versions
// (question_bank's step 7) with the order their options were shown in, one column of the attempt
// instead of fifteen rows carrying the options' text; `answered` is the count of stored answers,
// which the writer's cache of open attempts moves from what it knew (open_attempts.hpp). Answers
// store their choice as the letters chosen ("AC"), no longer as JSON. Attempts of earlier
// releases keep their attempt_questions rows and are read from them.
constexpr std::string_view smaller_attempts = R"sql(
ALTER TABLE attempts ADD COLUMN paper TEXT;
ALTER TABLE attempts ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
UPDATE attempts SET answered = (SELECT COUNT(*) FROM answers a WHERE a.attempt_id = attempts.id);
)sql";

// The participant's own layer (issue 16): practice attempts beside challenges (they never reach
// the ledger, the outbox or the draws), when a participant agreed to the privacy notice, a secret
// seed per competition day whose SHA-256 is published before the day (each draw's number is an
// HMAC of its identity under that seed), the prize table each draw was drawn against, and the
// delivery of won prizes (sealed like phone numbers).
constexpr std::string_view participant_layer = R"sql(
ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'challenge'
  CHECK (kind IN ('challenge', 'practice'));
CREATE INDEX attempts_by_participant ON attempts (participant_id, kind, day);
ALTER TABLE participants ADD COLUMN consent_at INTEGER;
CREATE TABLE draw_seeds (
  day         TEXT PRIMARY KEY,
  seed_sealed TEXT NOT NULL,
  commitment  TEXT NOT NULL,  -- SHA-256 of the seed, hex
  created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE prize_tables (
  id         INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  prizes     TEXT NOT NULL  -- JSON [{id, total, daily_cap, probability}] in draw order
) STRICT;
ALTER TABLE draws ADD COLUMN random TEXT;  -- HMAC-SHA256(seed, identity), hex
ALTER TABLE draws ADD COLUMN prize_table INTEGER REFERENCES prize_tables (id);
CREATE INDEX draws_by_day ON draws (day);
CREATE TABLE prize_claims (
  draw_id        INTEGER PRIMARY KEY REFERENCES draws (id),
  details_sealed TEXT,     -- {recipient, phone, address} as JSON, sealed
  claimed_at     INTEGER,
  sent_at        INTEGER
) STRICT;
)sql";

// Issue 17: the office's participation targets (任务数), one per region, for the bulletin's
// 完成率 and its ranking by rate.
constexpr std::string_view region_targets_sql = R"sql(
CREATE TABLE region_targets (
  region_code TEXT PRIMARY KEY REFERENCES regions (code),
  target      INTEGER NOT NULL CHECK (target > 0)
) STRICT, WITHOUT ROWID;
-- An office account scoped to one sector (行业) sees only that sector's units in its region.
ALTER TABLE admins ADD COLUMN sector TEXT;
)sql";

// Issue 17: the campaign's reporting forms (reporting_store.hpp). Drafts are replaced; every
// submission is a new version that is never changed or removed.
constexpr std::string_view reporting_forms_sql = R"sql(
CREATE TABLE reporting_organisations (
  admin_id     INTEGER PRIMARY KEY REFERENCES admins (id),
  organisation TEXT NOT NULL  -- a member unit of the 安委会 that the account files for
) STRICT;
CREATE TABLE reporting_drafts (
  region_code  TEXT NOT NULL REFERENCES regions (code),
  organisation TEXT NOT NULL,  -- '' for the region's own office
  form         TEXT NOT NULL,  -- contacts | progress
  fields       TEXT NOT NULL,  -- JSON object: field key -> text
  saved_by     TEXT NOT NULL,
  saved_at     INTEGER NOT NULL,
  PRIMARY KEY (region_code, organisation, form)
) STRICT, WITHOUT ROWID;
CREATE TABLE reporting_submissions (
  id           INTEGER PRIMARY KEY,
  region_code  TEXT NOT NULL REFERENCES regions (code),
  organisation TEXT NOT NULL,
  form         TEXT NOT NULL,
  version      INTEGER NOT NULL CHECK (version > 0),
  fields       TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  late         INTEGER NOT NULL CHECK (late IN (0, 1)),
  UNIQUE (region_code, organisation, form, version)
) STRICT;
CREATE TRIGGER reporting_submissions_are_kept BEFORE UPDATE ON reporting_submissions
BEGIN
  SELECT RAISE(ABORT, 'a submitted form is never changed');
END;
)sql";

std::vector<migration> all_steps() {
  std::vector<migration> steps(question_bank_migrations().begin(),
                               question_bank_migrations().end());
  steps.push_back({2, "directory, participants and sign-in", directory_and_participants});
  steps.push_back({3, "attempts, answers, points ledger, prizes and draws", attempts_and_draws});
  steps.push_back({4, "leaderboard outbox and the office's admins", outbox_and_office});
  steps.push_back({5, "flagged attempts and per-address sign-in failures", abuse_defences});
  steps.push_back({6, "sign-in limits per phone, throttles, office accounts and the audit log",
                   sign_in_on_a_real_network});
  steps.push_back({8, "attempt papers as question versions and option orders", smaller_attempts});
  steps.push_back({9, "practice, consent, verifiable draws and prize delivery", participant_layer});
  steps.push_back({10, "per-day ledger totals per region and unit", ledger_totals_schema_sql()});
  steps.push_back(
      {11, "participation targets per region and office accounts' sector", region_targets_sql});
  steps.push_back({12, "frozen bulletin snapshots", bulletin_snapshots_schema_sql()});
  steps.push_back({13, "the campaign's reporting forms: drafts and versioned submissions",
                   reporting_forms_sql});
  steps.push_back({14, "the office's corrections of a participant's region or unit",
                   placement_corrections_schema_sql()});
  // The question bank's steps and the server's share one numbering.
  std::sort(steps.begin(), steps.end(),
            [](const migration& a, const migration& b) { return a.version < b.version; });
  return steps;
}

}  // namespace

std::span<const migration> database_migrations() {
  static const std::vector<migration> steps = all_steps();
  return steps;
}

}  // namespace anquanli
