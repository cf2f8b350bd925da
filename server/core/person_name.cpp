#include "server/core/person_name.hpp"

namespace anquanli {

namespace {

// Bytes in the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80U) {
    return 1;
  }
  if ((lead & 0xE0U) == 0xC0U) {
    return 2;
  }
  if ((lead & 0xF0U) == 0xE0U) {
    return 3;
  }
  return 4;
}

}  // namespace

std::string mask_name(std::string_view name) {
  if (name.empty()) {
    return "*";
  }
  const std::size_t first = sequence_length(static_cast<unsigned char>(name.front()));
  return std::string{name.substr(0, first)} + "*";
}

}  // namespace anquanli
