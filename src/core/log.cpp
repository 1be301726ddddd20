#include "jrads/core/log.hpp"

#include <string>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace jrads {
namespace {
bool g_silent = false;  // read and written only from the main thread at start-up
}

std::shared_ptr<spdlog::logger> logger(std::string_view module) {
  const std::string name = "jrads." + std::string(module);
  if (auto existing = spdlog::get(name)) return existing;
  std::shared_ptr<spdlog::logger> created;
  if (g_silent) {
    created = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
  } else {
    created = spdlog::stderr_color_mt(name);
  }
  return created;
}

void silence_logs() {
  g_silent = true;
  spdlog::set_level(spdlog::level::off);
}

}  // namespace jrads
