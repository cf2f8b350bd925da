#include "server/api/history_api.hpp"

#include <boost/json.hpp>

#include "server/api/personal_requests.hpp"
#include "server/api/personal_views.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<api_response> history_api::attempts(api_request& request, participant_id who) {
  const auto kind = parse_history_query(request);
  if (!kind) {
    co_return error_response(kind.error());
  }
  json::array items;
  const utc_offset offset = services_.config.competition.offset;
  for (const auto& item : co_await services_.store.my_attempts(who, *kind)) {
    items.push_back(attempt_summary_json(item, offset));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> history_api::mistakes(api_request& /*request*/, participant_id who) {
  json::array items;
  for (const auto& item : co_await services_.store.mistakes(who)) {
    items.push_back(mistake_json(item));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace anquanli
