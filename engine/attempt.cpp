#include "engine/attempt.hpp"

#include <cassert>

namespace anquanli {

attempt::attempt(std::vector<attempt_question> questions, instant started_at)
    : questions_(std::make_shared<const std::vector<attempt_question>>(std::move(questions))),
      started_at_(started_at) {}

attempt attempt::restore(std::vector<attempt_question> questions, instant started_at,
                         std::vector<recorded_answer> answers, attempt_status status,
                         std::optional<instant> closed_at) {
  attempt restored;
  restored.questions_ = std::make_shared<const std::vector<attempt_question>>(std::move(questions));
  restored.started_at_ = started_at;
  restored.answers_ = std::move(answers);
  restored.status_ = status;
  restored.closed_at_ = closed_at;
  for (std::size_t i = 0; i < restored.answers_.size(); ++i) {
    assert(restored.answers_[i].index == static_cast<int>(i) && "answers are stored in order");
  }
  assert(restored.answers_.size() <= restored.questions_->size() && "more answers than questions");
  return restored;
}

std::optional<int> attempt::next_index() const {
  if (status_ != attempt_status::in_progress || answers_.size() >= questions_->size()) {
    return std::nullopt;
  }
  return static_cast<int>(answers_.size());
}

instant attempt::deadline(const competition_rules& rules) const {
  if (rules.attempt_time_limit.count() == 0) {
    return instant::max();
  }
  return started_at_ + rules.attempt_time_limit;
}

instant attempt::question_deadline(const competition_rules& rules) const {
  const instant attempt_deadline = deadline(rules);
  if (rules.question_time_limit.count() == 0) {
    return attempt_deadline;
  }
  const instant served_at = answers_.empty() ? started_at_ : answers_.back().answered_at;
  return std::min(served_at + rules.question_time_limit, attempt_deadline);
}

verdict attempt::closed_verdict() const {
  return status_ == attempt_status::expired ? verdict::attempt_expired : verdict::attempt_finished;
}

void attempt::close(attempt_status status, instant at) {
  status_ = status;
  closed_at_ = at;
}

bool attempt::expire_if_due(const competition_rules& rules, instant now) {
  if (status_ != attempt_status::in_progress || now <= deadline(rules)) {
    return false;
  }
  close(attempt_status::expired, deadline(rules));
  return true;
}

answer_outcome attempt::answer(const competition_rules& rules, int index, const choice_keys& choice,
                               instant now) {
  expire_if_due(rules, now);
  if (index >= 0 && static_cast<std::size_t>(index) < answers_.size()) {
    const recorded_answer& stored = answers_[static_cast<std::size_t>(index)];
    if (stored.choice == normalize_choice(choice)) {
      return {verdict::answer_repeated, stored};
    }
    return {verdict::already_answered, std::nullopt};
  }
  if (status_ != attempt_status::in_progress) {
    return {closed_verdict(), std::nullopt};
  }
  if (index != next_index()) {
    return {verdict::out_of_order, std::nullopt};
  }
  const attempt_question& question = (*questions_)[static_cast<std::size_t>(index)];
  if (check_choice(question.type, question.option_keys, choice) != verdict::accepted) {
    return {verdict::invalid_choice, std::nullopt};
  }
  const bool timed_out = now > question_deadline(rules);
  const bool correct = !timed_out && is_correct_choice(question.correct_keys, choice);
  answers_.push_back({index, normalize_choice(choice), correct, timed_out, now});
  if (answers_.size() == questions_->size() || (rules.end_on_wrong && !correct)) {
    close(attempt_status::finished, now);
  }
  return {verdict::accepted, answers_.back()};
}

verdict attempt::finish(const competition_rules& rules, instant now) {
  if (expire_if_due(rules, now)) {
    return verdict::accepted;
  }
  if (status_ != attempt_status::in_progress) {
    return closed_verdict();
  }
  close(attempt_status::finished, now);
  return verdict::accepted;
}

}  // namespace anquanli
