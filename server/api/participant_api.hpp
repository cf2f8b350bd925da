// The participant API (docs/api.md): each handler parses the request (participant_requests.hpp),
// awaits one command of the durable store, and turns its outcome into JSON or a catalogue error
// (outcome_errors.hpp). Rules live in the engine. Routes that need a participant receive the one
// the route table authenticated (route_table.hpp).
#pragma once

#include "server/api/api_services.hpp"
#include "server/api/participant_board_api.hpp"

namespace anquanli {

class participant_api {
 public:
  // `people` adds the participant's personal ranks to GET /api/v1/me (issue 16); without it the
  // answer carries an empty `ranks`.
  explicit participant_api(const api_services& services, participant_board_api* people = nullptr)
      : services_(services), people_(people) {}

  boost::asio::awaitable<api_response> competition(api_request& request);
  boost::asio::awaitable<api_response> regions(api_request& request);
  boost::asio::awaitable<api_response> units(api_request& request);
  boost::asio::awaitable<api_response> request_code(api_request& request);
  boost::asio::awaitable<api_response> login(api_request& request);
  boost::asio::awaitable<api_response> get_me(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> put_me(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> start_attempt(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> get_attempt(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> answer(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> finish(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> draw(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> list_draws(api_request& request, participant_id who);

 private:
  const api_services& services_;
  participant_board_api* people_;
};

}  // namespace anquanli
