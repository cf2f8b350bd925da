// The 练功房 (issue 16, docs/api.md): POST /api/v1/practice starts a practice attempt, answered
// and finished through the challenge's own routes. Practice never changes points, draws,
// leaderboards, bulletins, statistics or the one challenge a day (practice_store.hpp).
#pragma once

#include "server/api/api_services.hpp"

namespace anquanli {

class practice_api {
 public:
  explicit practice_api(const api_services& services) : services_(services) {}

  boost::asio::awaitable<api_response> start(api_request& request, participant_id who);

 private:
  const api_services& services_;
};

}  // namespace anquanli
