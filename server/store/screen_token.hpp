// The read-only token of a big-screen display ([screen] token_hash, issue 17). A display in a hall
// cannot sign in, and EventSource cannot send a header, so it carries a long random token in its
// URL (?token=). The configuration keeps only the token's hash: a leaked configuration file does
// not open the screen. The token has 256 random bits, so a fast unkeyed hash (BLAKE2b) is as good
// as a slow one and keeps the check cheap; it does not depend on the data directory's key, so the
// hash can be written into the configuration before the server first starts.
#pragma once

#include <string>
#include <string_view>

namespace anquanli {

// 64 lowercase hex characters: BLAKE2b-256 of the token.
[[nodiscard]] std::string screen_token_hash(std::string_view token);

// True when `token` is not empty and hashes to `expected_hash` (compared in constant time).
[[nodiscard]] bool screen_token_matches(std::string_view token, std::string_view expected_hash);

}  // namespace anquanli
