// How the API shows competition state as JSON. The attempt view never carries the correct keys,
// the explanation or the source of a question that has not been answered.
#pragma once

#include <boost/json/value.hpp>

#include "engine/competition_rules.hpp"
#include "server/store/directory.hpp"
#include "server/store/store_types.hpp"

namespace anquanli {

[[nodiscard]] boost::json::value competition_view(const competition_rules& rules, instant now);
// `competition`: the challenge's rules; a practice attempt is shown under the practice room's.
[[nodiscard]] boost::json::value attempt_view(const attempt_record& record,
                                              const competition_rules& competition);
[[nodiscard]] boost::json::value answer_view(const attempt_record& record,
                                             const recorded_answer& answer,
                                             const competition_rules& rules);
[[nodiscard]] boost::json::value profile_view(const profile& person,
                                              utc_offset offset = china_standard_time);
[[nodiscard]] boost::json::value me_json(const me_view& view, const competition_rules& rules,
                                         instant now);
[[nodiscard]] boost::json::value draw_view(const draw_record& draw, const competition_rules& rules);
[[nodiscard]] boost::json::value login_view(const login_result& result,
                                            const competition_rules& rules);
[[nodiscard]] boost::json::value draw_result_view(const draw_result_record& result);
// The rules an attempt runs under: the competition's, or the practice room's (issue 16).
[[nodiscard]] competition_rules run_rules_of(const attempt_record& record,
                                             const competition_rules& rules);
[[nodiscard]] boost::json::value region_view(const region& item);
[[nodiscard]] boost::json::value unit_view(const unit& item);

}  // namespace anquanli
