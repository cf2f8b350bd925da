// Recomputes the draws of one day from its seed (docs/draws.md): each draw's HMAC from its
// identity, then its outcome from the prize table it was drawn against, with the stock and the
// daily caps replayed in commit order (the order of the draws' ids: one writer assigns them). Any
// row that differs from what the seed and the tables say is a problem. anquanli-admin draws verify
// prints the report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/store/draw_commitments.hpp"

namespace anquanli {

struct draw_audit_report {
  int draws = 0;                      // draws of the day recomputed
  std::string commitment;             // the day's published commitment
  std::vector<std::string> problems;  // one line each; empty when every draw matches
};

// `revealed`: the published seed to check with (it must match the commitment); empty: the seed
// stored for the day, unsealed with the server key.
[[nodiscard]] draw_audit_report audit_draws(sqlite_database& database, const secrets& keys,
                                            const std::string& day,
                                            const std::optional<draw_seed>& revealed);

}  // namespace anquanli
