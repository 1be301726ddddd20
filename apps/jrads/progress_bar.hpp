#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <cstdio>
#include <string>

#include <unistd.h>

namespace jrads::app {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { done(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(double fraction) {
    if (!enabled_) return;
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    constexpr int width = 40;
    const int filled = percent * width / 100;
    std::fprintf(stderr, "\r%s [%s%s] %3d%%", label_.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), percent);
    std::fflush(stderr);
  }
  void done() {
    if (enabled_ && last_percent_ >= 0) std::fputc('\n', stderr);
    enabled_ = false;
  }

 private:
  std::string label_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace jrads::app
