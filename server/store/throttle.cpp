#include "server/store/throttle.hpp"

#include <algorithm>
#include <cmath>

namespace anquanli {

namespace {

constexpr double millis_per_hour = 3'600'000.0;

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

}  // namespace

double throttle::tokens(std::string_view kind, std::string_view subject, const bucket_rule& rule,
                        instant now) {
  sqlite_statement row = database_.prepare(
      "SELECT tokens, updated_at FROM throttles WHERE kind = ?1 AND subject = ?2");
  row.bind(1, kind).bind(2, subject);
  if (row.step() != step_result::row) {
    return rule.burst;
  }
  const double elapsed_ms =
      static_cast<double>(std::max<std::int64_t>(0, millis(now) - row.column_int64(1)));
  return std::min(rule.burst, row.column_double(0) + elapsed_ms * rule.per_hour / millis_per_hour);
}

std::int64_t throttle::wait(std::string_view kind, std::string_view subject,
                            const bucket_rule& rule, instant now) {
  const double available = tokens(kind, subject, rule, now);
  if (available >= 1.0) {
    return 0;
  }
  const double seconds = (1.0 - available) * 3600.0 / rule.per_hour;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(seconds)));
}

void throttle::spend(std::string_view kind, std::string_view subject, const bucket_rule& rule,
                     instant now) {
  const double left = std::max(0.0, tokens(kind, subject, rule, now) - 1.0);
  sqlite_statement save = database_.prepare(
      "INSERT INTO throttles (kind, subject, tokens, updated_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (kind, subject) DO UPDATE SET tokens = ?3, updated_at = ?4");
  save.bind(1, kind).bind(2, subject).bind(3, left).bind(4, millis(now));
  save.run();
}

}  // namespace anquanli
