// The office's participant lookup (issue 17, docs/api-office.md): a clerk answering the hotline
// finds a participant by phone number and may correct their region or unit for challenges from
// then on. An account finds only participants inside its region's subtree (and its sector, for a
// sector-scoped account); anyone else answers exactly as an unknown number does, so the route
// cannot be used to learn who takes part elsewhere. Every lookup and every correction is audited.
#pragma once

#include "server/api/api_services.hpp"
#include "server/api/participant_lookup_requests.hpp"

namespace anquanli {

class participant_lookup_api {
 public:
  explicit participant_lookup_api(const api_services& services) : services_(services) {}

  boost::asio::awaitable<api_response> lookup(api_request& request, const admin_account& admin);
  boost::asio::awaitable<api_response> correct(api_request& request, const admin_account& admin);

 private:
  // The catalogue error when the account may not move anyone to the change's region and unit.
  boost::asio::awaitable<std::optional<api_error>> check_target(const placement_change& change,
                                                                const participant_file& file,
                                                                const admin_account& admin);

  const api_services& services_;
};

}  // namespace anquanli
