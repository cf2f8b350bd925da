#include "tests/api/api_calls.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace anquanli::test {

namespace json = boost::json;

request_to::request_to(std::string method, std::string path) {
  request_.method = std::move(method);
  request_.path = std::move(path);
  request_.client_address = "127.0.0.1";  // as the transport fills it in for a local client
}

request_to& request_to::query(std::map<std::string, std::string> parameters) {
  request_.query = std::move(parameters);
  return *this;
}

request_to& request_to::body(std::string text) {
  request_.body = std::move(text);
  return *this;
}

request_to& request_to::token(std::string bearer) {
  request_.bearer_token = std::move(bearer);
  return *this;
}

api_response call(fake_api& api, api_request request) {
  const route* found = api.match(request);
  INFO(request.method << " " << request.path);
  REQUIRE(found != nullptr);
  return api.run(*found, request);
}

json::value json_of(const api_response& response) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.content_type.starts_with("application/json"));
  return json::parse(response.body);
}

std::string error_code_of(const api_response& response) {
  const json::value body = json_of(response);
  const auto* error = body.as_object().if_contains("error");
  return error == nullptr ? std::string{} : std::string{error->at("code").as_string()};
}

std::string header_of(const api_response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

std::string sign_in(fake_api& api, const std::string& phone) {
  const std::string number = json::serialize(json::value(phone));
  const auto sent =
      call(api, request_to("POST", "/api/v1/auth/code").body(R"({"phone":)" + number + "}"));
  REQUIRE(sent.status == 202);
  const std::string code = json::serialize(json::value(api.sender.last_code.at(phone)));
  const auto login = call(api, request_to("POST", "/api/v1/auth/login")
                                   .body(R"({"phone":)" + number + R"(,"code":)" + code + "}"));
  REQUIRE(login.status == 200);
  return std::string{json_of(login).at("token").as_string()};
}

std::string sign_in_with_profile(fake_api& api, const std::string& phone) {
  std::string token = sign_in(api, phone);
  const auto saved = call(
      api,
      request_to("PUT", "/api/v1/me").body(R"({"name":"张三","region":"640104"})").token(token));
  REQUIRE(saved.status == 200);
  return token;
}

std::string office_sign_in(fake_api& api, const std::string& username,
                           const std::string& password) {
  const json::object credentials{{"username", username}, {"password", password}};
  const auto login =
      call(api, request_to("POST", "/api/v1/admin/login").body(json::serialize(credentials)));
  REQUIRE(login.status == 200);
  return std::string{json_of(login).at("token").as_string()};
}

}  // namespace anquanli::test
