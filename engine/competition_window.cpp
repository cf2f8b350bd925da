#include "engine/competition_window.hpp"

#include "engine/day_key.hpp"

namespace anquanli {

window_position position_in_window(const competition_rules& rules, instant now) {
  const day_key today = day_key_of(now, rules.offset);
  if (today < rules.starts_on) {
    return window_position::before;
  }
  if (rules.ends_on < today) {
    return window_position::after;
  }
  return window_position::open;
}

namespace {

verdict check_window(const competition_rules& rules, instant now) {
  switch (position_in_window(rules, now)) {
    case window_position::before: return verdict::competition_not_started;
    case window_position::after: return verdict::competition_closed;
    case window_position::open: return verdict::accepted;
  }
  return verdict::competition_closed;
}

}  // namespace

verdict check_attempt_start(const competition_rules& rules, instant now, int attempts_today) {
  if (const verdict window = check_window(rules, now); window != verdict::accepted) {
    return window;
  }
  if (attempts_today >= rules.attempts_per_day) {
    return verdict::daily_limit_reached;
  }
  return verdict::accepted;
}

verdict check_draw(const competition_rules& rules, instant now, int draws_earned, int draws_used) {
  if (const verdict window = check_window(rules, now); window != verdict::accepted) {
    return window;
  }
  if (draws_used >= draws_earned) {
    return verdict::no_draws_available;
  }
  return verdict::accepted;
}

}  // namespace anquanli
