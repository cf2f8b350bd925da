#include "server/store/prize_store.hpp"

#include <boost/json.hpp>

#include "server/core/person_name.hpp"

namespace anquanli {

namespace {

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

instant from_millis(std::int64_t value) {
  return instant{std::chrono::milliseconds{value}};
}

std::optional<instant> optional_instant(sqlite_statement& row, int column) {
  if (row.column_is_null(column)) {
    return std::nullopt;
  }
  return from_millis(row.column_int64(column));
}

std::string claim_json(const prize_claim& details) {
  return boost::json::serialize(boost::json::object{
      {"recipient", details.recipient}, {"phone", details.phone}, {"address", details.address}});
}

std::optional<prize_claim> claim_from_json(const std::optional<std::string>& text) {
  if (!text) {
    return std::nullopt;
  }
  const auto value = boost::json::parse(*text).as_object();
  return prize_claim{std::string{value.at("recipient").as_string()},
                     std::string{value.at("phone").as_string()},
                     std::string{value.at("address").as_string()}};
}

}  // namespace

std::vector<prize_standing> prize_store::standings(day_key today) {
  sqlite_statement rows = database_.prepare(
      "SELECT p.id, p.name, p.total, p.remaining, p.daily_cap, "
      "p.daily_cap - IFNULL(d.awarded, 0), p.probability FROM prizes p "
      "LEFT JOIN prize_days d ON d.prize_id = p.id AND d.day = ?1 ORDER BY p.id");
  rows.bind(1, std::string_view{to_string(today)});
  std::vector<prize_standing> result;
  while (rows.step() == step_result::row) {
    prize_standing item{rows.column_text(0),  rows.column_text(1), rows.column_int64(2),
                        rows.column_int64(3), std::nullopt,        std::nullopt,
                        rows.column_double(6)};
    if (!rows.column_is_null(4)) {
      item.daily_cap = rows.column_int64(4);
      item.remaining_today =
          std::max<std::int64_t>(0, std::min(rows.column_int64(5), item.remaining));
    }
    result.push_back(std::move(item));
  }
  return result;
}

std::vector<public_winner> prize_store::winners(const std::optional<std::string>& day) {
  sqlite_statement rows = database_.prepare(
      "SELECT * FROM (SELECT d.id, d.day, d.drawn_at, IFNULL(p.name, ''), p.phone_masked, z.name, "
      "IFNULL(r.name, '') FROM draws d JOIN participants p ON p.id = d.participant_id "
      "JOIN prizes z ON z.id = d.prize_id LEFT JOIN regions r ON r.code = p.region_code "
      "WHERE d.prize_id IS NOT NULL AND (?1 IS NULL OR d.day = ?1) ORDER BY d.id DESC LIMIT ?2) "
      "ORDER BY 1");
  if (day) {
    rows.bind(1, std::string_view{*day});
  }
  rows.bind(2, max_public_winners);
  std::vector<public_winner> result;
  while (rows.step() == step_result::row) {
    // Masked here, so a full name never leaves storage on the public path.
    result.push_back({rows.column_text(1), from_millis(rows.column_int64(2)),
                      mask_name(rows.column_text(3)), rows.column_text(4), rows.column_text(5),
                      rows.column_text(6)});
  }
  return result;
}

claim_result prize_store::claim(participant_id who, std::int64_t draw_id,
                                const prize_claim& details, instant now) {
  sqlite_statement won = database_.prepare(
      "SELECT c.sent_at, c.claimed_at FROM draws d LEFT JOIN prize_claims c ON c.draw_id = d.id "
      "WHERE d.id = ?1 AND d.participant_id = ?2 AND d.prize_id IS NOT NULL");
  won.bind(1, draw_id).bind(2, who.value());
  if (won.step() != step_result::row) {
    return {claim_outcome::not_found, {}};
  }
  if (!won.column_is_null(0)) {
    return {claim_outcome::already_sent, {optional_instant(won, 1), optional_instant(won, 0)}};
  }
  sqlite_statement save = database_.prepare(
      "INSERT INTO prize_claims (draw_id, details_sealed, claimed_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (draw_id) DO UPDATE SET details_sealed = ?2, claimed_at = ?3");
  save.bind(1, draw_id)
      .bind(2, std::string_view{keys_.seal(claim_json(details))})
      .bind(3, millis(now));
  save.run();
  return {claim_outcome::claimed, {now, std::nullopt}};
}

sent_result prize_store::mark_sent(const std::string& scope_region, std::int64_t draw_id,
                                   instant now) {
  sqlite_statement won = database_.prepare(
      "WITH RECURSIVE down (code) AS (SELECT ?2 UNION SELECT r.code FROM regions r JOIN down "
      "ON r.parent_code = down.code) "
      "SELECT p.region_code IN (SELECT code FROM down), c.sent_at FROM draws d "
      "JOIN participants p ON p.id = d.participant_id "
      "LEFT JOIN prize_claims c ON c.draw_id = d.id WHERE d.id = ?1 AND d.prize_id IS NOT NULL");
  won.bind(1, draw_id).bind(2, std::string_view{scope_region});
  if (won.step() != step_result::row) {
    return {sent_outcome::not_found, {}};
  }
  if (won.column_int(0) == 0) {
    return {sent_outcome::region_forbidden, {}};
  }
  if (!won.column_is_null(1)) {
    return {sent_outcome::marked, from_millis(won.column_int64(1))};
  }
  sqlite_statement mark = database_.prepare(
      "INSERT INTO prize_claims (draw_id, sent_at) VALUES (?1, ?2) "
      "ON CONFLICT (draw_id) DO UPDATE SET sent_at = ?2");
  mark.bind(1, draw_id).bind(2, millis(now));
  mark.run();
  return {sent_outcome::marked, now};
}

std::map<std::int64_t, prize_delivery> prize_store::deliveries() {
  sqlite_statement rows =
      database_.prepare("SELECT draw_id, details_sealed, claimed_at, sent_at FROM prize_claims");
  std::map<std::int64_t, prize_delivery> result;
  while (rows.step() == step_result::row) {
    std::optional<std::string> details;
    if (!rows.column_is_null(1)) {
      details = keys_.unseal(rows.column_text(1));
    }
    result[rows.column_int64(0)] = {claim_from_json(details), optional_instant(rows, 2),
                                    optional_instant(rows, 3)};
  }
  return result;
}

}  // namespace anquanli
