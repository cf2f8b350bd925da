// The whole /metrics exposition (Prometheus text format): the server's own counters
// (server/core/metrics.hpp) and what the composition root alone can see: the SQLite writer, whether
// Redis answers, and the space left where the database lives. deploy/prometheus and deploy/grafana
// use these names, and a test checks each one they use is here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "server/core/metrics.hpp"
#include "server/store/sqlite_writer.hpp"

namespace anquanli {

struct exposition_inputs {
  const metrics& counters;
  writer_stats writer;
  std::optional<bool> redis_up;  // empty when no Redis is configured
  std::filesystem::path data_dir;
};

[[nodiscard]] std::string render_metrics(const exposition_inputs& inputs);

}  // namespace anquanli
