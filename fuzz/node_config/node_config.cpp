// libFuzzer target: parse_node_config on arbitrary bytes. It must never crash, hang or throw,
// and must keep its promise: a configuration and no errors, or errors and no configuration;
// and what it accepts it writes back to a text it reads back the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/scenario/node_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  if (size > (std::size_t{128} << 10)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto out = jrads::scenario::parse_node_config(text, "fuzz.yaml");
  JRADS_ASSERT(out.config.has_value() != !out.errors.empty());
  if (out.config) {
    const std::string again = jrads::scenario::to_yaml(*out.config);
    const auto back = jrads::scenario::parse_node_config(again, "again.yaml");
    JRADS_ASSERT(back.config.has_value());
    JRADS_ASSERT(jrads::scenario::to_yaml(*back.config) == again);
  }
  return 0;
}
