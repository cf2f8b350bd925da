// What the durable store hands back to handlers: plain values, no SQL and no I/O types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/attempt.hpp"
#include "engine/day_key.hpp"
#include "engine/practice_rules.hpp"
#include "engine/scoring.hpp"
#include "engine/strong_id.hpp"
#include "engine/verdict.hpp"
#include "question_bank/attempt_paper.hpp"

namespace anquanli {

using participant_id = strong_id<struct participant_id_tag, std::int64_t>;
using attempt_id = strong_id<struct attempt_id_tag, std::int64_t>;

// too_soon: the phone waits (resend interval, its hourly or daily codes, a lock);
// address_limited: the client address has had its codes for the hour or the day.
enum class code_request_outcome { sent, too_soon, address_limited };

struct code_request_result {
  code_request_outcome outcome = code_request_outcome::sent;
  std::string code;  // the new code, when sent
  std::int64_t retry_after_s = 0;
};

// locked: this phone waits after its code died of wrong tries; throttled: this client address
// has spent its wrong codes (a throttle, not a lock: it refills).
enum class login_outcome { signed_in, invalid_code, locked, throttled };

struct login_result {
  login_outcome outcome = login_outcome::invalid_code;
  std::string token;
  instant expires_at{};
  bool profile_complete = false;
  std::int64_t retry_after_s = 0;  // when locked or throttled
  participant_id participant{};    // when signed in
};

// A participant's token as stored: whose it is and until when.
struct token_holder {
  participant_id who;
  instant expires_at{};
};

struct named_ref {
  std::string id;
  std::string name;
};

struct profile {
  participant_id id;
  std::string phone_masked;
  std::string name;
  std::optional<named_ref> region;
  std::optional<named_ref> unit;
  int draws_earned = 0;
  int draws_used = 0;
  std::optional<instant> consent_at;  // when the privacy notice was agreed to, if it was
  [[nodiscard]] bool complete() const { return !name.empty() && region.has_value(); }
};

enum class profile_outcome { updated, invalid_region, invalid_unit, profile_locked };

// An attempt's paper, shared by every copy of its record: the server copies an open attempt
// into every answer it returns, and fifteen questions' text need not travel with each copy.
class shared_paper {
 public:
  shared_paper() = default;
  shared_paper(std::vector<presented_question> questions)  // NOLINT(google-explicit-constructor)
      : questions_(std::make_shared<const std::vector<presented_question>>(std::move(questions))) {}

  [[nodiscard]] const presented_question& operator[](std::size_t index) const {
    return (*questions_)[index];
  }
  [[nodiscard]] std::size_t size() const { return questions_->size(); }
  [[nodiscard]] bool empty() const { return questions_->empty(); }
  [[nodiscard]] auto begin() const { return questions_->begin(); }
  [[nodiscard]] auto end() const { return questions_->end(); }

 private:
  std::shared_ptr<const std::vector<presented_question>> questions_ =
      std::make_shared<const std::vector<presented_question>>();
};

// An attempt as stored: the paper it was given and the engine's state.
struct attempt_record {
  attempt_id id;
  participant_id owner;
  day_key day;
  shared_paper questions;
  attempt state;
  std::optional<attempt_result> result;  // once closed
  attempt_kind kind = attempt_kind::challenge;
};

struct attempt_totals {
  int attempts = 0;
  int correct = 0;
  int points = 0;
};

struct me_view {
  profile person;
  std::optional<attempt_record> today;
  attempt_totals totals;
};

struct start_result {
  verdict outcome = verdict::accepted;  // accepted, daily_limit_reached, insufficient_questions…
  std::optional<attempt_record> attempt;  // the new one, or today's existing one
};

struct answer_result {
  verdict outcome = verdict::accepted;
  std::optional<recorded_answer> answer;
  std::optional<attempt_record> attempt;  // empty when not found
};

struct prize_ref {
  std::string id;
  std::string name;
};

// One prize's odds as a draw saw them, for anyone recomputing it.
struct draw_odds_entry {
  std::string prize_id;
  double probability = 0.0;
  bool in_stock = true;  // false: won on the odds but the stock or today's cap was gone
};

// What anyone needs to recompute a draw once its day's seed is revealed
// (docs/draws.md): roll = the first 8 bytes of HMAC-SHA256(seed, message), big-endian, as a
// number in [0, 1), walked through the prizes' probabilities in order.
struct draw_proof {
  std::string day;
  std::string message;                // the draw's identity
  std::string hmac;                   // HMAC-SHA256(seed, message), 64 hex characters
  double roll = 0.0;                  // in [0, 1)
  std::string commitment;             // SHA-256 of the day's seed, published in advance
  std::vector<draw_odds_entry> odds;  // the prize table as it stood (a new draw's answer only)
};

// A won prize's delivery, as its winner sees it.
struct claim_status {
  std::optional<instant> claimed_at;
  std::optional<instant> sent_at;
};

struct draw_record {
  std::int64_t draw_id = 0;
  instant at{};
  std::optional<prize_ref> prize;
  std::optional<draw_proof> proof;    // empty for draws made before draws were verifiable
  std::optional<claim_status> claim;  // for won prizes whose winner or office has acted
};

struct draw_result_record {
  verdict outcome =
      verdict::accepted;  // prize_won, no_prize, no_draws_available, competition_closed
  std::optional<draw_record> draw;
  int draws_available = 0;
};

}  // namespace anquanli
