#include "tools/office_commands.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include <boost/json.hpp>

#include "server/core/server_config.hpp"
#include "server/core/time_source.hpp"
#include "server/report/bulletin_render.hpp"
#include "server/store/bulletin_query.hpp"
#include "server/store/directory.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

instant now() {
  return system_time_source{}.now();
}

struct bulletin_options {
  std::filesystem::path config_file;
  std::string from;
  std::string to;
  std::string level = "city";
  std::string format = "xlsx";
  std::string region;
  std::filesystem::path out;
};

int export_bulletin(const std::filesystem::path& data_dir, const bulletin_options& options) {
  const config_result loaded = load_server_config(options.config_file);
  for (const auto& problem : loaded.problems) {
    std::cerr << options.config_file.string() << ": " << problem << '\n';
  }
  const auto from = options.from.empty()
                        ? std::optional<day_key>{loaded.config.competition.starts_on}
                        : parse_day_key(options.from);
  const auto to = options.to.empty() ? std::optional<day_key>{loaded.config.competition.ends_on}
                                     : parse_day_key(options.to);
  if (!loaded.problems.empty() || !from || !to || *to < *from) {
    std::cerr << "need a valid --config and --from/--to as YYYY-MM-DD\n";
    return 2;
  }
  const auto database = open_admin_database(data_dir);
  std::string region = options.region;
  const directory_snapshot places = directory_store(*database).snapshot();
  if (region.empty()) {
    region = places.root();
  }
  if (places.find_region(region) == nullptr) {
    std::cerr << "no region " << region << " in the directory\n";
    return 1;
  }
  const auto level = options.level == "unit"     ? bulletin_level::unit
                     : options.level == "county" ? bulletin_level::county
                                                 : bulletin_level::city;
  const bulletin report =
      build_bulletin(*database, loaded.config.competition, {region, *from, *to, level}, now());
  const std::string bytes = options.format == "csv"    ? bulletin_csv(report)
                            : options.format == "html" ? bulletin_html(report)
                            : options.format == "json"
                                ? boost::json::serialize(bulletin_json(report))
                                : bulletin_xlsx(report);
  std::ofstream out(options.out, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << "cannot write " << options.out.string() << '\n';
    return 1;
  }
  std::cout << "wrote " << options.out.string() << ": " << report.rows.size() << " row(s), "
            << report.zero_participation.size() << " unit(s) without participation\n";
  return 0;
}

}  // namespace

void add_office_commands(CLI::App& app, admin_options& options) {
  auto* export_command = app.add_subcommand("bulletin", "export the participation bulletin");
  auto settings = std::make_shared<bulletin_options>();
  export_command->add_option("--config", settings->config_file, "the server's configuration")
      ->required();
  export_command->add_option("--from", settings->from,
                             "first day, YYYY-MM-DD (default: window start)");
  export_command->add_option("--to", settings->to, "last day, YYYY-MM-DD (default: window end)");
  export_command->add_option("--level", settings->level)
      ->check(CLI::IsMember({"city", "county", "unit"}));
  export_command->add_option("--format", settings->format)
      ->check(CLI::IsMember({"xlsx", "csv", "html", "json"}));
  export_command->add_option("--region", settings->region, "scope (default: the whole tree)");
  export_command->add_option("--out", settings->out, "output file")->required();
  export_command->callback([&options, settings] {
    options.run = [&options, settings] { return export_bulletin(options.data_dir, *settings); };
  });
}

}  // namespace anquanli
