// Secrets with libsodium: the server key (created once per data directory, readable only by its
// owner), keyed hashes of phone numbers and tokens (the database never holds a token or a bare
// phone number it could leak), sealed phone numbers for the office's winner list, one-time codes,
// bearer tokens and random numbers for the lottery and attempt papers.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace anquanli {

// Makes the data directory (0700) when it is missing, and makes the database and the key
// readable by their owner only (0600): they hold sealed phone numbers and the key to them.
void secure_data_dir(const std::filesystem::path& data_dir);

class secrets {
 public:
  // Loads DATA_DIR/server.key, creating it on first start. Throws when it cannot, and, without
  // writing anything, when the key is missing but the database already holds participants.
  explicit secrets(const std::filesystem::path& data_dir);

  // 64 hex characters; the same input always gives the same hash under this server's key.
  [[nodiscard]] std::string keyed_hash(std::string_view purpose, std::string_view value) const;

  // Authenticated encryption of a phone number, hex encoded, and its inverse.
  [[nodiscard]] std::string seal(std::string_view plain) const;
  [[nodiscard]] std::optional<std::string> unseal(std::string_view sealed_hex) const;

  [[nodiscard]] static std::string new_token();  // 256 random bits, URL-safe base64
  [[nodiscard]] static std::string new_code();   // 6 random decimal digits
  [[nodiscard]] static std::uint64_t random_u64();

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace anquanli
