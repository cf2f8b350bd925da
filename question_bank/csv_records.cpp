#include "question_bank/csv_records.hpp"

#include <csv.h>
#include <algorithm>

namespace anquanli {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// Collects libcsv's callbacks into records that know the line they start on.
struct csv_collector {
  std::size_t current_line = 0;
  std::size_t newlines_in_record = 0;
  std::vector<std::string> fields;
  std::vector<csv_record> records;

  static void on_field(void* data, std::size_t length, void* self) {
    auto& collector = *static_cast<csv_collector*>(self);
    std::string field(static_cast<const char*>(data), length);
    collector.newlines_in_record +=
        static_cast<std::size_t>(std::count(field.begin(), field.end(), '\n'));
    collector.fields.push_back(std::move(field));
  }

  static void on_record_end(int /*terminator*/, void* self) {
    auto& collector = *static_cast<csv_collector*>(self);
    collector.records.push_back(
        {collector.current_line - collector.newlines_in_record, std::move(collector.fields)});
    collector.fields.clear();
    collector.newlines_in_record = 0;
  }
};

}  // namespace

csv_read read_csv(std::string_view content) {
  if (content.starts_with(utf8_bom)) {
    content.remove_prefix(utf8_bom.size());
  }
  csv_parser parser{};
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  csv_collector collector;
  csv_read result;
  // A line at a time, so that a record's line is known when libcsv reports its end.
  while (!content.empty()) {
    const auto end = content.find('\n');
    const std::string_view line =
        end == std::string_view::npos ? content : content.substr(0, end + 1);
    content.remove_prefix(line.size());
    ++collector.current_line;
    if (csv_parse(&parser, line.data(), line.size(), &csv_collector::on_field,
                  &csv_collector::on_record_end, &collector) != line.size()) {
      result.error_line = collector.current_line;
      result.error = std::string{"malformed CSV: "} + csv_strerror(csv_error(&parser));
      break;
    }
  }
  if (!result.error_line &&
      csv_fini(&parser, &csv_collector::on_field, &csv_collector::on_record_end, &collector) != 0) {
    result.error_line = collector.current_line;
    result.error = "malformed CSV: unterminated quoted field";
  }
  csv_free(&parser);
  result.records = std::move(collector.records);
  return result;
}

std::string joined_header(const csv_record& header) {
  std::string joined;
  for (const auto& field : header.fields) {
    joined += (joined.empty() ? "" : ",") + field;
  }
  return joined;
}

}  // namespace anquanli
