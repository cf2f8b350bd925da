// The regional office's accounts: usernames with libsodium crypto_pwhash password hashes, each
// bound to a region whose subtree is all it may see; bearer tokens stored hashed; accounts that
// can be disabled; and the audit log of sign-ins and of what was done with personal data.
//
// Wrong passwords are throttled, never allowed to lock an account for everyone (NIST SP 800-63B):
// each client address has its own wait per account (after admin_failures_before_wait wrong
// passwords, doubling each time), each address a bucket of wrong passwords over all accounts, and
// each account a larger bucket that only a distributed attack can empty. The sign-in is split so
// that nothing slow runs before the cheap checks: gate() (a read), the hash (elsewhere), then
// record_sign_in() on the writer, which checks the account again before it issues a token.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/instant.hpp"
#include "server/store/secrets.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct admin_account {
  std::int64_t id = 0;
  std::string username;
  std::string region_code;
  std::string region_name;
  // 行业: the account sees only this sector's units in its region (its bulletins are forced to it).
  std::optional<std::string> sector;
};

inline constexpr int admin_failures_before_wait = 5;
inline constexpr std::chrono::minutes admin_first_wait{15};
inline constexpr std::chrono::hours admin_token_lifetime{8};

// What may be known of a sign-in before the password is hashed.
struct admin_gate {
  std::optional<admin_account> account;  // none: no such username, or the account is disabled
  std::string password_hash;             // the account's, when there is one
  std::int64_t wait_s = 0;               // > 0: refuse now, without hashing
};

enum class admin_sign_in_outcome { signed_in, invalid, waiting };

struct admin_sign_in {
  admin_sign_in_outcome outcome = admin_sign_in_outcome::invalid;
  std::string token;
  std::int64_t wait_s = 0;
};

struct admin_listing {
  admin_account account;
  bool disabled = false;
  instant created_at{};
};

struct audit_entry {
  std::int64_t id = 0;
  instant at{};
  std::string username;
  std::string action;  // sign_in, sign_in_failed, winners_export, …
  std::string address;
  std::string detail;
};

// A password hash for storage (slow on purpose; run it off the I/O threads).
[[nodiscard]] std::string hash_password(std::string_view password);
[[nodiscard]] bool password_matches(std::string_view hash, std::string_view password);

class admin_store {
 public:
  admin_store(sqlite_database& database, const secrets& keys) : database_(database), keys_(keys) {}

  // Creates the account, or replaces its password, region and sector (revoking its tokens and
  // lifting its waits). False when the region is unknown.
  bool save_admin(std::string_view username, std::string_view password_hash,
                  std::string_view region_code, const std::optional<std::string>& sector,
                  instant now);
  // Sets a new password; revokes every token of the account at once. False when unknown.
  bool change_password(std::string_view username, std::string_view password_hash);
  // Disables or enables the account; disabling revokes its tokens at once. False when unknown.
  bool set_disabled(std::string_view username, bool disabled);
  [[nodiscard]] std::vector<admin_listing> list();

  [[nodiscard]] admin_gate gate(std::string_view username, std::string_view address, instant now);
  // On the writer: counts a wrong password, or (checking the account once more) issues a token.
  admin_sign_in record_sign_in(const std::optional<admin_account>& account,
                               std::string_view username, std::string_view address,
                               bool password_ok, instant now);
  [[nodiscard]] std::optional<admin_account> authenticate(std::string_view token, instant now);

  void audit(const std::optional<admin_account>& who, std::string_view username,
             std::string_view action, std::string_view address, std::string_view detail,
             instant now);
  // Newest first.
  [[nodiscard]] std::vector<audit_entry> audit_log(int limit, std::int64_t before_id);

 private:
  [[nodiscard]] std::int64_t address_wait(std::int64_t admin_id, std::string_view address,
                                          instant now);
  void count_failure(const std::optional<admin_account>& account, std::string_view address,
                     instant now);
  void revoke_tokens(std::int64_t admin_id);

  sqlite_database& database_;
  const secrets& keys_;
};

}  // namespace anquanli
