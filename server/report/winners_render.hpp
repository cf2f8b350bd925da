// The prize winners list for the office: JSON for the dashboard and CSV for the clerk who arranges
// delivery. Both carry the same fields, including `flagged` (疑似机器答题): a winner with an
// attempt answered faster than a person reads, for the office to check before sending a prize,
// and the delivery details the winner gave (`deliveries`, by draw id; issue 16) with when the
// office marked the prize sent.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "server/store/bulletin_query.hpp"
#include "server/store/prize_store.hpp"

namespace anquanli {

[[nodiscard]] boost::json::value winners_json(
    const std::vector<winner_row>& rows, const std::map<std::int64_t, prize_delivery>& deliveries,
    utc_offset offset);

// UTF-8 CSV with a BOM for Excel, formula-looking cells neutralised (csv_line).
[[nodiscard]] std::string winners_csv(const std::vector<winner_row>& rows,
                                      const std::map<std::int64_t, prize_delivery>& deliveries,
                                      utc_offset offset);

}  // namespace anquanli
