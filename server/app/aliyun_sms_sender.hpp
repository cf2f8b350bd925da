// The `aliyun` code sender: Alibaba Cloud SMS (短信服务) SendSms, API version 2017-05-25, signed
// with ACS3-HMAC-SHA256 (aliyun_signature.hpp) and sent over HTTPS to dysmsapi.aliyuncs.com (or
// dysmsapi.REGION.aliyuncs.com, or `[sms] endpoint`). The template gets the code as
// {"TEMPLATE_PARAM": "123456"}. The reply's Code is "OK" when the message was accepted; any other
// Code (isv.BUSINESS_LIMIT_CONTROL, isv.MOBILE_NUMBER_ILLEGAL…) is logged and counted as such.
#pragma once

#include "server/app/aliyun_signature.hpp"
#include "server/app/remote_code_sender.hpp"
#include "server/app/sms_credentials.hpp"
#include "server/core/server_config.hpp"

namespace anquanli {

class aliyun_sms_sender final : public remote_code_sender {
 public:
  // Throws std::runtime_error on an endpoint that is not an https:// URL.
  aliyun_sms_sender(const sms_config& settings, sms_credentials credentials, metrics& counters);

  // The signed request for one code, as it goes on the wire (public for the tests).
  [[nodiscard]] outbound_request request_for(const std::string& phone, const std::string& code,
                                             instant now, const std::string& nonce) const;

 protected:
  [[nodiscard]] outbound_request build(const std::string& phone, const std::string& code,
                                       instant at, instant now) const override;
  [[nodiscard]] delivery_result read_reply(const outbound_response& reply) const override;

 private:
  sms_config settings_;
  sms_credentials credentials_;
  std::string base_url_;  // https://HOST[:PORT]
  std::string host_;      // HOST[:PORT], as the Host header carries it
};

// "2023-10-26T10:22:32Z": the x-acs-date of an instant.
[[nodiscard]] std::string acs3_date(instant at);

}  // namespace anquanli
