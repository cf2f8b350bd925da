#include "sqlite/sqlite_database.hpp"

#include <sqlite3.h>
#include <cassert>
#include <utility>

namespace anquanli {

namespace {

[[noreturn]] void throw_error(sqlite3* database, int code, std::string_view context) {
  const char* detail = database != nullptr ? sqlite3_errmsg(database) : sqlite3_errstr(code);
  throw sqlite_error(database != nullptr ? sqlite3_extended_errcode(database) : code,
                     std::string{context} + ": " + detail);
}

void check(sqlite3* database, int code, std::string_view context) {
  if (code != SQLITE_OK) {
    throw_error(database, code, context);
  }
}

}  // namespace

sqlite_statement::sqlite_statement(sqlite3* database, std::string_view sql) : database_(database) {
  check(
      database_,
      sqlite3_prepare_v2(database_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr),
      "prepare");
}

sqlite_statement::sqlite_statement(sqlite_statement&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)),
      statement_(std::exchange(other.statement_, nullptr)),
      lent_(std::exchange(other.lent_, nullptr)) {}

sqlite_statement& sqlite_statement::operator=(sqlite_statement&& other) noexcept {
  if (this != &other) {
    release();
    database_ = std::exchange(other.database_, nullptr);
    statement_ = std::exchange(other.statement_, nullptr);
    lent_ = std::exchange(other.lent_, nullptr);
  }
  return *this;
}

sqlite_statement::~sqlite_statement() {
  release();
}

void sqlite_statement::release() noexcept {
  if (lent_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *lent_ = false;
    lent_ = nullptr;
  } else {
    sqlite3_finalize(statement_);
  }
  statement_ = nullptr;
}

sqlite_statement& sqlite_statement::bind(int index, std::int64_t value) {
  check(database_, sqlite3_bind_int64(statement_, index, value), "bind");
  return *this;
}

sqlite_statement& sqlite_statement::bind(int index, double value) {
  check(database_, sqlite3_bind_double(statement_, index, value), "bind");
  return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::string_view value) {
  check(database_,
        sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8),
        "bind");
  return *this;
}

sqlite_statement& sqlite_statement::bind_null(int index) {
  check(database_, sqlite3_bind_null(statement_, index), "bind");
  return *this;
}

step_result sqlite_statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) {
    return step_result::row;
  }
  if (code == SQLITE_DONE) {
    return step_result::done;
  }
  if ((code & 0xFF) == SQLITE_CONSTRAINT) {
    return step_result::constraint_violation;
  }
  throw_error(database_, code, "step");
}

void sqlite_statement::run() {
  while (true) {
    const step_result result = step();
    if (result == step_result::done) {
      return;
    }
    if (result == step_result::constraint_violation) {
      throw_error(database_, SQLITE_CONSTRAINT, "step");
    }
  }
}

void sqlite_statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::int64_t sqlite_statement::column_int64(int index) const {
  return sqlite3_column_int64(statement_, index);
}

int sqlite_statement::column_int(int index) const {
  return sqlite3_column_int(statement_, index);
}

double sqlite_statement::column_double(int index) const {
  return sqlite3_column_double(statement_, index);
}

std::string sqlite_statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(statement_, index);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(statement_, index))};
}

bool sqlite_statement::column_is_null(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

sqlite_database::sqlite_database(const std::filesystem::path& file, open_mode mode,
                                 std::string_view synchronous) {
  const int flags = mode == open_mode::read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int code = sqlite3_open_v2(file.c_str(), &database_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    const std::string detail =
        database_ != nullptr ? sqlite3_errmsg(database_) : sqlite3_errstr(code);
    sqlite3_close(database_);
    throw sqlite_error(code, "cannot open database " + file.string() + ": " + detail);
  }
  sqlite3_busy_timeout(database_, 5000);
  if (mode == open_mode::read_write_create) {
    execute("PRAGMA journal_mode=WAL");
  }
  execute("PRAGMA foreign_keys=ON");
  execute("PRAGMA synchronous=" + std::string{synchronous});
}

sqlite_database::~sqlite_database() {
  for (auto& [sql, cached] : statements_) {
    sqlite3_finalize(cached->statement);
  }
  sqlite3_close_v2(database_);
}

void sqlite_database::execute(std::string_view sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(database_, std::string{sql}.c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    const std::string detail = message != nullptr ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    throw sqlite_error(sqlite3_extended_errcode(database_), "execute: " + detail);
  }
}

sqlite_statement sqlite_database::prepare(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    auto cached = std::make_unique<cached_statement>();
    check(database_,
          sqlite3_prepare_v3(database_, sql.data(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &cached->statement, nullptr),
          "prepare");
    found = statements_.emplace(std::string{sql}, std::move(cached)).first;
  }
  cached_statement& cached = *found->second;
  if (cached.lent) {
    return {database_, sql};  // in use further up the stack: a statement of its own
  }
  cached.lent = true;
  return {database_, cached.statement, &cached.lent};
}

void sqlite_database::run(std::string_view sql) {
  prepare(sql).run();
}

void sqlite_database::backup_to(const std::filesystem::path& file) {
  sqlite3* target = nullptr;
  int code =
      sqlite3_open_v2(file.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  const auto fail = [&](const std::string& what) {
    const std::string detail = target != nullptr ? sqlite3_errmsg(target) : sqlite3_errstr(code);
    const int extended = target != nullptr ? sqlite3_extended_errcode(target) : code;
    sqlite3_close_v2(target);
    throw sqlite_error(extended, what + " " + file.string() + ": " + detail);
  };
  if (code != SQLITE_OK) {
    fail("cannot open the backup");
  }
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", database_, "main");
  if (backup == nullptr) {
    fail("cannot start the backup into");
  }
  // -1: every page in one step, under one read lock of the source (busy_timeout covers a moment
  // of contention for that lock).
  code = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (code != SQLITE_DONE || finished != SQLITE_OK) {
    code = code != SQLITE_DONE ? code : finished;
    fail("backup failed into");
  }
  sqlite3_close_v2(target);
}

int sqlite_database::user_version() {
  sqlite_statement statement = prepare("PRAGMA user_version");
  statement.step();
  return statement.column_int(0);
}

std::int64_t sqlite_database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(database_);
}

int sqlite_database::changes() const {
  return sqlite3_changes(database_);
}

sqlite_transaction::sqlite_transaction(sqlite_database& database) : database_(database) {
  database_.run("BEGIN IMMEDIATE");
}

sqlite_transaction::~sqlite_transaction() {
  if (open_) {
    sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void sqlite_transaction::commit() {
  assert(open_ && "commit() runs once per transaction");
  database_.run("COMMIT");
  open_ = false;
}

void apply_migrations(sqlite_database& database, std::span<const migration> steps) {
  const int current = database.user_version();
  const int newest = steps.empty() ? 0 : steps.back().version;
  if (current > newest) {
    throw sqlite_error(SQLITE_ERROR, "database schema version " + std::to_string(current) +
                                         " is newer than this program knows (" +
                                         std::to_string(newest) + ")");
  }
  for (const migration& step : steps) {
    if (step.version <= current) {
      continue;
    }
    sqlite_transaction transaction(database);
    database.execute(step.sql);
    database.execute("PRAGMA user_version=" + std::to_string(step.version));
    transaction.commit();
  }
}

}  // namespace anquanli
