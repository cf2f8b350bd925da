// The bulletin in four formats. The formats share the column order and the cell texts; each one
// then guards untrusted names its own way (see the header). libxlsxwriter 1.1.4 can only write to
// a file, so the XLSX goes through a private mkstemp file that is always removed.
#include "server/report/bulletin_render.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include <unistd.h>
#include <xlsxwriter.h>
#include <boost/json.hpp>

namespace anquanli {

namespace json = boost::json;

namespace {

constexpr std::size_t column_count = 11;
constexpr lxw_col_t last_column = column_count - 1;
using row_texts = std::array<std::string, column_count>;

// The ranking's column headers, in the order every format uses.
std::array<std::string_view, column_count> ranking_headers(bulletin_level level) {
  const std::string_view name = level == bulletin_level::unit ? "单位" : "地区";
  return {"排名", "编码",     name,     "上级地区",   "参与人数",    "参与人次",
          "积分", "职工人数", "参与率", "平均正确率", "疑似机器答题"};
}

constexpr std::array<std::string_view, 4> zero_headers{"编码", "单位", "所在地区", "职工人数"};

// A rate that can be shown: present and finite.
std::optional<double> shown_rate(std::optional<double> rate) {
  if (rate && std::isfinite(*rate)) {
    return rate;
  }
  return std::nullopt;
}

// "12.5%" for 0.125 (one decimal, locale-independent); `missing` when there is no rate.
std::string percent_text(std::optional<double> rate, std::string_view missing) {
  const auto shown = shown_rate(rate);
  if (!shown) {
    return std::string{missing};
  }
  std::array<char, 64> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(),
                                          *shown * 100.0, std::chars_format::fixed, 1);
  if (error != std::errc{}) {
    return std::string{missing};
  }
  return std::string(buffer.data(), end) + "%";
}

// The cells of a ranking row as text; the totals row shows 合计 in place of rank, code and names.
row_texts ranking_texts(const bulletin_row& row, bool totals, std::string_view missing) {
  return {totals ? std::string{"合计"} : std::to_string(row.rank),
          totals ? std::string{} : row.code,
          totals ? std::string{} : row.name,
          totals ? std::string{} : row.parent_name,
          std::to_string(row.participants),
          std::to_string(row.attempts),
          std::to_string(row.points),
          row.headcount ? std::to_string(*row.headcount) : std::string{missing},
          percent_text(row.participation_rate, missing),
          percent_text(row.average_correct_rate, missing),
          std::to_string(row.flagged_attempts)};
}

// "2021-06-16 09:00:00+08:00": RFC 3339 in the bulletin's offset, with a space for people.
std::string readable_time(const bulletin& report) {
  std::string text = format_rfc3339(report.generated_at, report.offset);
  if (const auto t = text.find('T'); t != std::string::npos) {
    text[t] = ' ';
  }
  return text;
}

// ---- JSON ----

json::value optional_json(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value rate_json(std::optional<double> rate) {
  const auto shown = shown_rate(rate);
  return shown ? json::value(*shown) : json::value(nullptr);
}

// One row as an object; the totals leave out the rank.
json::object row_json(const bulletin_row& row, bool with_rank) {
  json::object object;
  if (with_rank) {
    object["rank"] = row.rank;
  }
  object["code"] = row.code;
  object["name"] = row.name;
  object["parent"] = row.parent_name;
  object["participants"] = row.participants;
  object["attempts"] = row.attempts;
  object["points"] = row.points;
  object["headcount"] = optional_json(row.headcount);
  object["participation_rate"] = rate_json(row.participation_rate);
  object["average_correct_rate"] = rate_json(row.average_correct_rate);
  object["flagged_attempts"] = row.flagged_attempts;
  return object;
}

// ---- CSV ----

// One CSV cell: a leading = + - @ TAB or CR gets a ' (OWASP CSV injection), then the minimal
// RFC 4180 rule: quote a cell holding a comma, quote, CR or LF, and double its quotes.
std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view{"=+-@\t\r"}.find(text.front()) != std::string_view::npos) {
    cell += '\'';
  }
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    return cell;
  }
  std::string quoted = "\"";
  for (const char c : cell) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

// Appends one CSV record ending in CRLF.
template <class Cells>
void append_csv_record(std::string& out, const Cells& cells) {
  bool first = true;
  for (const auto& cell : cells) {
    if (!first) {
      out += ',';
    }
    out += csv_cell(cell);
    first = false;
  }
  out += "\r\n";
}

// ---- XLSX ----

struct workbook_deleter {
  void operator()(lxw_workbook* workbook) const noexcept { lxw_workbook_free(workbook); }
};
using workbook_ptr = std::unique_ptr<lxw_workbook, workbook_deleter>;

// Throws when libxlsxwriter reports an error.
void check(lxw_error error, std::string_view what) {
  if (error != LXW_NO_ERROR) {
    throw std::runtime_error("bulletin_xlsx: " + std::string{what} + ": " + lxw_strerror(error));
  }
}

// Throws when libxlsxwriter returned no object (it reports allocation and name errors so).
template <class T>
T* checked(T* object, std::string_view what) {
  if (object == nullptr) {
    throw std::runtime_error("bulletin_xlsx: " + std::string{what} + " failed");
  }
  return object;
}

// $TMPDIR, or /tmp when it is unset or empty.
std::string temporary_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? std::string{dir} : std::string{"/tmp"};
}

// A private file made by mkstemp, closed and removed when this goes out of scope.
class temporary_file {
 public:
  explicit temporary_file(const std::string& dir) : path_(dir + "/anquanli-bulletin-XXXXXX") {
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      const int error = errno;
      throw std::runtime_error("bulletin_xlsx: cannot create a temporary file in " + dir + ": " +
                               std::generic_category().message(error));
    }
  }
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;
  ~temporary_file() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  // The whole content, read through the descriptor mkstemp opened (the writer truncates the
  // same file, so this never reopens the path).
  [[nodiscard]] std::string read_all() const {
    if (::lseek(fd_, 0, SEEK_SET) != 0) {
      throw std::runtime_error("bulletin_xlsx: cannot rewind the temporary file");
    }
    std::string content;
    std::array<char, 65536> buffer{};
    for (;;) {
      const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got < 0) {
        const int error = errno;
        throw std::runtime_error("bulletin_xlsx: cannot read the temporary file: " +
                                 std::generic_category().message(error));
      }
      if (got == 0) {
        return content;
      }
      content.append(buffer.data(), static_cast<std::size_t>(got));
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

struct cell_formats {
  lxw_format* text = nullptr;
  lxw_format* integer = nullptr;
  lxw_format* percent = nullptr;
};

struct xlsx_formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  cell_formats body;
  cell_formats totals;
};

// A bordered format, bold when asked, with an optional number format.
lxw_format* bordered_format(lxw_workbook* workbook, bool bold, const char* number_format) {
  lxw_format* format = checked(workbook_add_format(workbook), "workbook_add_format");
  format_set_border(format, LXW_BORDER_THIN);
  format_set_align(format, LXW_ALIGN_VERTICAL_CENTER);
  if (bold) {
    format_set_bold(format);
  }
  if (number_format != nullptr) {
    format_set_num_format(format, number_format);
  }
  return format;
}

// Every format the workbook uses.
xlsx_formats add_formats(lxw_workbook* workbook) {
  xlsx_formats formats;
  formats.title = checked(workbook_add_format(workbook), "workbook_add_format");
  format_set_bold(formats.title);
  format_set_font_size(formats.title, 16);
  format_set_align(formats.title, LXW_ALIGN_CENTER);
  format_set_align(formats.title, LXW_ALIGN_VERTICAL_CENTER);
  formats.header = bordered_format(workbook, true, nullptr);
  format_set_align(formats.header, LXW_ALIGN_CENTER);
  format_set_text_wrap(formats.header);
  formats.body = {bordered_format(workbook, false, nullptr), bordered_format(workbook, false, "0"),
                  bordered_format(workbook, false, "0.0%")};
  formats.totals = {bordered_format(workbook, true, nullptr), bordered_format(workbook, true, "0"),
                    bordered_format(workbook, true, "0.0%")};
  return formats;
}

// Writes cells of one worksheet, throwing on the first error. Text is always a string cell.
class sheet_writer {
 public:
  explicit sheet_writer(lxw_worksheet* sheet) : sheet_(sheet) {}

  void text(lxw_row_t row, lxw_col_t col, const std::string& value, lxw_format* format) {
    check(worksheet_write_string(sheet_, row, col, value.c_str(), format),
          "worksheet_write_string");
  }
  void number(lxw_row_t row, lxw_col_t col, double value, lxw_format* format) {
    check(worksheet_write_number(sheet_, row, col, value, format), "worksheet_write_number");
  }
  // A number, or a blank cell keeping the format's border.
  void optional(lxw_row_t row, lxw_col_t col, std::optional<double> value, lxw_format* format) {
    if (value) {
      number(row, col, *value, format);
    } else {
      check(worksheet_write_blank(sheet_, row, col, format), "worksheet_write_blank");
    }
  }
  template <class Headers>
  void headers(lxw_row_t row, const Headers& names, lxw_format* format) {
    lxw_col_t col = 0;
    for (const std::string_view name : names) {
      text(row, col++, std::string{name}, format);
    }
  }
  template <std::size_t N>
  void widths(const std::array<double, N>& widths) {
    lxw_col_t col = 0;
    for (const double width : widths) {
      check(worksheet_set_column(sheet_, col, col, width, nullptr), "worksheet_set_column");
      ++col;
    }
  }
  [[nodiscard]] lxw_worksheet* sheet() const noexcept { return sheet_; }

 private:
  lxw_worksheet* sheet_;
};

std::optional<double> as_double(const std::optional<std::int64_t>& value) {
  return value ? std::optional<double>{static_cast<double>(*value)} : std::nullopt;
}

// One ranking row; the totals row shows 合计 in place of rank, code and names.
void write_ranking_row(sheet_writer& out, lxw_row_t at, const bulletin_row& row, bool totals,
                       const cell_formats& formats) {
  if (totals) {
    out.text(at, 0, "合计", formats.text);
  } else {
    out.number(at, 0, row.rank, formats.integer);
  }
  out.text(at, 1, totals ? std::string{} : row.code, formats.text);
  out.text(at, 2, totals ? std::string{} : row.name, formats.text);
  out.text(at, 3, totals ? std::string{} : row.parent_name, formats.text);
  out.number(at, 4, static_cast<double>(row.participants), formats.integer);
  out.number(at, 5, static_cast<double>(row.attempts), formats.integer);
  out.number(at, 6, static_cast<double>(row.points), formats.integer);
  out.optional(at, 7, as_double(row.headcount), formats.integer);
  out.optional(at, 8, shown_rate(row.participation_rate), formats.percent);
  out.optional(at, 9, shown_rate(row.average_correct_rate), formats.percent);
  out.number(at, 10, static_cast<double>(row.flagged_attempts), formats.integer);
}

// Sheet 通报: title, period, generation time and scope, then the ranking and its totals.
void write_ranking_sheet(lxw_workbook* workbook, const xlsx_formats& formats,
                         const bulletin& report) {
  sheet_writer out(checked(workbook_add_worksheet(workbook, "通报"), "workbook_add_worksheet"));
  constexpr lxw_row_t header_row = 4;
  out.widths(std::array<double, column_count>{6, 12, 28, 18, 10, 10, 10, 10, 10, 12, 12});
  check(worksheet_set_row(out.sheet(), 0, 30, nullptr), "worksheet_set_row");
  check(
      worksheet_merge_range(out.sheet(), 0, 0, 0, last_column, report.title.c_str(), formats.title),
      "worksheet_merge_range");
  out.text(1, 0, "统计期间：" + to_string(report.from) + " 至 " + to_string(report.to), nullptr);
  out.text(2, 0, "生成时间：" + readable_time(report), nullptr);
  out.text(3, 0, "范围：" + report.scope_name, nullptr);
  out.headers(header_row, ranking_headers(report.level), formats.header);
  lxw_row_t at = header_row + 1;
  for (const bulletin_row& row : report.rows) {
    write_ranking_row(out, at++, row, false, formats.body);
  }
  write_ranking_row(out, at, report.totals, true, formats.totals);
  worksheet_freeze_panes(out.sheet(), header_row + 1, 0);
  check(worksheet_repeat_rows(out.sheet(), header_row, header_row), "worksheet_repeat_rows");
  worksheet_set_landscape(out.sheet());
  worksheet_set_paper(out.sheet(), 9);  // A4
  worksheet_fit_to_pages(out.sheet(), 1, 0);
}

// Sheet 未参与单位: the units without a single participant.
void write_zero_participation_sheet(lxw_workbook* workbook, const xlsx_formats& formats,
                                    const bulletin& report) {
  sheet_writer out(
      checked(workbook_add_worksheet(workbook, "未参与单位"), "workbook_add_worksheet"));
  out.widths(std::array<double, zero_headers.size()>{14, 30, 20, 10});
  out.headers(0, zero_headers, formats.header);
  lxw_row_t at = 1;
  for (const zero_participation_unit& unit : report.zero_participation) {
    out.text(at, 0, unit.id, formats.body.text);
    out.text(at, 1, unit.name, formats.body.text);
    out.text(at, 2, unit.region_name, formats.body.text);
    out.number(at, 3, static_cast<double>(unit.headcount), formats.body.integer);
    ++at;
  }
  worksheet_freeze_panes(out.sheet(), 1, 0);
  check(worksheet_repeat_rows(out.sheet(), 0, 0), "worksheet_repeat_rows");
  worksheet_set_paper(out.sheet(), 9);  // A4
  worksheet_fit_to_pages(out.sheet(), 1, 0);
}

// Title and creation time of the document, so the same bulletin gives the same bytes.
void set_properties(lxw_workbook* workbook, const bulletin& report) {
  std::string title = report.title;
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.created = std::chrono::system_clock::to_time_t(report.generated_at);
  check(workbook_set_properties(workbook, &properties), "workbook_set_properties");
}

// ---- HTML ----

// Text safe inside HTML elements and quoted attributes.
std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

enum class html_row_kind { header, body, totals };

// One table row: header cells are <th scope="col">, the totals' first cell is <th scope="row">.
template <class Cells>
void append_html_row(std::string& out, const Cells& cells, html_row_kind kind) {
  out += "<tr>";
  bool first = true;
  for (const auto& cell : cells) {
    const bool row_header = kind == html_row_kind::totals && first;
    out += kind == html_row_kind::header ? "<th scope=\"col\">"
           : row_header                  ? "<th scope=\"row\">"
                                         : "<td>";
    out += html_escape(cell);
    out += kind == html_row_kind::header || row_header ? "</th>" : "</td>";
    first = false;
  }
  out += "</tr>\n";
}

std::string_view ranking_caption(bulletin_level level) {
  switch (level) {
    case bulletin_level::city: return "各市参与情况（按参与人数排名）";
    case bulletin_level::county: return "各县（市、区）参与情况（按参与人数排名）";
    case bulletin_level::unit: return "各单位参与情况（按参与人数排名）";
  }
  return "参与情况（按参与人数排名）";
}

// The ranking table with its totals in tfoot.
void append_ranking_table(std::string& out, const bulletin& report) {
  out.append("<table>\n<caption>").append(ranking_caption(report.level)).append("</caption>\n");
  out += "<thead>\n";
  append_html_row(out, ranking_headers(report.level), html_row_kind::header);
  out += "</thead>\n<tbody>\n";
  for (const bulletin_row& row : report.rows) {
    append_html_row(out, ranking_texts(row, false, "—"), html_row_kind::body);
  }
  out += "</tbody>\n<tfoot>\n";
  append_html_row(out, ranking_texts(report.totals, true, "—"), html_row_kind::totals);
  out += "</tfoot>\n</table>\n";
}

// The 未参与单位 section: a table, or a sentence when every unit took part.
void append_zero_participation(std::string& out, const bulletin& report) {
  out += "<section>\n<h2>未参与单位</h2>\n";
  if (report.zero_participation.empty()) {
    out += "<p>无。</p>\n</section>\n";
    return;
  }
  out.append("<table>\n<caption>未参与单位（")
      .append(std::to_string(report.zero_participation.size()))
      .append(" 个）</caption>\n<thead>\n");
  append_html_row(out, zero_headers, html_row_kind::header);
  out += "</thead>\n<tbody>\n";
  for (const zero_participation_unit& unit : report.zero_participation) {
    const std::array<std::string, 4> cells{unit.id, unit.name, unit.region_name,
                                           std::to_string(unit.headcount)};
    append_html_row(out, cells, html_row_kind::body);
  }
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace

json::value bulletin_json(const bulletin& report) {
  json::array rows;
  for (const bulletin_row& row : report.rows) {
    rows.emplace_back(row_json(row, true));
  }
  json::array zero;
  for (const zero_participation_unit& unit : report.zero_participation) {
    zero.push_back(json::object{{"id", unit.id},
                                {"name", unit.name},
                                {"region", unit.region_name},
                                {"headcount", unit.headcount}});
  }
  return json::object{
      {"title", report.title},
      {"scope", json::object{{"code", report.scope_code}, {"name", report.scope_name}}},
      {"from", to_string(report.from)},
      {"to", to_string(report.to)},
      {"level", to_string(report.level)},
      {"generated_at", format_rfc3339(report.generated_at, report.offset)},
      {"rows", std::move(rows)},
      {"totals", row_json(report.totals, false)},
      {"zero_participation", std::move(zero)}};
}

std::string bulletin_csv(const bulletin& report) {
  std::string out = "\xEF\xBB\xBF";
  append_csv_record(out, ranking_headers(report.level));
  for (const bulletin_row& row : report.rows) {
    append_csv_record(out, ranking_texts(row, false, ""));
  }
  append_csv_record(out, ranking_texts(report.totals, true, ""));
  out += "\r\n";
  append_csv_record(out, std::array<std::string_view, 1>{"未参与单位"});
  append_csv_record(out, zero_headers);
  for (const zero_participation_unit& unit : report.zero_participation) {
    append_csv_record(out, std::array<std::string, 4>{unit.id, unit.name, unit.region_name,
                                                      std::to_string(unit.headcount)});
  }
  return out;
}

std::string bulletin_xlsx(const bulletin& report) {
  std::string dir = temporary_directory();
  const temporary_file file(dir);
  lxw_workbook_options options{};
  options.tmpdir = dir.data();
  workbook_ptr workbook(workbook_new_opt(file.path().c_str(), &options));
  checked(workbook.get(), "workbook_new_opt");
  const xlsx_formats formats = add_formats(workbook.get());
  write_ranking_sheet(workbook.get(), formats, report);
  write_zero_participation_sheet(workbook.get(), formats, report);
  set_properties(workbook.get(), report);
  check(workbook_close(workbook.release()), "workbook_close");
  return file.read_all();
}

std::string bulletin_html(const bulletin& report) {
  const std::string title = html_escape(report.title);
  const std::string generated = format_rfc3339(report.generated_at, report.offset);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out.append("<title>").append(title).append("</title>\n");
  out += "<link rel=\"stylesheet\" href=\"/print.css\">\n</head>\n<body>\n<main>\n";
  out.append("<h1>").append(title).append("</h1>\n");
  out.append("<p>范围：").append(html_escape(report.scope_name)).append("</p>\n");
  out.append("<p>统计期间：<time datetime=\"").append(to_string(report.from)).append("\">");
  out.append(to_string(report.from)).append("</time> 至 <time datetime=\"");
  out.append(to_string(report.to)).append("\">").append(to_string(report.to));
  out.append("</time></p>\n<p>生成时间：<time datetime=\"").append(generated).append("\">");
  out.append(readable_time(report)).append("</time></p>\n");
  append_ranking_table(out, report);
  append_zero_participation(out, report);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  append_csv_record(out, cells);
  return out;
}

}  // namespace anquanli
