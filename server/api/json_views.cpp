#include "server/api/json_views.hpp"

#include <boost/json.hpp>

#include "engine/competition_window.hpp"
#include "server/api/personal_views.hpp"

namespace anquanli {

namespace json = boost::json;

namespace {

json::value instant_or_null(instant at, const competition_rules& rules) {
  if (at == instant::max()) {
    return nullptr;
  }
  return json::value(format_rfc3339(at, rules.offset));
}

json::array keys_array(const std::vector<std::string>& keys) {
  json::array array;
  for (const auto& key : keys) {
    array.emplace_back(key);
  }
  return array;
}

json::value current_question(const attempt_record& record, const competition_rules& rules) {
  const auto index = record.state.next_index();
  if (!index) {
    return nullptr;
  }
  const presented_question& shown = record.questions[static_cast<std::size_t>(*index)];
  json::array options;
  for (const auto& option : shown.options) {
    options.push_back(json::object{{"key", option.key}, {"text", option.text}});
  }
  return json::object{{"index", *index},
                      {"deadline", instant_or_null(record.state.question_deadline(rules), rules)},
                      {"question", json::object{{"id", shown.id.value()},
                                                {"type", to_string(shown.type)},
                                                {"category", shown.category},
                                                {"stem", shown.stem},
                                                {"options", std::move(options)}}}};
}

}  // namespace

json::value competition_view(const competition_rules& rules, instant now) {
  return json::object{{"id", rules.id},
                      {"title", rules.title},
                      {"starts_on", to_string(rules.starts_on)},
                      {"ends_on", to_string(rules.ends_on)},
                      {"timezone", format_utc_offset(rules.offset)},
                      {"today", to_string(day_key_of(now, rules.offset))},
                      {"open", position_in_window(rules, now) == window_position::open},
                      {"questions_per_attempt", rules.questions_per_attempt},
                      {"attempts_per_day", rules.attempts_per_day},
                      {"correct_per_draw", rules.correct_per_draw},
                      {"draw_rule", to_string(rules.draws)},
                      {"question_time_limit_s", rules.question_time_limit.count()},
                      {"attempt_time_limit_s", rules.attempt_time_limit.count()},
                      {"end_on_wrong", rules.end_on_wrong},
                      {"points", json::object{{"per_attempt", rules.points.per_attempt},
                                              {"per_correct", rules.points.per_correct},
                                              {"perfect_bonus", rules.points.perfect_bonus}}}};
}

competition_rules run_rules_of(const attempt_record& record, const competition_rules& rules) {
  return rules_for(record.kind, rules, rules.questions_per_attempt);
}

json::value attempt_view(const attempt_record& record, const competition_rules& competition) {
  // A practice attempt's deadlines follow the practice room's rules (issue 16).
  const competition_rules rules = run_rules_of(record, competition);
  int correct = 0;
  for (const auto& answer : record.state.answers()) {
    correct += answer.correct ? 1 : 0;
  }
  json::value result = nullptr;
  if (record.result) {
    result = json::object{{"correct", record.result->correct},
                          {"points", record.result->points},
                          {"draws_earned", record.result->draws_earned}};
  }
  return json::object{{"id", record.id.value()},
                      {"kind", to_string(record.kind)},
                      {"day", to_string(record.day)},
                      {"status", to_string(record.state.status())},
                      {"questions_total", record.questions.size()},
                      {"answered", record.state.answers().size()},
                      {"correct", correct},
                      {"started_at", format_rfc3339(record.state.started_at(), rules.offset)},
                      {"deadline", instant_or_null(record.state.deadline(rules), rules)},
                      {"current", current_question(record, rules)},
                      {"result", std::move(result)}};
}

json::value answer_view(const attempt_record& record, const recorded_answer& answer,
                        const competition_rules& rules) {
  const presented_question& shown = record.questions[static_cast<std::size_t>(answer.index)];
  return json::object{{"index", answer.index},
                      {"choice", keys_array(answer.choice)},
                      {"correct", answer.correct},
                      {"timed_out", answer.timed_out},
                      {"correct_choice", keys_array(shown.correct_keys)},
                      {"explanation", shown.explanation},
                      {"source", shown.source},
                      {"attempt", attempt_view(record, rules)}};
}

json::value profile_view(const profile& person, utc_offset offset) {
  json::value region = nullptr;
  if (person.region) {
    region = json::object{{"code", person.region->id}, {"name", person.region->name}};
  }
  json::value unit = nullptr;
  if (person.unit) {
    unit = json::object{{"id", person.unit->id}, {"name", person.unit->name}};
  }
  return json::object{
      {"phone_masked", person.phone_masked},
      {"name", person.name},
      {"region", std::move(region)},
      {"unit", std::move(unit)},
      {"profile_complete", person.complete()},
      {"consent_at", person.consent_at ? json::value(format_rfc3339(*person.consent_at, offset))
                                       : json::value(nullptr)}};
}

json::value me_json(const me_view& view, const competition_rules& rules, instant now) {
  json::object body = profile_view(view.person, rules.offset).as_object();
  json::object today{{"day", to_string(day_key_of(now, rules.offset))},
                     {"attempt_id", nullptr},
                     {"status", "none"}};
  if (view.today) {
    today["attempt_id"] = view.today->id.value();
    today["status"] = to_string(view.today->state.status());
  }
  body["today"] = std::move(today);
  body["draws_available"] = std::max(0, view.person.draws_earned - view.person.draws_used);
  body["totals"] = json::object{{"attempts", view.totals.attempts},
                                {"correct", view.totals.correct},
                                {"points", view.totals.points}};
  return body;
}

json::value draw_view(const draw_record& draw, const competition_rules& rules) {
  json::value prize = nullptr;
  if (draw.prize) {
    prize = json::object{{"id", draw.prize->id}, {"name", draw.prize->name}};
  }
  json::object body{{"draw_id", draw.draw_id},
                    {"at", format_rfc3339(draw.at, rules.offset)},
                    {"prize", std::move(prize)}};
  if (draw.proof) {
    body["proof"] = proof_json(*draw.proof);
  }
  if (draw.prize) {
    body["claim"] = claim_json(draw.claim.value_or(claim_status{}), rules.offset);
  }
  return body;
}

json::value login_view(const login_result& result, const competition_rules& rules) {
  return json::object{{"token", result.token},
                      {"expires_at", format_rfc3339(result.expires_at, rules.offset)},
                      {"profile_complete", result.profile_complete}};
}

json::value draw_result_view(const draw_result_record& result) {
  json::value prize = nullptr;
  if (result.draw->prize) {
    prize = json::object{{"id", result.draw->prize->id}, {"name", result.draw->prize->name}};
  }
  json::object body{{"draw_id", result.draw->draw_id},
                    {"prize", std::move(prize)},
                    {"draws_available", result.draws_available}};
  if (result.draw->proof) {
    body["proof"] = proof_json(*result.draw->proof);
  }
  return body;
}

json::value region_view(const region& item) {
  json::value parent = nullptr;
  if (!item.parent_code.empty()) {
    parent = json::value(item.parent_code);
  }
  return json::object{{"code", item.code},
                      {"name", item.name},
                      {"parent", std::move(parent)},
                      {"level", item.level}};
}

json::value unit_view(const unit& item) {
  return json::object{
      {"id", item.id}, {"name", item.name}, {"region", item.region_code}, {"sector", item.sector}};
}

}  // namespace anquanli
