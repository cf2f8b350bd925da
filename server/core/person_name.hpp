// A participant's name as the public sees it: its first character and a star ("张三" → "张*").
// Winners' lists and personal rankings show only this; the full name stays with the office.
#pragma once

#include <string>
#include <string_view>

namespace anquanli {

// The first UTF-8 character of `name` followed by "*"; "*" for an empty name. `name` is valid
// UTF-8 (names are normalised when they are stored).
[[nodiscard]] std::string mask_name(std::string_view name);

}  // namespace anquanli
