#include "server/report/reporting_render.hpp"

#include <xlsxwriter.h>
#include <array>
#include <charconv>
#include <stdexcept>

#include "server/report/bulletin_render.hpp"
#include "server/report/xlsx_file.hpp"

namespace anquanli {

namespace {

constexpr std::array<std::string_view, 6> lead_headers{"序号", "填报单位", "所属地区",
                                                       "状态", "版本",     "报送时间"};

// "2021-06-16 09:02" in the competition's time zone.
std::string readable_time(instant at, utc_offset offset) {
  std::string text = format_rfc3339(at, offset).substr(0, 16);
  if (text.size() > 10) {
    text[10] = ' ';
  }
  return text;
}

std::vector<std::string> row_cells(const reporting_form& form, const reporting_status_row& row,
                                   std::size_t index, utc_offset offset) {
  std::vector<std::string> cells{std::to_string(index), row.filer.display_name(),
                                 row.filer.region_name, std::string{reporting_state_text(row)}};
  if (!row.latest) {
    cells.resize(lead_headers.size() + form.fields.size());
    return cells;
  }
  cells.push_back(std::to_string(row.latest->version));
  cells.push_back(readable_time(row.latest->submitted_at, offset));
  for (const reporting_field& field : form.fields) {
    const auto value = row.latest->values.find(std::string{field.key});
    cells.push_back(value == row.latest->values.end() ? std::string{} : value->second);
  }
  return cells;
}

std::vector<std::string> totals_cells(const reporting_form& form,
                                      const std::vector<reporting_status_row>& rows) {
  std::size_t submitted = 0;
  for (const reporting_status_row& row : rows) {
    submitted += row.latest ? 1 : 0;
  }
  std::vector<std::string> cells{
      "合计", "",
      "",     "已报送 " + std::to_string(submitted) + " / 共 " + std::to_string(rows.size()),
      "",     ""};
  for (const reporting_field& field : form.fields) {
    if (field.kind != reporting_field_kind::count) {
      cells.emplace_back();
      continue;
    }
    std::int64_t sum = 0;
    for (const reporting_status_row& row : rows) {
      sum += row.latest ? reporting_count(row.latest->values, field.key) : 0;
    }
    cells.push_back(std::to_string(sum));
  }
  return cells;
}

// Throws when libxlsxwriter reports an error.
void check(lxw_error error, std::string_view what) {
  if (error != LXW_NO_ERROR) {
    throw std::runtime_error("reporting_xlsx: " + std::string{what} + ": " + lxw_strerror(error));
  }
}

lxw_format* bordered(lxw_workbook* workbook, bool bold) {
  lxw_format* format = workbook_add_format(workbook);
  if (format == nullptr) {
    throw std::runtime_error("reporting_xlsx: workbook_add_format failed");
  }
  format_set_border(format, LXW_BORDER_THIN);
  format_set_align(format, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(format);
  if (bold) {
    format_set_bold(format);
  }
  return format;
}

// A cell: a number when the column is a count and the text is one, else a string.
void write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const reporting_sheet& table,
                const std::string& text, lxw_format* format) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (table.numeric[col] && !text.empty() && error == std::errc{} &&
      end == text.data() + text.size()) {
    check(worksheet_write_number(sheet, row, col, static_cast<double>(number), format),
          "worksheet_write_number");
    return;
  }
  check(worksheet_write_string(sheet, row, col, text.c_str(), format), "worksheet_write_string");
}

// Row 1: the 活动项目 merged over their counts; lead columns merged down into row 2.
void write_group_row(lxw_worksheet* sheet, const reporting_sheet& table, lxw_format* header) {
  const auto last = static_cast<lxw_col_t>(table.headers.size());
  lxw_col_t col = 0;
  while (col < last) {
    lxw_col_t end = col;
    while (end + 1 < last && table.groups[end + 1] == table.groups[col]) {
      ++end;
    }
    if (table.groups[col].empty()) {
      for (lxw_col_t one = col; one <= end; ++one) {
        check(worksheet_merge_range(sheet, 1, one, 2, one, table.headers[one].c_str(), header),
              "worksheet_merge_range");
      }
    } else {
      check(worksheet_merge_range(sheet, 1, col, 1, end, table.groups[col].c_str(), header),
            "worksheet_merge_range");
      for (lxw_col_t one = col; one <= end; ++one) {
        check(worksheet_write_string(sheet, 2, one, table.headers[one].c_str(), header),
              "worksheet_write_string");
      }
    }
    col = static_cast<lxw_col_t>(end + 1);
  }
}

void write_sheet(lxw_workbook* workbook, const reporting_sheet& table) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "报表");
  if (sheet == nullptr) {
    throw std::runtime_error("reporting_xlsx: workbook_add_worksheet failed");
  }
  lxw_format* title = workbook_add_format(workbook);
  format_set_bold(title);
  format_set_font_size(title, 16);
  format_set_align(title, LXW_ALIGN_CENTER);
  lxw_format* header = bordered(workbook, true);
  format_set_align(header, LXW_ALIGN_CENTER);
  lxw_format* body = bordered(workbook, false);
  lxw_format* totals = bordered(workbook, true);
  const auto columns = static_cast<lxw_col_t>(table.headers.size());
  const auto last = static_cast<lxw_col_t>(columns - 1);
  check(worksheet_merge_range(sheet, 0, 0, 0, last, table.title.c_str(), title),
        "worksheet_merge_range");
  write_group_row(sheet, table, header);
  check(worksheet_set_column(sheet, 0, 0, 6, nullptr), "worksheet_set_column");
  check(worksheet_set_column(sheet, 1, last, 16, nullptr), "worksheet_set_column");
  lxw_row_t at = 3;
  for (const auto& cells : table.rows) {
    for (lxw_col_t col = 0; col < columns; ++col) {
      write_cell(sheet, at, col, table, cells[col], body);
    }
    ++at;
  }
  if (table.totals) {
    for (lxw_col_t col = 0; col < columns; ++col) {
      write_cell(sheet, at, col, table, (*table.totals)[col], totals);
    }
  }
  check(worksheet_repeat_rows(sheet, 1, 2), "worksheet_repeat_rows");
}

}  // namespace

std::string_view reporting_state_text(const reporting_status_row& row) {
  if (row.latest) {
    return row.latest->late ? "逾期报送" : "已报送";
  }
  return row.draft_saved_at ? "草稿未报送" : "未填报";
}

reporting_sheet make_reporting_sheet(reporting_form_kind kind,
                                     const std::vector<reporting_status_row>& rows,
                                     utc_offset offset) {
  const reporting_form& form = reporting_form_of(kind);
  reporting_sheet sheet;
  sheet.title = std::string{form.title};
  for (const std::string_view header : lead_headers) {
    sheet.headers.emplace_back(header);
    sheet.groups.emplace_back();
    sheet.numeric.push_back(false);
  }
  sheet.numeric[0] = true;
  sheet.numeric[4] = true;
  for (const reporting_field& field : form.fields) {
    sheet.headers.emplace_back(field.label);
    sheet.groups.emplace_back(field.group);
    sheet.numeric.push_back(field.kind == reporting_field_kind::count);
  }
  std::size_t index = 0;
  for (const reporting_status_row& row : rows) {
    sheet.rows.push_back(row_cells(form, row, ++index, offset));
  }
  if (kind == reporting_form_kind::progress) {
    sheet.totals = totals_cells(form, rows);
  }
  return sheet;
}

std::string reporting_csv(const reporting_sheet& sheet) {
  std::string out = "\xEF\xBB\xBF";
  out += csv_line(sheet.headers);
  for (const auto& cells : sheet.rows) {
    out += csv_line(cells);
  }
  if (sheet.totals) {
    out += csv_line(*sheet.totals);
  }
  return out;
}

std::string reporting_xlsx(const reporting_sheet& sheet) {
  return xlsx_bytes("reporting_xlsx",
                    [&sheet](lxw_workbook* workbook) { write_sheet(workbook, sheet); });
}

}  // namespace anquanli
