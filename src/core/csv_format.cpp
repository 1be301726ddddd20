#include "jrads/core/csv_format.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>
#include <utility>

namespace jrads {

void append_double(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_fixed(std::string& out, double v, int decimals) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, r.ptr);
}

void append_time(std::string& out, SimTime t) {
  std::int64_t ns = t.ns();
  if (ns < 0) {
    out.push_back('-');
    ns = -ns;  // |SimTime| never reaches INT64_MIN: that is 292 years
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, ns / 1'000'000'000);
  out.append(buf, r.ptr);
  std::int64_t frac = ns % 1'000'000'000;
  if (frac == 0) return;
  int digits = 9;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  char fbuf[16];
  std::snprintf(fbuf, sizeof fbuf, ".%0*lld", digits, static_cast<long long>(frac));
  out.append(fbuf);
}

void append_icao(std::string& out, std::uint32_t icao) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (int shift = 20; shift >= 0; shift -= 4) out.push_back(hex[(icao >> shift) & 0xF]);
}

void append_squawk(std::string& out, std::uint16_t squawk) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(squawk % 10000));
  out.append(buf);
}

Result<OutputFile> OutputFile::open(const std::filesystem::path& path) {
  OutputFile f;
  f.path_ = path.string();
  f.partial_ = f.path_ + ".partial";
  f.fp_ = std::fopen(f.partial_.c_str(), "wb");
  if (f.fp_ == nullptr) {
    return fail(Errc::io_error, std::string("cannot open for writing: ") + std::strerror(errno),
                Location::in_file(f.partial_));
  }
  return f;
}

OutputFile::OutputFile(OutputFile&& o) noexcept
    : fp_(std::exchange(o.fp_, nullptr)), path_(std::move(o.path_)), partial_(std::move(o.partial_)),
      buf_(std::move(o.buf_)), error_(std::move(o.error_)), committed_(std::exchange(o.committed_, true)) {}

OutputFile& OutputFile::operator=(OutputFile&& o) noexcept {
  if (this != &o) {
    discard();
    fp_ = std::exchange(o.fp_, nullptr);
    path_ = std::move(o.path_);
    partial_ = std::move(o.partial_);
    buf_ = std::move(o.buf_);
    error_ = std::move(o.error_);
    committed_ = std::exchange(o.committed_, true);
  }
  return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
  if (committed_ || partial_.empty()) return;
  if (fp_ != nullptr) std::fclose(fp_);
  fp_ = nullptr;
  std::error_code ec;
  std::filesystem::remove(partial_, ec);  // best effort: nothing else to do on failure
}

void OutputFile::flush_if_full() {
  if (buf_.size() >= (1U << 20)) flush();
}

void OutputFile::flush() {
  if (fp_ == nullptr || buf_.empty()) return;
  if (error_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), fp_) != buf_.size()) {
    error_ = partial_ + ": write failed: " + std::strerror(errno);
  }
  buf_.clear();
}

void OutputFile::close() {
  flush();
  if (fp_ != nullptr && std::fclose(fp_) != 0 && error_.empty()) error_ = partial_ + ": close failed: " + std::strerror(errno);
  fp_ = nullptr;
}

Result<void> OutputFile::commit() {
  close();
  if (!error_.empty()) return fail(Errc::io_error, error_);
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) return fail(Errc::io_error, "cannot rename " + partial_ + ": " + ec.message(), Location::in_file(path_));
  committed_ = true;
  return {};
}

}  // namespace jrads
