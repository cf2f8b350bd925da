// The ids the rules talk about. Questions carry stable string ids chosen by the bank's authors;
// prizes carry string ids from the competition configuration.
#pragma once

#include <string>

#include "engine/strong_id.hpp"

namespace anquanli {

using question_id = strong_id<struct question_id_tag, std::string>;
using prize_id = strong_id<struct prize_id_tag, std::string>;

}  // namespace anquanli
