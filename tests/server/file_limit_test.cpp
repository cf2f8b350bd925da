#include "server/http/file_limit.hpp"

#include <sys/resource.h>

#include <catch2/catch.hpp>

using namespace anquanli;

TEST_CASE("a connection cap that fits the descriptor limit is kept", "[limits]") {
  const auto allowance = fit_connections_to_descriptor_limit(100);
  CHECK_FALSE(allowance.lowered);
  CHECK(allowance.max_connections == 100);
}

TEST_CASE("a connection cap beyond the hard descriptor limit is lowered to fit it", "[limits]") {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  if (limit.rlim_max == RLIM_INFINITY) {
    WARN("the hard descriptor limit is unlimited here: there is no cap to exceed");
    return;
  }
  const auto wanted = static_cast<std::size_t>(limit.rlim_max) * 2;
  const auto allowance = fit_connections_to_descriptor_limit(wanted);
  CHECK(allowance.lowered);
  CHECK(allowance.descriptor_limit == static_cast<std::size_t>(limit.rlim_max));
  CHECK(allowance.max_connections + reserved_descriptors <= allowance.descriptor_limit);
  CHECK(allowance.max_connections > 0);
}
