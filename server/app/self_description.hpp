// What anquanli-server says about itself without a configuration or storage, so that tests and
// documents read the real binary's tables instead of scraping sources:
//   --print-routes           the API's route table, one JSON object a line:
//                            {"method":"GET","pattern":"/api/v1/me","auth":"participant",
//                             "priority":"continues_work"}
//                            (auth: none | participant | admin; priority: load_priority)
//   --print-error-catalogue  docs/api-errors.md, generated from the error catalogue.
#pragma once

#include <ostream>

namespace CLI {
class App;
}  // namespace CLI

namespace anquanli {

void print_routes(std::ostream& out);
void print_error_catalogue(std::ostream& out);

// Adds both flags to the command line. Each prints and ends the parse with CLI::Success (exit 0)
// as soon as it is read, before the options the server needs are checked.
void add_self_description_flags(CLI::App& app);

}  // namespace anquanli
