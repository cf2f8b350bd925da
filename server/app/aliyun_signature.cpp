#include "server/app/aliyun_signature.hpp"

#include <algorithm>
#include <cctype>

#include "server/app/request_signing.hpp"

namespace anquanli {

namespace {

std::string lower(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Lower-case names with trimmed values, sorted by name.
name_value_list canonical_headers(const name_value_list& headers) {
  name_value_list sorted;
  for (const auto& [name, value] : headers) {
    sorted.emplace_back(lower(name), std::string{trimmed(value)});
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::string signed_header_names(const name_value_list& sorted) {
  std::string names;
  for (const auto& header : sorted) {
    if (!names.empty()) {
      names += ';';
    }
    names += header.first;
  }
  return names;
}

}  // namespace

std::string acs3_canonical_query(const name_value_list& query) {
  name_value_list encoded;
  for (const auto& [name, value] : query) {
    encoded.emplace_back(percent_encode(name), percent_encode(value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) {
      out += '&';
    }
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string acs3_canonical_request(const acs3_request& request) {
  const name_value_list headers = canonical_headers(request.headers);
  std::string out =
      request.method + "\n" + request.path + "\n" + acs3_canonical_query(request.query) + "\n";
  for (const auto& [name, value] : headers) {
    out.append(name).append(":").append(value).append("\n");
  }
  return out + "\n" + signed_header_names(headers) + "\n" + sha256_hex(request.body);
}

std::string acs3_signature(const acs3_request& request, std::string_view secret) {
  const std::string to_sign = "ACS3-HMAC-SHA256\n" + sha256_hex(acs3_canonical_request(request));
  return hex_encode(hmac_sha256(secret, to_sign));
}

std::string acs3_authorization(const acs3_request& request, std::string_view key_id,
                               std::string_view secret) {
  return "ACS3-HMAC-SHA256 Credential=" + std::string{key_id} +
         ",SignedHeaders=" + signed_header_names(canonical_headers(request.headers)) +
         ",Signature=" + acs3_signature(request, secret);
}

}  // namespace anquanli
