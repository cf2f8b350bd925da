#include "server/api/prizes_api.hpp"

#include <boost/json.hpp>

#include "server/api/outcome_errors.hpp"
#include "server/api/personal_requests.hpp"
#include "server/api/personal_views.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<api_response> prizes_api::prizes(api_request& /*request*/) {
  json::array items;
  for (const auto& item : co_await services_.store.prizes(services_.clock.now())) {
    items.push_back(prize_standing_json(item));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> prizes_api::winners(api_request& request) {
  auto day = parse_winners_day(request, services_.config.competition);
  if (!day) {
    co_return error_response(day.error());
  }
  json::array items;
  const utc_offset offset = services_.config.competition.offset;
  for (const auto& item : co_await services_.store.public_winners(*day)) {
    items.push_back(public_winner_json(item, offset));
  }
  json::value shown_day = *day ? json::value(**day) : json::value(nullptr);
  co_return json_response(200,
                          json::object{{"day", std::move(shown_day)}, {"items", std::move(items)}});
}

asio::awaitable<api_response> prizes_api::commitments(api_request& /*request*/) {
  json::array items;
  for (const auto& item : co_await services_.store.commitments(services_.clock.now())) {
    items.push_back(commitment_json(item));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> prizes_api::claim(api_request& request, participant_id who) {
  auto command = parse_claim(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const std::int64_t draw_id = command->draw_id;
  const claim_result result = co_await services_.store.claim_prize(
      who, draw_id, std::move(command->details), services_.clock.now());
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  co_return json_response(
      200, json::object{{"draw_id", draw_id},
                        {"claim", claim_json(result.status, services_.config.competition.offset)}});
}

asio::awaitable<api_response> prizes_api::mark_sent(api_request& request,
                                                    const admin_account& admin) {
  const auto draw_id = parse_draw_ref(request);
  if (!draw_id) {
    co_return error_response(draw_id.error());
  }
  const instant now = services_.clock.now();
  const sent_result result =
      co_await services_.store.mark_prize_sent(admin.region_code, *draw_id, now);
  if (const auto error = error_for(result.outcome)) {
    co_return error_response(*error);
  }
  // Named before the co_await: GCC 12 destroys temporaries built inside one twice.
  std::string action = "prize_sent";
  std::string detail = std::to_string(*draw_id);
  co_await services_.store.audit(admin, std::move(action), request.client_address,
                                 std::move(detail), now);
  co_return json_response(
      200, json::object{
               {"draw_id", *draw_id},
               {"sent_at", format_rfc3339(result.sent_at, services_.config.competition.offset)}});
}

}  // namespace anquanli
