// Which requests an overloaded server refuses first (see http_server's admission and
// docs/reliability.md, "Overload"). A route that begins work (signing in, starting a challenge)
// is refused well before one that continues it (an answer, a finish, a draw): a participant
// half-way through a timed challenge must not lose it to the load that new arrivals bring, and
// refusing one start sheds the sixteen or so requests that would have followed it. A shared read
// (the leaderboards: figures everyone sees alike) is admitted as continuing work, but while
// participants are at work it waits its turn behind them (server/http/shared_read_pacer.hpp).
#pragma once

#include <string_view>

namespace anquanli {

enum class load_priority { continues_work, begins_work, shared_read };

[[nodiscard]] constexpr std::string_view to_string(load_priority priority) noexcept {
  switch (priority) {
    case load_priority::begins_work: return "begins_work";
    case load_priority::shared_read: return "shared_read";
    case load_priority::continues_work: break;
  }
  return "continues_work";
}

}  // namespace anquanli
