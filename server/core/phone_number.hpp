// Mainland mobile numbers, as participants sign in with them: the check on what a client sent and
// the masked form ("138****8000") that is all anyone but the office ever sees.
#pragma once

#include <string>
#include <string_view>

namespace anquanli {

// A mainland mobile number: 11 digits, 1[3-9]….
[[nodiscard]] bool is_mobile_number(std::string_view phone);

// "13800138000" → "138****8000"; anything that is not 11 characters → "***".
[[nodiscard]] std::string mask_phone(std::string_view phone);

}  // namespace anquanli
