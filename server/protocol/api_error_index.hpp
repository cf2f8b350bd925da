// The error catalogue as a page for people: docs/api-errors.md is this function's output, written
// by `anquanli-server --print-error-catalogue`, and a test compares the committed file with it, so
// the page cannot drift from the catalogue (api_error.cpp).
#pragma once

#include <string>

namespace anquanli {

// The whole page, in Markdown: every catalogue entry with its status, wire code, message,
// Retry-After policy and enumerator, then the wire codes with the entries that share each.
[[nodiscard]] std::string api_error_index_markdown();

}  // namespace anquanli
