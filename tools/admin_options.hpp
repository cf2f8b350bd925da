// What every anquanli-admin subcommand is given: the data directory and, once a subcommand is
// chosen, the function that runs it.
#pragma once

#include <filesystem>
#include <functional>

namespace CLI {
class App;
}

namespace anquanli {

struct admin_options {
  std::filesystem::path data_dir = "data";
  // Commands that read the server's configuration use its data_dir unless --data-dir was given.
  bool data_dir_given = false;
  std::function<int()> run;  // set by the chosen subcommand
};

}  // namespace anquanli
