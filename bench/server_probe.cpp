// Reads /proc the way ps does (fields 14 and 15 of stat, VmHWM of status) and the metrics text.
#include "bench/server_probe.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace anquanli::bench {

namespace {

// The leading decimal number of `text`; 0 when there is none.
std::uint64_t to_number(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct stat_line {
  int parent = 0;
  double cpu_seconds = 0;
};

// Parent and user + system time from /proc/PID/stat (fields 4, 14 and 15; comm may hold spaces).
std::optional<stat_line> read_stat(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) {
    return std::nullopt;
  }
  const auto close = text.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> values;
  for (std::string field; fields >> field;) {
    values.push_back(field);
  }
  if (values.size() < 13) {
    return std::nullopt;
  }
  const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  // values[0] is field 3 (state): field N is values[N - 3].
  return stat_line{static_cast<int>(to_number(values[1])),
                   static_cast<double>(to_number(values[11]) + to_number(values[12])) / ticks};
}

// VmHWM of PID in KiB; 0 when it cannot be read.
std::uint64_t peak_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmHWM:")) {
      const auto digits = line.find_first_of("0123456789");
      return digits == std::string::npos ? 0 : to_number(std::string_view{line}.substr(digits));
    }
  }
  return 0;
}

// Every process whose parent is PID.
std::vector<int> children_of(int pid) {
  std::vector<int> children;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const int candidate = static_cast<int>(to_number(name));
    if (const auto stat = read_stat(candidate); stat && stat->parent == pid) {
      children.push_back(candidate);
    }
  }
  return children;
}

}  // namespace

process_sample sample_process(int pid) {
  process_sample sample;
  const auto own = read_stat(pid);
  if (pid <= 0 || !own) {
    return sample;
  }
  sample.valid = true;
  std::vector<int> all{pid};
  for (const int child : children_of(pid)) {
    all.push_back(child);
  }
  for (const int member : all) {
    if (const auto stat = read_stat(member)) {
      sample.cpu_seconds += stat->cpu_seconds;
      sample.peak_rss_kib += peak_rss_kib(member);
      ++sample.processes;
    }
  }
  return sample;
}

writer_sample parse_metrics(std::string_view text) {
  writer_sample sample;
  int found = 0;
  std::istringstream lines{std::string{text}};
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.rfind(' ');
    if (line.starts_with('#') || space == std::string::npos) {
      continue;
    }
    const std::string_view name = std::string_view{line}.substr(0, space);
    const std::uint64_t value = to_number(std::string_view{line}.substr(space + 1));
    if (name == "anquanli_writer_commits_total") {
      sample.commits = value;
      ++found;
    } else if (name == "anquanli_writer_jobs_total") {
      sample.jobs = value;
      ++found;
    } else if (name == "anquanli_answers_total") {
      sample.answers = value;
    } else if (name == "anquanli_open_connections") {
      sample.open_connections = value;
    }
  }
  sample.valid = found == 2;
  return sample;
}

}  // namespace anquanli::bench
