#include "server/api/participant_board_api.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "server/api/personal_requests.hpp"
#include "server/api/personal_views.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto sqlite_cache_for = std::chrono::milliseconds{5000};

// `code` and its ancestors, the root first.
std::vector<std::string> path_to(const directory_snapshot& places, const std::string& code) {
  std::vector<std::string> path;
  for (const region* at = places.find_region(code); at != nullptr && path.size() < 16;
       at = places.find_region(at->parent_code)) {
    path.insert(path.begin(), at->code);
  }
  return path;
}

}  // namespace

asio::awaitable<std::shared_ptr<const participant_board_rows>> participant_board_api::sqlite_rows(
    std::string region_code, std::optional<std::string> day) {
  const std::string key = region_code + "|" + day.value_or("");
  {
    const std::lock_guard lock(mutex_);
    if (auto found = cache_.find(key);
        found != cache_.end() && services_.clock.monotonic() < found->second.expires) {
      co_return found->second.rows;
    }
  }
  auto rows = std::make_shared<const participant_board_rows>(
      co_await services_.store.participant_scores(std::move(region_code), std::move(day)));
  const std::lock_guard lock(mutex_);
  cache_[key] = {services_.clock.monotonic() + sqlite_cache_for, rows};
  co_return rows;
}

asio::awaitable<api_response> participant_board_api::board(api_request& request) {
  const auto command = parse_participant_board(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  if (!services_.config.participant_boards) {
    co_return error_response(api_error_code::participant_boards_disabled);
  }
  const auto places = boards_.directory();
  const std::string region_code = command->region_code.value_or(places->root());
  if (places->find_region(region_code) == nullptr) {
    co_return error_response(api_error_code::invalid_region);
  }
  std::optional<person_page> page;
  std::string source = "redis";
  if (redis_usable()) {
    try {
      page = co_await redis_->page(region_code, command->day, command->offset, command->limit);
    } catch (const redis_unavailable& failure) {
      spdlog::debug("personal ranking falls back to SQLite: {}", failure.what());
    }
  }
  if (!page) {
    source = "sqlite";
    const auto rows = co_await sqlite_rows(region_code, command->day);
    page = page_from(*rows, command->offset, command->limit);
  }
  json::array items;
  for (const auto& item : page->items) {
    items.push_back(ranked_person_json(item));
  }
  const competition_rules& rules = services_.config.competition;
  co_return json_response(
      200, json::object{{"region", region_code},
                        {"day", command->day ? json::value(*command->day) : json::value(nullptr)},
                        {"as_of", format_rfc3339(services_.clock.now(), rules.offset)},
                        {"source", source},
                        {"total", page->total},
                        {"items", std::move(items)}});
}

asio::awaitable<json::array> participant_board_api::ranks_of(const profile& person) {
  json::array result;
  if (!services_.config.participant_boards || !person.region) {
    co_return result;
  }
  const auto path = path_to(*boards_.directory(), person.region->id);
  const std::string member = participant_member(person.id.value());
  std::optional<std::vector<region_rank>> ranks;
  if (redis_usable()) {
    try {
      ranks = co_await redis_->ranks(member, path);
    } catch (const redis_unavailable& failure) {
      spdlog::debug("personal ranks fall back to SQLite: {}", failure.what());
    }
  }
  if (!ranks) {
    ranks.emplace();
    for (const auto& code : path) {
      const auto rows = co_await sqlite_rows(code, std::nullopt);
      ranks->push_back(rank_from(*rows, member, code));
    }
  }
  for (const auto& rank : *ranks) {
    result.push_back(region_rank_json(rank));
  }
  co_return result;
}

}  // namespace anquanli
