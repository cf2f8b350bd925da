// Tests that wait for the server to have done something read it where an operator would: in
// /metrics (the Prometheus text format). Only unlabelled samples are looked up.
#pragma once

#include <optional>
#include <string_view>

#include "tests/support/http_client.hpp"

namespace anquanli::test {

// The value of the sample `name` in an exposition; empty when there is none.
[[nodiscard]] std::optional<double> metric_in(std::string_view exposition, std::string_view name);

// GETs /metrics through `client` and returns the value of `name` (empty when it is missing).
[[nodiscard]] std::optional<double> read_metric(http_client& client, std::string_view name);

}  // namespace anquanli::test
