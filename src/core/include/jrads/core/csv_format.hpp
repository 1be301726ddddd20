#pragma once
// Number formatting shared by every CSV writer of shared/FORMATS.md files, and a buffered output
// file that appears under its final name only when complete.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"

namespace jrads {

void append_double(std::string& out, double v);  // shortest text that reads back to the same double
void append_fixed(std::string& out, double v, int decimals);
// Exact decimal seconds from the nanosecond count ("120", "0.02259151"), so times never pick
// up binary rounding noise such as 120.00000000000001.
void append_time(std::string& out, SimTime t);
void append_icao(std::string& out, std::uint32_t icao);      // 6 upper-case hex digits
void append_squawk(std::string& out, std::uint16_t squawk);  // 4 digits

// Writes to "<path>.partial" through a 1 MiB buffer; commit() renames it to `path`. Destroyed
// without a successful commit(), it removes the partial file, so a failed run never leaves a
// cut-off file under a final name. The first write error is kept and reported by commit().
class OutputFile {
 public:
  [[nodiscard]] static Result<OutputFile> open(const std::filesystem::path& path);
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  // Text to append; flushed when it passes the buffer size.
  [[nodiscard]] std::string& buffer() noexcept { return buf_; }
  void flush_if_full();
  [[nodiscard]] bool failed() const noexcept { return !error_.empty(); }
  [[nodiscard]] Result<void> commit();

 private:
  OutputFile() = default;
  void flush();
  void close();
  void discard() noexcept;
  std::FILE* fp_ = nullptr;
  std::string path_, partial_, buf_, error_;
  bool committed_ = false;
};

}  // namespace jrads
