#pragma once
// The program's only clock read (key times, key and audit-log checks): logic takes `now`.
#include <chrono>
#include <cstdint>

namespace jrads::app {

[[nodiscard]] inline std::int64_t wall_clock_unix_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace jrads::app
