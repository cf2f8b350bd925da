#include "server/http/file_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace anquanli {

connection_allowance fit_connections_to_descriptor_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return {wanted, 0, false};  // unknown: leave the configuration as it is
  }
  const rlim_t needed = static_cast<rlim_t>(wanted + reserved_descriptors);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) {
    return {wanted, static_cast<std::size_t>(limit.rlim_cur), false};
  }
  const auto available = static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t fitted =
      available > reserved_descriptors * 2 ? available - reserved_descriptors : available / 2;
  return {std::max<std::size_t>(fitted, 1), available, true};
}

}  // namespace anquanli
