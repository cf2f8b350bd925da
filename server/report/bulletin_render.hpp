// Turns a participation bulletin (bulletin.hpp) into what people and programs read: JSON for the
// API, CSV and XLSX for Excel, and the tables the issued document (bulletin_document.hpp) prints.
// Region and unit names come from imported directories, so every format treats them as untrusted
// text: CSV cells are neutralised against formula injection, XLSX cells are always written as
// strings, HTML is escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "server/store/bulletin.hpp"

namespace anquanli {

// The bulletin as JSON: rows and totals keyed by the figures' names (bulletin_figures.hpp), the
// separate ranking of participants without a unit under "public", the units that did not take
// part and the units whose headcount is lower than their participants. Rates are fractions
// (0.125), null when unknown.
[[nodiscard]] boost::json::value bulletin_json(const bulletin& report);

// UTF-8 CSV with a BOM, CRLF line ends and RFC 4180 quoting, ready for Excel: the ranking with a
// 合计 row, then the sections 未参与单位, 社会公众参与情况 and 职工人数异常的单位.
[[nodiscard]] std::string bulletin_csv(const bulletin& report);

// One CSV record for Excel (CRLF-terminated, RFC 4180 quoting, formula-looking cells neutralised
// with a leading '), for other exports that share the bulletin's rules.
[[nodiscard]] std::string csv_line(const std::vector<std::string>& cells);

// The bytes of an XLSX workbook with the sheets 通报, 未参与单位, 社会公众 and 职工人数异常. Throws
// std::runtime_error when the temporary file or libxlsxwriter fails; the temporary file is removed
// either way.
[[nodiscard]] std::string bulletin_xlsx(const bulletin& report);

// A ranking as the text formats show it: headers, one row of cells per row, the 合计 row.
struct text_table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> totals;
};

// The ranking's cells, `missing` for a null. `full` keeps every column of the CSV; otherwise the
// circulation form of an issued 通报: no codes, no internal columns (疑似机器答题, 参与率已封顶),
// and 任务数/完成率 and the comparison's columns only when the bulletin has them.
[[nodiscard]] text_table bulletin_ranking_table(const bulletin& report, bool full,
                                                std::string_view missing);
// The ranking of participants without a unit, the same way (only the code is internal there).
[[nodiscard]] text_table bulletin_public_table(const bulletin& report, bool full,
                                               std::string_view missing);
// The rankings' captions, as the HTML page shows them (what is ranked, by what, compared when).
[[nodiscard]] std::string bulletin_ranking_caption(const bulletin& report);
[[nodiscard]] std::string bulletin_public_caption(const bulletin& report);
// The list of units without participation: 编码 (with `full` only), 单位, 所在地区, 职工人数.
[[nodiscard]] std::vector<std::string> zero_participation_headers(bool full);
[[nodiscard]] std::vector<std::string> zero_participation_cells(const zero_participation_unit& unit,
                                                                bool full);
// Appends a <table> with its caption, a header row, the rows and (`with_totals`) a <tfoot> 合计 row
// whose first cell is a row header; every cell escaped.
void append_html_table(std::string& out, std::string_view caption, const text_table& table,
                       bool with_totals);
// The line under a bulletin's title on the two populations and the rate's definition.
[[nodiscard]] std::string_view bulletin_populations_note();
// Text made safe for HTML element content and attribute values.
[[nodiscard]] std::string escape_html(std::string_view text);

}  // namespace anquanli
