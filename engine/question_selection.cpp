#include "engine/question_selection.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace anquanli {

namespace {

using category_index = std::map<std::string, std::vector<question_id>>;

// Groups ids by category, dropping duplicate ids so no attempt can repeat a question.
category_index index_by_category(const std::vector<question_candidate>& bank) {
  category_index index;
  std::unordered_set<question_id> seen;
  for (const auto& candidate : bank) {
    if (seen.insert(candidate.id).second) {
      index[candidate.category].push_back(candidate.id);
    }
  }
  // Sorting makes the draw independent of the order the store returned the bank in.
  for (auto& [category, ids] : index) {
    std::sort(ids.begin(), ids.end());
  }
  return index;
}

int available_in(const category_index& index, const std::string& category) {
  const auto found = index.find(category);
  return found == index.end() ? 0 : static_cast<int>(found->second.size());
}

std::vector<category_plan> proportional_plan(const category_index& index, int wanted_total) {
  std::size_t bank_size = 0;
  for (const auto& entry : index) {
    bank_size += entry.second.size();
  }
  std::vector<category_plan> plan;
  if (bank_size == 0) {
    return plan;
  }
  struct share {
    std::size_t plan_index;
    std::size_t remainder;
  };
  std::vector<share> remainders;
  int assigned = 0;
  for (const auto& [category, ids] : index) {
    const std::size_t scaled = ids.size() * static_cast<std::size_t>(wanted_total);
    const int whole = static_cast<int>(scaled / bank_size);
    remainders.push_back({plan.size(), scaled % bank_size});
    plan.push_back({category, whole, static_cast<int>(ids.size())});
    assigned += whole;
  }
  // Largest remainders get the questions left over; ties go to the category named first.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const share& a, const share& b) { return a.remainder > b.remainder; });
  for (std::size_t i = 0; assigned < wanted_total && i < remainders.size(); ++i, ++assigned) {
    ++plan[remainders[i].plan_index].wanted;
  }
  return plan;
}

// Unseen questions first, each part in random order.
std::vector<question_id> pick_from_category(std::vector<question_id> ids, int wanted,
                                            const std::unordered_set<question_id>& recently_seen,
                                            random_sequence& random) {
  const auto seen_begin = std::stable_partition(
      ids.begin(), ids.end(), [&](const question_id& id) { return !recently_seen.contains(id); });
  std::vector<question_id> unseen(ids.begin(), seen_begin);
  std::vector<question_id> seen(seen_begin, ids.end());
  random.shuffle(unseen);
  random.shuffle(seen);
  unseen.insert(unseen.end(), seen.begin(), seen.end());
  unseen.resize(static_cast<std::size_t>(wanted));
  return unseen;
}

}  // namespace

std::vector<category_plan> plan_categories(const std::vector<question_candidate>& bank,
                                           const competition_rules& rules) {
  const category_index index = index_by_category(bank);
  if (rules.quotas.empty()) {
    return proportional_plan(index, rules.questions_per_attempt);
  }
  std::vector<category_plan> plan;
  for (const auto& quota : rules.quotas) {
    plan.push_back({quota.category, quota.count, available_in(index, quota.category)});
  }
  return plan;
}

question_selection select_questions(const std::vector<question_candidate>& bank,
                                    const competition_rules& rules,
                                    const std::unordered_set<question_id>& recently_seen,
                                    random_sequence& random) {
  const category_index index = index_by_category(bank);
  const std::vector<category_plan> plan = plan_categories(bank, rules);
  const int planned = std::accumulate(
      plan.begin(), plan.end(), 0, [](int sum, const category_plan& p) { return sum + p.wanted; });
  const bool short_somewhere = std::any_of(
      plan.begin(), plan.end(), [](const category_plan& p) { return p.available < p.wanted; });
  if (planned != rules.questions_per_attempt || short_somewhere) {
    return {verdict::insufficient_questions, {}};
  }
  question_selection selection;
  for (const auto& part : plan) {
    if (part.wanted == 0) {
      continue;
    }
    auto picked = pick_from_category(index.at(part.category), part.wanted, recently_seen, random);
    random.shuffle(picked);  // so that recently seen fill-ins are not always asked last
    selection.questions.insert(selection.questions.end(), picked.begin(), picked.end());
  }
  if (rules.quotas.empty()) {
    random.shuffle(selection.questions);
  }
  return selection;
}

std::vector<std::size_t> option_order(std::size_t option_count, bool shuffle,
                                      random_sequence& random) {
  std::vector<std::size_t> order(option_count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffle) {
    random.shuffle(order);
  }
  return order;
}

}  // namespace anquanli
