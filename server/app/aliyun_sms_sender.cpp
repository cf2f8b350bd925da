#include "server/app/aliyun_sms_sender.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "server/app/request_signing.hpp"

namespace anquanli {

namespace {

std::string default_endpoint(const std::string& region) {
  if (region.empty() || region == "cn-hangzhou") {
    return "https://dysmsapi.aliyuncs.com";
  }
  return "https://dysmsapi." + region + ".aliyuncs.com";
}

}  // namespace

std::string acs3_date(instant at) {
  std::string text = format_rfc3339(std::chrono::floor<std::chrono::seconds>(at), utc_offset{0});
  // Truncate and append rather than replace(): GCC 12 at -O3 reports a false -Wrestrict there.
  constexpr std::string_view utc_suffix = "+00:00";
  if (text.ends_with(utc_suffix)) {
    text.resize(text.size() - utc_suffix.size());
    text.push_back('Z');
  }
  return text;
}

aliyun_sms_sender::aliyun_sms_sender(const sms_config& settings, sms_credentials credentials,
                                     metrics& counters)
    : remote_code_sender("aliyun", outbound_http(settings.ca_file, settings.timeout),
                         settings.attempts, counters),
      settings_(settings),
      credentials_(std::move(credentials)) {
  const std::string endpoint =
      settings.endpoint.empty() ? default_endpoint(settings.region) : settings.endpoint;
  const auto parsed = boost::urls::parse_absolute_uri(endpoint);
  if (!parsed || parsed->scheme() != "https" || parsed->host().empty()) {
    throw std::runtime_error("[sms] endpoint must be https://HOST[:PORT]");
  }
  host_ = std::string{parsed->encoded_host_and_port()};
  base_url_ = "https://" + host_;
}

outbound_request aliyun_sms_sender::request_for(const std::string& phone, const std::string& code,
                                                instant now, const std::string& nonce) const {
  acs3_request signed_part;
  signed_part.query = {
      {"PhoneNumbers", phone},
      {"SignName", settings_.sign_name},
      {"TemplateCode", settings_.template_id},
      {"TemplateParam",
       boost::json::serialize(boost::json::object{{settings_.template_param, code}})}};
  signed_part.headers = {{"host", host_},
                         {"x-acs-action", "SendSms"},
                         {"x-acs-version", "2017-05-25"},
                         {"x-acs-date", acs3_date(now)},
                         {"x-acs-signature-nonce", nonce},
                         {"x-acs-content-sha256", sha256_hex("")}};
  outbound_request request;
  request.url = base_url_ + "/?" + acs3_canonical_query(signed_part.query);
  for (const auto& header : signed_part.headers) {
    if (header.first != "host") {
      request.headers.push_back(header);
    }
  }
  request.headers.emplace_back(
      "Authorization", acs3_authorization(signed_part, credentials_.key_id, credentials_.secret));
  return request;
}

outbound_request aliyun_sms_sender::build(const std::string& phone, const std::string& code,
                                          instant /*at*/, instant now) const {
  return request_for(phone, code, now, random_hex(16));
}

delivery_result aliyun_sms_sender::read_reply(const outbound_response& reply) const {
  boost::system::error_code error;
  const auto parsed = boost::json::parse(reply.body, error);
  if (error || !parsed.is_object() || !parsed.as_object().contains("Code")) {
    return transport_failure(reply);
  }
  const auto& object = parsed.as_object();
  const auto text = [&object](const char* key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string{value->as_string()} : std::string{};
  };
  const std::string result = text("Code");
  return {result == "OK", result, text("Message")};
}

}  // namespace anquanli
