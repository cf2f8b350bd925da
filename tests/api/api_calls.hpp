// Calls into a fake_api for the handler tests: a request is matched by the real router and run by
// its route's real handler, and the answer is read as a client would read it.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>

#include "tests/support/fake_api.hpp"

namespace anquanli::test {

// A request as a client sends it, written as request_to("GET", "/api/v1/units").query(…).
class request_to {
 public:
  request_to(std::string method, std::string path);
  request_to& query(std::map<std::string, std::string> parameters);
  request_to& body(std::string text);
  request_to& token(std::string bearer);
  operator api_request() const { return request_; }  // NOLINT(google-explicit-constructor)

 private:
  api_request request_;
};

// The matched route's answer; fails the test when no route matches.
api_response call(fake_api& api, api_request request);

[[nodiscard]] boost::json::value json_of(const api_response& response);
// The wire code of an error answer ("" when the body has none).
[[nodiscard]] std::string error_code_of(const api_response& response);
[[nodiscard]] std::string header_of(const api_response& response, std::string_view name);

// Signs `phone` in through POST /auth/code and /auth/login, as the participant page does; the
// token.
std::string sign_in(fake_api& api, const std::string& phone);
// Signs `phone` in and fills in a profile in 兴庆区; the token.
std::string sign_in_with_profile(fake_api& api, const std::string& phone);
// Signs an office account in through POST /admin/login; the token.
std::string office_sign_in(fake_api& api, const std::string& username, const std::string& password);

}  // namespace anquanli::test
