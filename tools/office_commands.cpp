#include "tools/office_commands.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/json.hpp>

#include "server/core/server_config.hpp"
#include "server/core/time_source.hpp"
#include "server/report/bulletin_document.hpp"
#include "server/report/bulletin_pdf.hpp"
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
  std::string from;
  std::string to;
  std::string level = "city";
  std::string format = "xlsx";
  std::string region;
  std::string rank_by = "participants";
  std::string compare_to;
  std::string sector;
  bool full = false;
  std::filesystem::path out;
};

// The request of the options, or a message on standard error and none.
std::optional<bulletin_request> request_of(const bulletin_options& options, day_key from,
                                           day_key to, std::string region) {
  bulletin_request wanted;
  wanted.scope_code = std::move(region);
  wanted.from = from;
  wanted.to = to;
  wanted.level = options.level == "unit"     ? bulletin_level::unit
                 : options.level == "county" ? bulletin_level::county
                                             : bulletin_level::city;
  for (const auto candidate : {bulletin_rank_by::participants, bulletin_rank_by::rate,
                               bulletin_rank_by::points, bulletin_rank_by::attempts}) {
    if (to_string(candidate) == options.rank_by) {
      wanted.rank_by = candidate;
    }
  }
  if (!options.compare_to.empty()) {
    wanted.compare_to = parse_day_key(options.compare_to);
    if (!wanted.compare_to || *wanted.compare_to < from || !(*wanted.compare_to < to)) {
      std::cerr << "--compare-to must be a day from --from to the day before --to\n";
      return std::nullopt;
    }
  }
  if (!options.sector.empty()) {
    wanted.sector = options.sector;
  }
  return wanted;
}

// The bytes of the bulletin in the options' format: the issued document (HTML, PDF) holds every
// level from the first below the scope down to the one asked for.
std::string bulletin_bytes(sqlite_database& database, const server_config& config,
                           bulletin_request wanted, int scope_level,
                           const bulletin_options& options) {
  const competition_rules& rules = config.competition;
  if (options.format == "html" || options.format == "pdf") {
    std::vector<bulletin> levels =
        build_bulletins(database, rules, wanted, document_levels(scope_level, wanted.level), now());
    const bulletin_issue issue{config.bulletin.issuer, config.bulletin.title,
                               config.bulletin.copy_to};
    const auto document =
        make_bulletin_document(std::move(levels), issue, rules.title, options.full);
    return options.format == "pdf" ? bulletin_document_pdf(document)
                                   : bulletin_document_html(document);
  }
  const bulletin report = build_bulletin(database, rules, wanted, now());
  return options.format == "csv"    ? bulletin_csv(report)
         : options.format == "json" ? boost::json::serialize(bulletin_json(report))
                                    : bulletin_xlsx(report);
}

// The bulletin of the configuration's competition, from the database of its data_dir (or of
// --data-dir).
int export_bulletin(const admin_options& admin, const bulletin_options& options) {
  if (!admin.config) {
    std::cerr << "bulletin needs --config FILE: the competition's window and rules\n";
    return 2;
  }
  const competition_rules& rules = admin.config->competition;
  const auto from =
      options.from.empty() ? std::optional<day_key>{rules.starts_on} : parse_day_key(options.from);
  const auto to =
      options.to.empty() ? std::optional<day_key>{rules.ends_on} : parse_day_key(options.to);
  if (!from || !to || *to < *from) {
    std::cerr << "need --from/--to as YYYY-MM-DD, --from not after --to\n";
    return 2;
  }
  const auto database = open_admin_database(admin.data_dir);
  std::string region = options.region;
  const directory_snapshot places = directory_store(*database).snapshot();
  if (region.empty()) {
    region = places.root();
  }
  if (places.find_region(region) == nullptr) {
    std::cerr << "no region " << region << " in the directory\n";
    return 1;
  }
  const auto wanted = request_of(options, *from, *to, region);
  if (!wanted) {
    return 2;
  }
  const std::string bytes = bulletin_bytes(*database, admin.config.value(), *wanted,
                                           places.find_region(region)->level, options);
  std::ofstream out(options.out, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << "cannot write " << options.out.string() << '\n';
    return 1;
  }
  std::cout << "wrote " << options.out.string() << '\n';
  return 0;
}

}  // namespace

void add_office_commands(CLI::App& app, admin_options& options) {
  auto* export_command = app.add_subcommand(
      "bulletin", "export the participation bulletin (needs --config: the competition's rules)");
  auto settings = std::make_shared<bulletin_options>();
  export_command->add_option("--from", settings->from,
                             "first day, YYYY-MM-DD (default: window start)");
  export_command->add_option("--to", settings->to, "last day, YYYY-MM-DD (default: window end)");
  export_command->add_option("--level", settings->level)
      ->check(CLI::IsMember({"city", "county", "unit"}));
  export_command->add_option("--format", settings->format)
      ->check(CLI::IsMember({"xlsx", "csv", "html", "json", "pdf"}));
  export_command->add_flag("--full", settings->full,
                           "HTML and PDF: codes and internal columns too (detail=full)");
  export_command->add_option("--region", settings->region, "scope (default: the whole tree)");
  export_command->add_option("--rank-by", settings->rank_by, "what the rows are ranked by")
      ->check(CLI::IsMember({"participants", "rate", "points", "attempts"}));
  export_command->add_option("--compare-to", settings->compare_to,
                             "rank movement against the same bulletin up to this day, YYYY-MM-DD");
  export_command->add_option("--sector", settings->sector, "only this sector's units (行业)");
  export_command->add_option("--out", settings->out, "output file")->required();
  export_command->callback([&options, settings] {
    options.run = [&options, settings] { return export_bulletin(options, *settings); };
  });
}

}  // namespace anquanli
