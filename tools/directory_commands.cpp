#include "tools/directory_commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "server/store/directory.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

// Prints each problem with its line; true when there were none.
bool report(const std::filesystem::path& file, const std::vector<import_problem>& problems) {
  for (const auto& problem : problems) {
    std::cerr << file.string() << ':' << problem.line << ": " << problem.reason << '\n';
  }
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s); nothing imported\n";
  }
  return problems.empty();
}

// Validates FILE with `parse` against the directory's regions and stores it with `upsert`, all or
// nothing; `noun` names the items in the messages.
template <class Item>
int import_items(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                 bool dry_run, std::string_view noun,
                 directory_import<Item> (*parse)(std::string_view, const std::vector<region>&),
                 void (directory_store::*upsert)(const std::vector<Item>&)) {
  const auto database = open_admin_database(data_dir);
  directory_store directory(*database);
  const auto parsed = parse(read_whole_file(file), directory.regions());
  if (!report(file, parsed.problems)) {
    return 1;
  }
  if (dry_run) {
    std::cout << parsed.items.size() << ' ' << noun << "(s) valid; dry run, nothing imported\n";
    return 0;
  }
  (directory.*upsert)(parsed.items);
  std::cout << "imported " << parsed.items.size() << ' ' << noun << "(s)\n";
  return 0;
}

int import_regions(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                   bool dry_run) {
  return import_items(data_dir, file, dry_run, "region", parse_regions,
                      &directory_store::upsert_regions);
}

int import_units(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                 bool dry_run) {
  return import_items(data_dir, file, dry_run, "unit", parse_units, &directory_store::upsert_units);
}

int import_targets(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                   bool dry_run) {
  return import_items(data_dir, file, dry_run, "target", parse_targets,
                      &directory_store::upsert_targets);
}

// Not `import`: clang-format 14 reads that name as the C++20 module keyword (question_commands).
void add_import(CLI::App& group, admin_options& options,
                int (*run)(const std::filesystem::path&, const std::filesystem::path&, bool)) {
  auto* command = group.add_subcommand("import", "validate and import a CSV file, all or nothing");
  auto file = std::make_shared<std::filesystem::path>();
  auto dry_run = std::make_shared<bool>(false);
  command->add_option("FILE", *file, "CSV file")->required()->check(CLI::ExistingFile);
  command->add_flag("--dry-run", *dry_run, "validate only; change nothing");
  command->callback([&options, file, dry_run, run] {
    options.run = [&options, file, dry_run, run] { return run(options.data_dir, *file, *dry_run); };
  });
}

// The directory, after checking that `scope` (when given) is one of its regions.
std::optional<directory_snapshot> scoped_directory(sqlite_database& database,
                                                   const std::string& scope) {
  directory_snapshot places = directory_store(database).snapshot();
  if (!scope.empty() && places.find_region(scope) == nullptr) {
    std::cerr << "no region " << scope << " in the directory\n";
    return std::nullopt;
  }
  return places;
}

// code, name, parent code, level: one region a line, by level then code.
int list_regions(const std::filesystem::path& data_dir, const std::string& scope) {
  const auto database = open_admin_database(data_dir);
  const auto places = scoped_directory(*database, scope);
  if (!places) {
    return 1;
  }
  std::size_t count = 0;
  for (const region& item : places->regions()) {
    if (scope.empty() || places->within(item.code, scope)) {
      std::cout << item.code << '\t' << item.name << '\t' << item.parent_code << '\t' << item.level
                << '\n';
      ++count;
    }
  }
  std::cout << count << " region(s)\n";
  return 0;
}

// id, name, region code, region name, sector, headcount: one unit a line, by id.
int list_units(const std::filesystem::path& data_dir, const std::string& scope) {
  const auto database = open_admin_database(data_dir);
  const auto places = scoped_directory(*database, scope);
  if (!places) {
    return 1;
  }
  std::size_t count = 0;
  for (const unit& item : places->units()) {
    if (scope.empty() || places->within(item.region_code, scope)) {
      const region* home = places->find_region(item.region_code);
      std::cout << item.id << '\t' << item.name << '\t' << item.region_code << '\t'
                << (home == nullptr ? std::string{} : home->name) << '\t' << item.sector << '\t'
                << item.headcount << '\n';
      ++count;
    }
  }
  std::cout << count << " unit(s)\n";
  return 0;
}

// `list [--region CODE]`, the same for regions and units (and admins).
void add_list(CLI::App& group, admin_options& options, const std::string& help,
              int (*run)(const std::filesystem::path&, const std::string&)) {
  auto* command = group.add_subcommand("list", help);
  auto scope = std::make_shared<std::string>();
  command->add_option("--region", *scope, "only this region's subtree (default: everything)");
  command->callback([&options, scope, run] {
    options.run = [&options, scope, run] { return run(options.data_dir, *scope); };
  });
}

}  // namespace

void add_directory_commands(CLI::App& app, admin_options& options) {
  auto* regions = app.add_subcommand("regions", "the region tree (code,name,parent_code)");
  regions->require_subcommand(1);
  add_import(*regions, options, import_regions);
  add_list(*regions, options, "list regions: code, name, parent code, level (tab-separated)",
           list_regions);
  auto* units = app.add_subcommand("units", "work units (id,name,region_code,sector,headcount)");
  units->require_subcommand(1);
  add_import(*units, options, import_units);
  add_list(*units, options,
           "list units: id, name, region code, region name, sector, headcount (tab-separated)",
           list_units);
  auto* targets = app.add_subcommand(
      "targets", "participation targets per region, 任务数 (region_code,target)");
  targets->require_subcommand(1);
  add_import(*targets, options, import_targets);
}

}  // namespace anquanli
