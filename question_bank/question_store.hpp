// The question bank in SQLite. Questions are upserted by id (re-importing an id updates it) and a
// question that an attempt used is never deleted: attempt tables reference questions(id), so the
// delete fails its foreign key and the question is deactivated instead.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/question_selection.hpp"
#include "question_bank/question.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// The question bank's schema steps; the server appends its own after them.
[[nodiscard]] std::span<const migration> question_bank_migrations();

struct upsert_summary {
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
};

struct question_filter {
  std::optional<std::string> category;
  std::optional<question_type> type;
  bool include_inactive = false;
};

enum class removal { deleted, deactivated, not_found };

class question_store {
 public:
  // The database must already carry question_bank_migrations().
  explicit question_store(sqlite_database& database) : database_(database) {}

  // Inserts or updates every question in one transaction: all are stored or none.
  upsert_summary upsert(std::span<const question> questions);

  [[nodiscard]] std::optional<question> find(const question_id& id);

  // The id of the immutable version of `item`'s text (stem, options, answer, explanation,
  // source) as it is now, stored the first time it is asked for. An attempt keeps these ids, so
  // a question edited later still reviews with the words the participant saw.
  std::int64_t version_of(const question& item);
  // The question as that version holds it (difficulty and active are not versioned).
  [[nodiscard]] std::optional<question> version(std::int64_t version_id);
  [[nodiscard]] std::vector<question> list(const question_filter& filter);

  // Deletes a question no attempt has used; deactivates one that was used.
  removal remove(const question_id& id);
  // False when no such question exists.
  bool set_active(const question_id& id, bool active);

  // Every active question as selection sees it.
  [[nodiscard]] std::vector<question_candidate> active_candidates();

 private:
  sqlite_database& database_;
};

}  // namespace anquanli
