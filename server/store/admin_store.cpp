#include "server/store/admin_store.hpp"

#include <sodium.h>
#include <stdexcept>

namespace anquanli {

namespace {

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

}  // namespace

std::string hash_password(std::string_view password) {
  std::string hash(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  hash.resize(std::char_traits<char>::length(hash.c_str()));
  return hash;
}

bool password_matches(std::string_view hash, std::string_view password) {
  const std::string terminated{hash};
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool admin_store::save_admin(std::string_view username, std::string_view password_hash,
                             std::string_view region_code, instant now) {
  sqlite_statement region = database_.prepare("SELECT 1 FROM regions WHERE code = ?1");
  region.bind(1, region_code);
  if (region.step() != step_result::row) {
    return false;
  }
  sqlite_statement save = database_.prepare(
      "INSERT INTO admins (username, password_hash, region_code, created_at) VALUES (?1, ?2, ?3, "
      "?4) "
      "ON CONFLICT (username) DO UPDATE SET password_hash = ?2, region_code = ?3, failures = 0, "
      "locked_until = 0");
  save.bind(1, username).bind(2, password_hash).bind(3, region_code).bind(4, millis(now));
  save.run();
  return true;
}

std::optional<admin_credentials> admin_store::credentials(std::string_view username) {
  sqlite_statement statement = database_.prepare(
      "SELECT a.id, a.username, a.region_code, r.name, a.password_hash, a.locked_until "
      "FROM admins a JOIN regions r ON r.code = a.region_code WHERE a.username = ?1");
  statement.bind(1, username);
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return admin_credentials{{statement.column_int64(0), statement.column_text(1),
                            statement.column_text(2), statement.column_text(3)},
                           statement.column_text(4),
                           instant{std::chrono::milliseconds{statement.column_int64(5)}}};
}

void admin_store::record_failure(std::int64_t admin_id, instant now) {
  sqlite_statement statement = database_.prepare(
      "UPDATE admins SET failures = CASE WHEN failures + 1 >= ?2 THEN 0 ELSE failures + 1 END, "
      "locked_until = CASE WHEN failures + 1 >= ?2 THEN ?3 ELSE locked_until END WHERE id = ?1");
  statement.bind(1, admin_id)
      .bind(2, admin_failures_before_lock)
      .bind(3, millis(now + admin_lock_duration));
  statement.run();
}

std::string admin_store::record_success(std::int64_t admin_id, instant now) {
  sqlite_statement reset = database_.prepare("UPDATE admins SET failures = 0 WHERE id = ?1");
  reset.bind(1, admin_id);
  reset.run();
  std::string token = secrets::new_token();
  sqlite_statement insert = database_.prepare(
      "INSERT INTO admin_tokens (token_hash, admin_id, expires_at) VALUES (?1, ?2, ?3)");
  insert.bind(1, std::string_view{keys_.keyed_hash("admin-token", token)})
      .bind(2, admin_id)
      .bind(3, millis(now + admin_token_lifetime));
  insert.run();
  return token;
}

std::optional<admin_account> admin_store::authenticate(std::string_view token, instant now) {
  sqlite_statement statement = database_.prepare(
      "SELECT a.id, a.username, a.region_code, r.name FROM admin_tokens t "
      "JOIN admins a ON a.id = t.admin_id JOIN regions r ON r.code = a.region_code "
      "WHERE t.token_hash = ?1 AND t.expires_at > ?2");
  statement.bind(1, std::string_view{keys_.keyed_hash("admin-token", token)}).bind(2, millis(now));
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return admin_account{statement.column_int64(0), statement.column_text(1),
                       statement.column_text(2), statement.column_text(3)};
}

}  // namespace anquanli
