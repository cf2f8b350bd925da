#include "server/api/practice_api.hpp"

#include "server/api/json_views.hpp"
#include "server/api/outcome_errors.hpp"
#include "server/api/personal_requests.hpp"

namespace anquanli {

namespace asio = boost::asio;

asio::awaitable<api_response> practice_api::start(api_request& request, participant_id who) {
  auto command = parse_practice(request);
  if (!command) {
    co_return error_response(command.error());
  }
  if (!services_.config.practice.enabled) {
    co_return error_response(api_error_code::practice_disabled);
  }
  const practice_result result =
      co_await services_.store.start_practice(who, std::move(*command), services_.clock.now());
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  services_.counters.practices_started.fetch_add(1, std::memory_order_relaxed);
  co_return json_response(201, attempt_view(*result.attempt, services_.config.competition));
}

}  // namespace anquanli
