// Every client connection is a file descriptor, so `max_connections` means nothing if the process
// may open fewer files than that: accept() would start failing with EMFILE before the server ever
// answers 503 too_many_connections. At start-up the server raises its soft RLIMIT_NOFILE to the
// hard limit and, if that is still too low, lowers the connection cap to fit (with a warning).
#pragma once

#include <cstddef>

namespace anquanli {

// Descriptors kept back for SQLite (database, WAL, shm per connection), Redis, logs and the
// listener.
inline constexpr std::size_t reserved_descriptors = 64;

struct connection_allowance {
  std::size_t max_connections;   // what the server will allow
  std::size_t descriptor_limit;  // the soft RLIMIT_NOFILE after raising it
  bool lowered;                  // max_connections is below the configured value
};

// Raises the soft descriptor limit as far as the hard limit allows, then fits `wanted`
// connections plus reserved_descriptors under it.
connection_allowance fit_connections_to_descriptor_limit(std::size_t wanted);

}  // namespace anquanli
