// The regional office's accounts: usernames with libsodium crypto_pwhash password hashes, each
// bound to a region whose subtree is all it may see; bearer tokens stored hashed; an account
// locks for a while after repeated wrong passwords.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/instant.hpp"
#include "server/store/secrets.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct admin_account {
  std::int64_t id = 0;
  std::string username;
  std::string region_code;
  std::string region_name;
};

struct admin_credentials {
  admin_account account;
  std::string password_hash;
  instant locked_until{};
};

inline constexpr int admin_failures_before_lock = 5;
inline constexpr std::chrono::minutes admin_lock_duration{15};
inline constexpr std::chrono::hours admin_token_lifetime{8};

// A password hash for storage (slow on purpose; run it off the I/O threads).
[[nodiscard]] std::string hash_password(std::string_view password);
[[nodiscard]] bool password_matches(std::string_view hash, std::string_view password);

class admin_store {
 public:
  admin_store(sqlite_database& database, const secrets& keys) : database_(database), keys_(keys) {}

  // Creates the account, or replaces its password and region. False when the region is unknown.
  bool save_admin(std::string_view username, std::string_view password_hash,
                  std::string_view region_code, instant now);
  [[nodiscard]] std::optional<admin_credentials> credentials(std::string_view username);
  // Counts a wrong password; locks the account at the limit.
  void record_failure(std::int64_t admin_id, instant now);
  // Clears the failures and issues a token; returns it.
  std::string record_success(std::int64_t admin_id, instant now);
  [[nodiscard]] std::optional<admin_account> authenticate(std::string_view token, instant now);

 private:
  sqlite_database& database_;
  const secrets& keys_;
};

}  // namespace anquanli
