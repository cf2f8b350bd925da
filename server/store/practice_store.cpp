#include "server/store/practice_store.hpp"

#include <algorithm>
#include <unordered_set>

#include "server/store/attempt_papers.hpp"
#include "server/store/history_store.hpp"

namespace anquanli {

namespace {

constexpr int recent_practices_avoided = 3;

int practices_on(sqlite_database& database, participant_id who, day_key day) {
  sqlite_statement count = database.prepare(
      "SELECT COUNT(*) FROM attempts WHERE participant_id = ?1 AND day = ?2 AND kind = 'practice'");
  count.bind(1, who.value()).bind(2, std::string_view{to_string(day)});
  count.step();
  return count.column_int(0);
}

// The part of the bank the request draws from.
std::vector<question> pool_for(sqlite_database& database, const std::vector<question>& bank,
                               participant_id who, const practice_request& request) {
  std::vector<question> pool;
  if (request.mistakes) {
    std::unordered_set<question_id> wanted;
    for (auto& id : history_store(database).mistaken_questions(who)) {
      wanted.insert(std::move(id));
    }
    std::copy_if(bank.begin(), bank.end(), std::back_inserter(pool),
                 [&](const question& item) { return wanted.contains(item.id); });
  } else {
    std::copy_if(bank.begin(), bank.end(), std::back_inserter(pool), [&](const question& item) {
      return !request.category || item.category == *request.category;
    });
  }
  return pool;
}

}  // namespace

practice_result start_practice(sqlite_database& database, const practice_context& context,
                               const std::vector<question>& bank, participant_id who,
                               const practice_request& request, instant now, std::uint64_t seed) {
  const competition_rules& base = context.config.competition;
  const day_key today = day_key_of(now, base.offset);
  const int taken = practices_on(database, who, today);
  if (taken >= context.config.practice.per_day) {
    return {practice_outcome::limit_reached, std::nullopt};
  }
  const std::vector<question> pool = pool_for(database, bank, who, request);
  if (pool.empty()) {
    if (request.mistakes) {
      return {practice_outcome::no_mistakes, std::nullopt};
    }
    return {request.category ? practice_outcome::unknown_category : practice_outcome::no_questions,
            std::nullopt};
  }
  const int questions = std::min(context.config.practice.questions, static_cast<int>(pool.size()));
  // A new practice paper avoids the questions of the participant's last practices while it can.
  const attempt_paper paper = compose_paper(
      pool, practice_rules(base, questions),
      recent_questions(database, who, recent_practices_avoided, attempt_kind::practice), seed);
  if (paper.outcome != verdict::accepted || paper.questions.empty()) {
    return {practice_outcome::no_questions, std::nullopt};
  }
  // Practices number their day_sequence −1, −2 … so they never meet a challenge's 1, 2 … in the
  // attempts' natural key.
  const attempt_id id = context.store.insert_attempt(who, today, -(taken + 1), now, paper, pool,
                                                     attempt_kind::practice);
  return {practice_outcome::started, context.store.load_attempt(id)};
}

}  // namespace anquanli
