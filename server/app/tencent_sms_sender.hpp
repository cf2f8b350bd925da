// The `tencentcloud` code sender: Tencent Cloud SMS SendSms, API 3.0 version 2021-01-11, signed
// with TC3-HMAC-SHA256 (tencent_signature.hpp) and sent over HTTPS to sms.tencentcloudapi.com (or
// `[sms] endpoint`) for `[sms] region` (default ap-guangzhou). The template gets the code as its
// first parameter. The message was accepted when the reply has no Error and its send status says
// "Ok"; any other code (LimitExceeded.PhoneNumberDailyLimit, AuthFailure.SignatureFailure…) is
// logged and counted as such.
#pragma once

#include "server/app/remote_code_sender.hpp"
#include "server/app/sms_credentials.hpp"
#include "server/app/tencent_signature.hpp"
#include "server/core/server_config.hpp"

namespace anquanli {

class tencent_sms_sender final : public remote_code_sender {
 public:
  // Throws std::runtime_error on an endpoint that is not an https:// URL.
  tencent_sms_sender(const sms_config& settings, sms_credentials credentials, metrics& counters);

  // The signed request for one code, as it goes on the wire (public for the tests).
  [[nodiscard]] outbound_request request_for(const std::string& phone, const std::string& code,
                                             instant now) const;

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

}  // namespace anquanli
