// The region and unit directory: regions form a tree (GB/T 2260 codes, plus reporting areas of the
// project's own such as 宁东 640900 and 区直单位 640800), and every work unit sits in one region.
// Files are CSV; an import reports each bad line and stores all or nothing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "question_bank/question_import.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct region {
  std::string code;
  std::string name;
  std::string parent_code;  // empty for the root
  int level = 1;            // 1 province, 2 city or reporting area, 3 county

  friend bool operator==(const region&, const region&) = default;
};

struct unit {
  std::string id;
  std::string name;
  std::string region_code;
  std::string sector;
  std::int64_t headcount = 0;

  friend bool operator==(const unit&, const unit&) = default;
};

template <class Item>
struct directory_import {
  std::vector<Item> items;
  std::vector<import_problem> problems;
};

inline constexpr std::string_view regions_header = "code,name,parent_code";
inline constexpr std::string_view units_header = "id,name,region_code,sector,headcount";
inline constexpr std::string_view targets_header = "region_code,target";

// A region's participation target (任务数), set by the office for the bulletin's 完成率.
struct region_target {
  std::string region_code;
  std::int64_t target = 0;

  friend bool operator==(const region_target&, const region_target&) = default;
};

// Parses and checks a regions file on its own: codes unique, parents present in the file or in
// `known_codes`, no cycles. Levels are derived from depth.
[[nodiscard]] directory_import<region> parse_regions(std::string_view content,
                                                     const std::vector<region>& existing);

// Parses a units file; each region_code must be among `regions`.
[[nodiscard]] directory_import<unit> parse_units(std::string_view content,
                                                 const std::vector<region>& regions);

// Parses a targets file: each region_code among `regions` and listed once, each target a whole
// number from 1 to 100000000.
[[nodiscard]] directory_import<region_target> parse_targets(std::string_view content,
                                                            const std::vector<region>& regions);

// The whole directory in memory, for leaderboards: names, the tree and headcounts at a glance.
class directory_snapshot {
 public:
  directory_snapshot() = default;
  directory_snapshot(std::vector<region> regions, std::vector<unit> units);

  [[nodiscard]] const std::vector<region>& regions() const { return regions_; }
  [[nodiscard]] const std::vector<unit>& units() const { return units_; }
  [[nodiscard]] const region* find_region(std::string_view code) const;
  [[nodiscard]] const unit* find_unit(std::string_view id) const;
  [[nodiscard]] std::vector<const region*> children(std::string_view code) const;
  // True when `code` is `ancestor` or lies below it.
  [[nodiscard]] bool within(std::string_view code, std::string_view ancestor) const;
  // Staff of all units in the region's subtree.
  [[nodiscard]] std::int64_t headcount(std::string_view region_code) const;
  [[nodiscard]] std::string root() const;  // the top region's code
  [[nodiscard]] int deepest_level() const;

 private:
  std::vector<region> regions_;
  std::vector<unit> units_;
  std::map<std::string, std::size_t, std::less<>> region_index_;
  std::map<std::string, std::size_t, std::less<>> unit_index_;
  std::map<std::string, std::int64_t, std::less<>> headcounts_;
};

class directory_store {
 public:
  explicit directory_store(sqlite_database& database) : database_(database) {}

  // Inserts or updates by code / id, in one transaction.
  void upsert_regions(const std::vector<region>& regions);
  void upsert_units(const std::vector<unit>& units);
  // Sets the listed regions' targets (others keep theirs), in one transaction.
  void upsert_targets(const std::vector<region_target>& targets);
  // Every region's target, by region code.
  [[nodiscard]] std::map<std::string, std::int64_t> targets();

  [[nodiscard]] std::vector<region> regions();
  [[nodiscard]] std::vector<unit> units();
  [[nodiscard]] directory_snapshot snapshot();
  [[nodiscard]] std::optional<region> find_region(std::string_view code);
  [[nodiscard]] std::optional<unit> find_unit(std::string_view id);
  // True when `code` is `ancestor` or lies below it.
  [[nodiscard]] bool within(std::string_view code, std::string_view ancestor);
  // Units in `region_code`'s subtree (all when empty) whose name contains `text`, by name; with
  // `with_parents`, also those registered at the region's ancestors (a 市直 unit of its city).
  [[nodiscard]] std::vector<unit> find_units(std::string_view region_code, std::string_view text,
                                             int limit, bool with_parents = false);

 private:
  sqlite_database& database_;
};

}  // namespace anquanli
