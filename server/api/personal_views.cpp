#include "server/api/personal_views.hpp"

#include <boost/json.hpp>

namespace anquanli {

namespace json = boost::json;

namespace {

json::array keys_array(const std::vector<std::string>& keys) {
  json::array array;
  for (const auto& key : keys) {
    array.emplace_back(key);
  }
  return array;
}

json::array options_array(const std::vector<question_option>& options) {
  json::array array;
  for (const auto& option : options) {
    array.push_back(json::object{{"key", option.key}, {"text", option.text}});
  }
  return array;
}

json::value optional_instant(const std::optional<instant>& at, utc_offset offset) {
  return at ? json::value(format_rfc3339(*at, offset)) : json::value(nullptr);
}

}  // namespace

json::array review_json(const attempt_record& record) {
  json::array items;
  const auto& answers = record.state.answers();
  for (std::size_t i = 0; i < record.questions.size(); ++i) {
    const presented_question& shown = record.questions[i];
    const recorded_answer* given = i < answers.size() ? &answers[i] : nullptr;
    items.push_back(
        json::object{{"position", i},
                     {"type", to_string(shown.type)},
                     {"category", shown.category},
                     {"stem", shown.stem},
                     {"options", options_array(shown.options)},
                     {"choice", given != nullptr ? keys_array(given->choice) : json::array{}},
                     {"correct_choice", keys_array(shown.correct_keys)},
                     {"correct", given != nullptr && given->correct},
                     {"timed_out", given != nullptr && given->timed_out},
                     {"explanation", shown.explanation},
                     {"source", shown.source}});
  }
  return items;
}

json::value attempt_summary_json(const attempt_summary& item, utc_offset offset) {
  json::value correct = nullptr;
  json::value points = nullptr;
  json::value draws = nullptr;
  if (item.result) {
    correct = item.result->correct;
    points = item.result->points;
    draws = item.result->draws_earned;
  }
  return json::object{{"id", item.id.value()},
                      {"day", item.day},
                      {"kind", to_string(item.kind)},
                      {"status", to_string(item.status)},
                      {"questions_total", item.questions_total},
                      {"started_at", format_rfc3339(item.started_at, offset)},
                      {"correct", std::move(correct)},
                      {"points", std::move(points)},
                      {"draws_earned", std::move(draws)}};
}

json::value mistake_json(const mistake_record& item) {
  const presented_question& shown = item.question;
  return json::object{{"question_id", shown.id.value()},
                      {"type", to_string(shown.type)},
                      {"category", shown.category},
                      {"stem", shown.stem},
                      {"options", options_array(shown.options)},
                      {"correct_choice", keys_array(shown.correct_keys)},
                      {"explanation", shown.explanation},
                      {"source", shown.source},
                      {"times_wrong", item.times_wrong}};
}

json::value prize_standing_json(const prize_standing& item) {
  json::value cap = nullptr;
  json::value today = nullptr;
  if (item.daily_cap) {
    cap = *item.daily_cap;
    today = item.remaining_today.value_or(0);
  }
  return json::object{{"id", item.id},
                      {"name", item.name},
                      {"total", item.total},
                      {"remaining", item.remaining},
                      {"daily_cap", std::move(cap)},
                      {"remaining_today", std::move(today)},
                      {"probability", item.probability}};
}

json::value public_winner_json(const public_winner& item, utc_offset offset) {
  return json::object{{"day", item.day},          {"at", format_rfc3339(item.at, offset)},
                      {"name", item.name},        {"phone", item.phone},
                      {"prize", item.prize_name}, {"region", item.region_name}};
}

json::value commitment_json(const draw_commitment& item) {
  return json::object{{"day", item.day},
                      {"commitment", item.commitment},
                      {"seed", item.seed ? json::value(*item.seed) : json::value(nullptr)}};
}

json::value proof_json(const draw_proof& proof) {
  json::object body{{"day", proof.day},
                    {"message", proof.message},
                    {"hmac", proof.hmac},
                    {"roll", proof.roll},
                    {"commitment", proof.commitment}};
  if (!proof.odds.empty()) {
    json::array odds;
    for (const auto& entry : proof.odds) {
      odds.push_back(json::object{{"prize_id", entry.prize_id},
                                  {"probability", entry.probability},
                                  {"in_stock", entry.in_stock}});
    }
    body["odds"] = std::move(odds);
  }
  return body;
}

json::value claim_json(const claim_status& claim, utc_offset offset) {
  return json::object{{"claimed_at", optional_instant(claim.claimed_at, offset)},
                      {"sent_at", optional_instant(claim.sent_at, offset)}};
}

json::value ranked_person_json(const ranked_person& item) {
  return json::object{{"rank", item.rank},
                      {"name", item.display.name},
                      {"unit_name", item.display.unit_name ? json::value(*item.display.unit_name)
                                                           : json::value(nullptr)},
                      {"points", item.points}};
}

json::value region_rank_json(const region_rank& item) {
  return json::object{{"region_code", item.region_code},
                      {"rank", item.rank ? json::value(*item.rank) : json::value(nullptr)},
                      {"of", item.of}};
}

void add_help_fields(json::object& body, const server_config& config) {
  json::array contacts;
  for (const auto& line : config.contacts) {
    contacts.push_back(json::object{{"name", line.name}, {"phone", line.phone}});
  }
  body["contacts"] = std::move(contacts);
  body["privacy_notice"] = config.privacy_notice;
  // The challenge's categories, for the 练功房's choice of one (empty without quotas).
  json::array categories;
  for (const auto& quota : config.competition.quotas) {
    categories.emplace_back(quota.category);
  }
  body["practice"] = json::object{{"enabled", config.practice.enabled},
                                  {"questions", config.practice.questions},
                                  {"per_day", config.practice.per_day},
                                  {"categories", std::move(categories)}};
  body["participant_rankings"] = config.participant_boards;
}

}  // namespace anquanli
