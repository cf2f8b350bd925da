#include "tools/backup_commands.hpp"

#include "tools/admin_database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

namespace {

namespace fs = std::filesystem;

// Makes a file's contents (or a directory's entries) durable before the command says "done".
void sync_to_disk(const fs::path& path) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0 || ::fsync(descriptor) != 0) {
    if (descriptor >= 0) {
      ::close(descriptor);
    }
    throw std::runtime_error("cannot sync " + path.string() + " to disk");
  }
  ::close(descriptor);
}

// DEST must be new or empty: a backup never overwrites another.
bool prepare_destination(const fs::path& destination) {
  std::error_code error;
  if (fs::exists(destination, error) && !fs::is_empty(destination, error)) {
    std::cerr << "backup: " << destination.string()
              << " is not empty; give a new directory for each backup\n";
    return false;
  }
  fs::create_directories(destination);
  fs::permissions(destination, fs::perms::owner_all, fs::perm_options::replace);
  return true;
}

std::int64_t count_rows(sqlite_database& database, const char* table) {
  auto statement = database.prepare(std::string{"SELECT count(*) FROM "} + table);
  statement.step();
  return statement.column_int64(0);
}

// Makes the copy one self-contained file (no -wal or -shm beside it; the server returns it to WAL
// when it opens it), checks every page and returns what it holds.
std::string check_copy(const fs::path& copy) {
  sqlite_database database(copy);
  database.execute("PRAGMA journal_mode=DELETE");
  auto check = database.prepare("PRAGMA integrity_check");
  if (check.step() != step_result::row || check.column_text(0) != "ok") {
    throw std::runtime_error("the copy failed PRAGMA integrity_check");
  }
  return "schema version " + std::to_string(database.user_version()) + ", " +
         std::to_string(count_rows(database, "participants")) + " participants, " +
         std::to_string(count_rows(database, "attempts")) + " attempts, " +
         std::to_string(count_rows(database, "answers")) + " answers";
}

void copy_key(const fs::path& key, const fs::path& destination) {
  const fs::path copy = destination / "server.key";
  fs::copy_file(key, copy);
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  sync_to_disk(copy);
}

int backup(const fs::path& data_dir, const fs::path& destination) {
  require_database(data_dir);  // a mistyped --data-dir is a usage error, and creates nothing
  const fs::path source = data_dir / "anquanli.db";
  if (!prepare_destination(destination)) {
    return 1;
  }
  const fs::path partial = destination / "anquanli.db.partial";
  {
    // No migration here: the copy is the database as the running server has it.
    sqlite_database database(source);
    database.backup_to(partial);
  }
  const std::string contents = check_copy(partial);
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  fs::rename(partial, destination / "anquanli.db");
  sync_to_disk(destination / "anquanli.db");
  std::cout << "backup: " << (destination / "anquanli.db").string() << ": " << contents << '\n';
  if (fs::is_regular_file(data_dir / "server.key")) {
    copy_key(data_dir / "server.key", destination);
    std::cout << "backup: " << (destination / "server.key").string() << " (mode 0600)\n"
              << "WARNING: anquanli.db and server.key belong together: restore them together. "
                 "Without the key the database cannot recognise returning participants or show "
                 "the winners' phone numbers; with it, anyone holding the copy can read them. "
                 "Keep the backup as secret as the server.\n";
  } else {
    std::cout << "backup: " << data_dir.string()
              << " has no server.key yet (the server creates it on its first start)\n";
  }
  sync_to_disk(destination);
  return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, admin_options& options) {
  auto* command = app.add_subcommand(
      "backup", "copy the database (consistent, while the server runs) and server.key to DEST");
  auto destination = std::make_shared<fs::path>();
  command->add_option("DEST", *destination, "a new or empty directory for this backup")->required();
  command->callback([&options, destination] {
    options.run = [&options, destination] { return backup(options.data_dir, *destination); };
  });
}

}  // namespace anquanli
