// How the participant's own layer (issue 16) shows as JSON: the review of a closed attempt, the
// history and the 错题本, prizes, the 中奖公示, seed commitments, draw proofs and personal
// rankings. Public views carry only masked names and phones (张*, 138****8000).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "server/core/server_config.hpp"
#include "server/durable/durable_store.hpp"
#include "server/redis/participant_board.hpp"

namespace anquanli {

// Every question of a closed attempt as the participant saw it, with their choice, the right one,
// the explanation and the source. Never called for an attempt in progress.
[[nodiscard]] boost::json::array review_json(const attempt_record& record);
[[nodiscard]] boost::json::value attempt_summary_json(const attempt_summary& item,
                                                      utc_offset offset);
[[nodiscard]] boost::json::value mistake_json(const mistake_record& item);
[[nodiscard]] boost::json::value prize_standing_json(const prize_standing& item);
[[nodiscard]] boost::json::value public_winner_json(const public_winner& item, utc_offset offset);
[[nodiscard]] boost::json::value commitment_json(const draw_commitment& item);
[[nodiscard]] boost::json::value proof_json(const draw_proof& proof);
[[nodiscard]] boost::json::value claim_json(const claim_status& claim, utc_offset offset);
[[nodiscard]] boost::json::value ranked_person_json(const ranked_person& item);
[[nodiscard]] boost::json::value region_rank_json(const region_rank& item);
// What GET /api/v1/competition adds for the help page and the practice room.
void add_help_fields(boost::json::object& body, const server_config& config);

}  // namespace anquanli
