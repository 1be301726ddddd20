#include "jrads/picture/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace jrads::picture {
namespace {

constexpr std::size_t kMaxLine = 4096;                 // bytes of a line, without its ending
constexpr std::size_t kChunk = std::size_t{1} << 20;   // fread size of DetectionReader
constexpr std::size_t kMaxSensorsFile = std::size_t{16} << 20;
constexpr std::int64_t kNsPerS = 1'000'000'000;
constexpr std::int64_t kMaxTimeNs = kNsPerS * kNsPerS;  // |time_s| <= 1e9 s
constexpr std::size_t kQuoteMax = 40;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr std::array<std::string_view, 6> kSensorColumns = {"sensor_id", "party", "type",
                                                            "lat_deg",   "lon_deg", "alt_m"};
enum SensorCol : int { s_id, s_party, s_type, s_lat, s_lon, s_alt };

constexpr std::array<std::string_view, 16> kDetectionColumns = {
    "time_s",  "sensor_id", "type",   "range_m",     "azimuth_deg", "elevation_deg",
    "sigma_range_m", "sigma_azimuth_deg", "sigma_elevation_deg", "lat_deg", "lon_deg",
    "alt_m",   "sigma_pos_m", "icao", "squawk",      "iff"};
enum DetectionCol : int {
  d_time, d_sensor, d_type, d_range, d_az, d_el, d_sigma_range, d_sigma_az, d_sigma_el,
  d_lat, d_lon, d_alt, d_sigma_pos, d_icao, d_squawk, d_iff
};

// Appends the pieces: g++ 12 warns falsely (-Wrestrict) on "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (const auto p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (const auto p : parts) out.append(p);
  return out;
}

void append_hex_byte(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// The text in single quotes for a message: at most kQuoteMax bytes, control and non-ASCII bytes
// as \xNN so that a message is always printable ASCII.
std::string quote(std::string_view text) {
  std::string out = "'";
  std::size_t n = 0;
  for (const char ch : text) {
    if (n == kQuoteMax) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || c == '\\') {
      append_hex_byte(out, c);
    } else {
      out += ch;
    }
    ++n;
  }
  out += '\'';
  return out;
}

std::string format_time(std::int64_t ns) {  // |ns| <= kMaxTimeNs: no overflow on negation
  std::string out;
  if (ns < 0) {
    out += '-';
    ns = -ns;
  }
  out += std::to_string(ns / kNsPerS);
  std::int64_t frac = ns % kNsPerS;
  if (frac != 0) {
    char digits[9];
    for (int k = 8; k >= 0; --k) {
      digits[k] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int n = 9;
    while (digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  }
  return out;
}

// `line` is 1-based; data rows (line > 1) carry their record number line - 1.
Location locate(std::string_view file, std::int64_t line, int column, std::string_view path) {
  Location where;
  where.file = std::string(file);
  where.line = line <= INT_MAX ? static_cast<int>(line) : 0;
  where.column = column;
  where.record = line > 1 ? line - 1 : 0;
  where.path = std::string(path);
  return where;
}

std::optional<SensorKind> parse_kind(std::string_view s) noexcept {
  if (s == "radar") return SensorKind::radar;
  if (s == "iff") return SensorKind::iff;
  if (s == "adsb") return SensorKind::adsb;
  return std::nullopt;
}

// "a radar", "an iff", "an adsb": for messages about a row of that type.
const char* with_article(SensorKind k) noexcept {
  switch (k) {
    case SensorKind::radar: return "a radar";
    case SensorKind::iff: return "an iff";
    case SensorKind::adsb: return "an adsb";
  }
  return "a";
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Four octal digits read as the decimal number they spell ("7000" -> 7000).
std::optional<std::uint16_t> parse_octal4(std::string_view s) noexcept {
  if (s.size() != 4) return std::nullopt;
  unsigned v = 0;
  for (const char c : s) {
    if (c < '0' || c > '7') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return static_cast<std::uint16_t>(v);
}

std::optional<std::uint32_t> parse_hex6(std::string_view s) noexcept {
  if (s.size() != 6) return std::nullopt;
  std::uint32_t v = 0;
  for (const char c : s) {
    std::uint32_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    v = (v << 4) | d;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Splitting a line into fields.

constexpr int kMaxFields = 16;  // fields kept; later ones (extra columns) are only counted

struct Fields {
  std::array<std::string_view, kMaxFields> at{};
  int count = 0;           // every field, including those beyond kMaxFields
  int control_column = 0;  // 1-based field holding the first control byte; 0 = none
  unsigned char control_byte = 0;
};

// 0 ordinary byte, 1 comma, 2 control character (NUL, CR, tab, DEL, ...).
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 2;
  t[0x7F] = 2;
  t[static_cast<std::size_t>(',')] = 1;
  return t;
}();

// `line` is at most kMaxLine bytes, so the field count fits an int.
Fields split(std::string_view line) noexcept {
  Fields f;
  const char* const data = line.data();
  const std::size_t n = line.size();
  std::size_t start = 0;
  int index = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t cls = kByteClass[static_cast<unsigned char>(data[i])];
    if (cls == 0) continue;
    if (cls == 1) {
      if (index < kMaxFields) f.at[static_cast<std::size_t>(index)] = std::string_view(data + start, i - start);
      ++index;
      start = i + 1;
    } else if (f.control_column == 0) {
      f.control_column = index + 1;
      f.control_byte = static_cast<unsigned char>(data[i]);
    }
  }
  if (index < kMaxFields) f.at[static_cast<std::size_t>(index)] = std::string_view(data + start, n - start);
  f.count = index + 1;
  return f;
}

// ---------------------------------------------------------------------------------------------
// Lines, from memory or from a file in bounded chunks.

class LineSource {
 public:
  enum class Got : std::uint8_t { line, end, error };

  void use_text(std::string_view text, std::string_view file) noexcept {
    file_ = file;
    data_ = text.data();
    pos_ = 0;
    end_ = text.size();
    eof_ = true;
  }
  void use_file(std::FILE* fp, std::string_view file) {
    file_ = file;
    fp_ = fp;
    // A kept partial line (<= kMaxLine + 1 bytes) plus a whole chunk always fit.
    buf_ = std::make_unique<char[]>(kChunk + kMaxLine + 2);
    data_ = buf_.get();
    pos_ = end_ = 0;
    eof_ = false;
  }

  // The next line without its ending ('\n' or "\r\n"); blank lines included.
  Got next_line(std::string_view& out) {
    for (;;) {
      const std::size_t avail = end_ - pos_;
      const char* const start = data_ + pos_;
      const void* const nl = avail != 0 ? std::memchr(start, '\n', avail) : nullptr;
      std::size_t len = 0;
      std::size_t used = 0;
      if (nl != nullptr) {
        len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
        used = len + 1;
      } else if (eof_) {
        if (avail == 0) return Got::end;
        len = used = avail;  // the last line has no newline: fine
      } else {
        if (avail > kMaxLine + 1) return too_long(line_ + 1);  // no need to see its end
        if (!refill()) return Got::error;
        continue;
      }
      ++line_;
      if (len > 0 && start[len - 1] == '\r') --len;
      if (len > kMaxLine) return too_long(line_);
      pos_ += used;
      out = std::string_view(start, len);
      return Got::line;
    }
  }

  // The next non-blank line. A blank line is an error unless nothing follows it.
  Got next_record(std::string_view& out) {
    for (;;) {
      const Got got = next_line(out);
      if (got != Got::line) return got;
      if (blank_line_ != 0) {
        error_ = make_error(Errc::parse_error, "blank line (only one, at the very end of the file, is allowed)",
                            locate(file_, blank_line_, 0, ""));
        return Got::error;
      }
      if (!out.empty()) return Got::line;
      blank_line_ = line_;
    }
  }

  [[nodiscard]] std::int64_t line() const noexcept { return line_; }
  [[nodiscard]] std::uint64_t offset() const noexcept { return base_ + pos_; }
  [[nodiscard]] Error take_error() { return std::move(*error_); }

 private:
  Got too_long(std::int64_t line) {
    error_ = make_error(Errc::parse_error, cat({"line is longer than ", std::to_string(kMaxLine), " bytes"}),
                        locate(file_, line, 0, ""));
    return Got::error;
  }
  bool refill() {
    const std::size_t keep = end_ - pos_;
    std::memmove(buf_.get(), buf_.get() + pos_, keep);
    base_ += pos_;
    pos_ = 0;
    end_ = keep;
    const std::size_t got = std::fread(buf_.get() + end_, 1, kChunk, fp_);
    end_ += got;
    if (got < kChunk) {
      if (std::ferror(fp_) != 0) {
        const int err = errno;
        error_ = make_error(Errc::io_error, cat({"read failed: ", std::generic_category().message(err)}),
                            locate(file_, line_ + 1, 0, ""));
        return false;
      }
      eof_ = true;
    }
    return true;
  }

  std::string_view file_;
  const char* data_ = nullptr;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = true;
  std::FILE* fp_ = nullptr;  // not owned
  std::unique_ptr<char[]> buf_;
  std::uint64_t base_ = 0;  // offset in the file of data_[0]
  std::int64_t line_ = 0;   // lines returned so far
  std::int64_t blank_line_ = 0;
  std::optional<Error> error_;
};

// The header must start with exactly `expected`; further columns are allowed when named and
// not repeated. Returns the header's column count.
Result<int> check_header(std::string_view line, std::span<const std::string_view> expected, std::string_view file) {
  if (line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
  std::vector<std::string_view> names;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      names.push_back(line.substr(start, i - start));
      start = i + 1;
    } else if (kByteClass[static_cast<unsigned char>(line[i])] == 2) {
      std::string msg = "control character ";
      append_hex_byte(msg, static_cast<unsigned char>(line[i]));
      msg += " in the header";
      return fail(Errc::parse_error, std::move(msg), locate(file, 1, static_cast<int>(names.size()) + 1, ""));
    }
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    const std::string col_text = std::to_string(column);
    if (i >= names.size()) {
      return fail(Errc::missing_key, cat({"missing column '", expected[i], "' (column ", col_text, ")"}),
                  locate(file, 1, column, expected[i]));
    }
    if (names[i] == expected[i]) continue;
    const auto found = std::find(names.begin(), names.end(), expected[i]);
    if (found != names.end()) {
      const std::string at = std::to_string(found - names.begin() + 1);
      return fail(Errc::parse_error,
                  cat({"misplaced column '", expected[i], "': found at column ", at, ", expected at column ", col_text,
                       " (found ", quote(names[i]), " there)"}),
                  locate(file, 1, column, expected[i]));
    }
    return fail(Errc::missing_key,
                cat({"missing column '", expected[i], "' (column ", col_text, "): found ", quote(names[i])}),
                locate(file, 1, column, expected[i]));
  }
  for (std::size_t i = expected.size(); i < names.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    if (names[i].empty()) {
      return fail(Errc::parse_error, cat({"empty column name (column ", std::to_string(column), ")"}),
                  locate(file, 1, column, ""));
    }
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
        names.begin() + static_cast<std::ptrdiff_t>(i)) {
      return fail(Errc::duplicate_id,
                  cat({"duplicate column ", quote(names[i]), " (column ", std::to_string(column), ")"}),
                  locate(file, 1, column, names[i]));
    }
  }
  return static_cast<int>(names.size());
}

// ---------------------------------------------------------------------------------------------
// Checking the fields of one data row.

struct Range {
  double lo;
  double hi;
  bool lo_exclusive;
  const char* text;  // "in [0, 360]", "> 0"
};
constexpr Range kPositive{0.0, kInf, true, "> 0"};
constexpr Range kAzimuth{0.0, 360.0, false, "in [0, 360]"};
constexpr Range kElevation{-90.0, 90.0, false, "in [-90, 90]"};
constexpr Range kLatitude{-90.0, 90.0, false, "in [-90, 90]"};
constexpr Range kLongitude{-180.0, 180.0, false, "in [-180, 180]"};
constexpr Range kAltitude{-1000.0, 100000.0, false, "in [-1000, 100000]"};

class Row {
 public:
  Row(const Fields& f, std::span<const std::string_view> columns, std::string_view file, std::int64_t line) noexcept
      : f_(f), columns_(columns), file_(file), line_(line) {}

  [[nodiscard]] std::string_view operator[](int col) const noexcept { return f_.at[static_cast<std::size_t>(col)]; }
  [[nodiscard]] std::int64_t line() const noexcept { return line_; }

  // Records the row's error (0-based column) and returns false.
  bool reject(Errc code, int col, std::string message) {
    const std::string_view path = col >= 0 && static_cast<std::size_t>(col) < columns_.size()
                                      ? columns_[static_cast<std::size_t>(col)]
                                      : std::string_view();
    error_ = make_error(code, std::move(message), locate(file_, line_, col + 1, path));
    return false;
  }
  [[nodiscard]] Error take_error() { return std::move(*error_); }

  // No control bytes, and exactly as many fields as the header has columns.
  bool shape(int expected) {
    if (f_.control_column != 0) {
      const int col = f_.control_column - 1;
      std::string msg = f_.control_byte == 0 ? std::string("NUL byte") : std::string("control character ");
      if (f_.control_byte != 0) append_hex_byte(msg, f_.control_byte);
      msg += " in a field";
      if (col < kMaxFields) {
        msg += ": ";
        msg += quote((*this)[col]);
      }
      return reject(Errc::parse_error, col, std::move(msg));
    }
    if (f_.count < expected) {
      std::string msg = cat({"too few fields: ", std::to_string(f_.count), " of ", std::to_string(expected)});
      if (static_cast<std::size_t>(f_.count) < columns_.size()) {
        msg += cat({" (the row ends before column '", columns_[static_cast<std::size_t>(f_.count)], "')"});
      }
      return reject(Errc::parse_error, f_.count, std::move(msg));
    }
    if (f_.count > expected) {
      return reject(Errc::parse_error, expected,
                    cat({"too many fields: ", std::to_string(f_.count), ", the header has ", std::to_string(expected)}));
    }
    return true;
  }

  // A finite number within `range`. `row_kind` ("a radar") names the row type in the message
  // for an empty field; nullptr for none.
  bool number(int col, const Range& range, double& out, const char* row_kind) {
    const std::string_view s = (*this)[col];
    const std::string_view name = columns_[static_cast<std::size_t>(col)];
    if (s.empty()) {
      if (row_kind == nullptr) return reject(Errc::missing_key, col, cat({name, " is empty"}));
      return reject(Errc::missing_key, col, cat({name, " is empty: ", row_kind, " row needs it"}));
    }
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range) {
      return reject(Errc::invalid_argument, col, cat({name, " ", quote(s), " is too large or too small for a double"}));
    }
    if (ec != std::errc{} || ptr != s.data() + s.size()) {
      return reject(Errc::parse_error, col, cat({name, " ", quote(s), " is not a number"}));
    }
    if (!std::isfinite(v)) return reject(Errc::invalid_argument, col, cat({name, " ", quote(s), " is not a finite number"}));
    if (v < range.lo || v > range.hi || (range.lo_exclusive && v == range.lo)) {
      return reject(Errc::invalid_argument, col, cat({name, " ", quote(s), " must be ", range.text}));
    }
    out = v;
    return true;
  }

  bool must_be_empty(int col, SensorKind kind) {
    const std::string_view s = (*this)[col];
    if (s.empty()) return true;
    return reject(Errc::invalid_argument, col,
                  cat({columns_[static_cast<std::size_t>(col)], " must be empty on ", with_article(kind), " row, found ",
                       quote(s)}));
  }

  // A sensor or party name: non-empty, no leading or trailing spaces (control bytes: see shape()).
  bool name(int col, std::string& out) {
    const std::string_view s = (*this)[col];
    const std::string_view column = columns_[static_cast<std::size_t>(col)];
    if (s.empty()) return reject(Errc::missing_key, col, cat({column, " is empty"}));
    if (s.front() == ' ' || s.back() == ' ') {
      return reject(Errc::invalid_argument, col, cat({column, " ", quote(s), " has leading or trailing spaces"}));
    }
    out.assign(s);
    return true;
  }

  bool kind(int col, SensorKind& out) {
    const std::string_view s = (*this)[col];
    if (const auto k = parse_kind(s)) {
      out = *k;
      return true;
    }
    return reject(Errc::invalid_argument, col, cat({"unknown type ", quote(s), " (radar, iff or adsb)"}));
  }

  // time_s: -?[0-9]+(\.[0-9]+)? seconds, exactly to the nanosecond. Fraction digits beyond the
  // ninth round to the nearest nanosecond, halves away from zero.
  bool time(int col, SimTime& out) {
    const std::string_view s = (*this)[col];
    if (s.empty()) return reject(Errc::missing_key, col, "time_s is empty");
    std::size_t i = 0;
    const bool negative = s[0] == '-';
    if (negative) i = 1;
    std::int64_t whole = 0;
    bool too_big = false;
    const std::size_t int_start = i;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (!too_big) {
        whole = whole * 10 + (s[i] - '0');
        too_big = whole > kNsPerS;  // stops accumulating long before int64 overflows
      }
    }
    bool ok = i > int_start;
    std::int64_t frac = 0;
    if (ok && i < s.size() && s[i] == '.') {
      ++i;
      int digits = 0;
      bool round_up = false;
      for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
        if (digits < 9) {
          frac = frac * 10 + (s[i] - '0');
        } else if (digits == 9) {
          round_up = s[i] >= '5';
        }
      }
      ok = digits > 0;
      for (int k = std::min(digits, 9); k < 9; ++k) frac *= 10;
      if (round_up) ++frac;  // may carry into a whole second: still exact below
    }
    if (!ok || i != s.size()) {
      return reject(Errc::parse_error, col,
                    cat({"time_s ", quote(s),
                         " is not a decimal number of seconds (optional '-', digits, optional '.' and digits)"}));
    }
    const std::int64_t ns = too_big ? kMaxTimeNs + 1 : whole * kNsPerS + frac;
    if (ns > kMaxTimeNs) return reject(Errc::invalid_argument, col, cat({"time_s ", quote(s), " is beyond +-1e9 s"}));
    out = SimTime::from_ns(negative ? -ns : ns);
    return true;
  }

 private:
  const Fields& f_;
  std::span<const std::string_view> columns_;
  std::string_view file_;
  std::int64_t line_;
  std::optional<Error> error_;
};

// Sensor id -> index into the table: binary search when built, a linear scan otherwise (one
// line parsed on its own need not sort the table).
class SensorIndex {
 public:
  SensorIndex() = default;
  explicit SensorIndex(std::span<const SensorSite> sites, bool sorted) : sites_(sites) {
    if (!sorted) return;
    by_id_.reserve(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i) {
      by_id_.emplace_back(std::string_view(sites[i].id), static_cast<std::uint32_t>(i));
    }
    std::sort(by_id_.begin(), by_id_.end());
  }
  [[nodiscard]] std::span<const SensorSite> sites() const noexcept { return sites_; }
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id) const noexcept {
    if (by_id_.empty()) {
      for (std::size_t i = 0; i < sites_.size(); ++i) {
        if (sites_[i].id == id) return static_cast<std::uint32_t>(i);
      }
      return std::nullopt;
    }
    const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                                     [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it == by_id_.end() || it->first != id) return std::nullopt;
    return it->second;
  }

 private:
  std::span<const SensorSite> sites_;
  std::vector<std::pair<std::string_view, std::uint32_t>> by_id_;  // views into sites_
};

bool parse_detection(Row& row, int expected_fields, const SensorIndex& sensors, Report& r) {
  if (!row.shape(expected_fields) || !row.time(d_time, r.time)) return false;
  const std::string_view id = row[d_sensor];
  const auto index = sensors.find(id);
  if (!index) return row.reject(Errc::dangling_ref, d_sensor, cat({"unknown sensor ", quote(id), " (not in sensors.csv)"}));
  r.sensor = *index;
  const SensorSite& site = sensors.sites()[*index];
  if (!row.kind(d_type, r.kind)) return false;
  if (r.kind != site.kind) {
    return row.reject(Errc::invalid_argument, d_type,
                      cat({"type '", to_string(r.kind), "' disagrees with sensor ", quote(id), ", which is '",
                           to_string(site.kind), "' in sensors.csv"}));
  }
  const char* kind_text = with_article(r.kind);
  if (r.kind != SensorKind::adsb) {
    if (!row.number(d_range, kPositive, r.range_m, kind_text) || !row.number(d_az, kAzimuth, r.azimuth_deg, kind_text) ||
        !row.number(d_el, kElevation, r.elevation_deg, kind_text) ||
        !row.number(d_sigma_range, kPositive, r.sigma_range_m, kind_text) ||
        !row.number(d_sigma_az, kPositive, r.sigma_azimuth_deg, kind_text) ||
        !row.number(d_sigma_el, kPositive, r.sigma_elevation_deg, kind_text)) {
      return false;
    }
    // 360 is north too; the report promises [0, 360). Adding 0.0 turns -0 into +0.
    if (r.azimuth_deg == 360.0) r.azimuth_deg = 0.0;
    r.azimuth_deg += 0.0;
    for (const int col : {d_lat, d_lon, d_alt, d_sigma_pos, d_icao, d_squawk}) {
      if (!row.must_be_empty(col, r.kind)) return false;
    }
    if (r.kind == SensorKind::radar) return row.must_be_empty(d_iff, r.kind);
    const std::string_view iff = row[d_iff];
    if (iff.empty()) {
      r.iff = IffCode::none;
    } else if (iff == "mode5_valid") {
      r.iff = IffCode::mode5_valid;
    } else if (const auto code = iff.substr(0, 6) == "mode3:" ? parse_octal4(iff.substr(6)) : std::nullopt) {
      r.iff = IffCode::mode3;
      r.has_squawk = true;
      r.squawk = *code;
    } else {
      return row.reject(Errc::invalid_argument, d_iff,
                        cat({"iff ", quote(iff), " is not a reply code (empty, 'mode5_valid' or 'mode3:NNNN' with "
                                                 "octal digits)"}));
    }
    return true;
  }
  for (int col = d_range; col <= d_sigma_el; ++col) {
    if (!row.must_be_empty(col, r.kind)) return false;
  }
  if (!row.number(d_lat, kLatitude, r.pos.lat_deg, kind_text) || !row.number(d_lon, kLongitude, r.pos.lon_deg, kind_text) ||
      !row.number(d_alt, kAltitude, r.pos.alt_m, kind_text) ||
      !row.number(d_sigma_pos, kPositive, r.sigma_pos_m, kind_text)) {
    return false;
  }
  const std::string_view icao = row[d_icao];
  if (icao.empty()) return row.reject(Errc::missing_key, d_icao, "icao is empty: an adsb row needs it");
  const auto address = parse_hex6(icao);
  if (!address) return row.reject(Errc::invalid_argument, d_icao, cat({"icao ", quote(icao), " is not 6 hex digits"}));
  r.has_icao = true;
  r.icao = *address;
  const std::string_view squawk = row[d_squawk];
  if (!squawk.empty()) {
    const auto code = parse_octal4(squawk);
    if (!code) {
      return row.reject(Errc::invalid_argument, d_squawk, cat({"squawk ", quote(squawk), " is not 4 octal digits (0-7)"}));
    }
    r.has_squawk = true;
    r.squawk = *code;
  }
  return row.must_be_empty(d_iff, r.kind);
}

Result<std::string> read_whole_file(const std::filesystem::path& path, std::size_t limit) {
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (fp == nullptr) {
    const int err = errno;
    return fail(Errc::io_error, cat({"cannot open: ", std::generic_category().message(err)}),
                Location::in_file(path.string()));
  }
  std::string text;
  char chunk[1 << 16];
  for (;;) {
    const std::size_t got = std::fread(chunk, 1, sizeof chunk, fp);
    if (text.size() + got > limit) {
      std::fclose(fp);
      return fail(Errc::invalid_argument, cat({"file is larger than ", std::to_string(limit >> 20), " MiB"}),
                  Location::in_file(path.string()));
    }
    text.append(chunk, got);
    if (got < sizeof chunk) break;
  }
  const bool failed = std::ferror(fp) != 0;
  const int err = errno;
  std::fclose(fp);
  if (failed) {
    return fail(Errc::io_error, cat({"read failed: ", std::generic_category().message(err)}),
                Location::in_file(path.string()));
  }
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Result<std::vector<SensorSite>> parse_sensors_csv(std::string_view text, std::string_view file_name) {
  LineSource lines;
  lines.use_text(text, file_name);
  std::string_view line;
  switch (lines.next_line(line)) {
    case LineSource::Got::error: return fail(lines.take_error());
    case LineSource::Got::end: return fail(Errc::parse_error, "empty file: no header line", locate(file_name, 1, 0, ""));
    case LineSource::Got::line: break;
  }
  const auto header = check_header(line, kSensorColumns, file_name);
  if (!header) return fail(header.error());
  std::vector<SensorSite> sites;
  std::unordered_map<std::string_view, std::int64_t> first_line;  // views into `text`
  for (;;) {
    const auto got = lines.next_record(line);
    if (got == LineSource::Got::error) return fail(lines.take_error());
    if (got == LineSource::Got::end) break;
    const Fields f = split(line);
    Row row(f, kSensorColumns, file_name, lines.line());
    SensorSite site;
    if (!row.shape(*header) || !row.name(s_id, site.id) || !row.name(s_party, site.party) ||
        !row.kind(s_type, site.kind) || !row.number(s_lat, kLatitude, site.pos.lat_deg, nullptr) ||
        !row.number(s_lon, kLongitude, site.pos.lon_deg, nullptr) ||
        !row.number(s_alt, kAltitude, site.pos.alt_m, nullptr)) {
      return fail(row.take_error());
    }
    const auto [it, inserted] = first_line.emplace(row[s_id], lines.line());
    if (!inserted) {
      row.reject(Errc::duplicate_id, s_id,
                 cat({"duplicate sensor_id ", quote(row[s_id]), " (first on line ", std::to_string(it->second), ")"}));
      return fail(row.take_error());
    }
    sites.push_back(std::move(site));
  }
  if (sites.empty()) {
    return fail(Errc::missing_key, "no sensors: the file has a header but no data rows",
                locate(file_name, lines.line() + 1, 0, ""));
  }
  return sites;
}

Result<std::vector<SensorSite>> read_sensors_csv(const std::filesystem::path& path) {
  auto text = read_whole_file(path, kMaxSensorsFile);
  if (!text) return fail(text.error());
  return parse_sensors_csv(*text, path.string());
}

Result<Report> parse_detection_line(std::string_view line, std::span<const SensorSite> sensors,
                                    std::string_view file_name, int line_number) {
  if (line.size() > kMaxLine) {
    return fail(Errc::parse_error, cat({"line is longer than ", std::to_string(kMaxLine), " bytes"}),
                locate(file_name, line_number, 0, ""));
  }
  if (line.empty()) return fail(Errc::parse_error, "blank line", locate(file_name, line_number, 0, ""));
  const Fields f = split(line);
  Row row(f, kDetectionColumns, file_name, line_number);
  Report r;
  if (!parse_detection(row, static_cast<int>(kDetectionColumns.size()), SensorIndex(sensors, false), r)) {
    return fail(row.take_error());
  }
  return r;
}

struct DetectionReader::Impl {
  std::string file_name;
  std::vector<SensorSite> sensors;
  SensorIndex index;  // views into `sensors`, which never changes after construction
  std::string text;   // from_text: the whole input
  std::FILE* fp = nullptr;
  LineSource lines;
  std::uint64_t total = 0;
  int header_fields = 0;
  bool have_previous = false;
  SimTime previous;
  std::optional<Error> failed;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (fp != nullptr) std::fclose(fp);
  }

  Result<void> set_sensors(std::vector<SensorSite> sites) {
    sensors = std::move(sites);
    if (sensors.size() > std::numeric_limits<std::uint32_t>::max()) {
      return fail(Errc::invalid_argument, "sensor table too large", Location::in_file(file_name));
    }
    index = SensorIndex(sensors, true);
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      if (sensors[i].id.empty()) {
        return fail(Errc::invalid_argument, cat({"sensor table: sensor ", std::to_string(i), " has an empty id"}),
                    Location::in_file(file_name));
      }
      if (!seen.emplace(sensors[i].id, i).second) {
        return fail(Errc::duplicate_id, cat({"sensor table: duplicate sensor id ", quote(sensors[i].id)}),
                    Location::in_file(file_name));
      }
    }
    return {};
  }

  Result<void> read_header() {
    std::string_view line;
    switch (lines.next_line(line)) {
      case LineSource::Got::error: return fail(lines.take_error());
      case LineSource::Got::end:
        return fail(Errc::parse_error, "empty file: no header line", locate(file_name, 1, 0, ""));
      case LineSource::Got::line: break;
    }
    const auto header = check_header(line, kDetectionColumns, file_name);
    if (!header) return fail(header.error());
    header_fields = *header;
    return {};
  }

  Result<bool> next(Report& out) {
    if (failed) return fail(*failed);
    std::string_view line;
    switch (lines.next_record(line)) {
      case LineSource::Got::end: return false;
      case LineSource::Got::error: failed = lines.take_error(); return fail(*failed);
      case LineSource::Got::line: break;
    }
    const Fields f = split(line);
    Row row(f, kDetectionColumns, file_name, lines.line());
    Report r;
    if (!parse_detection(row, header_fields, index, r)) {
      failed = row.take_error();
      return fail(*failed);
    }
    if (have_previous && r.time < previous) {
      row.reject(Errc::invalid_argument, d_time,
                 cat({"time ", format_time(r.time.ns()), " s goes backwards (previous row ", format_time(previous.ns()),
                      " s)"}));
      failed = row.take_error();
      return fail(*failed);
    }
    previous = r.time;
    have_previous = true;
    out = r;
    return true;
  }
};

DetectionReader::DetectionReader(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
DetectionReader::DetectionReader(DetectionReader&&) noexcept = default;
DetectionReader& DetectionReader::operator=(DetectionReader&&) noexcept = default;
DetectionReader::~DetectionReader() = default;

Result<DetectionReader> DetectionReader::open(const std::filesystem::path& path, std::vector<SensorSite> sensors) {
  auto impl = std::make_unique<Impl>();
  impl->file_name = path.string();
  if (auto ok = impl->set_sensors(std::move(sensors)); !ok) return fail(ok.error());
  impl->fp = std::fopen(path.c_str(), "rb");
  if (impl->fp == nullptr) {
    const int err = errno;
    return fail(Errc::io_error, cat({"cannot open: ", std::generic_category().message(err)}),
                Location::in_file(impl->file_name));
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  impl->total = ec ? 0 : static_cast<std::uint64_t>(size);
  impl->lines.use_file(impl->fp, impl->file_name);
  if (auto ok = impl->read_header(); !ok) return fail(ok.error());
  return DetectionReader(std::move(impl));
}

Result<DetectionReader> DetectionReader::from_text(std::string text, std::string file_name,
                                                   std::vector<SensorSite> sensors) {
  auto impl = std::make_unique<Impl>();
  impl->file_name = std::move(file_name);
  if (auto ok = impl->set_sensors(std::move(sensors)); !ok) return fail(ok.error());
  impl->text = std::move(text);
  impl->total = impl->text.size();
  impl->lines.use_text(impl->text, impl->file_name);
  if (auto ok = impl->read_header(); !ok) return fail(ok.error());
  return DetectionReader(std::move(impl));
}

Result<bool> DetectionReader::next(Report& out) {
  if (!impl_) return fail(Errc::invalid_argument, "DetectionReader used after being moved from");
  return impl_->next(out);
}

const std::vector<SensorSite>& DetectionReader::sensors() const noexcept {
  static const std::vector<SensorSite> kNone;
  return impl_ ? impl_->sensors : kNone;
}

std::uint64_t DetectionReader::bytes_read() const noexcept { return impl_ ? impl_->lines.offset() : 0; }
std::uint64_t DetectionReader::bytes_total() const noexcept { return impl_ ? impl_->total : 0; }

Result<std::vector<Report>> parse_detections_csv(std::string_view text, std::span<const SensorSite> sensors,
                                                 std::string_view file_name) {
  auto reader = DetectionReader::from_text(std::string(text), std::string(file_name),
                                           std::vector<SensorSite>(sensors.begin(), sensors.end()));
  if (!reader) return fail(reader.error());
  std::vector<Report> reports;
  Report r;
  for (;;) {
    const auto more = reader->next(r);
    if (!more) return fail(more.error());
    if (!*more) break;
    reports.push_back(r);
  }
  return reports;
}

}  // namespace jrads::picture
