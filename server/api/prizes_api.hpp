// Prizes in the open and verifiable draws (issue 16, docs/api.md, docs/draws.md):
//   GET  /api/v1/prizes                 every prize's stock and today's cap
//   GET  /api/v1/winners?day=           the 中奖公示, names and phones masked
//   GET  /api/v1/draws/commitments      each day's seed commitment, and the seed once it is over
//   PUT  /api/v1/draws/{id}/claim       a winner's delivery details, sealed
//   POST /api/v1/admin/draws/{id}/sent  the office marks a prize sent
#pragma once

#include "server/api/api_services.hpp"

namespace anquanli {

class prizes_api {
 public:
  explicit prizes_api(const api_services& services) : services_(services) {}

  boost::asio::awaitable<api_response> prizes(api_request& request);
  boost::asio::awaitable<api_response> winners(api_request& request);
  boost::asio::awaitable<api_response> commitments(api_request& request);
  boost::asio::awaitable<api_response> claim(api_request& request, participant_id who);
  boost::asio::awaitable<api_response> mark_sent(api_request& request, const admin_account& admin);

 private:
  const api_services& services_;
};

}  // namespace anquanli
