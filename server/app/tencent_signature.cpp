#include "server/app/tencent_signature.hpp"

#include <algorithm>
#include <cctype>

#include "engine/day_key.hpp"
#include "server/app/request_signing.hpp"

namespace anquanli {

namespace {

std::string utc_date(std::int64_t timestamp) {
  const instant at{std::chrono::milliseconds{timestamp * 1000}};
  return to_string(day_key_of(at, utc_offset{0}));
}

std::string signed_headers(const tc3_request& request) {
  return request.sign_action ? "content-type;host;x-tc-action" : "content-type;host";
}

std::string credential_scope(const tc3_request& request) {
  return utc_date(request.timestamp) + "/" + request.service + "/tc3_request";
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string tc3_canonical_request(const tc3_request& request) {
  std::string headers =
      "content-type:" + lower(request.content_type) + "\nhost:" + lower(request.host) + "\n";
  if (request.sign_action) {
    headers += "x-tc-action:" + lower(request.action) + "\n";
  }
  return "POST\n/\n\n" + headers + "\n" + signed_headers(request) + "\n" +
         sha256_hex(request.payload);
}

std::string tc3_string_to_sign(const tc3_request& request) {
  return "TC3-HMAC-SHA256\n" + std::to_string(request.timestamp) + "\n" +
         credential_scope(request) + "\n" + sha256_hex(tc3_canonical_request(request));
}

std::string tc3_signature(const tc3_request& request, std::string_view secret_key) {
  const std::string date_key =
      hmac_sha256("TC3" + std::string{secret_key}, utc_date(request.timestamp));
  const std::string service_key = hmac_sha256(date_key, request.service);
  const std::string signing_key = hmac_sha256(service_key, "tc3_request");
  return hex_encode(hmac_sha256(signing_key, tc3_string_to_sign(request)));
}

std::string tc3_authorization(const tc3_request& request, std::string_view secret_id,
                              std::string_view secret_key) {
  return "TC3-HMAC-SHA256 Credential=" + std::string{secret_id} + "/" + credential_scope(request) +
         ", SignedHeaders=" + signed_headers(request) +
         ", Signature=" + tc3_signature(request, secret_key);
}

}  // namespace anquanli
