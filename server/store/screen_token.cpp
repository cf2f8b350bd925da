#include "server/store/screen_token.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace anquanli {

std::string screen_token_hash(std::string_view token) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::array<char, digest.size() * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string{hex.data(), digest.size() * 2};
}

bool screen_token_matches(std::string_view token, std::string_view expected_hash) {
  if (token.empty() || expected_hash.size() != 64) {
    return false;
  }
  const std::string actual = screen_token_hash(token);
  return sodium_memcmp(actual.data(), expected_hash.data(), actual.size()) == 0;
}

}  // namespace anquanli
