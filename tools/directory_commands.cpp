#include "tools/directory_commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

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

int import_regions(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                   bool dry_run) {
  const auto database = open_admin_database(data_dir);
  directory_store directory(*database);
  const auto parsed = parse_regions(read_whole_file(file), directory.regions());
  if (!report(file, parsed.problems)) {
    return 1;
  }
  if (dry_run) {
    std::cout << parsed.items.size() << " region(s) valid; dry run, nothing imported\n";
    return 0;
  }
  directory.upsert_regions(parsed.items);
  std::cout << "imported " << parsed.items.size() << " region(s)\n";
  return 0;
}

int import_units(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                 bool dry_run) {
  const auto database = open_admin_database(data_dir);
  directory_store directory(*database);
  const auto parsed = parse_units(read_whole_file(file), directory.regions());
  if (!report(file, parsed.problems)) {
    return 1;
  }
  if (dry_run) {
    std::cout << parsed.items.size() << " unit(s) valid; dry run, nothing imported\n";
    return 0;
  }
  directory.upsert_units(parsed.items);
  std::cout << "imported " << parsed.items.size() << " unit(s)\n";
  return 0;
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

}  // namespace

void add_directory_commands(CLI::App& app, admin_options& options) {
  auto* regions = app.add_subcommand("regions", "the region tree (code,name,parent_code)");
  regions->require_subcommand(1);
  add_import(*regions, options, import_regions);
  auto* units = app.add_subcommand("units", "work units (id,name,region_code,sector,headcount)");
  units->require_subcommand(1);
  add_import(*units, options, import_units);
}

}  // namespace anquanli
