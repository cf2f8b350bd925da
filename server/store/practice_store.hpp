// The 练功房 practice room (issue 16): papers of `[practice] questions` questions from the whole
// bank, one category, or the participant's 错题本, at most `[practice] per_day` a day. A practice
// attempt is an attempt of kind "practice": answered and finished like a challenge, but it never
// counts (competition_store::close_practice), it never counts against the one challenge a day, and
// the challenge's repeat-avoidance never sees its questions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/core/server_config.hpp"
#include "server/store/competition_store.hpp"

namespace anquanli {

struct practice_request {
  std::optional<std::string> category;  // only this category
  bool mistakes = false;                // only questions from the 错题本
};

enum class practice_outcome {
  started,
  limit_reached,     // per_day practices today already
  unknown_category,  // no active question in that category
  no_mistakes,       // the 错题本 holds no active question
  no_questions,      // the bank cannot make a paper
};

struct practice_result {
  practice_outcome outcome = practice_outcome::started;
  std::optional<attempt_record> attempt;
};

struct practice_context {
  const server_config& config;
  competition_store& store;  // the writer's, so the open attempt is kept like a challenge's
};

// Starts a practice attempt for `who` (inside the writer's transaction); `bank` holds the active
// questions and `seed` decides the paper.
[[nodiscard]] practice_result start_practice(sqlite_database& database,
                                             const practice_context& context,
                                             const std::vector<question>& bank, participant_id who,
                                             const practice_request& request, instant now,
                                             std::uint64_t seed);

}  // namespace anquanli
