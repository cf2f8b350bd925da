// The region and unit files are imported by an operator, often from a spreadsheet someone else
// made, so their parsing must survive any bytes. An input is a regions file, a blank line, then a
// units file checked against the regions just read, as `anquanli-admin units import` does after
// `regions import`. When both import cleanly, the leaderboards' in-memory directory is built from
// them and walked, since that is where imported names, parents and headcounts end up.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/store/directory.hpp"

namespace {

void check_lines(const std::vector<anquanli::import_problem>& problems) {
  for (const auto& problem : problems) {
    if (problem.line < 1 || problem.reason.empty()) {
      std::abort();
    }
  }
}

void walk(const anquanli::directory_snapshot& directory) {
  const std::string root = directory.root();
  if (!directory.regions().empty() && root.empty()) {
    std::abort();  // a clean import has at least one region without a parent
  }
  if (directory.deepest_level() > 8) {
    std::abort();
  }
  for (const auto& item : directory.regions()) {
    if (item.level < 1 || !directory.within(item.code, item.code) ||
        directory.find_region(item.code) == nullptr) {
      std::abort();
    }
    static_cast<void>(directory.children(item.code));
    static_cast<void>(directory.within(item.code, root));
    if (directory.headcount(item.code) < 0) {
      std::abort();
    }
  }
  for (const auto& item : directory.units()) {
    if (directory.find_unit(item.id) == nullptr ||
        directory.find_region(item.region_code) == nullptr) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  const auto blank = input.find("\n\n");
  const std::string_view regions_file = input.substr(0, blank);
  const std::string_view units_file =
      blank == std::string_view::npos ? std::string_view{} : input.substr(blank + 2);

  auto regions = anquanli::parse_regions(regions_file, {});
  check_lines(regions.problems);
  auto units = anquanli::parse_units(units_file, regions.items);
  check_lines(units.problems);
  if (regions.problems.empty() && units.problems.empty()) {
    walk(anquanli::directory_snapshot(std::move(regions.items), std::move(units.items)));
  }
  return 0;
}
