// A thin RAII layer over the SQLite C API: a connection, prepared statements, IMMEDIATE
// transactions and versioned migrations. Unexpected SQLite failures throw sqlite_error; callers
// that expect a failure (a UNIQUE or FOREIGN KEY constraint) ask step() for the result code.
//
// Statements are compiled once per connection: prepare() hands out the connection's cached
// statement for that SQL text (compiled with SQLITE_PREPARE_PERSISTENT the first time) and takes
// it back, reset and unbound, when the handle goes away. Compiling was a third of the writer's
// CPU when every call compiled its SQL again (docs/performance.md). A statement already handed
// out (a query run inside the loop of another over the same text) gets a fresh one of its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace anquanli {

class sqlite_error : public std::runtime_error {
 public:
  sqlite_error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] int code() const noexcept { return code_; }  // the extended result code

 private:
  int code_;
};

enum class step_result { row, done, constraint_violation };

class sqlite_statement {
 public:
  // A statement of its own, finalized on destruction.
  sqlite_statement(sqlite3* database, std::string_view sql);
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;
  sqlite_statement(sqlite_statement&& other) noexcept;
  sqlite_statement& operator=(sqlite_statement&& other) noexcept;
  ~sqlite_statement();

  // Parameters are 1-based, as in SQLite. Returns *this so binds chain.
  sqlite_statement& bind(int index, std::int64_t value);
  sqlite_statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  sqlite_statement& bind(int index, double value);
  sqlite_statement& bind(int index, std::string_view value);
  sqlite_statement& bind_null(int index);

  // row / done; constraint_violation only when the statement broke a constraint.
  step_result step();
  // Steps to the end, expecting no constraint violation.
  void run();
  void reset();

  [[nodiscard]] std::int64_t column_int64(int index) const;
  [[nodiscard]] int column_int(int index) const;
  [[nodiscard]] double column_double(int index) const;
  [[nodiscard]] std::string column_text(int index) const;
  [[nodiscard]] bool column_is_null(int index) const;

 private:
  friend class sqlite_database;
  // A cached statement lent out: reset, unbound and given back (`*lent` cleared) on destruction.
  sqlite_statement(sqlite3* database, sqlite3_stmt* statement, bool* lent) noexcept
      : database_(database), statement_(statement), lent_(lent) {}
  void release() noexcept;

  sqlite3* database_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  bool* lent_ = nullptr;  // set while this handle borrows a cached statement
};

enum class open_mode { read_write_create, read_only };

class sqlite_database {
 public:
  // Opens (or creates) the file with WAL, foreign keys on, `synchronous` as given (FULL keeps an
  // acknowledged commit through a power cut) and a busy timeout for the occasional competing
  // writer.
  explicit sqlite_database(const std::filesystem::path& file,
                           open_mode mode = open_mode::read_write_create,
                           std::string_view synchronous = "FULL");
  sqlite_database(const sqlite_database&) = delete;
  sqlite_database& operator=(const sqlite_database&) = delete;
  ~sqlite_database();

  // Runs one or more statements without results (compiled each time: for DDL and rare work).
  void execute(std::string_view sql);
  // The connection's compiled statement for `sql` (see the note atop this file).
  [[nodiscard]] sqlite_statement prepare(std::string_view sql);
  // Runs one statement without results through the statement cache (SAVEPOINT, RELEASE…).
  void run(std::string_view sql);

  // Copies the whole database into `file` (created or replaced) with SQLite's online backup API,
  // in one step: one read transaction, so the copy is the database as of one instant, while other
  // connections go on writing (WAL mode lets them). Throws sqlite_error.
  void backup_to(const std::filesystem::path& file);

  [[nodiscard]] int user_version();
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] sqlite3* handle() const noexcept { return database_; }

 private:
  struct cached_statement {
    sqlite3_stmt* statement = nullptr;
    bool lent = false;
  };
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* database_ = nullptr;
  // Owned here, addresses stable (handles point at `lent`); finalized before the connection.
  std::unordered_map<std::string, std::unique_ptr<cached_statement>, text_hash, std::equal_to<>>
      statements_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() ran.
class sqlite_transaction {
 public:
  explicit sqlite_transaction(sqlite_database& database);
  sqlite_transaction(const sqlite_transaction&) = delete;
  sqlite_transaction& operator=(const sqlite_transaction&) = delete;
  ~sqlite_transaction();

  void commit();

 private:
  sqlite_database& database_;
  bool open_ = true;
};

struct migration {
  int version = 0;  // the user_version the database has after this step
  std::string_view description;
  std::string_view sql;
};

// Applies every step whose version is above the database's user_version, each in its own
// transaction together with the version bump. Throws when the database is newer than the steps.
void apply_migrations(sqlite_database& database, std::span<const migration> steps);

}  // namespace anquanli
