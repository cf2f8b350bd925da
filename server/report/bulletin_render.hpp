// Turns a participation bulletin (bulletin.hpp) into what people and programs read: JSON for the
// API, CSV and XLSX for Excel, and a printable HTML page. Region and unit names come from
// imported directories, so every format treats them as untrusted text: CSV cells are neutralised
// against formula injection, XLSX cells are always written as strings, HTML is escaped.
#pragma once

#include <string>
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

// A complete HTML5 page without script or inline style, for printing; links /print.css.
[[nodiscard]] std::string bulletin_html(const bulletin& report);

}  // namespace anquanli
