// The regional office's API (docs/api-office.md): sign-in and exact exports. Every route but login
// is called with the office account the route table authenticated (none or an unknown token is a
// 401, a participant's token a 403); a region outside the account's own subtree is a 403 — a city
// office sees its city, the province everything.
#pragma once

#include "server/api/admin_requests.hpp"
#include "server/api/api_services.hpp"
#include "server/api/snapshot_requests.hpp"

namespace anquanli {

class admin_api {
 public:
  explicit admin_api(const api_services& services) : services_(services) {}

  boost::asio::awaitable<api_response> login(api_request& request);
  boost::asio::awaitable<api_response> me(api_request& request, const admin_account& admin);
  boost::asio::awaitable<api_response> bulletin_export(api_request& request,
                                                       const admin_account& admin);
  boost::asio::awaitable<api_response> daily(api_request& request, const admin_account& admin);
  boost::asio::awaitable<api_response> winners(api_request& request, const admin_account& admin);
  boost::asio::awaitable<api_response> question_stats(api_request& request,
                                                      const admin_account& admin);
  boost::asio::awaitable<api_response> category_stats(api_request& request,
                                                      const admin_account& admin);
  boost::asio::awaitable<api_response> audit(api_request& request, const admin_account& admin);
  // Frozen bulletins (bulletin_snapshot_store.hpp): take one, list those the account may see,
  // download one in any format with the numbers it was taken with.
  boost::asio::awaitable<api_response> create_snapshot(api_request& request,
                                                       const admin_account& admin);
  boost::asio::awaitable<api_response> list_snapshots(api_request& request,
                                                      const admin_account& admin);
  boost::asio::awaitable<api_response> download_snapshot(api_request& request,
                                                         const admin_account& admin);

 private:
  // The region asked for (the account's own by default) when the account may see it; the
  // catalogue error otherwise.
  boost::asio::awaitable<parsed<std::string>> visible_region(const office_period& period,
                                                             const admin_account& admin);
  // The levels of the document for `region` down to `level`: the issued document (HTML, PDF)
  // shows every level from the first below the scope.
  boost::asio::awaitable<std::vector<bulletin_level>> levels_for(const std::string& region,
                                                                 bulletin_level level);

  const api_services& services_;
};

}  // namespace anquanli
