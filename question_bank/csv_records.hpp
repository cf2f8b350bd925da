// CSV files (RFC 4180, via libcsv) read into records that remember the line they start on, so
// importers can report every problem by line even when a quoted field spans several lines.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anquanli {

struct csv_record {
  std::size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

struct csv_read {
  std::vector<csv_record> records;
  // Set when the file is malformed; records holds what came before the problem.
  std::optional<std::size_t> error_line;
  std::string error;
};

// Reads the whole content; a leading UTF-8 byte order mark is skipped.
[[nodiscard]] csv_read read_csv(std::string_view content);

// The header row joined with commas, for an exact comparison with the expected header.
[[nodiscard]] std::string joined_header(const csv_record& header);

}  // namespace anquanli
