// libFuzzer target: parse_scenario on arbitrary bytes. It must never crash, hang or throw, and
// must keep its promise: a scenario and no errors, or errors and no scenario.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  // The parser accepts up to 16 MiB; beyond 1 MiB the fuzzer learns nothing new per second.
  if (size > (std::size_t{1} << 20)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto out = jrads::scenario::parse_scenario(text, "fuzz.yaml");
  JRADS_ASSERT(out.scenario.has_value() != !out.errors.empty());
  JRADS_ASSERT(out.errors.size() <= 101);
  if (out.scenario) {
    const std::string s = jrads::scenario::summary(*out.scenario);
    JRADS_ASSERT(!s.empty());
  }
  return 0;
}
