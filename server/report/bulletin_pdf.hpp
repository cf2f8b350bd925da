// The issued 通报 (bulletin_document.hpp) as a PDF, the form in which it travels: A4 portrait,
// Noto Sans CJK set by pango and drawn by cairo (both from Debian, fonts-noto-cjk), the tables
// broken across pages with their header rows repeated, and page numbers.
#pragma once

#include <string>

#include "server/report/bulletin_document.hpp"

namespace anquanli {

// The PDF's bytes. Throws std::runtime_error when cairo reports an error.
[[nodiscard]] std::string bulletin_document_pdf(const bulletin_document& document);

}  // namespace anquanli
