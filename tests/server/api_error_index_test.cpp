// docs/api-errors.md is generated from the error catalogue (anquanli-server
// --print-error-catalogue). This test renders the catalogue the same way and compares it with the
// committed page, so a catalogue change without a regenerated page fails here.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include "server/protocol/api_error.hpp"
#include "server/protocol/api_error_index.hpp"

namespace {

using namespace anquanli;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "line N: committed «…», catalogue «…»" for the first line that differs; empty when equal.
std::string first_difference(const std::string& committed, const std::string& rendered) {
  std::istringstream left(committed);
  std::istringstream right(rendered);
  std::string a;
  std::string b;
  for (int line = 1;; ++line) {
    const bool more_left = static_cast<bool>(std::getline(left, a));
    const bool more_right = static_cast<bool>(std::getline(right, b));
    if (!more_left && !more_right) {
      return committed == rendered ? "" : "the line ends differ";
    }
    if (more_left != more_right || a != b) {
      return "line " + std::to_string(line) + ": committed «" + (more_left ? a : "(end)") +
             "», catalogue «" + (more_right ? b : "(end)") + "»";
    }
  }
}

}  // namespace

TEST_CASE("docs/api-errors.md is the error catalogue as rendered now") {
  const auto page = std::filesystem::path{ANQUANLI_SOURCE_DIR} / "docs" / "api-errors.md";
  REQUIRE(std::filesystem::exists(page));
  const std::string difference = first_difference(read_file(page), api_error_index_markdown());
  INFO("docs/api-errors.md differs from the catalogue in server/protocol/api_error.cpp ("
       << difference << "). Regenerate it:\n"
       << "  build/dev/server/anquanli-server --print-error-catalogue > docs/api-errors.md");
  CHECK(difference.empty());
}

TEST_CASE("every catalogue entry has its own enumerator name in the index") {
  std::set<std::string_view> names;
  for (const api_error_entry& entry : api_error_catalogue()) {
    CHECK(names.insert(to_string(entry.id)).second);
  }
  CHECK(names.size() == api_error_catalogue().size());
}
