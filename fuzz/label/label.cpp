// libFuzzer target: parse_label on arbitrary bytes. It must never crash, hang or throw; what it
// accepts must be a valid label whose text form is exactly the input (one spelling per label),
// and what it rejects must be a parse_error that names the byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/security/label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  // The parser refuses anything over 1024 bytes at once; a little beyond keeps that path covered.
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto label = jrads::security::parse_label(text);
  if (!label) {
    JRADS_ASSERT(label.error().code == jrads::Errc::parse_error);
    JRADS_ASSERT(label.error().message.rfind("label byte ", 0) == 0);
    JRADS_ASSERT(label.error().message.find(": expected ") != std::string::npos);
    return 0;
  }
  JRADS_ASSERT(size <= 1024);
  JRADS_ASSERT(jrads::security::validate(*label).has_value());
  const std::string again = jrads::security::to_text(*label);
  JRADS_ASSERT(again == text);
  const auto back = jrads::security::parse_label(again);
  JRADS_ASSERT(back.has_value() && *back == *label);
  return 0;
}
