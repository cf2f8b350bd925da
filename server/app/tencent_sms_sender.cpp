#include "server/app/tencent_sms_sender.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

namespace anquanli {

namespace {

constexpr const char* content_type = "application/json; charset=utf-8";

std::string string_at(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string{value->as_string()} : std::string{};
}

}  // namespace

tencent_sms_sender::tencent_sms_sender(const sms_config& settings, sms_credentials credentials,
                                       metrics& counters)
    : remote_code_sender("tencentcloud", outbound_http(settings.ca_file, settings.timeout),
                         settings.attempts, counters),
      settings_(settings),
      credentials_(std::move(credentials)) {
  if (settings_.region.empty()) {
    settings_.region = "ap-guangzhou";
  }
  const std::string endpoint =
      settings.endpoint.empty() ? "https://sms.tencentcloudapi.com" : settings.endpoint;
  const auto parsed = boost::urls::parse_absolute_uri(endpoint);
  if (!parsed || parsed->scheme() != "https" || parsed->host().empty()) {
    throw std::runtime_error("[sms] endpoint must be https://HOST[:PORT]");
  }
  host_ = std::string{parsed->encoded_host_and_port()};
  base_url_ = "https://" + host_;
}

outbound_request tencent_sms_sender::request_for(const std::string& phone, const std::string& code,
                                                 instant now) const {
  tc3_request signed_part;
  signed_part.service = "sms";
  signed_part.host = host_;
  signed_part.action = "SendSms";
  signed_part.timestamp = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  signed_part.content_type = content_type;
  // Mainland numbers go in E.164 form.
  signed_part.payload = boost::json::serialize(
      boost::json::object{{"PhoneNumberSet", boost::json::array{"+86" + phone}},
                          {"SmsSdkAppId", settings_.app_id},
                          {"SignName", settings_.sign_name},
                          {"TemplateId", settings_.template_id},
                          {"TemplateParamSet", boost::json::array{code}}});
  outbound_request request;
  request.url = base_url_ + "/";
  request.headers = {
      {"Authorization", tc3_authorization(signed_part, credentials_.key_id, credentials_.secret)},
      {"Content-Type", content_type},
      {"X-TC-Action", signed_part.action},
      {"X-TC-Timestamp", std::to_string(signed_part.timestamp)},
      {"X-TC-Version", "2021-01-11"},
      {"X-TC-Region", settings_.region}};
  request.body = signed_part.payload;
  return request;
}

outbound_request tencent_sms_sender::build(const std::string& phone, const std::string& code,
                                           instant /*at*/, instant now) const {
  return request_for(phone, code, now);
}

delivery_result tencent_sms_sender::read_reply(const outbound_response& reply) const {
  boost::system::error_code error;
  const auto parsed = boost::json::parse(reply.body, error);
  const auto* response =
      !error && parsed.is_object() ? parsed.as_object().if_contains("Response") : nullptr;
  if (response == nullptr || !response->is_object()) {
    return transport_failure(reply);
  }
  if (const auto* failure = response->as_object().if_contains("Error");
      failure != nullptr && failure->is_object()) {
    return {false, string_at(failure->as_object(), "Code"),
            string_at(failure->as_object(), "Message")};
  }
  const auto* statuses = response->as_object().if_contains("SendStatusSet");
  if (statuses == nullptr || !statuses->is_array() || statuses->as_array().empty() ||
      !statuses->as_array().front().is_object()) {
    return {false, "NoSendStatus", "the reply has no SendStatusSet"};
  }
  const auto& status = statuses->as_array().front().as_object();
  const std::string result = string_at(status, "Code");
  return {result == "Ok", result, string_at(status, "Message")};
}

}  // namespace anquanli
