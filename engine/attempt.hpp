// One participant's challenge as a small state machine:
//
//   in_progress --answer the last question / finish / first wrong answer (end_on_wrong)--> finished
//   in_progress --time limit passes--> expired
//
// Questions are served one at a time: question i is served when question i-1 is answered (the
// first at the start), and its deadline runs from then, capped by the attempt's own deadline.
// Deadlines therefore follow from stored answer times alone, so a reloaded attempt resumes with
// its original deadlines. Answers after a question's deadline are kept but count as wrong.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "engine/answer_check.hpp"
#include "engine/competition_rules.hpp"
#include "engine/ids.hpp"
#include "engine/instant.hpp"
#include "engine/question_type.hpp"
#include "engine/verdict.hpp"

namespace anquanli {

enum class attempt_status { in_progress, finished, expired };

[[nodiscard]] constexpr std::string_view to_string(attempt_status status) noexcept {
  switch (status) {
    case attempt_status::in_progress: return "in_progress";
    case attempt_status::finished: return "finished";
    case attempt_status::expired: return "expired";
  }
  return "unknown";
}

// The status a stored text names (the inverse of to_string); in_progress for anything else.
[[nodiscard]] constexpr attempt_status attempt_status_from(std::string_view text) noexcept {
  if (text == "finished") {
    return attempt_status::finished;
  }
  return text == "expired" ? attempt_status::expired : attempt_status::in_progress;
}

// A question as this attempt asks it: keys are the letters shown, after any option shuffle.
struct attempt_question {
  question_id id;
  question_type type = question_type::single;
  std::vector<std::string> option_keys;
  choice_keys correct_keys;
};

struct recorded_answer {
  int index = 0;
  choice_keys choice;  // normalized
  bool correct = false;
  bool timed_out = false;
  instant answered_at{};

  friend bool operator==(const recorded_answer&, const recorded_answer&) = default;
};

struct answer_outcome {
  verdict outcome = verdict::accepted;
  std::optional<recorded_answer> answer;  // the stored answer for accepted and answer_repeated
};

class attempt {
 public:
  attempt(std::vector<attempt_question> questions, instant started_at);

  // Rebuilds an attempt from storage. Answers must be for indices 0, 1, … in order.
  [[nodiscard]] static attempt restore(std::vector<attempt_question> questions, instant started_at,
                                       std::vector<recorded_answer> answers, attempt_status status,
                                       std::optional<instant> closed_at);

  [[nodiscard]] attempt_status status() const noexcept { return status_; }
  [[nodiscard]] instant started_at() const noexcept { return started_at_; }
  [[nodiscard]] std::optional<instant> closed_at() const noexcept { return closed_at_; }
  [[nodiscard]] const std::vector<attempt_question>& questions() const noexcept {
    return *questions_;
  }
  [[nodiscard]] const std::vector<recorded_answer>& answers() const noexcept { return answers_; }

  // The index to answer next; empty once the attempt is closed or every question is answered.
  [[nodiscard]] std::optional<int> next_index() const;

  // When the attempt expires; instant::max() without an attempt time limit.
  [[nodiscard]] instant deadline(const competition_rules& rules) const;

  // When the question at next_index() times out; only meaningful while next_index() has a value.
  [[nodiscard]] instant question_deadline(const competition_rules& rules) const;

  // Records the answer to `index` at `now`. Verdicts: accepted, answer_repeated (same choice for an
  // answered index), already_answered, out_of_order, invalid_choice, attempt_finished,
  // attempt_expired. An attempt past its deadline expires before the answer is looked at.
  [[nodiscard]] answer_outcome answer(const competition_rules& rules, int index,
                                      const choice_keys& choice, instant now);

  // Ends the attempt at `now`: accepted when it was in progress (it becomes finished, or expired
  // when its deadline already passed), attempt_finished / attempt_expired when it was closed.
  verdict finish(const competition_rules& rules, instant now);

  // Expires the attempt when its deadline has passed; true when this call changed it.
  bool expire_if_due(const competition_rules& rules, instant now);

 private:
  attempt() = default;
  [[nodiscard]] verdict closed_verdict() const;
  void close(attempt_status status, instant at);

  // Shared by every copy: the storage layer copies an open attempt on every answer it returns,
  // and the paper never changes once given.
  std::shared_ptr<const std::vector<attempt_question>> questions_ =
      std::make_shared<const std::vector<attempt_question>>();
  instant started_at_{};
  std::vector<recorded_answer> answers_;
  attempt_status status_ = attempt_status::in_progress;
  std::optional<instant> closed_at_;
};

}  // namespace anquanli
