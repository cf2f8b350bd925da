// Token buckets kept in SQLite, for throttling (never locking) what one subject may do: a client
// address's wrong sign-in codes, an address's or an office account's wrong passwords. A bucket
// holds up to `burst` tokens and refills at `per_hour`; a failure spends one; while the bucket is
// empty the subject waits until a token has refilled (429 with that Retry-After). Success spends
// nothing, so a shared address whose people mostly type right is never slowed.
//
// Runs on the writer thread for spend() and on any connection for wait(); rows idle for a day are
// removed by the sweeper (competition_store::sweep).
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/instant.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct bucket_rule {
  double burst = 20;
  double per_hour = 120;
};

class throttle {
 public:
  explicit throttle(sqlite_database& database) : database_(database) {}

  // Seconds until one token is available, 0 when one is available now.
  [[nodiscard]] std::int64_t wait(std::string_view kind, std::string_view subject,
                                  const bucket_rule& rule, instant now);
  // Spends one token (the bucket may go empty, never negative).
  void spend(std::string_view kind, std::string_view subject, const bucket_rule& rule, instant now);

 private:
  [[nodiscard]] double tokens(std::string_view kind, std::string_view subject,
                              const bucket_rule& rule, instant now);

  sqlite_database& database_;
};

}  // namespace anquanli
