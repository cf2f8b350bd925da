#include "tools/draw_commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "server/store/draw_audit.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

struct verify_options {
  std::string day;
  std::string seed;  // hex; empty: the seed stored for the day
};

int verify_day(const admin_options& admin, const verify_options& options) {
  if (!parse_day_key(options.day)) {
    std::cerr << "--day must be YYYY-MM-DD\n";
    return 2;
  }
  std::optional<draw_seed> revealed;
  if (!options.seed.empty()) {
    revealed = seed_from_hex(options.seed);
    if (!revealed) {
      std::cerr << "--seed must be 64 hex characters\n";
      return 2;
    }
  }
  const auto database = open_admin_database(admin.data_dir);
  const secrets keys(admin.data_dir);
  const draw_audit_report report = audit_draws(*database, keys, options.day, revealed);
  for (const auto& problem : report.problems) {
    std::cout << problem << '\n';
  }
  std::cout << options.day << ": " << report.draws << " draw(s) recomputed, "
            << report.problems.size() << " mismatch(es); commitment "
            << (report.commitment.empty() ? "none" : report.commitment) << '\n';
  return report.problems.empty() ? 0 : 1;
}

}  // namespace

void add_draw_commands(CLI::App& app, admin_options& options) {
  auto* group = app.add_subcommand("draws", "the lottery's verifiable draws");
  group->require_subcommand(1);
  auto settings = std::make_shared<verify_options>();
  auto* verify = group->add_subcommand(
      "verify", "recompute every draw of a day from its seed and compare with what was recorded");
  verify->add_option("--day", settings->day, "the day, YYYY-MM-DD")->required();
  verify->add_option("--seed", settings->seed,
                     "the day's published seed (hex); default: the seed stored for the day");
  verify->callback([&options, settings] {
    options.run = [&options, settings] { return verify_day(options, *settings); };
  });
}

}  // namespace anquanli
