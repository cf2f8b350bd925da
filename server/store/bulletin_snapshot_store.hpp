// Frozen bulletins (issue 17): an office takes a snapshot of a bulletin at a moment ("截至6月16日
// 10时") and downloads it again, in any format and by any office that may see it, with the same
// numbers forever. A snapshot stores the bulletin model itself (every level of the issued
// document, bulletin_codec.hpp), never a query to run again; the table refuses updates. Each
// snapshot carries its rank movement against the previous snapshot of the same series (scope,
// level, ranking and sector), computed once, in the writer's transaction that stores it, so two
// clerks taking snapshots at once still form one chain.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/bulletin.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// The schema step that introduces the table.
[[nodiscard]] std::string_view bulletin_snapshots_schema_sql();

// What the office sees in a list of snapshots.
struct bulletin_snapshot_summary {
  std::int64_t id = 0;
  instant created_at{};
  std::string created_by;  // the office account's username
  std::string scope_code;
  std::string scope_name;
  bulletin_level level = bulletin_level::city;
  bulletin_rank_by rank_by = bulletin_rank_by::participants;
  std::optional<std::string> sector;
  day_key from;
  day_key to;
  std::optional<std::string> title;         // the clerk's own title template, if any
  std::optional<std::int64_t> previous_id;  // the snapshot the movement is against
  std::int64_t participants = 0;            // the asked level's 合计, for the list
};

struct bulletin_snapshot {
  bulletin_snapshot_summary summary;
  std::string issuer;                // [bulletin] issuer when taken
  std::string title_template;        // the clerk's title, else [bulletin] title when taken
  std::vector<std::string> copy_to;  // [bulletin] copy_to when taken
  std::vector<bulletin> levels;      // the document's levels; the last is summary.level
};

struct bulletin_snapshot_draft {
  std::string competition_id;
  std::string created_by;
  instant created_at{};
  std::optional<std::string> title;  // the clerk's; none: `title_template` below
  std::string title_template;        // [bulletin] title
  std::string issuer;
  std::vector<std::string> copy_to;
  std::vector<bulletin> levels;  // built without a comparison; the last is the level asked for
};

// Which snapshots an office account may list: its region's and its subtree's, and only its
// sector's when the account is scoped to one.
struct bulletin_snapshot_filter {
  std::string competition_id;
  std::string scope_code;
  std::optional<std::string> sector;
  int limit = 100;
  std::int64_t before_id = std::numeric_limits<std::int64_t>::max();
};

class bulletin_snapshot_store {
 public:
  explicit bulletin_snapshot_store(sqlite_database& database) : database_(database) {}

  // Stores the snapshot with its movement against the previous one of its series; runs in the
  // caller's (the writer's) transaction. Returns what the list shows of it.
  bulletin_snapshot_summary create(bulletin_snapshot_draft draft);

  // Newest first.
  [[nodiscard]] std::vector<bulletin_snapshot_summary> list(const bulletin_snapshot_filter& filter);

  // The whole snapshot, or none. Visibility is the caller's to check (the summary says the scope).
  [[nodiscard]] std::optional<bulletin_snapshot> load(const std::string& competition_id,
                                                      std::int64_t id);

 private:
  struct series_head {
    std::int64_t id = 0;
    std::vector<bulletin> levels;
  };
  std::optional<series_head> previous_in_series(const bulletin_snapshot_draft& draft);

  sqlite_database& database_;
};

}  // namespace anquanli
