#include "server/store/directory.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "question_bank/csv_records.hpp"
#include "question_bank/question_validation.hpp"

namespace anquanli {

namespace {

constexpr int max_depth = 8;
constexpr std::int64_t max_headcount = 10'000'000;
constexpr std::int64_t max_target = 100'000'000;
constexpr std::size_t max_code_length = 32;
constexpr std::size_t max_field_bytes = 256;

// Names end up in office exports, pages and file names: a control character (a tab, a line break,
// NUL, ESC) has no place in one, and a name of thousands of characters is a mistake or an attack.
bool plain_text(std::string_view field) {
  return field.size() <= max_field_bytes && std::none_of(field.begin(), field.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte < 0x20 || byte == 0x7f;
         });
}

// Region codes travel in URLs, download file names and JSON handed to SQLite, so they are plain
// ASCII: a quote in one once broke every office export of its city (issue 7, injection).
bool valid_region_code(std::string_view code) {
  return !code.empty() && code.size() <= max_code_length &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  c == '-' || c == '_';
         });
}

// Reads the records of a directory CSV, checking the header, column count and UTF-8; calls
// `read_row` for each good record.
template <class ReadRow>
std::vector<import_problem> read_rows(std::string_view content, std::string_view header,
                                      std::size_t columns, ReadRow read_row) {
  std::vector<import_problem> problems;
  const csv_read file = read_csv(content);
  if (file.error_line) {
    problems.push_back({*file.error_line, file.error});
  }
  if (file.records.empty() || joined_header(file.records.front()) != header) {
    problems.push_back({1, "header must be " + std::string{header}});
    return problems;
  }
  for (std::size_t i = 1; i < file.records.size(); ++i) {
    const csv_record& record = file.records[i];
    if (record.fields.size() != columns) {
      problems.push_back({record.line, "has " + std::to_string(record.fields.size()) +
                                           " columns; expected " + std::to_string(columns)});
      continue;
    }
    if (!std::all_of(record.fields.begin(), record.fields.end(), is_valid_utf8)) {
      problems.push_back({record.line, "line is not valid UTF-8"});
      continue;
    }
    if (!std::all_of(record.fields.begin(), record.fields.end(), plain_text)) {
      problems.push_back({record.line,
                          "a field has a control character (tab, line break…) or is "
                          "longer than 256 bytes"});
      continue;
    }
    if (auto reason = read_row(record); !reason.empty()) {
      problems.push_back({record.line, std::move(reason)});
    }
  }
  return problems;
}

// Depth of each code from the root, or empty when a cycle or an unknown parent stops the walk.
std::optional<int> depth_of(const std::string& code,
                            const std::map<std::string, std::string>& parents) {
  std::string current = code;
  for (int depth = 1; depth <= max_depth; ++depth) {
    const auto found = parents.find(current);
    if (found == parents.end()) {
      return std::nullopt;
    }
    if (found->second.empty()) {
      return depth;
    }
    current = found->second;
  }
  return std::nullopt;
}

// The codes of `regions`, for checking that an imported line names a region of the directory.
std::set<std::string> codes_of(const std::vector<region>& regions) {
  std::set<std::string> codes;
  for (const auto& known : regions) {
    codes.insert(known.code);
  }
  return codes;
}

// `text` as a whole number from `least` to `most`, or none.
std::optional<std::int64_t> whole_number(const std::string& text, std::int64_t least,
                                         std::int64_t most) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < least || value > most) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

directory_import<region> parse_regions(std::string_view content,
                                       const std::vector<region>& existing) {
  directory_import<region> result;
  std::map<std::string, std::string> parents;
  for (const auto& known : existing) {
    parents[known.code] = known.parent_code;
  }
  std::map<std::string, std::size_t> lines;
  result.problems = read_rows(content, regions_header, 3, [&](const csv_record& record) {
    region item{record.fields[0], record.fields[1], record.fields[2], 0};
    if (item.code.empty() || item.name.empty()) {
      return std::string{"code and name must not be empty"};
    }
    if (!valid_region_code(item.code)) {
      return std::string{"code must be 1 to 32 ASCII letters, digits, '-' or '_'"};
    }
    if (!lines.emplace(item.code, record.line).second) {
      return "duplicate code " + item.code + " (first on line " + std::to_string(lines[item.code]) +
             ")";
    }
    parents[item.code] = item.parent_code;
    result.items.push_back(item);
    return std::string{};
  });
  for (auto& item : result.items) {
    const auto depth = depth_of(item.code, parents);
    if (!depth) {
      result.problems.push_back({lines[item.code], "parent " + item.parent_code + " of " +
                                                       item.code + " is unknown or circular"});
      continue;
    }
    item.level = *depth;
  }
  std::stable_sort(
      result.problems.begin(), result.problems.end(),
      [](const import_problem& a, const import_problem& b) { return a.line < b.line; });
  return result;
}

directory_import<unit> parse_units(std::string_view content, const std::vector<region>& regions) {
  directory_import<unit> result;
  const std::set<std::string> codes = codes_of(regions);
  std::map<std::string, std::size_t> lines;
  result.problems = read_rows(content, units_header, 5, [&](const csv_record& record) {
    unit item{record.fields[0], record.fields[1], record.fields[2], record.fields[3], 0};
    const std::string& headcount = record.fields[4];
    if (item.id.empty() || item.name.empty() || item.sector.empty()) {
      return std::string{"id, name and sector must not be empty"};
    }
    // No work unit has ten million staff; the bound also keeps every sum of headcounts exact.
    const auto staff = whole_number(headcount, 0, max_headcount);
    if (!staff) {
      return "headcount '" + headcount + "' is not a whole number from 0 to 10000000";
    }
    item.headcount = *staff;
    if (!codes.contains(item.region_code)) {
      return "region " + item.region_code + " is not in the directory";
    }
    if (!lines.emplace(item.id, record.line).second) {
      return "duplicate id " + item.id + " (first on line " + std::to_string(lines[item.id]) + ")";
    }
    result.items.push_back(item);
    return std::string{};
  });
  return result;
}

directory_import<region_target> parse_targets(std::string_view content,
                                              const std::vector<region>& regions) {
  directory_import<region_target> result;
  const std::set<std::string> codes = codes_of(regions);
  std::map<std::string, std::size_t> lines;
  result.problems = read_rows(content, targets_header, 2, [&](const csv_record& record) {
    region_target item{record.fields[0], 0};
    const std::string& target = record.fields[1];
    if (!codes.contains(item.region_code)) {
      return "region " + item.region_code + " is not in the directory";
    }
    // The bound keeps every sum of targets exact, far above any province's population.
    const auto wanted = whole_number(target, 1, max_target);
    if (!wanted) {
      return "target '" + target + "' is not a whole number from 1 to 100000000";
    }
    item.target = *wanted;
    if (!lines.emplace(item.region_code, record.line).second) {
      return "duplicate region " + item.region_code + " (first on line " +
             std::to_string(lines[item.region_code]) + ")";
    }
    result.items.push_back(item);
    return std::string{};
  });
  return result;
}

directory_snapshot::directory_snapshot(std::vector<region> regions, std::vector<unit> units)
    : regions_(std::move(regions)), units_(std::move(units)) {
  for (std::size_t i = 0; i < regions_.size(); ++i) {
    region_index_.emplace(regions_[i].code, i);
  }
  for (std::size_t i = 0; i < units_.size(); ++i) {
    unit_index_.emplace(units_[i].id, i);
    // A unit's staff count toward its region and every ancestor.
    std::string code = units_[i].region_code;
    for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
      headcounts_[code] += units_[i].headcount;
      const region* here = find_region(code);
      code = here == nullptr ? std::string{} : here->parent_code;
    }
  }
}

const region* directory_snapshot::find_region(std::string_view code) const {
  const auto found = region_index_.find(code);
  return found == region_index_.end() ? nullptr : &regions_[found->second];
}

const unit* directory_snapshot::find_unit(std::string_view id) const {
  const auto found = unit_index_.find(id);
  return found == unit_index_.end() ? nullptr : &units_[found->second];
}

std::vector<const region*> directory_snapshot::children(std::string_view code) const {
  std::vector<const region*> result;
  for (const auto& item : regions_) {
    if (item.parent_code == code) {
      result.push_back(&item);
    }
  }
  return result;
}

bool directory_snapshot::within(std::string_view code, std::string_view ancestor) const {
  std::string current{code};
  for (int depth = 0; depth < 16 && !current.empty(); ++depth) {
    if (current == ancestor) {
      return true;
    }
    const region* here = find_region(current);
    current = here == nullptr ? std::string{} : here->parent_code;
  }
  return false;
}

std::int64_t directory_snapshot::headcount(std::string_view region_code) const {
  const auto found = headcounts_.find(region_code);
  return found == headcounts_.end() ? 0 : found->second;
}

std::string directory_snapshot::root() const {
  for (const auto& item : regions_) {
    if (item.parent_code.empty()) {
      return item.code;
    }
  }
  return {};
}

int directory_snapshot::deepest_level() const {
  int deepest = 0;
  for (const auto& item : regions_) {
    deepest = std::max(deepest, item.level);
  }
  return deepest;
}

std::vector<unit> directory_store::units() {
  sqlite_statement statement =
      database_.prepare("SELECT id, name, region_code, sector, headcount FROM units ORDER BY id");
  std::vector<unit> result;
  while (statement.step() == step_result::row) {
    result.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                      statement.column_text(3), statement.column_int64(4)});
  }
  return result;
}

directory_snapshot directory_store::snapshot() {
  return {regions(), units()};
}

void directory_store::upsert_regions(const std::vector<region>& regions) {
  sqlite_transaction transaction(database_);
  // Parents first, so the foreign key holds row by row.
  std::vector<region> ordered = regions;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const region& a, const region& b) { return a.level < b.level; });
  sqlite_statement statement = database_.prepare(
      "INSERT INTO regions (code, name, parent_code, level) VALUES (?1, ?2, NULLIF(?3, ''), ?4) "
      "ON CONFLICT (code) DO UPDATE SET name = ?2, parent_code = NULLIF(?3, ''), level = ?4");
  for (const auto& item : ordered) {
    statement.bind(1, std::string_view{item.code})
        .bind(2, std::string_view{item.name})
        .bind(3, std::string_view{item.parent_code})
        .bind(4, item.level);
    statement.run();
    statement.reset();
  }
  transaction.commit();
}

void directory_store::upsert_units(const std::vector<unit>& units) {
  sqlite_transaction transaction(database_);
  sqlite_statement statement = database_.prepare(
      "INSERT INTO units (id, name, region_code, sector, headcount) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (id) DO UPDATE SET name = ?2, region_code = ?3, sector = ?4, headcount = ?5");
  for (const auto& item : units) {
    statement.bind(1, std::string_view{item.id})
        .bind(2, std::string_view{item.name})
        .bind(3, std::string_view{item.region_code})
        .bind(4, std::string_view{item.sector})
        .bind(5, item.headcount);
    statement.run();
    statement.reset();
  }
  transaction.commit();
}

void directory_store::upsert_targets(const std::vector<region_target>& targets) {
  sqlite_transaction transaction(database_);
  sqlite_statement statement = database_.prepare(
      "INSERT INTO region_targets (region_code, target) VALUES (?1, ?2) "
      "ON CONFLICT (region_code) DO UPDATE SET target = ?2");
  for (const auto& item : targets) {
    statement.bind(1, std::string_view{item.region_code}).bind(2, item.target);
    statement.run();
    statement.reset();
  }
  transaction.commit();
}

std::map<std::string, std::int64_t> directory_store::targets() {
  sqlite_statement statement =
      database_.prepare("SELECT region_code, target FROM region_targets ORDER BY region_code");
  std::map<std::string, std::int64_t> result;
  while (statement.step() == step_result::row) {
    result.emplace(statement.column_text(0), statement.column_int64(1));
  }
  return result;
}

std::vector<region> directory_store::regions() {
  sqlite_statement statement = database_.prepare(
      "SELECT code, name, IFNULL(parent_code, ''), level FROM regions ORDER BY level, code");
  std::vector<region> result;
  while (statement.step() == step_result::row) {
    result.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                      statement.column_int(3)});
  }
  return result;
}

std::optional<region> directory_store::find_region(std::string_view code) {
  sqlite_statement statement = database_.prepare(
      "SELECT code, name, IFNULL(parent_code, ''), level FROM regions WHERE code = ?1");
  statement.bind(1, code);
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return region{statement.column_text(0), statement.column_text(1), statement.column_text(2),
                statement.column_int(3)};
}

std::optional<unit> directory_store::find_unit(std::string_view id) {
  sqlite_statement statement =
      database_.prepare("SELECT id, name, region_code, sector, headcount FROM units WHERE id = ?1");
  statement.bind(1, id);
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return unit{statement.column_text(0), statement.column_text(1), statement.column_text(2),
              statement.column_text(3), statement.column_int64(4)};
}

bool directory_store::within(std::string_view code, std::string_view ancestor) {
  sqlite_statement statement = database_.prepare(
      "WITH RECURSIVE up (code, parent) AS ("
      "  SELECT code, parent_code FROM regions WHERE code = ?1"
      "  UNION ALL SELECT r.code, r.parent_code FROM regions r JOIN up ON r.code = up.parent)"
      "SELECT 1 FROM up WHERE code = ?2 LIMIT 1");
  statement.bind(1, code).bind(2, ancestor);
  return statement.step() == step_result::row;
}

std::vector<unit> directory_store::find_units(std::string_view region_code, std::string_view text,
                                              int limit, bool with_parents) {
  sqlite_statement statement = database_.prepare(
      "WITH RECURSIVE down (code) AS ("
      "  SELECT code FROM regions WHERE ?1 = '' OR code = ?1"
      "  UNION SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code), "
      "up (code) AS (SELECT parent_code FROM regions WHERE ?4 AND code = ?1 "
      "  UNION SELECT r.parent_code FROM regions r JOIN up ON r.code = up.code) "
      "SELECT id, name, region_code, sector, headcount FROM units "
      "WHERE (region_code IN (SELECT code FROM down) OR region_code IN (SELECT code FROM up)) "
      "AND instr(name, ?2) > 0 ORDER BY name LIMIT ?3");
  statement.bind(1, region_code).bind(2, text).bind(3, limit).bind(4, with_parents ? 1 : 0);
  std::vector<unit> result;
  while (statement.step() == step_result::row) {
    result.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2),
                      statement.column_text(3), statement.column_int64(4)});
  }
  return result;
}

}  // namespace anquanli
