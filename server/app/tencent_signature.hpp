// Tencent Cloud API 3.0's request signature, TC3-HMAC-SHA256, as documented in "签名方法 v3"
// (cloud.tencent.com/document/api/213/30654):
//   CanonicalRequest = POST \n / \n \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(payload))
//   StringToSign     = "TC3-HMAC-SHA256" \n TIMESTAMP \n DATE/SERVICE/tc3_request
//                      \n hex(SHA256(CanonicalRequest))
//   SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, DATE), SERVICE), "tc3_request")
//   Signature        = hex(HMAC-SHA256(SecretSigning, StringToSign))
// DATE is the UTC date of TIMESTAMP. The headers signed are content-type and host, and x-tc-action
// when asked (the documentation's example signs the first two). tests/server/
// sms_signature_test.cpp reproduces the documentation's example signature.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace anquanli {

struct tc3_request {
  std::string service;         // "sms"
  std::string host;            // "sms.tencentcloudapi.com"
  std::string action;          // "SendSms"
  std::int64_t timestamp = 0;  // seconds since the epoch (X-TC-Timestamp)
  std::string content_type = "application/json; charset=utf-8";
  std::string payload;
  bool sign_action = true;  // x-tc-action among the signed headers
};

[[nodiscard]] std::string tc3_canonical_request(const tc3_request& request);
[[nodiscard]] std::string tc3_string_to_sign(const tc3_request& request);
[[nodiscard]] std::string tc3_signature(const tc3_request& request, std::string_view secret_key);
// The whole Authorization header value.
[[nodiscard]] std::string tc3_authorization(const tc3_request& request, std::string_view secret_id,
                                            std::string_view secret_key);

}  // namespace anquanli
