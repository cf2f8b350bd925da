#include "server/store/bulletin_codec.hpp"

#include <boost/json.hpp>

namespace anquanli {

namespace json = boost::json;

namespace {

// ---- encoding ----

template <class Value>
json::value optional_value(const std::optional<Value>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value optional_day(const std::optional<day_key>& day) {
  return day ? json::value(to_string(*day)) : json::value(nullptr);
}

json::object encode_row(const bulletin_row& row) {
  return json::object{{"rank", row.rank},
                      {"code", row.code},
                      {"name", row.name},
                      {"parent_name", row.parent_name},
                      {"participants", row.participants},
                      {"participants_with_unit", row.participants_with_unit},
                      {"participants_public", row.participants_public},
                      {"attempts", row.attempts},
                      {"attempts_with_unit", row.attempts_with_unit},
                      {"attempts_public", row.attempts_public},
                      {"points", row.points},
                      {"headcount", optional_value(row.headcount)},
                      {"participation_rate", optional_value(row.participation_rate)},
                      {"rate_capped", row.rate_capped},
                      {"average_correct_rate", optional_value(row.average_correct_rate)},
                      {"flagged_attempts", row.flagged_attempts},
                      {"target", optional_value(row.target)},
                      {"target_rate", optional_value(row.target_rate)},
                      {"previous_rank", optional_value(row.previous_rank)},
                      {"rank_change", optional_value(row.rank_change)},
                      {"new_participants", optional_value(row.new_participants)}};
}

json::object encode_public_row(const public_row& row) {
  return json::object{{"rank", row.rank},
                      {"code", row.code},
                      {"name", row.name},
                      {"parent_name", row.parent_name},
                      {"participants_public", row.participants_public},
                      {"attempts_public", row.attempts_public},
                      {"points_public", row.points_public}};
}

json::object encode_public(const public_ranking& ranking) {
  json::array rows;
  for (const public_row& row : ranking.rows) {
    rows.push_back(encode_public_row(row));
  }
  return json::object{{"level", to_string(ranking.level)},
                      {"rows", std::move(rows)},
                      {"totals", encode_public_row(ranking.totals)}};
}

json::array encode_findings(const bulletin& report) {
  json::array zero;
  for (const zero_participation_unit& unit : report.zero_participation) {
    zero.push_back(json::object{{"id", unit.id},
                                {"name", unit.name},
                                {"region_name", unit.region_name},
                                {"headcount", unit.headcount}});
  }
  return zero;
}

json::array encode_problems(const bulletin& report) {
  json::array problems;
  for (const headcount_problem& problem : report.headcount_problems) {
    problems.push_back(json::object{{"id", problem.id},
                                    {"name", problem.name},
                                    {"region_name", problem.region_name},
                                    {"headcount", problem.headcount},
                                    {"participants_with_unit", problem.participants_with_unit}});
  }
  return problems;
}

json::value encode_baseline(const bulletin& report) {
  if (!report.compared_snapshot) {
    return nullptr;
  }
  return json::object{
      {"snapshot_id", report.compared_snapshot->snapshot_id},
      {"generated_at_ms", report.compared_snapshot->generated_at.time_since_epoch().count()}};
}

json::object encode_bulletin(const bulletin& report) {
  json::array rows;
  for (const bulletin_row& row : report.rows) {
    rows.push_back(encode_row(row));
  }
  return json::object{{"title", report.title},
                      {"scope_code", report.scope_code},
                      {"scope_name", report.scope_name},
                      {"from", to_string(report.from)},
                      {"to", to_string(report.to)},
                      {"level", to_string(report.level)},
                      {"rank_by", to_string(report.rank_by)},
                      {"sector", optional_value(report.sector)},
                      {"compare_to", optional_day(report.compare_to)},
                      {"compared_snapshot", encode_baseline(report)},
                      {"generated_at_ms", report.generated_at.time_since_epoch().count()},
                      {"offset_minutes", report.offset.count()},
                      {"rows", std::move(rows)},
                      {"totals", encode_row(report.totals)},
                      {"public", encode_public(report.public_participation)},
                      {"zero_participation", encode_findings(report)},
                      {"headcount_problems", encode_problems(report)}};
}

// ---- decoding: a missing or mistyped field throws (boost::system::system_error) ----

const json::value& field(const json::object& object, std::string_view name) {
  if (const json::value* value = object.if_contains(name)) {
    return *value;
  }
  throw bulletin_codec_error("a stored bulletin lacks " + std::string{name});
}

std::string text(const json::object& object, std::string_view name) {
  return json::value_to<std::string>(field(object, name));
}

std::int64_t number(const json::object& object, std::string_view name) {
  return json::value_to<std::int64_t>(field(object, name));
}

// Absent (a field added after the snapshot was stored) or null: none.
template <class Value>
std::optional<Value> maybe(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  return json::value_to<Value>(*value);
}

day_key day(const json::object& object, std::string_view name) {
  const auto parsed = parse_day_key(text(object, name));
  if (!parsed) {
    throw bulletin_codec_error("a stored bulletin has a bad day in " + std::string{name});
  }
  return *parsed;
}

instant instant_of(const json::object& object, std::string_view name) {
  return instant{std::chrono::milliseconds{number(object, name)}};
}

bulletin_row decode_row(const json::object& object) {
  bulletin_row row;
  row.rank = static_cast<int>(number(object, "rank"));
  row.code = text(object, "code");
  row.name = text(object, "name");
  row.parent_name = text(object, "parent_name");
  row.participants = number(object, "participants");
  row.participants_with_unit = number(object, "participants_with_unit");
  row.participants_public = number(object, "participants_public");
  row.attempts = number(object, "attempts");
  row.attempts_with_unit = number(object, "attempts_with_unit");
  row.attempts_public = number(object, "attempts_public");
  row.points = number(object, "points");
  row.headcount = maybe<std::int64_t>(object, "headcount");
  row.participation_rate = maybe<double>(object, "participation_rate");
  row.rate_capped = json::value_to<bool>(field(object, "rate_capped"));
  row.average_correct_rate = maybe<double>(object, "average_correct_rate");
  row.flagged_attempts = number(object, "flagged_attempts");
  row.target = maybe<std::int64_t>(object, "target");
  row.target_rate = maybe<double>(object, "target_rate");
  row.previous_rank = maybe<int>(object, "previous_rank");
  row.rank_change = maybe<int>(object, "rank_change");
  row.new_participants = maybe<std::int64_t>(object, "new_participants");
  return row;
}

public_row decode_public_row(const json::object& object) {
  public_row row;
  row.rank = static_cast<int>(number(object, "rank"));
  row.code = text(object, "code");
  row.name = text(object, "name");
  row.parent_name = text(object, "parent_name");
  row.participants_public = number(object, "participants_public");
  row.attempts_public = number(object, "attempts_public");
  row.points_public = number(object, "points_public");
  return row;
}

public_ranking decode_public(const json::object& object) {
  public_ranking ranking;
  ranking.level = stored_level(text(object, "level"));
  for (const json::value& row : field(object, "rows").as_array()) {
    ranking.rows.push_back(decode_public_row(row.as_object()));
  }
  ranking.totals = decode_public_row(field(object, "totals").as_object());
  return ranking;
}

void decode_findings(const json::object& object, bulletin& report) {
  for (const json::value& value : field(object, "zero_participation").as_array()) {
    const json::object& unit = value.as_object();
    report.zero_participation.push_back({text(unit, "id"), text(unit, "name"),
                                         text(unit, "region_name"), number(unit, "headcount")});
  }
  for (const json::value& value : field(object, "headcount_problems").as_array()) {
    const json::object& problem = value.as_object();
    report.headcount_problems.push_back({text(problem, "id"), text(problem, "name"),
                                         text(problem, "region_name"), number(problem, "headcount"),
                                         number(problem, "participants_with_unit")});
  }
}

bulletin decode_bulletin(const json::object& object) {
  bulletin report;
  report.title = text(object, "title");
  report.scope_code = text(object, "scope_code");
  report.scope_name = text(object, "scope_name");
  report.from = day(object, "from");
  report.to = day(object, "to");
  report.level = stored_level(text(object, "level"));
  report.rank_by = stored_rank_by(text(object, "rank_by"));
  report.sector = maybe<std::string>(object, "sector");
  if (maybe<std::string>(object, "compare_to")) {
    report.compare_to = day(object, "compare_to");
  }
  if (const auto* baseline = object.if_contains("compared_snapshot");
      baseline != nullptr && !baseline->is_null()) {
    const json::object& then = baseline->as_object();
    report.compared_snapshot =
        bulletin::baseline{number(then, "snapshot_id"), instant_of(then, "generated_at_ms")};
  }
  report.generated_at = instant_of(object, "generated_at_ms");
  report.offset = utc_offset{number(object, "offset_minutes")};
  for (const json::value& row : field(object, "rows").as_array()) {
    report.rows.push_back(decode_row(row.as_object()));
  }
  report.totals = decode_row(field(object, "totals").as_object());
  report.public_participation = decode_public(field(object, "public").as_object());
  decode_findings(object, report);
  return report;
}

}  // namespace

bulletin_level stored_level(std::string_view name) {
  for (const auto level : {bulletin_level::city, bulletin_level::county, bulletin_level::unit}) {
    if (to_string(level) == name) {
      return level;
    }
  }
  throw bulletin_codec_error("a stored bulletin has an unknown level " + std::string{name});
}

bulletin_rank_by stored_rank_by(std::string_view name) {
  for (const auto rank_by : {bulletin_rank_by::participants, bulletin_rank_by::rate,
                             bulletin_rank_by::points, bulletin_rank_by::attempts}) {
    if (to_string(rank_by) == name) {
      return rank_by;
    }
  }
  throw bulletin_codec_error("a stored bulletin has an unknown ranking " + std::string{name});
}

std::string encode_bulletins(const std::vector<bulletin>& levels) {
  json::array encoded;
  for (const bulletin& report : levels) {
    encoded.push_back(encode_bulletin(report));
  }
  return json::serialize(json::object{{"format", 1}, {"levels", std::move(encoded)}});
}

std::vector<bulletin> decode_bulletins(std::string_view stored) {
  try {
    const json::object root = json::parse(stored).as_object();
    if (number(root, "format") != 1) {
      throw bulletin_codec_error("a stored bulletin has an unknown format");
    }
    std::vector<bulletin> levels;
    for (const json::value& report : field(root, "levels").as_array()) {
      levels.push_back(decode_bulletin(report.as_object()));
    }
    return levels;
  } catch (const bulletin_codec_error&) {
    throw;
  } catch (const std::exception& error) {
    throw bulletin_codec_error(std::string{"a stored bulletin does not decode: "} + error.what());
  }
}

}  // namespace anquanli
