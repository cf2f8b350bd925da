#include "server/protocol/router.hpp"

namespace anquanli {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return segments;
}

bool matches(std::string_view pattern, const std::vector<std::string_view>& segments,
             std::vector<std::string>& parameters) {
  const auto wanted = split_path(pattern);
  if (wanted.size() != segments.size()) {
    return false;
  }
  parameters.clear();
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i].starts_with('{')) {
      parameters.emplace_back(segments[i]);
    } else if (wanted[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

route_match router::match(std::string_view method, std::string_view path) const {
  const auto segments = split_path(path);
  route_match result;
  std::vector<std::string> parameters;
  for (const route& candidate : routes_) {
    if (!matches(candidate.pattern, segments, parameters)) {
      continue;
    }
    if (candidate.method == method) {
      result.found = &candidate;
      result.parameters = std::move(parameters);
      return result;
    }
    if (!result.allow.empty()) {
      result.allow.append(", ");
    }
    result.allow.append(candidate.method);
  }
  return result;
}

}  // namespace anquanli
