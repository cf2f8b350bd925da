#include "tests/support/metric_reader.hpp"

#include <algorithm>
#include <charconv>

namespace anquanli::test {

std::optional<double> metric_in(std::string_view exposition, std::string_view name) {
  std::size_t line_start = 0;
  while (line_start < exposition.size()) {
    const std::size_t line_end = std::min(exposition.find('\n', line_start), exposition.size());
    const std::string_view line = exposition.substr(line_start, line_end - line_start);
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ' ') {
      const std::string_view number = line.substr(name.size() + 1);
      double value = 0;
      const auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
      if (parsed.ec == std::errc{}) {
        return value;
      }
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

std::optional<double> read_metric(http_client& client, std::string_view name) {
  const http_response response = client.get("/metrics");
  if (response.status != 200) {
    return std::nullopt;
  }
  return metric_in(response.body, name);
}

}  // namespace anquanli::test
