// What the handlers are given by the composition root: the configuration, the durable store, the
// time, the code sender and the metrics counters. Handlers hold a reference to one of these.
#pragma once

#include "server/api/code_sender.hpp"
#include "server/core/metrics.hpp"
#include "server/core/server_config.hpp"
#include "server/core/time_source.hpp"
#include "server/durable/durable_store.hpp"
#include "server/protocol/router.hpp"

namespace anquanli {

struct api_services {
  const server_config& config;
  durable_store& store;
  const time_source& clock;
  code_sender& sender;
  metrics& counters;
};

}  // namespace anquanli
