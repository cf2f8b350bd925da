#include "server/app/self_description.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "server/api/route_table.hpp"
#include "server/protocol/api_error_index.hpp"

namespace anquanli {

void print_routes(std::ostream& out) {
  // The checks' rules are never used here: only the rows are printed.
  const competition_rules rules;
  for (const route& entry : api_route_listing(rules)) {
    const boost::json::object row{{"method", entry.method},
                                  {"pattern", entry.pattern},
                                  {"auth", to_string(entry.auth)},
                                  {"priority", to_string(entry.priority)}};
    out << boost::json::serialize(row) << '\n';
  }
}

void print_error_catalogue(std::ostream& out) {
  out << api_error_index_markdown();
}

void add_self_description_flags(CLI::App& app) {
  app.add_flag_callback(
         "--print-routes",
         [] {
           print_routes(std::cout);
           throw CLI::Success{};
         },
         "print the API's route table as JSON lines and exit")
      ->trigger_on_parse();
  app.add_flag_callback(
         "--print-error-catalogue",
         [] {
           print_error_catalogue(std::cout);
           throw CLI::Success{};
         },
         "print the error index (docs/api-errors.md) and exit")
      ->trigger_on_parse();
}

}  // namespace anquanli
