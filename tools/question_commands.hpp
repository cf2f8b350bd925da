// The `questions` command group of anquanli-admin.
#pragma once

#include <filesystem>
#include <functional>

namespace CLI {
class App;
}

namespace anquanli {

struct admin_options {
  std::filesystem::path data_dir = "data";
  bool data_dir_given =
      false;  // commands that read the server's configuration use its data_dir otherwise
  std::function<int()> run;  // set by the chosen subcommand
};

void add_question_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
