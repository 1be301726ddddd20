#pragma once
// Private to jrads::metrics: line-by-line reading of an in-memory text or of a file in chunks,
// field splitting and strict number parsing for the FORMATS.md CSV readers.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/metrics/csv_input.hpp"

namespace jrads::metrics::detail {

// Yields the lines of one input without their "\n" or "\r\n". Memory mode reads a string_view;
// file mode reads the file in 1 MiB chunks, so a multi-gigabyte file needs no more memory than
// that. A line longer than kMaxLineBytes, or a read failure, stops the reader with error().
class LineReader {
 public:
  LineReader(std::string_view text, std::string file_name) : text_(text), file_(std::move(file_name)) {}

  [[nodiscard]] static Result<std::unique_ptr<LineReader>> open(const std::filesystem::path& path) {
    std::unique_ptr<LineReader> r(new LineReader(std::string_view{}, path.string()));
    r->fp_ = std::fopen(path.c_str(), "rb");
    if (r->fp_ == nullptr) {
      return fail(Errc::io_error, std::string("cannot open for reading: ") + std::strerror(errno),
                  Location::in_file(path.string()));
    }
    r->buf_.resize(kChunk + kMaxLineBytes + 2);
    return r;
  }

  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader() {
    if (fp_ != nullptr) std::fclose(fp_);
  }

  // The next line; false at the end of input or on an error (then error() is set).
  [[nodiscard]] bool next(std::string_view& line) {
    if (error_) return false;
    if (fp_ == nullptr ? !next_in_memory(line) : !next_in_file(line)) return false;
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes) {
      error_ = make_error(Errc::parse_error,
                          "line longer than " + std::to_string(kMaxLineBytes) + " bytes", where(1));
      return false;
    }
    return true;
  }

  [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }
  [[nodiscard]] int line_number() const noexcept { return line_number_; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] Location where(int column, std::string_view path = {}, std::int64_t record = 0) const {
    Location w = Location::in_file(file_);
    w.line = line_number_;
    w.column = column;
    w.record = record;
    w.path = std::string(path);
    return w;
  }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  bool next_in_memory(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    return true;
  }

  bool next_in_file(std::string_view& line) {
    for (;;) {
      const char* begin = buf_.data() + pos_;
      const void* nl = std::memchr(begin, '\n', end_ - pos_);
      if (nl != nullptr) {
        const std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nl) - begin);
        line = std::string_view(begin, len);
        pos_ += len + 1;
        return true;
      }
      if (eof_) {
        if (pos_ == end_) return false;
        line = std::string_view(begin, end_ - pos_);  // the last line has no final newline
        pos_ = end_;
        return true;
      }
      if (end_ - pos_ > kMaxLineBytes + 1) {  // +1: a "\r" that next() strips
        ++line_number_;
        error_ = make_error(Errc::parse_error, "line longer than " + std::to_string(kMaxLineBytes) + " bytes",
                            where(1));
        return false;
      }
      std::memmove(buf_.data(), begin, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
      const std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, fp_);
      end_ += got;
      if (got == 0) {
        if (std::ferror(fp_) != 0) {
          error_ = make_error(Errc::io_error, "read failed", Location::in_file(file_));
          return false;
        }
        eof_ = true;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string file_;
  std::FILE* fp_ = nullptr;
  std::vector<char> buf_;
  std::size_t end_ = 0;
  bool eof_ = false;
  int line_number_ = 0;
  std::optional<Error> error_;
};

// Splits a line at every ','; the views point into the line. Reuses `out`'s storage.
inline void split_fields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(line.substr(start));
      return;
    }
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

// 1-based column of a field that views into line.
[[nodiscard]] inline int column_of(std::string_view line, std::string_view field) {
  return static_cast<int>(field.data() - line.data()) + 1;
}

// The field as it may be shown in a message: at most 40 bytes, non-printable bytes as \xNN.
[[nodiscard]] inline std::string quoted(std::string_view field) {
  std::string out = "\"";
  const std::size_t n = std::min<std::size_t>(field.size(), 40);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(field[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(c));
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (field.size() > n) out += "...";
  out += '"';
  return out;
}

// A decimal number (std::from_chars, no locale) that fills the whole field and is finite.
// On failure returns the problem as text.
[[nodiscard]] inline std::optional<std::string> parse_finite(std::string_view field, double& out) {
  if (field.empty()) return std::string("empty field (a number is required)");
  const char* first = field.data();
  const char* last = field.data() + field.size();
  const auto r = std::from_chars(first, last, out, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) return "number out of range: " + quoted(field);
  if (r.ec != std::errc() || r.ptr != last) return "not a number: " + quoted(field);
  if (!std::isfinite(out)) return "not a finite number: " + quoted(field);
  return std::nullopt;
}

// A non-negative decimal integer that fills the whole field.
[[nodiscard]] inline std::optional<std::string> parse_count(std::string_view field, std::int64_t& out) {
  if (field.empty()) return std::string("empty field (an integer is required)");
  const char* last = field.data() + field.size();
  const auto r = std::from_chars(field.data(), last, out);
  if (r.ec != std::errc() || r.ptr != last || out < 0) return "not a non-negative integer: " + quoted(field);
  return std::nullopt;
}

// An id: non-empty, no control bytes (UTF-8 above 0x7f is allowed).
[[nodiscard]] inline std::optional<std::string> check_id(std::string_view field) {
  if (field.empty()) return std::string("empty id");
  for (const char ch : field) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return "control byte in id: " + quoted(field);
  }
  return std::nullopt;
}

// Checks that a header line starts with the expected column names (more may follow).
// Strips a UTF-8 byte order mark. Returns the number of columns in the header.
[[nodiscard]] inline Result<std::size_t> check_header(LineReader& in, std::span<const std::string_view> expected,
                                                      std::vector<std::string_view>& fields) {
  std::string_view line;
  if (!in.next(line)) {
    if (in.error()) return fail(*in.error());
    Location where = in.where(1, expected.front());
    where.line = 1;
    return fail(Errc::truncated, "empty file: the header row is missing", where);
  }
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  split_fields(line, fields);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (i >= fields.size()) {
      return fail(Errc::missing_key, "header lacks column " + std::string(expected[i]),
                  in.where(static_cast<int>(line.size()) + 1, expected[i]));
    }
    if (fields[i] != expected[i]) {
      return fail(Errc::missing_key,
                  "header column " + std::to_string(i + 1) + " must be " + std::string(expected[i]) + ", found " +
                      quoted(fields[i]),
                  in.where(column_of(line, fields[i]), expected[i]));
    }
  }
  return fields.size();
}

}  // namespace jrads::metrics::detail
