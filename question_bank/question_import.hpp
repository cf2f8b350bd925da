// Reading question files: JSON Lines (one object a line) and CSV (a header row, options in columns
// A–H, the answer written like "AC"). Parsing never stops at the first bad line: every problem is
// reported with the line it starts on, so an author can fix a whole file in one pass. The caller
// stores the questions only when there are no problems at all (all or nothing).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "question_bank/question.hpp"

namespace anquanli {

enum class question_format { jsonl, csv };

struct import_problem {
  std::size_t line = 0;  // 1-based line in the file
  std::string reason;

  friend bool operator==(const import_problem&, const import_problem&) = default;
};

struct question_import {
  std::vector<question> questions;
  std::vector<import_problem> problems;
};

// .jsonl / .ndjson → jsonl, .csv → csv; empty for anything else.
[[nodiscard]] std::optional<question_format> format_of(const std::filesystem::path& file);

// Parses and validates a whole file's content (a UTF-8 byte order mark is tolerated).
[[nodiscard]] question_import parse_questions(std::string_view content, question_format format);

// The CSV header the importer expects, in order.
inline constexpr std::string_view csv_header =
    "id,type,category,difficulty,stem,A,B,C,D,E,F,G,H,answer,explanation,source";

}  // namespace anquanli
