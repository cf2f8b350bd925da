// Alibaba Cloud's request signature V3, ACS3-HMAC-SHA256, as documented in "V3版本请求体&签名机制"
// (help.aliyun.com/document_detail/2593177.html):
//   CanonicalRequest = METHOD \n URI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders
//                      \n HashedRequestPayload
//   StringToSign     = "ACS3-HMAC-SHA256" \n hex(SHA256(CanonicalRequest))
//   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//   Authorization: ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=…,Signature=…
// The query's names and values are percent-encoded (RFC 3986) and sorted; the headers signed are
// the ones given, named in lower case, sorted, with their values trimmed. tests/server/
// sms_signature_test.cpp reproduces the documentation's example signature.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anquanli {

using name_value_list = std::vector<std::pair<std::string, std::string>>;

struct acs3_request {
  std::string method = "POST";
  std::string path = "/";
  name_value_list query;    // unencoded names and values
  name_value_list headers;  // the headers to sign: host, x-acs-*, content-type when there is one
  std::string body;
};

[[nodiscard]] std::string acs3_canonical_query(const name_value_list& query);
[[nodiscard]] std::string acs3_canonical_request(const acs3_request& request);
[[nodiscard]] std::string acs3_signature(const acs3_request& request, std::string_view secret);
// The whole Authorization header value.
[[nodiscard]] std::string acs3_authorization(const acs3_request& request, std::string_view key_id,
                                             std::string_view secret);

}  // namespace anquanli
