// Reads back what the bulletin writes, for tests: one entry of a zip archive (zlib inflate) and
// the cells of an XLSX worksheet as text, shared strings resolved. Test code only: it knows just
// the parts of OOXML that libxlsxwriter writes (<si><t>, <c r t><v>), nothing more.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anquanli::test {

// The content of one entry of a zip archive, found through the central directory.
[[nodiscard]] std::optional<std::string> zip_entry(const std::string& zip, std::string_view name);

// The cells of worksheet number `sheet` (1-based) of an XLSX workbook: one vector per row that
// has cells, indexed by column (A = 0), empty strings where a row has no cell. Numbers are their
// text as stored (e.g. "0.33333333333333331"), shared strings their text. Throws
// std::runtime_error when the workbook lacks the sheet.
[[nodiscard]] std::vector<std::vector<std::string>> xlsx_sheet_cells(const std::string& xlsx,
                                                                     int sheet);

}  // namespace anquanli::test
