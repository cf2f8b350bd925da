// libxlsxwriter (1.1.4) can only write a workbook to a file. Every XLSX the server sends (the
// bulletin, the reporting forms' exports) is built in a private mkstemp file under $TMPDIR (else
// /tmp) that is always removed, and only its bytes leave.
#pragma once

#include <functional>
#include <string>
#include <string_view>

struct lxw_workbook;

namespace anquanli {

// Creates a workbook, lets `fill` add its sheets, closes it and returns the file's bytes. `what`
// names the document in the errors. Throws std::runtime_error when the temporary file or
// libxlsxwriter fails (and whatever `fill` throws); the temporary file is removed either way.
[[nodiscard]] std::string xlsx_bytes(std::string_view what,
                                     const std::function<void(lxw_workbook*)>& fill);

}  // namespace anquanli
