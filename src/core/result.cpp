#include "jrads/core/result.hpp"

namespace jrads {

const char* to_string(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid value";
    case Errc::parse_error: return "parse error";
    case Errc::unknown_key: return "unknown key";
    case Errc::missing_key: return "missing key";
    case Errc::duplicate_id: return "duplicate id";
    case Errc::dangling_ref: return "undefined reference";
    case Errc::io_error: return "i/o error";
    case Errc::truncated: return "truncated input";
    case Errc::unsupported: return "unsupported";
  }
  return "error";
}

std::string Location::to_string() const {
  // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "literal" + std::string.
  std::string out = file;
  if (line > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  if (record > 0) {
    out += out.empty() ? "record " : ": record ";
    out += std::to_string(record);
  }
  if (!path.empty()) {
    if (!out.empty()) out += ": ";
    out += path;
  }
  return out;
}

std::string Error::to_string() const {
  const std::string where_text = where.to_string();
  return where_text.empty() ? message : where_text + ": " + message;
}

void assert_fail(const char* expr, SourceLocation where) {
  std::fprintf(stderr, "jrads: assertion failed: %s at %s:%u (%s)\n", expr, where.file_name(),
               where.line, where.function_name());
  std::abort();
}

}  // namespace jrads
