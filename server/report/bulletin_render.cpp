// The bulletin in four formats. The formats share the column order and the cell texts, and every
// figure column is named and labelled from bulletin_figures.hpp; each format then guards
// untrusted names its own way (see the header). libxlsxwriter 1.1.4 can only write to a file, so
// the XLSX goes through a private mkstemp file that is always removed.
#include "server/report/bulletin_render.hpp"

#include <algorithm>
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
#include <variant>

#include <unistd.h>
#include <xlsxwriter.h>
#include <boost/json.hpp>

#include "server/report/official_date.hpp"
#include "server/store/bulletin_figures.hpp"

namespace anquanli {

namespace json = boost::json;

namespace {

// A figure's value in one row: a count, a count that may be unknown, a rate, or a flag.
struct rate_value {
  std::optional<double> value;
};
using figure_value = std::variant<std::int64_t, std::optional<std::int64_t>, rate_value, bool>;

std::optional<std::int64_t> optional_count(std::optional<int> value) {
  return value ? std::optional<std::int64_t>{*value} : std::nullopt;
}

// A figure column: its name in bulletin_figures and how a row of type Row gives it.
template <class Row>
struct figure_column {
  std::string_view figure;
  figure_value (*value)(const Row&);
};

// The ranking's figures, in column order. The first seven are the bulletin's original columns;
// later ones were appended so that older spreadsheets keep their columns where they were.
constexpr std::array<figure_column<bulletin_row>, 17> ranking_columns{{
    {"participants", [](const bulletin_row& row) -> figure_value { return row.participants; }},
    {"attempts", [](const bulletin_row& row) -> figure_value { return row.attempts; }},
    {"points", [](const bulletin_row& row) -> figure_value { return row.points; }},
    {"headcount", [](const bulletin_row& row) -> figure_value { return row.headcount; }},
    {"participation_rate",
     [](const bulletin_row& row) -> figure_value { return rate_value{row.participation_rate}; }},
    {"average_correct_rate",
     [](const bulletin_row& row) -> figure_value { return rate_value{row.average_correct_rate}; }},
    {"flagged_attempts",
     [](const bulletin_row& row) -> figure_value { return row.flagged_attempts; }},
    {"participants_with_unit",
     [](const bulletin_row& row) -> figure_value { return row.participants_with_unit; }},
    {"attempts_with_unit",
     [](const bulletin_row& row) -> figure_value { return row.attempts_with_unit; }},
    {"participants_public",
     [](const bulletin_row& row) -> figure_value { return row.participants_public; }},
    {"attempts_public",
     [](const bulletin_row& row) -> figure_value { return row.attempts_public; }},
    {"rate_capped", [](const bulletin_row& row) -> figure_value { return row.rate_capped; }},
    {"target", [](const bulletin_row& row) -> figure_value { return row.target; }},
    {"target_rate",
     [](const bulletin_row& row) -> figure_value { return rate_value{row.target_rate}; }},
    {"previous_rank",
     [](const bulletin_row& row) -> figure_value { return optional_count(row.previous_rank); }},
    {"rank_change",
     [](const bulletin_row& row) -> figure_value { return optional_count(row.rank_change); }},
    {"new_participants",
     [](const bulletin_row& row) -> figure_value { return row.new_participants; }},
}};

constexpr std::array<figure_column<public_row>, 3> public_columns{{
    {"participants_public",
     [](const public_row& row) -> figure_value { return row.participants_public; }},
    {"attempts_public", [](const public_row& row) -> figure_value { return row.attempts_public; }},
    {"points_public", [](const public_row& row) -> figure_value { return row.points_public; }},
}};

// Rank, code, name and parent come before the figures of both rankings.
constexpr std::size_t lead_count = 4;
constexpr std::size_t column_count = lead_count + ranking_columns.size();
constexpr std::size_t public_column_count = lead_count + public_columns.size();
constexpr lxw_col_t last_column = column_count - 1;

// What the office reads under the title: the two populations and the rate's definition.
constexpr std::string_view populations_note =
    "参与率 = 干部职工参与人数 ÷ 职工人数，不超过 "
    "100%；社会公众（未选择单位的参与者）不计入参与率，"
    "另行排名；参与人数、参与人次为两者之和。";

std::string_view name_header(bulletin_level level) {
  return level == bulletin_level::unit ? "单位" : "地区";
}

// The headers of a ranking: rank, code, name, parent, then each figure's label.
template <class Row, std::size_t N>
std::vector<std::string_view> headers_of(bulletin_level level,
                                         const std::array<figure_column<Row>, N>& columns) {
  std::vector<std::string_view> headers{"排名", "编码", name_header(level), "上级地区"};
  for (const auto& column : columns) {
    headers.push_back(figure_label(column.figure));
  }
  return headers;
}

std::vector<std::string_view> ranking_headers(bulletin_level level) {
  return headers_of(level, ranking_columns);
}

std::vector<std::string_view> public_headers(bulletin_level level) {
  return headers_of(level, public_columns);
}

constexpr std::array<std::string_view, 4> zero_headers{"编码", "单位", "所在地区", "职工人数"};

std::array<std::string_view, 5> headcount_problem_headers() {
  return {"编码", "单位", "所在地区", figure_label("headcount"),
          figure_label("participants_with_unit")};
}

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

// The text of a raised flag; a lowered one is an empty cell.
constexpr std::string_view flag_text = "是";

std::string value_text(const figure_value& value, std::string_view missing) {
  if (const auto* count = std::get_if<std::int64_t>(&value)) {
    return std::to_string(*count);
  }
  if (const auto* maybe = std::get_if<std::optional<std::int64_t>>(&value)) {
    return *maybe ? std::to_string(**maybe) : std::string{missing};
  }
  if (const auto* rate = std::get_if<rate_value>(&value)) {
    return percent_text(rate->value, missing);
  }
  return std::get<bool>(value) ? std::string{flag_text} : std::string{};
}

// Rank, code, name and parent of a row; the totals row shows 合计 in their place.
template <class Row>
std::vector<std::string> lead_texts(const Row& row, bool totals) {
  if (totals) {
    return {"合计", "", "", ""};
  }
  return {std::to_string(row.rank), row.code, row.name, row.parent_name};
}

// The cells of a ranking row as text.
template <class Row, std::size_t N>
std::vector<std::string> row_texts(const Row& row, bool totals,
                                   const std::array<figure_column<Row>, N>& columns,
                                   std::string_view missing) {
  std::vector<std::string> cells = lead_texts(row, totals);
  for (const auto& column : columns) {
    cells.push_back(value_text(column.value(row), missing));
  }
  return cells;
}

std::vector<std::string> ranking_texts(const bulletin_row& row, bool totals,
                                       std::string_view missing) {
  return row_texts(row, totals, ranking_columns, missing);
}

std::vector<std::string> public_texts(const public_row& row, bool totals,
                                      std::string_view missing) {
  return row_texts(row, totals, public_columns, missing);
}

std::array<std::string, 4> zero_texts(const zero_participation_unit& unit) {
  return {unit.id, unit.name, unit.region_name, std::to_string(unit.headcount)};
}

std::array<std::string, 5> problem_texts(const headcount_problem& problem) {
  return {problem.id, problem.name, problem.region_name, std::to_string(problem.headcount),
          std::to_string(problem.participants_with_unit)};
}

// "2021年6月16日 09:00": when the numbers were read, for people (China time of the bulletin).
std::string readable_time(const bulletin& report) {
  return readable_moment(report.generated_at, report.offset);
}

// ---- JSON ----

json::value value_json(const figure_value& value) {
  if (const auto* count = std::get_if<std::int64_t>(&value)) {
    return json::value(*count);
  }
  if (const auto* maybe = std::get_if<std::optional<std::int64_t>>(&value)) {
    return *maybe ? json::value(**maybe) : json::value(nullptr);
  }
  if (const auto* rate = std::get_if<rate_value>(&value)) {
    const auto shown = shown_rate(rate->value);
    return shown ? json::value(*shown) : json::value(nullptr);
  }
  return json::value(std::get<bool>(value));
}

// One row as an object keyed by the figures' names; the totals leave out the rank.
template <class Row, std::size_t N>
json::object row_json(const Row& row, bool with_rank,
                      const std::array<figure_column<Row>, N>& columns) {
  json::object object;
  if (with_rank) {
    object["rank"] = row.rank;
  }
  object["code"] = row.code;
  object["name"] = row.name;
  object["parent"] = row.parent_name;
  for (const auto& column : columns) {
    object[column.figure] = value_json(column.value(row));
  }
  return object;
}

json::object public_json(const public_ranking& ranking) {
  json::array rows;
  for (const public_row& row : ranking.rows) {
    rows.emplace_back(row_json(row, true, public_columns));
  }
  return json::object{{"level", to_string(ranking.level)},
                      {"rows", std::move(rows)},
                      {"totals", row_json(ranking.totals, false, public_columns)}};
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

// One figure in its cell: counts as integers, rates as percentages, a flag as text.
void write_value(sheet_writer& out, lxw_row_t at, lxw_col_t col, const figure_value& value,
                 const cell_formats& formats) {
  if (const auto* count = std::get_if<std::int64_t>(&value)) {
    out.number(at, col, static_cast<double>(*count), formats.integer);
  } else if (const auto* maybe = std::get_if<std::optional<std::int64_t>>(&value)) {
    out.optional(at, col,
                 *maybe ? std::optional<double>{static_cast<double>(**maybe)} : std::nullopt,
                 formats.integer);
  } else if (const auto* rate = std::get_if<rate_value>(&value)) {
    out.optional(at, col, shown_rate(rate->value), formats.percent);
  } else {
    out.text(at, col, value_text(value, ""), formats.text);
  }
}

// One row of a ranking; the totals row shows 合计 in place of rank, code and names.
template <class Row, std::size_t N>
void write_row(sheet_writer& out, lxw_row_t at, const Row& row, bool totals,
               const std::array<figure_column<Row>, N>& columns, const cell_formats& formats) {
  if (totals) {
    out.text(at, 0, "合计", formats.text);
  } else {
    out.number(at, 0, row.rank, formats.integer);
  }
  out.text(at, 1, totals ? std::string{} : row.code, formats.text);
  out.text(at, 2, totals ? std::string{} : row.name, formats.text);
  out.text(at, 3, totals ? std::string{} : row.parent_name, formats.text);
  lxw_col_t col = lead_count;
  for (const auto& column : columns) {
    write_value(out, at, col++, column.value(row), formats);
  }
}

// Printing and navigation shared by every sheet: the header row frozen and repeated, A4.
void finish_sheet(sheet_writer& out, lxw_row_t header_row, bool landscape) {
  worksheet_freeze_panes(out.sheet(), header_row + 1, 0);
  check(worksheet_repeat_rows(out.sheet(), header_row, header_row), "worksheet_repeat_rows");
  if (landscape) {
    worksheet_set_landscape(out.sheet());
  }
  worksheet_set_paper(out.sheet(), 9);  // A4
  worksheet_fit_to_pages(out.sheet(), 1, 0);
}

// Sheet 通报: title, period, generation time, scope and the populations' note, then the ranking
// and its totals.
void write_ranking_sheet(lxw_workbook* workbook, const xlsx_formats& formats,
                         const bulletin& report) {
  sheet_writer out(checked(workbook_add_worksheet(workbook, "通报"), "workbook_add_worksheet"));
  constexpr lxw_row_t header_row = 5;
  out.widths(std::array<double, column_count>{6, 12, 28, 18, 10, 10, 10, 10, 10, 12, 12, 12, 12, 12,
                                              12, 10});
  check(worksheet_set_row(out.sheet(), 0, 30, nullptr), "worksheet_set_row");
  check(
      worksheet_merge_range(out.sheet(), 0, 0, 0, last_column, report.title.c_str(), formats.title),
      "worksheet_merge_range");
  out.text(1, 0, "统计期间：" + to_string(report.from) + " 至 " + to_string(report.to), nullptr);
  out.text(2, 0, "生成时间：" + readable_time(report), nullptr);
  out.text(3, 0, "范围：" + report.scope_name, nullptr);
  out.text(4, 0, std::string{populations_note}, nullptr);
  out.headers(header_row, ranking_headers(report.level), formats.header);
  lxw_row_t at = header_row + 1;
  for (const bulletin_row& row : report.rows) {
    write_row(out, at++, row, false, ranking_columns, formats.body);
  }
  write_row(out, at, report.totals, true, ranking_columns, formats.totals);
  finish_sheet(out, header_row, true);
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
  finish_sheet(out, 0, false);
}

// Sheet 社会公众: the separate ranking of participants without a unit, with its totals.
void write_public_sheet(lxw_workbook* workbook, const xlsx_formats& formats,
                        const bulletin& report) {
  sheet_writer out(checked(workbook_add_worksheet(workbook, "社会公众"), "workbook_add_worksheet"));
  const public_ranking& ranking = report.public_participation;
  out.widths(std::array<double, public_column_count>{6, 12, 28, 18, 12, 12, 12});
  out.headers(0, public_headers(ranking.level), formats.header);
  lxw_row_t at = 1;
  for (const public_row& row : ranking.rows) {
    write_row(out, at++, row, false, public_columns, formats.body);
  }
  write_row(out, at, ranking.totals, true, public_columns, formats.totals);
  finish_sheet(out, 0, false);
}

// Sheet 职工人数异常: the units whose headcount is lower than their participants.
void write_headcount_problems_sheet(lxw_workbook* workbook, const xlsx_formats& formats,
                                    const bulletin& report) {
  sheet_writer out(
      checked(workbook_add_worksheet(workbook, "职工人数异常"), "workbook_add_worksheet"));
  out.widths(std::array<double, 5>{14, 30, 20, 10, 16});
  out.headers(0, headcount_problem_headers(), formats.header);
  lxw_row_t at = 1;
  for (const headcount_problem& problem : report.headcount_problems) {
    out.text(at, 0, problem.id, formats.body.text);
    out.text(at, 1, problem.name, formats.body.text);
    out.text(at, 2, problem.region_name, formats.body.text);
    out.number(at, 3, static_cast<double>(problem.headcount), formats.body.integer);
    out.number(at, 4, static_cast<double>(problem.participants_with_unit), formats.body.integer);
    ++at;
  }
  finish_sheet(out, 0, false);
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

// The ranking's caption: what the rows are and what they are ranked by.
std::string ranking_caption(const bulletin& report) {
  std::string caption = report.level == bulletin_level::city     ? "各市参与情况"
                        : report.level == bulletin_level::county ? "各县（市、区）参与情况"
                                                                 : "各单位参与情况";
  if (report.sector) {
    caption += "（" + *report.sector + "行业）";
  }
  switch (report.rank_by) {
    case bulletin_rank_by::participants:
      caption += report.level == bulletin_level::unit ? "（按参与人数排名）"
                                                      : "（按干部职工参与人数排名）";
      break;
    case bulletin_rank_by::rate:
      caption += report.level == bulletin_level::unit ? "（按参与率排名）"
                                                      : "（按完成率排名，无任务数的按参与率）";
      break;
    case bulletin_rank_by::points: caption += "（按积分排名）"; break;
    case bulletin_rank_by::attempts: caption += "（按参与人次排名）"; break;
  }
  if (report.compare_to) {
    caption += "，排名变化对比截至" + std::string{to_string(*report.compare_to)};
  } else if (report.compared_snapshot) {
    caption += "，排名变化对比" +
               readable_moment(report.compared_snapshot->generated_at, report.offset) + "的快照";
  }
  return caption;
}

json::value compared_snapshot_json(const bulletin& report) {
  if (!report.compared_snapshot) {
    return nullptr;
  }
  return json::object{
      {"id", report.compared_snapshot->snapshot_id},
      {"generated_at", format_rfc3339(report.compared_snapshot->generated_at, report.offset)}};
}

std::string_view public_caption(bulletin_level level) {
  return level == bulletin_level::city ? "各市社会公众参与情况（按社会公众参与人数排名）"
                                       : "各县（市、区）社会公众参与情况（按社会公众参与人数排名）";
}

}  // namespace

json::value bulletin_json(const bulletin& report) {
  json::array rows;
  for (const bulletin_row& row : report.rows) {
    rows.emplace_back(row_json(row, true, ranking_columns));
  }
  json::array zero;
  for (const zero_participation_unit& unit : report.zero_participation) {
    zero.push_back(json::object{{"id", unit.id},
                                {"name", unit.name},
                                {"region", unit.region_name},
                                {"headcount", unit.headcount}});
  }
  json::array problems;
  for (const headcount_problem& problem : report.headcount_problems) {
    problems.push_back(json::object{{"id", problem.id},
                                    {"name", problem.name},
                                    {"region", problem.region_name},
                                    {"headcount", problem.headcount},
                                    {"participants_with_unit", problem.participants_with_unit}});
  }
  return json::object{
      {"title", report.title},
      {"scope", json::object{{"code", report.scope_code}, {"name", report.scope_name}}},
      {"from", to_string(report.from)},
      {"to", to_string(report.to)},
      {"level", to_string(report.level)},
      {"rank_by", to_string(report.rank_by)},
      {"sector", report.sector ? json::value(*report.sector) : json::value(nullptr)},
      {"compare_to",
       report.compare_to ? json::value(to_string(*report.compare_to)) : json::value(nullptr)},
      {"compared_snapshot", compared_snapshot_json(report)},
      {"generated_at", format_rfc3339(report.generated_at, report.offset)},
      {"rows", std::move(rows)},
      {"totals", row_json(report.totals, false, ranking_columns)},
      {"public", public_json(report.public_participation)},
      {"zero_participation", std::move(zero)},
      {"headcount_problems", std::move(problems)}};
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
    append_csv_record(out, zero_texts(unit));
  }
  const public_ranking& ranking = report.public_participation;
  out += "\r\n";
  append_csv_record(out, std::array<std::string_view, 1>{"社会公众参与情况"});
  append_csv_record(out, public_headers(ranking.level));
  for (const public_row& row : ranking.rows) {
    append_csv_record(out, public_texts(row, false, ""));
  }
  append_csv_record(out, public_texts(ranking.totals, true, ""));
  out += "\r\n";
  append_csv_record(out, std::array<std::string_view, 1>{"职工人数异常的单位"});
  append_csv_record(out, headcount_problem_headers());
  for (const headcount_problem& problem : report.headcount_problems) {
    append_csv_record(out, problem_texts(problem));
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
  write_public_sheet(workbook.get(), formats, report);
  write_headcount_problems_sheet(workbook.get(), formats, report);
  set_properties(workbook.get(), report);
  check(workbook_close(workbook.release()), "workbook_close");
  return file.read_all();
}

std::string bulletin_ranking_caption(const bulletin& report) {
  return ranking_caption(report);
}

std::string bulletin_public_caption(const bulletin& report) {
  return std::string{public_caption(report.public_participation.level)};
}

std::string_view bulletin_populations_note() {
  return populations_note;
}

std::string escape_html(std::string_view text) {
  return html_escape(text);
}

namespace {

// Which of the ranking's columns the circulation form keeps: no codes and no internal columns;
// targets and the comparison's columns only when the bulletin has them.
std::vector<bool> kept_columns(const bulletin& report) {
  const bool targets = report.totals.target.has_value() ||
                       std::any_of(report.rows.begin(), report.rows.end(),
                                   [](const bulletin_row& row) { return row.target.has_value(); });
  std::vector<bool> kept(column_count, true);
  kept[1] = false;  // 编码
  for (std::size_t at = 0; at < ranking_columns.size(); ++at) {
    const std::string_view figure = ranking_columns[at].figure;
    const bool internal = figure == "flagged_attempts" || figure == "rate_capped";
    const bool target = figure == "target" || figure == "target_rate";
    const bool movement =
        figure == "previous_rank" || figure == "rank_change" || figure == "new_participants";
    kept[lead_count + at] =
        !internal && (!target || targets) && (!movement || has_movement(report));
  }
  return kept;
}

template <class Cells>
std::vector<std::string> pick(const Cells& cells, const std::vector<bool>& kept) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < cells.size(); ++at) {
    if (at >= kept.size() || kept[at]) {
      out.emplace_back(cells[at]);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> zero_participation_headers(bool full) {
  std::vector<std::string> headers;
  for (std::size_t at = full ? 0 : 1; at < zero_headers.size(); ++at) {
    headers.emplace_back(zero_headers.at(at));
  }
  return headers;
}

std::vector<std::string> zero_participation_cells(const zero_participation_unit& unit, bool full) {
  const auto cells = zero_texts(unit);
  return {cells.begin() + (full ? 0 : 1), cells.end()};
}

void append_html_table(std::string& out, std::string_view caption, const text_table& table,
                       bool with_totals) {
  out.append("<table>\n<caption>").append(html_escape(caption)).append("</caption>\n");
  out += "<thead>\n";
  append_html_row(out, table.headers, html_row_kind::header);
  out += "</thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    append_html_row(out, row, html_row_kind::body);
  }
  out += "</tbody>\n";
  if (with_totals) {
    out += "<tfoot>\n";
    append_html_row(out, table.totals, html_row_kind::totals);
    out += "</tfoot>\n";
  }
  out += "</table>\n";
}

namespace {

// A ranking's cells under `kept`: the header, each row and the 合计 row.
template <class Row, class Headers, class Texts>
text_table table_of(const Headers& headers, const std::vector<Row>& rows, const Row& totals,
                    Texts texts, const std::vector<bool>& kept, std::string_view missing) {
  text_table table;
  table.headers = pick(headers, kept);
  for (const Row& row : rows) {
    table.rows.push_back(pick(texts(row, false, missing), kept));
  }
  table.totals = pick(texts(totals, true, missing), kept);
  return table;
}

}  // namespace

text_table bulletin_ranking_table(const bulletin& report, bool full, std::string_view missing) {
  const std::vector<bool> kept =
      full ? std::vector<bool>(column_count, true) : kept_columns(report);
  return table_of(ranking_headers(report.level), report.rows, report.totals, ranking_texts, kept,
                  missing);
}

text_table bulletin_public_table(const bulletin& report, bool full, std::string_view missing) {
  std::vector<bool> kept(public_column_count, true);
  kept[1] = full;  // 编码
  const public_ranking& ranking = report.public_participation;
  return table_of(public_headers(ranking.level), ranking.rows, ranking.totals, public_texts, kept,
                  missing);
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  append_csv_record(out, cells);
  return out;
}

}  // namespace anquanli
