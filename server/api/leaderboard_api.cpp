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

// A 200 with a body serialized before (json_response's content type).
api_response body_response(const std::string& body) {
  api_response response;
  response.body = body;
  return response;
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

asio::awaitable<leaderboard_api::snapshot_ptr> leaderboard_api::scope(
    std::optional<std::string> day) {
  const std::string key = day.value_or("all");
  {
    // Single flight: while one request refreshes an expired scope, the others get the stale
    // copy instead of all asking Redis (or SQLite) at once. A snapshot ranked against an earlier
    // directory (an operator imported units since) is as good as expired.
    const std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key); found != cache_.end()) {
      const cached_scope& cached = found->second;
      if ((services_.clock.monotonic() < cached.expires &&
           cached.view->places_ptr() == directory_) ||
          cached.refreshing) {
        co_return cached.view;
      }
      found->second.refreshing = true;
    }
  }
  snapshot_ptr fresh;
  try {
    fresh = co_await fetch_scope(day);
  } catch (...) {
    const std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key); found != cache_.end()) {
      found->second.refreshing = false;
    }
    throw;
  }
  const auto lifetime = fresh->source() == "redis" ? redis_cache_for : sqlite_cache_for;
  const std::lock_guard lock(mutex_);
  cache_[key] = {services_.clock.monotonic() + lifetime, fresh, false};
  co_return fresh;
}

// Reads on the leaderboards' own connection: a failure or a timeout here is this request's
// alone (it falls back to SQLite) and never marks Redis down; only the relay does that.
asio::awaitable<leaderboard_api::snapshot_ptr> leaderboard_api::fetch_scope(
    std::optional<std::string> day) {
  const instant as_of = services_.clock.now();
  const auto places = directory();
  std::shared_ptr<const scope_totals> totals;
  std::string source = "sqlite";
  if (redis_ != nullptr && redis_up_) {
    try {
      if (auto stored = co_await redis_->read(day, places->deepest_level())) {
        totals = std::make_shared<const scope_totals>(std::move(*stored));
        source = "redis";
      }
    } catch (const redis_unavailable& failure) {
      spdlog::debug("leaderboard read falls back to SQLite: {}", failure.what());
    }
  }
  if (!totals) {
    totals = std::make_shared<const scope_totals>(co_await services_.store.aggregate(day));
  }
  co_return std::make_shared<const board_snapshot>(std::move(totals), places, as_of,
                                                   std::move(source));
}

namespace {

// The regions board's body: `parent`'s children ranked by the query's metric.
std::string regions_body(const board_snapshot& view, const board_query& query,
                         const std::string& parent, utc_offset offset) {
  const directory_snapshot& places = view.places();
  json::array items;
  for (const auto& entry : view.regions(query.metric, parent)->entries) {
    const region* child = places.find_region(entry.id);
    json::object item =
        counts_json(counts_in(view.totals().regions, entry.id), places.headcount(entry.id));
    item["rank"] = entry.rank;
    item["code"] = child->code;
    item["name"] = child->name;
    items.push_back(std::move(item));
  }
  json::object body = board_header(query.metric, query.day, view.as_of(), view.source(), offset);
  body["parent"] = parent;
  body["items"] = std::move(items);
  return json::serialize(body);
}

json::object unit_json(const board_snapshot& view, const ranked_entry& entry) {
  const unit* item = view.places().find_unit(entry.id);
  json::object result = counts_json(counts_in(view.totals().units, entry.id), item->headcount);
  result["rank"] = entry.rank;
  result["id"] = item->id;
  result["name"] = item->name;
  result["region"] = item->region_code;
  result["sector"] = item->sector;
  return result;
}

// One page of the units board: the units passing the command's filters, ranked.
std::string units_body(const board_snapshot& view, const unit_board_command& command,
                       utc_offset offset) {
  const board_query& query = command.board;
  const auto ranked = view.units(query.metric, command.region_code, command.sector);
  json::array items;
  for (auto i = static_cast<std::size_t>(command.offset);
       i < ranked->entries.size() && items.size() < static_cast<std::size_t>(command.limit); ++i) {
    items.push_back(unit_json(view, ranked->entries[i]));
  }
  json::object body = board_header(query.metric, query.day, view.as_of(), view.source(), offset);
  body["total"] = ranked->entries.size();
  body["items"] = std::move(items);
  return json::serialize(body);
}

// The key a page's body is kept under in its snapshot: the sector, the one free text, goes last,
// so no two commands share a key.
std::string page_key(const unit_board_command& command) {
  return "units\n" + std::to_string(command.offset) + '\n' + std::to_string(command.limit) + '\n' +
         command.board.metric + '\n' + command.region_code + '\n' + command.sector;
}

}  // namespace

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
  const snapshot_ptr view = co_await scope(query.day);
  const std::string key = "regions\n" + query.metric + '\n' + parent;
  if (const auto kept = view->page(key)) {
    co_return body_response(*kept);
  }
  auto body = std::make_shared<const std::string>(
      regions_body(*view, query, parent, services_.config.competition.offset));
  view->keep_page(key, body);
  co_return body_response(*body);
}

asio::awaitable<api_response> leaderboard_api::units(api_request& request) {
  const auto command = parse_unit_board(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto places = directory();
  if (!command->region_code.empty() && places->find_region(command->region_code) == nullptr) {
    co_return error_response(api_error_code::invalid_region);
  }
  const snapshot_ptr view = co_await scope(command->board.day);
  const utc_offset offset = services_.config.competition.offset;
  if (command->offset + command->limit > board_snapshot::cached_page_end) {
    co_return body_response(units_body(*view, *command, offset));
  }
  const std::string key = page_key(*command);
  if (const auto kept = view->page(key)) {
    co_return body_response(*kept);
  }
  auto body = std::make_shared<const std::string>(units_body(*view, *command, offset));
  view->keep_page(key, body);
  co_return body_response(*body);
}

asio::awaitable<api_response> leaderboard_api::unit_standing(api_request& request) {
  const auto command = parse_unit_standing(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const board_query& query = command->board;
  const auto around = static_cast<std::size_t>(command->around);
  const std::string& id = command->unit_id;
  if (directory()->find_unit(id) == nullptr) {
    co_return error_response(api_error_code::unit_not_found);
  }
  const snapshot_ptr view = co_await scope(query.day);
  const auto ranked = view->units(query.metric, "", "");
  const auto found = ranked->position.find(id);
  if (found == ranked->position.end()) {
    // Only while a new import is being read: the snapshot was ranked before the unit existed.
    co_return error_response(api_error_code::unit_not_found);
  }
  const std::size_t position = found->second;
  const auto& entries = ranked->entries;
  json::array above;
  json::array below;
  for (std::size_t i = position > around ? position - around : 0; i < position; ++i) {
    above.push_back(unit_json(*view, entries[i]));
  }
  for (std::size_t i = position + 1; i < entries.size() && i <= position + around; ++i) {
    below.push_back(unit_json(*view, entries[i]));
  }
  json::object body = board_header(query.metric, query.day, view->as_of(), view->source(),
                                   services_.config.competition.offset);
  body["total"] = entries.size();
  body["unit"] = unit_json(*view, entries[position]);
  body["above"] = std::move(above);
  body["below"] = std::move(below);
  co_return json_response(200, body);
}

}  // namespace anquanli
