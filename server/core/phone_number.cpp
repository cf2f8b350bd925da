#include "server/core/phone_number.hpp"

#include <algorithm>

namespace anquanli {

bool is_mobile_number(std::string_view phone) {
  return phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' &&
         std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() != 11) {
    return "***";
  }
  return std::string{phone.substr(0, 3)} + "****" + std::string{phone.substr(7)};
}

}  // namespace anquanli
