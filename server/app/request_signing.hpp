// The cryptography the SMS providers' request signatures are built from, all of it OpenSSL's:
// SHA-256, HMAC-SHA256, lower-case hex, and random nonces. Nothing here is hand-written crypto;
// these are thin, exception-safe wrappers so the signers read like the providers' documentation.
#pragma once

#include <string>
#include <string_view>

namespace anquanli {

// SHA-256 of `data`, as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `message` under `key`: the 32 raw bytes.
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view message);

// Lower-case hex of raw bytes.
[[nodiscard]] std::string hex_encode(std::string_view bytes);

// `bytes` random bytes from OpenSSL's generator, as 2 * bytes hex digits (a request nonce).
[[nodiscard]] std::string random_hex(std::size_t bytes);

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - . _ ~),
// with upper-case hex and a space as %20: what both providers' canonical query strings require.
[[nodiscard]] std::string percent_encode(std::string_view text);

}  // namespace anquanli
