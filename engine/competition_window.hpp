// Where an instant stands relative to the competition's window of days, and whether a participant
// may start an attempt or use a draw then.
#pragma once

#include "engine/competition_rules.hpp"
#include "engine/instant.hpp"
#include "engine/verdict.hpp"

namespace anquanli {

enum class window_position { before, open, after };

[[nodiscard]] window_position position_in_window(const competition_rules& rules, instant now);

// accepted, competition_not_started, competition_closed or daily_limit_reached.
// `attempts_today` counts the participant's attempts on the day of `now`.
[[nodiscard]] verdict check_attempt_start(const competition_rules& rules, instant now,
                                          int attempts_today);

// accepted, competition_not_started, competition_closed or no_draws_available. Draws earned stay
// usable until the window's last day ends.
[[nodiscard]] verdict check_draw(const competition_rules& rules, instant now, int draws_earned,
                                 int draws_used);

}  // namespace anquanli
