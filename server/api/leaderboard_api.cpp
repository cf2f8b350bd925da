#include "server/api/leaderboard_api.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/json.hpp>

#include "engine/ranking.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto redis_cache_for = std::chrono::milliseconds{1000};
constexpr auto sqlite_cache_for = std::chrono::milliseconds{5000};

// 参与率 (docs/figures.md): participants with a unit against the staff of the units, never above 1
// (a headcount lower than its participants is an import problem, flagged by rate_capped); none
// without a headcount. Participants without a unit (社会公众) have no staff to compare with.
std::optional<double> participation_rate(const standing_counts& counts, std::int64_t headcount) {
  if (headcount <= 0)
    return std::nullopt;
  return static_cast<double>(std::min(counts.participants_with_unit, headcount)) /
         static_cast<double>(headcount);
}

// "rate" is the earlier name of metric=participation_rate and ranks the same way.
std::optional<double> metric_value(const standing_counts& counts, std::int64_t headcount,
                                   std::string_view metric) {
  if (metric == "points")
    return static_cast<double>(counts.points);
  if (metric == "attempts")
    return static_cast<double>(counts.attempts);
  if (metric == "participants")
    return static_cast<double>(counts.participants);
  return participation_rate(counts, headcount);
}

json::object counts_json(const standing_counts& counts, std::int64_t headcount) {
  json::value rate = nullptr;
  json::value staff = nullptr;
  if (const auto value = participation_rate(counts, headcount)) {
    staff = headcount;
    rate = *value;
  }
  return {{"points", counts.points},
          {"attempts", counts.attempts},
          {"participants", counts.participants},
          {"participants_with_unit", counts.participants_with_unit},
          {"participants_public", counts.participants_public()},
          {"headcount", std::move(staff)},
          {"participation_rate", rate},
          {"rate_capped", headcount > 0 && counts.participants_with_unit > headcount},
          {"rate", rate}};  // the earlier name of participation_rate, kept for existing clients
}

standing_counts counts_in(const std::map<std::string, standing_counts>& totals,
                          const std::string& id) {
  const auto found = totals.find(id);
  return found == totals.end() ? standing_counts{} : found->second;
}

json::value day_json(const std::optional<std::string>& day) {
  return day ? json::value(*day) : json::value(nullptr);
}

// The fields every leaderboard response starts with: what was ranked, and how fresh it is.
json::object board_header(const std::string& metric, const std::optional<std::string>& day,
                          instant as_of, const std::string& source, utc_offset offset) {
  return {{"metric", metric},
          {"day", day_json(day)},
          {"as_of", format_rfc3339(as_of, offset)},
          {"source", source}};
}

}  // namespace

asio::awaitable<void> leaderboard_api::refresh_directory() {
  auto fresh = co_await services_.store.directory();
  const std::lock_guard lock(mutex_);
  directory_ = std::move(fresh);
}

std::shared_ptr<const directory_snapshot> leaderboard_api::directory() const {
  const std::lock_guard lock(mutex_);
  return directory_;
}

asio::awaitable<leaderboard_api::scope_view> leaderboard_api::scope(
    std::optional<std::string> day) {
  const std::string key = day.value_or("all");
  {
    // Single flight: while one request refreshes an expired scope, the others get the stale
    // copy instead of all asking Redis (or SQLite) at once.
    const std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key); found != cache_.end()) {
      if (services_.clock.monotonic() < found->second.expires || found->second.refreshing) {
        co_return found->second.view;
      }
      found->second.refreshing = true;
    }
  }
  std::optional<scope_view> fresh;
  try {
    fresh = co_await fetch_scope(day);
  } catch (...) {
    const std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key); found != cache_.end()) {
      found->second.refreshing = false;
    }
    throw;
  }
  const auto lifetime = fresh->source == "redis" ? redis_cache_for : sqlite_cache_for;
  const std::lock_guard lock(mutex_);
  cache_[key] = {services_.clock.monotonic() + lifetime, *fresh, false};
  co_return *fresh;
}

asio::awaitable<leaderboard_api::scope_view> leaderboard_api::fetch_scope(
    std::optional<std::string> day) {
  scope_view view{nullptr, services_.clock.now(), "sqlite"};
  if (redis_ != nullptr && redis_up_) {
    try {
      if (auto totals = co_await redis_->read(day, directory()->deepest_level())) {
        view.totals = std::make_shared<const scope_totals>(std::move(*totals));
        view.source = "redis";
      }
    } catch (const redis_unavailable& failure) {
      spdlog::debug("leaderboard read falls back to SQLite: {}", failure.what());
    }
  }
  if (!view.totals) {
    view.totals = std::make_shared<const scope_totals>(co_await services_.store.aggregate(day));
  }
  co_return view;
}

asio::awaitable<api_response> leaderboard_api::regions(api_request& request) {
  const auto command = parse_region_board(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const board_query& query = command->board;
  const auto places = directory();
  const std::string parent = command->parent.value_or(places->root());
  if (places->find_region(parent) == nullptr) {
    co_return error_response(api_error_code::invalid_region);
  }
  const scope_view view = co_await scope(query.day);
  std::vector<ranked_entry> entries;
  for (const region* child : places->children(parent)) {
    entries.push_back({child->code, metric_value(counts_in(view.totals->regions, child->code),
                                                 places->headcount(child->code), query.metric)});
  }
  json::array items;
  for (const auto& entry : rank_entries(std::move(entries))) {
    const region* child = places->find_region(entry.id);
    json::object item =
        counts_json(counts_in(view.totals->regions, entry.id), places->headcount(entry.id));
    item["rank"] = entry.rank;
    item["code"] = child->code;
    item["name"] = child->name;
    items.push_back(std::move(item));
  }
  json::object body = board_header(query.metric, query.day, view.as_of, view.source,
                                   services_.config.competition.offset);
  body["parent"] = parent;
  body["items"] = std::move(items);
  co_return json_response(200, body);
}

namespace {

// Every unit that passes the filters, ranked by the metric.
std::vector<ranked_entry> rank_units(const directory_snapshot& places, const scope_totals& totals,
                                     const std::string& metric, const std::string& region_code,
                                     const std::string& sector) {
  std::vector<ranked_entry> entries;
  for (const unit& item : places.units()) {
    if ((!region_code.empty() && !places.within(item.region_code, region_code)) ||
        (!sector.empty() && item.sector != sector)) {
      continue;
    }
    entries.push_back(
        {item.id, metric_value(counts_in(totals.units, item.id), item.headcount, metric)});
  }
  return rank_entries(std::move(entries));
}

json::object unit_json(const directory_snapshot& places, const scope_totals& totals,
                       const ranked_entry& entry) {
  const unit* item = places.find_unit(entry.id);
  json::object result = counts_json(counts_in(totals.units, entry.id), item->headcount);
  result["rank"] = entry.rank;
  result["id"] = item->id;
  result["name"] = item->name;
  result["region"] = item->region_code;
  result["sector"] = item->sector;
  return result;
}

}  // namespace

asio::awaitable<api_response> leaderboard_api::units(api_request& request) {
  const auto command = parse_unit_board(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const board_query& query = command->board;
  const auto places = directory();
  if (!command->region_code.empty() && places->find_region(command->region_code) == nullptr) {
    co_return error_response(api_error_code::invalid_region);
  }
  const scope_view view = co_await scope(query.day);
  const auto ranked =
      rank_units(*places, *view.totals, query.metric, command->region_code, command->sector);
  json::array items;
  for (std::size_t i = static_cast<std::size_t>(command->offset);
       i < ranked.size() && items.size() < static_cast<std::size_t>(command->limit); ++i) {
    items.push_back(unit_json(*places, *view.totals, ranked[i]));
  }
  json::object body = board_header(query.metric, query.day, view.as_of, view.source,
                                   services_.config.competition.offset);
  body["total"] = ranked.size();
  body["items"] = std::move(items);
  co_return json_response(200, body);
}

asio::awaitable<api_response> leaderboard_api::unit_standing(api_request& request) {
  const auto command = parse_unit_standing(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const board_query& query = command->board;
  const auto around = command->around;
  const auto places = directory();
  const std::string& id = command->unit_id;
  if (places->find_unit(id) == nullptr) {
    co_return error_response(api_error_code::unit_not_found);
  }
  const scope_view view = co_await scope(query.day);
  const auto ranked = rank_units(*places, *view.totals, query.metric, "", "");
  const auto position =
      static_cast<std::size_t>(std::find_if(ranked.begin(), ranked.end(),
                                            [&](const ranked_entry& e) { return e.id == id; }) -
                               ranked.begin());
  json::array above;
  json::array below;
  const std::size_t first =
      position > static_cast<std::size_t>(around) ? position - static_cast<std::size_t>(around) : 0;
  for (std::size_t i = first; i < position; ++i) {
    above.push_back(unit_json(*places, *view.totals, ranked[i]));
  }
  for (std::size_t i = position + 1;
       i < ranked.size() && i <= position + static_cast<std::size_t>(around); ++i) {
    below.push_back(unit_json(*places, *view.totals, ranked[i]));
  }
  json::object body = board_header(query.metric, query.day, view.as_of, view.source,
                                   services_.config.competition.offset);
  body["total"] = ranked.size();
  body["unit"] = unit_json(*places, *view.totals, ranked[position]);
  body["above"] = std::move(above);
  body["below"] = std::move(below);
  co_return json_response(200, body);
}

}  // namespace anquanli
