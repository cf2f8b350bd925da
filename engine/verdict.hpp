// Every outcome a competition rule can reach. Rules return a verdict instead of throwing, and the
// server maps each verdict to an HTTP status and error code in exactly one place.
#pragma once

#include <string_view>

namespace anquanli {

enum class verdict {
  accepted,          // the request changes state as asked
  answer_repeated,   // the same answer to the same index again: nothing changes
  already_answered,  // another answer to an index that has one: the stored one stands
  out_of_order,      // an index other than the next unanswered one
  invalid_choice,    // keys that are not among the question's options, or a wrong count
  attempt_finished,  // the attempt is over (answered out, finished, or ended on a wrong answer)
  attempt_expired,   // the attempt's time limit passed
  competition_not_started,  // before the window's first day
  competition_closed,       // after the window's last day
  daily_limit_reached,      // today's attempts are used up
  profile_incomplete,       // no name or region yet: nothing to credit the points to
  insufficient_questions,   // the bank cannot fill an attempt as the quotas ask
  no_draws_available,       // every earned draw has been used
  prize_won,                // a draw that wins a prize
  no_prize,                 // a draw that wins nothing (by chance or because stock ran out)
};

// Stable snake_case name of a verdict (for logs and error codes).
[[nodiscard]] constexpr std::string_view to_string(verdict value) noexcept {
  switch (value) {
    case verdict::accepted: return "accepted";
    case verdict::answer_repeated: return "answer_repeated";
    case verdict::already_answered: return "already_answered";
    case verdict::out_of_order: return "out_of_order";
    case verdict::invalid_choice: return "invalid_choice";
    case verdict::attempt_finished: return "attempt_finished";
    case verdict::attempt_expired: return "attempt_expired";
    case verdict::competition_not_started: return "competition_not_started";
    case verdict::competition_closed: return "competition_closed";
    case verdict::daily_limit_reached: return "daily_limit_reached";
    case verdict::profile_incomplete: return "profile_incomplete";
    case verdict::insufficient_questions: return "insufficient_questions";
    case verdict::no_draws_available: return "no_draws_available";
    case verdict::prize_won: return "prize_won";
    case verdict::no_prize: return "no_prize";
  }
  return "unknown";
}

}  // namespace anquanli
