// Which requests an overloaded server refuses first (see http_server's admission and
// docs/reliability.md, "Overload"). A route that begins work (signing in, starting a challenge)
// is refused well before one that continues it (an answer, a finish, a draw): a participant
// half-way through a timed challenge must not lose it to the load that new arrivals bring, and
// refusing one start sheds the sixteen or so requests that would have followed it.
#pragma once

#include <string_view>

namespace anquanli {

enum class load_priority { continues_work, begins_work };

[[nodiscard]] constexpr std::string_view to_string(load_priority priority) noexcept {
  return priority == load_priority::begins_work ? "begins_work" : "continues_work";
}

}  // namespace anquanli
