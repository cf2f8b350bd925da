// The pacing of shared reads (server/http/shared_read_pacer.hpp) as a pure rule: instants are
// given, never read from a clock.
#include "server/http/shared_read_pacer.hpp"

#include <catch2/catch.hpp>
#include <chrono>

namespace anquanli {
namespace {

using namespace std::chrono_literals;

monotonic_instant at(std::chrono::milliseconds since) {
  return monotonic_instant{} + std::chrono::hours{1} + since;
}

TEST_CASE("shared reads are not paced while nobody is at work", "[pacer]") {
  shared_read_pacer pacer(10, 1000ms, 5000ms);
  for (int i = 0; i < 100; ++i) {
    CHECK(pacer.reserve(at(0ms)) == 0ns);
  }
  pacer.note_work(at(0ms));
  CHECK(pacer.reserve(at(10ms)) == 0ns);    // paced from here on: the first turn is free
  CHECK(pacer.reserve(at(2000ms)) == 0ns);  // the work is over a second old: free again
}

TEST_CASE("while participants work, shared reads take turns at the configured rate", "[pacer]") {
  shared_read_pacer pacer(10, 1000ms, 5000ms);  // a turn every 100 ms
  pacer.note_work(at(0ms));
  CHECK(pacer.reserve(at(0ms)) == 0ns);
  CHECK(pacer.reserve(at(0ms)) == 100ms);
  CHECK(pacer.reserve(at(0ms)) == 200ms);
  CHECK(pacer.reserve(at(50ms)) == 250ms);  // the fourth turn is at 300 ms
  // A quiet spell: the next read's turn is its arrival, not a backlog of missed turns.
  pacer.note_work(at(900ms));
  CHECK(pacer.reserve(at(900ms)) == 0ns);
  CHECK(pacer.reserve(at(900ms)) == 100ms);
}

TEST_CASE("a read whose turn is too far off is refused and takes no turn", "[pacer]") {
  shared_read_pacer pacer(10, 1000ms, 500ms);  // at most 5 turns ahead
  pacer.note_work(at(0ms));
  for (int turn = 0; turn <= 5; ++turn) {
    CHECK(pacer.reserve(at(0ms)) == std::chrono::milliseconds{100 * turn});
  }
  CHECK_FALSE(pacer.reserve(at(0ms)).has_value());
  CHECK_FALSE(pacer.reserve(at(0ms)).has_value());
  CHECK(pacer.reserve(at(100ms)) == 500ms);  // the refused ones left the queue as it was
}

TEST_CASE("a rate of 0 never paces", "[pacer]") {
  shared_read_pacer pacer(0, 1000ms, 5000ms);
  pacer.note_work(at(0ms));
  for (int i = 0; i < 100; ++i) {
    CHECK(pacer.reserve(at(0ms)) == 0ns);
  }
}

}  // namespace
}  // namespace anquanli
