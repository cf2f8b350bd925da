// A participant's own past (issue 16, docs/api.md): GET /api/v1/me/attempts lists their
// challenges (or practices) newest first, GET /api/v1/me/mistakes is the 错题本. The review of one
// closed attempt is part of GET /api/v1/attempts/{id} (participant_api).
#pragma once

#include "server/api/api_services.hpp"

namespace anquanli {

class history_api {
 public:
  explicit history_api(const api_services& services) : services_(services) {}

  boost::asio::awaitable<api_response> attempts(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> mistakes(api_request& request, participant_id who);

 private:
  const api_services& services_;
};

}  // namespace anquanli
