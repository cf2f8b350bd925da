#include "server/store/admin_store.hpp"

#include <sodium.h>

#include <stdexcept>

#include "server/store/throttle.hpp"

namespace anquanli {

namespace {

// Wrong passwords from one address, over all accounts; and to one account, over all addresses.
constexpr bucket_rule per_address{10, 30};
constexpr bucket_rule per_account{50, 100};
constexpr std::chrono::hours longest_wait{24};

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

instant from_millis(std::int64_t value) {
  return instant{std::chrono::milliseconds{value}};
}

std::optional<std::string> optional_text(const sqlite_statement& row, int index) {
  if (row.column_is_null(index)) {
    return std::nullopt;
  }
  return row.column_text(index);
}

std::string account_subject(std::int64_t admin_id) {
  return "admin:" + std::to_string(admin_id);
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
                             std::string_view region_code, const std::optional<std::string>& sector,
                             instant now) {
  sqlite_statement region = database_.prepare("SELECT 1 FROM regions WHERE code = ?1");
  region.bind(1, region_code);
  if (region.step() != step_result::row) {
    return false;
  }
  sqlite_statement save = database_.prepare(
      "INSERT INTO admins (username, password_hash, region_code, created_at, sector) VALUES (?1, "
      "?2, ?3, ?4, ?5) ON CONFLICT (username) DO UPDATE SET password_hash = ?2, region_code = ?3, "
      "sector = ?5");
  save.bind(1, username).bind(2, password_hash).bind(3, region_code).bind(4, millis(now));
  if (sector) {
    save.bind(5, std::string_view{*sector});
  } else {
    save.bind_null(5);
  }
  save.run();
  sqlite_statement id = database_.prepare("SELECT id FROM admins WHERE username = ?1");
  id.bind(1, username);
  id.step();
  revoke_tokens(id.column_int64(0));
  return true;
}

void admin_store::revoke_tokens(std::int64_t admin_id) {
  sqlite_statement tokens = database_.prepare("DELETE FROM admin_tokens WHERE admin_id = ?1");
  tokens.bind(1, admin_id);
  tokens.run();
  sqlite_statement waits = database_.prepare("DELETE FROM admin_failures WHERE admin_id = ?1");
  waits.bind(1, admin_id);
  waits.run();
}

bool admin_store::change_password(std::string_view username, std::string_view password_hash) {
  sqlite_statement update =
      database_.prepare("UPDATE admins SET password_hash = ?2 WHERE username = ?1 RETURNING id");
  update.bind(1, username).bind(2, password_hash);
  if (update.step() != step_result::row) {
    return false;
  }
  const std::int64_t id = update.column_int64(0);
  update.run();
  revoke_tokens(id);
  return true;
}

bool admin_store::set_disabled(std::string_view username, bool disabled) {
  sqlite_statement update =
      database_.prepare("UPDATE admins SET disabled = ?2 WHERE username = ?1 RETURNING id");
  update.bind(1, username).bind(2, disabled ? 1 : 0);
  if (update.step() != step_result::row) {
    return false;
  }
  const std::int64_t id = update.column_int64(0);
  update.run();
  if (disabled) {
    revoke_tokens(id);
  }
  return true;
}

std::vector<admin_listing> admin_store::list() {
  sqlite_statement rows = database_.prepare(
      "SELECT a.id, a.username, a.region_code, r.name, a.disabled, a.created_at, a.sector "
      "FROM admins a "
      "JOIN regions r ON r.code = a.region_code ORDER BY a.username");
  std::vector<admin_listing> result;
  while (rows.step() == step_result::row) {
    result.push_back({{rows.column_int64(0), rows.column_text(1), rows.column_text(2),
                       rows.column_text(3), optional_text(rows, 6)},
                      rows.column_int(4) != 0,
                      from_millis(rows.column_int64(5))});
  }
  return result;
}

std::int64_t admin_store::address_wait(std::int64_t admin_id, std::string_view address,
                                       instant now) {
  sqlite_statement row = database_.prepare(
      "SELECT locked_until FROM admin_failures WHERE admin_id = ?1 AND address = ?2");
  row.bind(1, admin_id).bind(2, address);
  if (row.step() != step_result::row || from_millis(row.column_int64(0)) <= now) {
    return 0;
  }
  return std::chrono::ceil<std::chrono::seconds>(from_millis(row.column_int64(0)) - now).count();
}

admin_gate admin_store::gate(std::string_view username, std::string_view address, instant now) {
  admin_gate result;
  throttle buckets(database_);
  result.wait_s = buckets.wait("admin_password", address, per_address, now);
  sqlite_statement row = database_.prepare(
      "SELECT a.id, a.username, a.region_code, r.name, a.password_hash, a.sector FROM admins a "
      "JOIN regions r ON r.code = a.region_code WHERE a.username = ?1 AND a.disabled = 0");
  row.bind(1, username);
  if (result.wait_s > 0 || row.step() != step_result::row) {
    return result;
  }
  result.account = admin_account{row.column_int64(0), row.column_text(1), row.column_text(2),
                                 row.column_text(3), optional_text(row, 5)};
  result.password_hash = row.column_text(4);
  result.wait_s = std::max(
      address_wait(result.account->id, address, now),
      buckets.wait("admin_account", account_subject(result.account->id), per_account, now));
  return result;
}

void admin_store::count_failure(const std::optional<admin_account>& account,
                                std::string_view address, instant now) {
  throttle buckets(database_);
  buckets.spend("admin_password", address, per_address, now);
  if (!account) {
    return;
  }
  buckets.spend("admin_account", account_subject(account->id), per_account, now);
  sqlite_statement count = database_.prepare(
      "INSERT INTO admin_failures (admin_id, address, failures, updated_at) VALUES (?1, ?2, 1, ?3) "
      "ON CONFLICT (admin_id, address) DO UPDATE SET failures = failures + 1, updated_at = ?3 "
      "RETURNING failures, lock_count");
  count.bind(1, account->id).bind(2, address).bind(3, millis(now));
  count.step();
  const int failures = count.column_int(0);
  const int locks = count.column_int(1);
  count.run();
  if (failures < admin_failures_before_wait) {
    return;
  }
  const auto wait = std::min<std::chrono::milliseconds>(
      longest_wait, admin_first_wait * (std::int64_t{1} << std::min(locks, 10)));
  sqlite_statement lock = database_.prepare(
      "UPDATE admin_failures SET failures = 0, lock_count = lock_count + 1, locked_until = ?3 "
      "WHERE admin_id = ?1 AND address = ?2");
  lock.bind(1, account->id).bind(2, address).bind(3, millis(now + wait));
  lock.run();
}

admin_sign_in admin_store::record_sign_in(const std::optional<admin_account>& account,
                                          std::string_view username, std::string_view address,
                                          bool password_ok, instant now) {
  // The gate was read before the hash: look again, on the writer, before issuing anything.
  const admin_gate current = gate(username, address, now);
  if (current.wait_s > 0) {
    return {admin_sign_in_outcome::waiting, {}, current.wait_s};
  }
  if (!password_ok || !account || !current.account || current.account->id != account->id) {
    count_failure(current.account, address, now);
    audit(current.account, username, "sign_in_failed", address, "", now);
    return {admin_sign_in_outcome::invalid, {}, 0};
  }
  sqlite_statement reset =
      database_.prepare("DELETE FROM admin_failures WHERE admin_id = ?1 AND address = ?2");
  reset.bind(1, account->id).bind(2, address);
  reset.run();
  std::string token = secrets::new_token();
  sqlite_statement insert = database_.prepare(
      "INSERT INTO admin_tokens (token_hash, admin_id, expires_at) VALUES (?1, ?2, ?3)");
  insert.bind(1, std::string_view{keys_.keyed_hash("admin-token", token)})
      .bind(2, account->id)
      .bind(3, millis(now + admin_token_lifetime));
  insert.run();
  audit(account, username, "sign_in", address, "", now);
  return {admin_sign_in_outcome::signed_in, std::move(token), 0};
}

std::optional<admin_account> admin_store::authenticate(std::string_view token, instant now) {
  sqlite_statement statement = database_.prepare(
      "SELECT a.id, a.username, a.region_code, r.name, a.sector FROM admin_tokens t "
      "JOIN admins a ON a.id = t.admin_id JOIN regions r ON r.code = a.region_code "
      "WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND a.disabled = 0");
  statement.bind(1, std::string_view{keys_.keyed_hash("admin-token", token)}).bind(2, millis(now));
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return admin_account{statement.column_int64(0), statement.column_text(1),
                       statement.column_text(2), statement.column_text(3),
                       optional_text(statement, 4)};
}

void admin_store::audit(const std::optional<admin_account>& who, std::string_view username,
                        std::string_view action, std::string_view address, std::string_view detail,
                        instant now) {
  sqlite_statement insert = database_.prepare(
      "INSERT INTO audit_log (at, admin_id, username, action, address, detail) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, millis(now));
  if (who) {
    insert.bind(2, who->id);
  } else {
    insert.bind_null(2);
  }
  insert.bind(3, username.substr(0, 64)).bind(4, action).bind(5, address).bind(6, detail);
  insert.run();
}

std::vector<audit_entry> admin_store::audit_log(int limit, std::int64_t before_id) {
  sqlite_statement rows = database_.prepare(
      "SELECT id, at, username, action, address, detail FROM audit_log WHERE id < ?1 "
      "ORDER BY id DESC LIMIT ?2");
  rows.bind(1, before_id).bind(2, limit);
  std::vector<audit_entry> result;
  while (rows.step() == step_result::row) {
    result.push_back({rows.column_int64(0), from_millis(rows.column_int64(1)), rows.column_text(2),
                      rows.column_text(3), rows.column_text(4), rows.column_text(5)});
  }
  return result;
}

}  // namespace anquanli
