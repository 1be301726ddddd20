#pragma once
// One spdlog logger per module, named "jrads.<module>". Lines inside per-plot loops stay at
// debug or below; tests and fuzzers call silence_logs().
#include <memory>
#include <string_view>

#include <spdlog/logger.h>

namespace jrads {

// The logger "jrads.<module>", created on first use and shared afterwards.
[[nodiscard]] std::shared_ptr<spdlog::logger> logger(std::string_view module);
// Sends every jrads logger to a null sink.
void silence_logs();

}  // namespace jrads
