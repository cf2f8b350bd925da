#include "server/store/answer_stats.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "question_bank/attempt_paper.hpp"
#include "question_bank/question_store.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/directory.hpp"

namespace anquanli {

namespace {

// The closed challenges of the scope's subtree and days, each in the region it was credited to
// (its ledger row's; the participant's for one that never reached the ledger), and the questions
// they showed. Binds ?1 competition, ?2 the subtree's codes as JSON, ?3 from, ?4 to.
std::string scoped_sql(std::string_view select) {
  return "WITH scoped AS (SELECT t.id, t.paper, t.participant_id, "
         "COALESCE(l.region_code, p.region_code) AS region_code FROM attempts t "
         "JOIN participants p ON p.id = t.participant_id "
         "LEFT JOIN points_ledger l ON l.attempt_id = t.id "
         "WHERE t.competition_id = ?1 AND t.kind = 'challenge' AND t.status <> 'in_progress' "
         "AND t.day BETWEEN ?3 AND ?4 "
         "AND COALESCE(l.region_code, p.region_code) IN (SELECT value FROM json_each(?2))), " +
         std::string{shown_questions_sql()} + std::string{select};
}

sqlite_statement prepare_scoped(sqlite_database& database, const competition_rules& rules,
                                const answer_scope& scope, const directory_snapshot& places,
                                std::string_view select) {
  boost::json::array codes;
  for (const auto& item : places.regions()) {
    if (places.within(item.code, scope.region_code)) {
      codes.emplace_back(item.code);
    }
  }
  sqlite_statement statement = database.prepare(scoped_sql(select));
  statement.bind(1, std::string_view{rules.id})
      .bind(2, std::string_view{boost::json::serialize(codes)})
      .bind(3, std::string_view{to_string(scope.from)})
      .bind(4, std::string_view{to_string(scope.to)});
  return statement;
}

// The scope's child region that `leaf` lies in; none when `leaf` is the scope itself.
std::optional<std::string> child_of(const directory_snapshot& places, std::string code,
                                    const std::string& scope) {
  for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
    const region* found = places.find_region(code);
    if (found == nullptr) {
      return std::nullopt;
    }
    if (found->parent_code == scope) {
      return code;
    }
    code = found->parent_code;
  }
  return std::nullopt;
}

void add(category_figures& figures, std::int64_t answers, std::int64_t correct) {
  figures.answers += answers;
  figures.correct += correct;
}

std::vector<category_figures> weakest_first(const std::map<std::string, category_figures>& totals) {
  std::vector<category_figures> sorted;
  for (const auto& [name, figures] : totals) {
    category_figures named = figures;
    named.category = name;
    sorted.push_back(std::move(named));
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.accuracy().value_or(1.0) < b.accuracy().value_or(1.0);
  });
  return sorted;
}

}  // namespace

category_report category_stats(sqlite_database& database, const competition_rules& rules,
                               const answer_scope& scope) {
  const directory_snapshot places = directory_store(database).snapshot();
  std::map<std::string, category_figures> totals;
  std::map<std::string, std::map<std::string, category_figures>> by_child;
  sqlite_statement rows = prepare_scoped(
      database, rules, scope, places,
      "SELECT q.category, s.region_code, COUNT(*), IFNULL(SUM(a.correct), 0) FROM shown sh "
      "JOIN scoped s ON s.id = sh.attempt_id JOIN questions q ON q.id = sh.question_id "
      "LEFT JOIN answers a ON a.attempt_id = sh.attempt_id AND a.position = sh.position "
      "GROUP BY q.category, s.region_code");
  while (rows.step() == step_result::row) {
    const std::string category = rows.column_text(0);
    add(totals[category], rows.column_int64(2), rows.column_int64(3));
    if (const auto child = child_of(places, rows.column_text(1), scope.region_code)) {
      add(by_child[*child][category], rows.column_int64(2), rows.column_int64(3));
    }
  }
  sqlite_statement people = prepare_scoped(
      database, rules, scope, places,
      "SELECT q.category, COUNT(DISTINCT s.participant_id) FROM shown sh "
      "JOIN scoped s ON s.id = sh.attempt_id JOIN questions q ON q.id = sh.question_id "
      "GROUP BY q.category");
  while (people.step() == step_result::row) {
    totals[people.column_text(0)].participants = people.column_int64(1);
  }
  category_report report;
  report.categories = weakest_first(totals);
  for (const region* child : places.children(scope.region_code)) {
    region_categories row{child->code, child->name, {}};
    for (const auto& total : report.categories) {
      category_figures figures = by_child[child->code][total.category];
      figures.category = total.category;
      row.categories.push_back(std::move(figures));
    }
    report.regions.push_back(std::move(row));
  }
  return report;
}

namespace {

// Counts chosen options by text, decoding each answer's letters through what its attempt showed.
class option_tally {
 public:
  explicit option_tally(sqlite_database& database) : versions_(database) {}

  // An answer of a paper stored as [version, "order"] (schema step 8 on).
  void add_versioned(std::int64_t version_id, const std::string& order, std::string_view choice) {
    const auto key = std::make_pair(version_id, order);
    auto shown = shown_.find(key);
    if (shown == shown_.end()) {
      const auto version = versions_.version(version_id);
      const auto indices =
          version ? parse_option_order(order, version->options.size()) : std::nullopt;
      if (!indices) {
        return;  // not a paper this program wrote: nothing to count
      }
      auto& entries = counts_[version->id.value()];
      for (const auto& option : version->options) {
        const bool right = std::find(version->answer.begin(), version->answer.end(), option.key) !=
                           version->answer.end();
        option_count& item = entry(entries, option.text);
        item.correct = item.correct || right;
      }
      shown = shown_.emplace(key, present(*version, *indices)).first;
    }
    count(shown->second.id.value(), shown->second.options, choice);
  }

  // An answer of a paper stored before step 8: the options as shown, with their shown keys.
  void add_shown(const std::string& question, const std::vector<question_option>& options,
                 const std::vector<std::string>& correct_keys, std::string_view choice) {
    auto& entries = counts_[question];
    for (const auto& option : options) {
      const bool right =
          std::find(correct_keys.begin(), correct_keys.end(), option.key) != correct_keys.end();
      option_count& item = entry(entries, option.text);
      item.correct = item.correct || right;
    }
    count(question, options, choice);
  }

  option_distribution finish() {
    for (auto& [question, entries] : counts_) {
      option_count* worst = nullptr;
      for (auto& item : entries) {
        if (!item.correct && item.chosen > 0 && (worst == nullptr || item.chosen > worst->chosen)) {
          worst = &item;
        }
      }
      if (worst != nullptr) {
        worst->most_chosen_wrong = true;
      }
    }
    return std::move(counts_);
  }

 private:
  static option_count& entry(std::vector<option_count>& entries, const std::string& text) {
    for (auto& item : entries) {
      if (item.text == text) {
        return item;
      }
    }
    return entries.emplace_back(option_count{text, 0, false, false});
  }

  void count(const std::string& question, const std::vector<question_option>& options,
             std::string_view choice) {
    auto& entries = counts_[question];
    for (const auto& key : decode_choice(choice)) {
      for (const auto& option : options) {
        if (option.key == key) {
          ++entry(entries, option.text).chosen;
        }
      }
    }
  }

  question_store versions_;
  std::map<std::pair<std::int64_t, std::string>, presented_question> shown_;
  option_distribution counts_;
};

std::vector<question_option> options_from(std::string_view column) {
  std::vector<question_option> options;
  const boost::json::value parsed = boost::json::parse(column);  // outlives the loop
  for (const auto& option : parsed.as_array()) {
    options.push_back(
        {std::string{option.at("key").as_string()}, std::string{option.at("text").as_string()}});
  }
  return options;
}

std::vector<std::string> keys_from(std::string_view column) {
  std::vector<std::string> keys;
  const boost::json::value parsed = boost::json::parse(column);  // outlives the loop
  for (const auto& key : parsed.as_array()) {
    keys.emplace_back(key.as_string());
  }
  return keys;
}

}  // namespace

option_distribution option_distributions(sqlite_database& database, const competition_rules& rules,
                                         const answer_scope& scope) {
  const directory_snapshot places = directory_store(database).snapshot();
  option_tally tally(database);
  sqlite_statement versioned = prepare_scoped(
      database, rules, scope, places,
      "SELECT json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), a.choice "
      "FROM scoped s, json_each(s.paper) e JOIN answers a ON a.attempt_id = s.id "
      "AND a.position = CAST(e.key AS INTEGER) WHERE s.paper IS NOT NULL");
  while (versioned.step() == step_result::row) {
    tally.add_versioned(versioned.column_int64(0), versioned.column_text(1),
                        versioned.column_text(2));
  }
  sqlite_statement legacy = prepare_scoped(
      database, rules, scope, places,
      "SELECT q.question_id, q.options, q.correct_keys, a.choice FROM scoped s "
      "JOIN attempt_questions q ON q.attempt_id = s.id JOIN answers a ON a.attempt_id = s.id "
      "AND a.position = q.position WHERE s.paper IS NULL");
  while (legacy.step() == step_result::row) {
    tally.add_shown(legacy.column_text(0), options_from(legacy.column_text(1)),
                    keys_from(legacy.column_text(2)), legacy.column_text(3));
  }
  return tally.finish();
}

}  // namespace anquanli
