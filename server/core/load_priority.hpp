// Which requests an overloaded server refuses first (see http_server's admission and
// docs/reliability.md, "Overload"). A route that begins work (signing in, starting a challenge)
// is refused well before one that continues it (an answer, a finish, a draw): a participant
// half-way through a timed challenge must not lose it to the load that new arrivals bring, and
// refusing one start sheds the sixteen or so requests that would have followed it.
#pragma once

namespace anquanli {

enum class load_priority { continues_work, begins_work };

}  // namespace anquanli
