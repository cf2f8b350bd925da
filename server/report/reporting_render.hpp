// The province's view of the campaign's reporting forms as a table, and that table as CSV and
// XLSX: one row per expected filer (its latest submitted version, or its state when it has none),
// the form's fields in the annex's order under their 活动项目, and for 附件1 a 合计 row that sums
// every count over the submitted rows. Filer names and values are untrusted text: CSV cells are
// neutralised (csv_line), XLSX text cells are always strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/instant.hpp"
#include "server/store/reporting_store.hpp"

namespace anquanli {

struct reporting_sheet {
  std::string title;                 // the annex's title
  std::vector<std::string> headers;  // one per column
  std::vector<std::string> groups;   // per column: the 活动项目 above it, or empty
  std::vector<bool> numeric;         // per column: a count (written as a number)
  std::vector<std::vector<std::string>> rows;
  std::optional<std::vector<std::string>> totals;  // 附件1 only
};

// 已报送 | 逾期报送 | 草稿未报送 | 未填报
[[nodiscard]] std::string_view reporting_state_text(const reporting_status_row& row);

[[nodiscard]] reporting_sheet make_reporting_sheet(reporting_form_kind kind,
                                                   const std::vector<reporting_status_row>& rows,
                                                   utc_offset offset);

// UTF-8 with a BOM and CRLF records: the headers, the rows, the 合计 row.
[[nodiscard]] std::string reporting_csv(const reporting_sheet& sheet);

// One sheet: the title, a row of 活动项目 over the counts (附件1), the headers, the rows and 合计.
// Throws std::runtime_error when the temporary file or libxlsxwriter fails.
[[nodiscard]] std::string reporting_xlsx(const reporting_sheet& sheet);

}  // namespace anquanli
