// The `questions` command group of anquanli-admin.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_question_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
