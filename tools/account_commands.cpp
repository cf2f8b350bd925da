#include "tools/account_commands.hpp"

#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "server/core/time_source.hpp"
#include "server/store/admin_store.hpp"
#include "server/store/directory.hpp"
#include "server/store/reporting_store.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

constexpr std::size_t min_password_length = 10;

// One line from standard input, when it is long enough to be a password.
std::optional<std::string> read_password() {
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < min_password_length) {
    std::cerr << "the password (one line on standard input) must have at least 10 characters\n";
    return std::nullopt;
  }
  return password;
}

// What an account is: its region (and subtree), its sector, and the member unit of the 安委会 it
// files the campaign's reporting forms for (none: its region's office).
struct admin_scope {
  std::string region_code;
  std::optional<std::string> sector;
  std::optional<std::string> organisation;
};

int add_admin(const std::filesystem::path& data_dir, const std::string& username,
              const admin_scope& scope) {
  const std::string& region_code = scope.region_code;
  const std::optional<std::string>& sector = scope.sector;
  const auto password = read_password();
  if (!password) {
    return 1;
  }
  const std::string password_hash = hash_password(*password);  // before the write lock
  const auto database = open_admin_database(data_dir);
  const secrets keys(data_dir);
  // One write transaction, taken at once: reading the region and then writing in autocommit
  // would upgrade a read snapshot, which fails at once if the running server committed between.
  sqlite_transaction transaction(*database);
  if (!admin_store(*database, keys)
           .save_admin(username, password_hash, region_code, sector, system_time_source{}.now())) {
    std::cerr << "no region " << region_code << " in the directory\n";
    return 1;
  }
  reporting_store(*database).set_organisation(username, scope.organisation);
  transaction.commit();
  std::cout << "admin " << username << " may now sign in for region " << region_code;
  if (sector) {
    std::cout << ", sector " << *sector;
  }
  if (scope.organisation) {
    std::cout << ", filing for " << *scope.organisation;
  }
  std::cout << '\n';
  return 0;
}

int change_password(const std::filesystem::path& data_dir, const std::string& username) {
  const auto password = read_password();
  if (!password) {
    return 1;
  }
  const std::string password_hash = hash_password(*password);  // before the write lock
  const auto database = open_admin_database(data_dir);
  const secrets keys(data_dir);
  sqlite_transaction transaction(*database);  // see add_admin
  if (!admin_store(*database, keys).change_password(username, password_hash)) {
    std::cerr << "no admin " << username << '\n';
    return 1;
  }
  transaction.commit();
  std::cout << "new password set for " << username << "; its sessions were signed out\n";
  return 0;
}

int set_disabled(const std::filesystem::path& data_dir, const std::string& username,
                 bool disabled) {
  const auto database = open_admin_database(data_dir);
  const secrets keys(data_dir);
  sqlite_transaction transaction(*database);  // see add_admin
  if (!admin_store(*database, keys).set_disabled(username, disabled)) {
    std::cerr << "no admin " << username << '\n';
    return 1;
  }
  transaction.commit();
  std::cout << username << (disabled ? " disabled; its sessions were signed out\n" : " enabled\n");
  return 0;
}

// username, region code, region name, state: one account a line, by username, like the
// directory's lists; --region keeps the accounts inside that region's subtree.
int list_admins(const std::filesystem::path& data_dir, const std::string& scope) {
  const auto database = open_admin_database(data_dir);
  directory_store directory(*database);
  if (!scope.empty() && !directory.find_region(scope)) {
    std::cerr << "no region " << scope << " in the directory\n";
    return 1;
  }
  const secrets keys(data_dir);
  std::size_t count = 0;
  for (const auto& item : admin_store(*database, keys).list()) {
    if (scope.empty() || directory.within(item.account.region_code, scope)) {
      std::cout << item.account.username << '\t' << item.account.region_code << '\t'
                << item.account.region_name << '\t' << (item.disabled ? "disabled" : "active");
      // The member unit it files the reporting forms for, when it has one.
      const std::string organisation =
          reporting_store(*database).filer_of(item.account).organisation;
      std::cout << (organisation.empty() ? "" : "\t") << organisation << '\n';
      ++count;
    }
  }
  std::cout << count << " admin(s)\n";
  return 0;
}

int show_audit(const std::filesystem::path& data_dir, int limit) {
  const auto database = open_admin_database(data_dir);
  const secrets keys(data_dir);
  const auto entries =
      admin_store(*database, keys).audit_log(limit, std::numeric_limits<std::int64_t>::max());
  for (const auto& entry : entries) {
    std::cout << format_rfc3339(entry.at, utc_offset{std::chrono::hours{8}}) << '\t'
              << entry.username << '\t' << entry.action << '\t' << entry.address << '\t'
              << entry.detail << '\n';
  }
  return 0;
}

// `admins NAME-COMMAND --username U`: one registration for the commands that take only a name.
void add_named(CLI::App& admins, admin_options& options, const std::string& name,
               const std::string& help,
               const std::function<int(const std::filesystem::path&, const std::string&)>& run) {
  auto* command = admins.add_subcommand(name, help);
  auto username = std::make_shared<std::string>();
  command->add_option("--username", *username)->required();
  command->callback([&options, username, run] {
    options.run = [&options, username, run] { return run(options.data_dir, *username); };
  });
}

}  // namespace

void add_account_commands(CLI::App& app, admin_options& options) {
  auto* admins = app.add_subcommand("admins", "the regional office's accounts");
  admins->require_subcommand(1);
  auto* add = admins->add_subcommand("add", "create an admin (password: one line on stdin)");
  auto username = std::make_shared<std::string>();
  auto region = std::make_shared<std::string>();
  add->add_option("--username", *username)->required();
  add->add_option("--region", *region, "the region whose subtree the admin sees")->required();
  auto sector = std::make_shared<std::string>();
  add->add_option("--sector", *sector,
                  "行业: the admin sees only this sector's units (bulletins forced to it)")
      ->check(CLI::Validator(
          [](const std::string& value) {
            return value.empty() || value.size() > 64 ? std::string{"1 to 64 bytes"} : "";
          },
          "SECTOR"));
  auto organisation = std::make_shared<std::string>();
  add->add_option("--organisation", *organisation,
                  "a member unit of the 安委会 the admin files the reporting forms for (its "
                  "status and exports: its own forms only)")
      ->check(CLI::Validator(
          [](const std::string& value) {
            return value.empty() || value.size() > 200 ? std::string{"1 to 200 bytes"} : "";
          },
          "NAME"));
  add->callback([&options, username, region, sector, organisation] {
    options.run = [&options, username, region, sector, organisation] {
      const auto named = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::string>{text};
      };
      return add_admin(options.data_dir, *username,
                       admin_scope{*region, named(*sector), named(*organisation)});
    };
  });
  auto* list = admins->add_subcommand(
      "list",
      "list accounts: username, region code, region name, state and the organisation it files "
      "for, if any (tab-separated)");
  auto scope = std::make_shared<std::string>();
  list->add_option("--region", *scope, "only accounts inside this region's subtree");
  list->callback([&options, scope] {
    options.run = [&options, scope] { return list_admins(options.data_dir, *scope); };
  });
  add_named(*admins, options, "passwd", "set a new password (one line on stdin); signs it out",
            change_password);
  add_named(*admins, options, "disable", "stop an account signing in; signs it out",
            [](const auto& dir, const auto& name) { return set_disabled(dir, name, true); });
  add_named(*admins, options, "enable", "let a disabled account sign in again",
            [](const auto& dir, const auto& name) { return set_disabled(dir, name, false); });

  auto* audit = app.add_subcommand("audit", "the office's sign-ins and exports, newest first");
  auto limit = std::make_shared<int>(100);
  audit->add_option("--limit", *limit, "how many entries")->check(CLI::Range(1, 100000));
  audit->callback([&options, limit] {
    options.run = [&options, limit] { return show_audit(options.data_dir, *limit); };
  });
}

}  // namespace anquanli
