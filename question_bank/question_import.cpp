#include "question_bank/question_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <set>
#include <unordered_map>

#include "question_bank/csv_records.hpp"
#include "question_bank/question_validation.hpp"

namespace anquanli {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view content) {
  if (content.starts_with(utf8_bom)) {
    content.remove_prefix(utf8_bom.size());
  }
  return content;
}

// Validates each parsed question and catches ids the file uses twice.
void finish_import(std::vector<std::pair<std::size_t, question>>& parsed, question_import& result) {
  std::unordered_map<std::string, std::size_t> first_line_of;
  for (auto& [line, candidate] : parsed) {
    for (auto& problem : find_question_problems(candidate)) {
      result.problems.push_back({line, std::move(problem)});
    }
    const auto [where, inserted] = first_line_of.emplace(candidate.id.value(), line);
    if (!inserted && !candidate.id.value().empty()) {
      result.problems.push_back({line, "duplicate id '" + candidate.id.value() +
                                           "' in file (first on line " +
                                           std::to_string(where->second) + ")"});
    }
    std::sort(candidate.answer.begin(), candidate.answer.end());
    result.questions.push_back(std::move(candidate));
  }
  std::stable_sort(
      result.problems.begin(), result.problems.end(),
      [](const import_problem& a, const import_problem& b) { return a.line < b.line; });
}

// ---- JSON Lines ----------------------------------------------------------------------------

struct json_reader {
  const boost::json::object& object;
  std::vector<std::string>& problems;

  std::string text(std::string_view key, bool required) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) {
      if (required) {
        problems.push_back("missing field '" + std::string{key} + "'");
      }
      return {};
    }
    if (!value->is_string()) {
      problems.push_back("field '" + std::string{key} + "' must be a string");
      return {};
    }
    return std::string{value->get_string()};
  }
};

constexpr std::string_view known_json_fields[] = {"id",     "type",    "category", "difficulty",
                                                  "stem",   "options", "answer",   "explanation",
                                                  "source", "active"};

void read_json_options(const boost::json::object& object, question& result,
                       std::vector<std::string>& problems) {
  const auto* options = object.if_contains("options");
  if (options == nullptr || !options->is_array()) {
    problems.emplace_back(R"(field 'options' must be an array of {"key","text"})");
    return;
  }
  for (const auto& entry : options->get_array()) {
    const auto* option = entry.if_object();
    const auto* key = option ? option->if_contains("key") : nullptr;
    const auto* text = option ? option->if_contains("text") : nullptr;
    if (key == nullptr || text == nullptr || !key->is_string() || !text->is_string()) {
      problems.emplace_back("each option must be an object with string 'key' and 'text'");
      return;
    }
    result.options.push_back({std::string{key->get_string()}, std::string{text->get_string()}});
  }
}

void read_json_answer(const boost::json::object& object, question& result,
                      std::vector<std::string>& problems) {
  const auto* answer = object.if_contains("answer");
  if (answer == nullptr || !answer->is_array()) {
    problems.emplace_back("field 'answer' must be an array of option keys");
    return;
  }
  for (const auto& key : answer->get_array()) {
    if (!key.is_string()) {
      problems.emplace_back("field 'answer' must be an array of option keys");
      return;
    }
    result.answer.emplace_back(key.get_string());
  }
}

question read_json_question(const boost::json::object& object, std::vector<std::string>& problems) {
  for (const auto& field : object) {
    const auto known = std::find(std::begin(known_json_fields), std::end(known_json_fields),
                                 std::string_view{field.key()});
    if (known == std::end(known_json_fields)) {
      problems.push_back("unknown field '" + std::string{field.key()} + "'");
    }
  }
  json_reader reader{object, problems};
  question result;
  result.id = question_id{reader.text("id", true)};
  const std::string type = reader.text("type", true);
  if (const auto parsed = parse_question_type(type)) {
    result.type = *parsed;
  } else if (!type.empty()) {
    problems.push_back("unknown type '" + type + "' (single, multiple or judge)");
  }
  result.category = reader.text("category", true);
  const auto* difficulty = object.if_contains("difficulty");
  if (difficulty == nullptr || !difficulty->is_int64()) {
    problems.emplace_back("field 'difficulty' must be an integer 1-3");
  } else {
    result.difficulty = static_cast<int>(std::clamp<std::int64_t>(difficulty->get_int64(), -1, 99));
  }
  result.stem = reader.text("stem", true);
  read_json_options(object, result, problems);
  read_json_answer(object, result, problems);
  result.explanation = reader.text("explanation", true);
  result.source = reader.text("source", false);
  if (const auto* active = object.if_contains("active")) {
    if (active->is_bool()) {
      result.active = active->get_bool();
    } else {
      problems.emplace_back("field 'active' must be true or false");
    }
  }
  return result;
}

question_import parse_jsonl(std::string_view content) {
  question_import result;
  std::vector<std::pair<std::size_t, question>> parsed;
  std::size_t line_number = 0;
  while (!content.empty()) {
    const auto end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content = end == std::string_view::npos ? std::string_view{} : content.substr(end + 1);
    ++line_number;
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    if (!is_valid_utf8(line)) {
      result.problems.push_back({line_number, "line is not valid UTF-8"});
      continue;
    }
    boost::system::error_code error;
    const boost::json::value value = boost::json::parse(line, error);
    if (error || !value.is_object()) {
      result.problems.push_back({line_number, "line is not a JSON object"});
      continue;
    }
    std::vector<std::string> problems;
    question read = read_json_question(value.get_object(), problems);
    for (auto& problem : problems) {
      result.problems.push_back({line_number, std::move(problem)});
    }
    if (problems.empty()) {
      parsed.emplace_back(line_number, std::move(read));
    }
  }
  finish_import(parsed, result);
  return result;
}

// ---- CSV -------------------------------------------------------------------------------------

enum csv_column : std::size_t {
  column_id,
  column_type,
  column_category,
  column_difficulty,
  column_stem,
  column_first_option,
  column_answer = column_first_option + max_options,
  column_explanation,
  column_source,
  column_count
};

void read_csv_options(const csv_record& record, question& result,
                      std::vector<std::string>& problems) {
  std::size_t last_filled = 0;
  for (std::size_t i = 0; i < max_options; ++i) {
    if (!record.fields[column_first_option + i].empty()) {
      last_filled = i + 1;
    }
  }
  for (std::size_t i = 0; i < last_filled; ++i) {
    const std::string key(1, static_cast<char>('A' + i));
    const std::string& text = record.fields[column_first_option + i];
    if (text.empty()) {
      problems.push_back("option " + key + " is empty but a later option is set");
    }
    result.options.push_back({key, text});
  }
}

question read_csv_question(const csv_record& record, std::vector<std::string>& problems) {
  const auto& fields = record.fields;
  question result;
  result.id = question_id{fields[column_id]};
  if (const auto type = parse_question_type(fields[column_type])) {
    result.type = *type;
  } else {
    problems.push_back("unknown type '" + fields[column_type] + "' (single, multiple or judge)");
  }
  result.category = fields[column_category];
  const std::string& difficulty = fields[column_difficulty];
  const auto [end, error] =
      std::from_chars(difficulty.data(), difficulty.data() + difficulty.size(), result.difficulty);
  if (error != std::errc{} || end != difficulty.data() + difficulty.size()) {
    problems.push_back("difficulty '" + difficulty + "' is not a number");
  }
  result.stem = fields[column_stem];
  read_csv_options(record, result, problems);
  for (const char key : fields[column_answer]) {
    if (key != ' ' && key != ',') {
      result.answer.emplace_back(1, key);
    }
  }
  result.explanation = fields[column_explanation];
  result.source = fields[column_source];
  return result;
}

question_import parse_csv(std::string_view content) {
  question_import result;
  csv_read file = read_csv(content);
  if (file.error_line) {
    result.problems.push_back({*file.error_line, file.error});
  }
  const std::vector<csv_record>& records = file.records;
  std::vector<std::pair<std::size_t, question>> parsed;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const csv_record& record = records[i];
    if (i == 0) {
      if (joined_header(record) != csv_header) {
        result.problems.push_back({record.line, "header must be " + std::string{csv_header}});
        return result;
      }
      continue;
    }
    if (record.fields.size() != column_count) {
      result.problems.push_back({record.line, "has " + std::to_string(record.fields.size()) +
                                                  " columns; the header has 16"});
      continue;
    }
    if (!std::all_of(record.fields.begin(), record.fields.end(), is_valid_utf8)) {
      result.problems.push_back({record.line, "line is not valid UTF-8"});
      continue;
    }
    std::vector<std::string> problems;
    question read = read_csv_question(record, problems);
    for (auto& problem : problems) {
      result.problems.push_back({record.line, std::move(problem)});
    }
    if (problems.empty()) {
      parsed.emplace_back(record.line, std::move(read));
    }
  }
  if (records.empty() && result.problems.empty()) {
    result.problems.push_back({1, "file is empty; the first line must be the header"});
  }
  finish_import(parsed, result);
  return result;
}

}  // namespace

std::optional<question_format> format_of(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".jsonl" || extension == ".ndjson") {
    return question_format::jsonl;
  }
  if (extension == ".csv") {
    return question_format::csv;
  }
  return std::nullopt;
}

question_import parse_questions(std::string_view content, question_format format) {
  content = strip_bom(content);
  return format == question_format::jsonl ? parse_jsonl(content) : parse_csv(content);
}

}  // namespace anquanli
