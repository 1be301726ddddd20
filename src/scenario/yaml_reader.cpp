#include "yaml_reader_impl.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>


namespace jrads::scenario::detail {
namespace {

bool is_plain(const YAML::Node& node) {
  // yaml-cpp tags a plain scalar "?" and a quoted one "!" unless the text gives a tag.
  return node.Tag() != "!";
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_bool_text(std::string_view t, bool& value) {
  if (t == "true" || t == "True" || t == "TRUE") {
    value = true;
    return true;
  }
  if (t == "false" || t == "False" || t == "FALSE") {
    value = false;
    return true;
  }
  return false;
}

// The 0-based line and column of a byte offset, as yaml-cpp counts them.
YAML::Mark mark_at(std::string_view text, std::size_t offset) {
  YAML::Mark m;
  m.pos = static_cast<int>(offset);
  m.line = 0;
  m.column = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else {
      ++m.column;
    }
  }
  return m;
}

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// Byte-level checks yaml-cpp does not make: size, encoding, NUL bytes.
bool check_text(Diagnostics& d, std::string_view text, std::string_view what, std::size_t max_bytes) {
  const std::string w(what);
  if (text.size() > max_bytes) {
    d.report(Errc::unsupported, YAML::Mark::null_mark(), "",
             "the " + w + " is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(max_bytes) +
                 (max_bytes == (std::size_t{16} << 20) ? " (16 MiB)" : "") + " are accepted");
    return false;
  }
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    d.report(Errc::parse_error, mark_at(text, bad), "",
             "byte " + std::to_string(bad) + " is not valid UTF-8; a " + w + " is UTF-8 text");
    return false;
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    d.report(Errc::parse_error, mark_at(text, nul), "", "NUL byte in the text; a " + w + " is UTF-8 text");
    return false;
  }
  return true;
}

// Sees only document starts: used to count the documents of the text.
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (count_++ == 1) second_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  [[nodiscard]] int count() const noexcept { return count_; }
  [[nodiscard]] const YAML::Mark& second() const noexcept { return second_; }

 private:
  int count_ = 0;
  YAML::Mark second_;
};

}  // namespace

std::optional<YAML::Node> load_document(Diagnostics& d, std::string_view text, std::string_view what,
                                        std::size_t max_bytes) {
  if (!check_text(d, text, what, max_bytes)) return std::nullopt;
  const std::string owned(text);
  YAML::Node root;
  DocumentCounter counter;
  try {
    root = YAML::Load(owned);
    // yaml-cpp 0.7's LoadAll never returns on some malformed inputs (",t',t'"): it keeps
    // yielding empty documents. So the first document is loaded alone, and a second pass
    // counts documents, stopping at the second.
    std::istringstream in(owned);
    YAML::Parser parser(in);
    while (counter.count() < 2 && parser.HandleNextDocument(counter)) {
    }
  } catch (const YAML::Exception& e) {
    d.report(Errc::parse_error, e.mark, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (counter.count() > 1) {
    d.report(Errc::parse_error, counter.second(), "",
             "the file holds more than one YAML document; a " + std::string(what) +
                 " is exactly one (remove the '---' separators)");
    return std::nullopt;
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

Location Diagnostics::locate(const YAML::Mark& mark, const std::string& path) const {
  Location where;
  where.file = file_;
  if (!mark.is_null() && mark.line >= 0 && mark.column >= 0) {
    where.line = mark.line + 1;  // yaml-cpp counts from 0
    where.column = mark.column + 1;
  }
  where.path = path;
  return where;
}

void Diagnostics::report(Errc code, const YAML::Mark& mark, const std::string& path, std::string message) {
  if (stopped_) return;
  errors_.push_back(make_error(code, std::move(message), locate(mark, path)));
  if (errors_.size() >= max_errors) {
    errors_.push_back(make_error(Errc::invalid_argument,
                                 "too many errors; stopped after the first " + std::to_string(max_errors),
                                 locate(YAML::Mark::null_mark(), "")));
    stopped_ = true;
  }
}

void Diagnostics::report(Errc code, const YAML::Node& at, const std::string& path, std::string message) {
  report(code, mark_of(at), path, std::move(message));
}

bool Diagnostics::charge(std::size_t n) {
  if (stopped_) return false;
  nodes_ += n;
  if (nodes_ > max_nodes) {
    report(Errc::unsupported, YAML::Mark::null_mark(), "",
           "the document expands to more than " + std::to_string(max_nodes) +
               " nodes (an alias counts each time it is used); split the scenario or use fewer aliases");
    stopped_ = true;
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

YAML::Mark mark_of(const YAML::Node& node) noexcept {
  try {
    if (!node.IsDefined()) return YAML::Mark::null_mark();
    return node.Mark();
  } catch (...) {
    return YAML::Mark::null_mark();
  }
}

std::string line_text(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return "an unknown line";
  return "line " + std::to_string(mark.line + 1);
}

std::string key_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out;
  out.reserve(parent.size() + 1 + key.size());
  out += parent;
  out += '.';
  out += key;
  return out;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string quote(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  std::string out = "'";
  std::size_t shown = 0;
  for (const char ch : text) {
    if (shown == max_shown) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += ch;  // UTF-8 multibyte sequences pass through: the text was validated
    }
    ++shown;
  }
  out += "'";
  return out;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: break;
  }
  const std::string& t = node.Scalar();
  if (!is_plain(node)) return "the quoted string " + quote(t);
  bool b = false;
  if (is_bool_text(t, b)) return std::string("the boolean ") + (b ? "true" : "false");
  const std::string q = quote(t);
  if (parse_number_text(t).kind != NumberText::Kind::not_a_number) return "the number " + q.substr(1, q.size() - 2);
  return "the string " + q;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::optional<std::string_view> nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.empty() || word.size() > max_suggest_length) return std::nullopt;
  std::optional<std::string_view> best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const std::string_view c : candidates) {
    std::size_t d = edit_distance(word, c);
    // Replacing every character is no suggestion ('C' for 'A').
    if (d >= word.size() || d >= c.size()) d = std::numeric_limits<std::size_t>::max();
    // A prefix of a longer key ("scan_period" for "scan_period_s", "reference" for
    // "reference_range_m", "lon" for "lon_deg") is a likely slip even when many characters
    // are missing.
    const bool unit_missing = c.size() > word.size() + 1 && c.substr(0, word.size()) == word && c[word.size()] == '_';
    const bool long_prefix =
        word.size() >= 4 && c.size() > word.size() && edit_distance(word, c.substr(0, word.size())) == 0;
    if (unit_missing || long_prefix) d = 1;
    const std::size_t limit = std::clamp<std::size_t>((c.size() + 2) / 4, 1, 3);
    if (d <= limit && d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string join_choices(const std::vector<std::string_view>& choices, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += (i + 1 == choices.size()) ? std::string(last_sep) : std::string(", ");
    out += choices[i];
  }
  return out;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string Range::text() const {
  std::string out = lo_open ? "(" : "[";
  out += std::isinf(lo) ? (lo < 0 ? "-inf" : "inf") : number_text(lo);
  out += ", ";
  out += std::isinf(hi) ? (hi < 0 ? "-inf" : "inf") : number_text(hi);
  out += hi_open ? ")" : "]";
  return out;
}

NumberText parse_number_text(std::string_view t) noexcept {
  NumberText out;
  if (t.empty() || t.size() > 400) return out;
  std::string_view body = t;
  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return out;
  if (body == ".inf" || body == ".Inf" || body == ".INF" || body == "inf" || body == "Inf" || body == "infinity" ||
      body == "Infinity") {
    out.kind = NumberText::Kind::inf;
    out.value = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return out;
  }
  if (body == ".nan" || body == ".NaN" || body == ".NAN" || body == "nan" || body == "NaN" || body == "NAN") {
    out.kind = NumberText::Kind::nan;
    out.value = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  // 0x / 0o integers
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o')) {
    const int base = body[1] == 'x' ? 16 : 8;
    std::uint64_t v = 0;
    const auto* first = body.data() + 2;
    const auto* last = body.data() + body.size();
    const auto r = std::from_chars(first, last, v, base);
    if (r.ec == std::errc::result_out_of_range) {
      out.kind = NumberText::Kind::too_large;
      return out;
    }
    if (r.ec != std::errc() || r.ptr != last) return out;
    out.kind = NumberText::Kind::number;
    out.integral = true;
    out.value = negative ? -static_cast<double>(v) : static_cast<double>(v);
    return out;
  }
  // Decimal: digits [. digits] [e [+-] digits], or . digits [...].
  std::size_t i = 0;
  std::size_t int_digits = 0, frac_digits = 0;
  bool has_point = false, has_exp = false;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
    ++i;
    ++int_digits;
  }
  if (i < body.size() && body[i] == '.') {
    has_point = true;
    ++i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return out;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    has_exp = true;
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
      ++i;
      ++exp_digits;
    }
    if (exp_digits == 0) return out;
  }
  if (i != body.size()) return out;
  double v = 0.0;
  const auto r = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow is an error; underflow (1e-400) is a tiny number and reads as zero.
    bool tiny = true;
    for (const char c : body) {
      if (c >= '1' && c <= '9') {
        tiny = false;
        break;
      }
    }
    const auto epos = body.find_first_of("eE");
    if (epos != std::string_view::npos && body.size() > epos + 1 && body[epos + 1] == '-') tiny = true;
    if (!tiny) {
      out.kind = NumberText::Kind::too_large;
      return out;
    }
    v = 0.0;
  } else if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
    return out;
  }
  out.kind = NumberText::Kind::number;
  out.integral = !has_point && !has_exp;
  out.value = negative ? -v : v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scalar readers

namespace {

// The scalar text of a plain scalar, or a reported type error. The expected text is built
// only on error: this runs for every number in the file.
template <class Expected>
const std::string* plain_scalar(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                const Expected& expected) {
  if (!node.IsScalar() || !is_plain(node)) {
    d.report(Errc::invalid_argument, node, path, "expected " + std::string(expected()) + ", got " + describe(node));
    return nullptr;
  }
  return &node.Scalar();
}

}  // namespace

std::optional<double> try_number(const YAML::Node& node, const Range& range) noexcept {
  try {
    if (!node.IsScalar() || !is_plain(node)) return std::nullopt;
    const NumberText n = parse_number_text(node.Scalar());
    if (n.kind != NumberText::Kind::number || !std::isfinite(n.value) || !range.contains(n.value)) return std::nullopt;
    return n.value;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<double> read_number(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                  const Range& range) {
  const std::string* t = plain_scalar(d, node, path, [&] { return "a number in " + range.text(); });
  if (t == nullptr) return std::nullopt;
  const NumberText n = parse_number_text(*t);
  switch (n.kind) {
    case NumberText::Kind::not_a_number:
      d.report(Errc::invalid_argument, node, path,
               "expected a number in " + range.text() + ", got " + describe(node));
      return std::nullopt;
    case NumberText::Kind::nan:
    case NumberText::Kind::inf:
      d.report(Errc::invalid_argument, node, path,
               "expected a finite number in " + range.text() + ", got " + quote(*t));
      return std::nullopt;
    case NumberText::Kind::too_large:
      d.report(Errc::invalid_argument, node, path,
               "number " + quote(*t) + " is too large; allowed: " + range.text());
      return std::nullopt;
    case NumberText::Kind::number: break;
  }
  if (!std::isfinite(n.value)) {
    d.report(Errc::invalid_argument, node, path, "expected a finite number in " + range.text());
    return std::nullopt;
  }
  if (!range.contains(n.value)) {
    d.report(Errc::invalid_argument, node, path,
             "value " + number_text(n.value) + " is out of range; allowed: " + range.text());
    return std::nullopt;
  }
  return n.value;
}

std::optional<std::int64_t> read_integer(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                         std::int64_t lo, std::int64_t hi) {
  const auto allowed_text = [&] { return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; };
  const std::string* t = plain_scalar(d, node, path, [&] { return "an integer in " + allowed_text(); });
  if (t == nullptr) return std::nullopt;
  const std::string allowed = allowed_text();
  const NumberText n = parse_number_text(*t);
  if (n.kind == NumberText::Kind::too_large) {
    d.report(Errc::invalid_argument, node, path, "integer " + quote(*t) + " is too large; allowed: " + allowed);
    return std::nullopt;
  }
  if (n.kind != NumberText::Kind::number || !n.integral) {
    d.report(Errc::invalid_argument, node, path, "expected an integer in " + allowed + ", got " + describe(node));
    return std::nullopt;
  }
  if (std::abs(n.value) >= 9.2e18) {
    d.report(Errc::invalid_argument, node, path, "integer " + quote(*t) + " is too large; allowed: " + allowed);
    return std::nullopt;
  }
  // Exact for |v| < 2^53; beyond, the range check below already rejects every allowed use.
  if (!(n.value >= static_cast<double>(lo) && n.value <= static_cast<double>(hi))) {
    d.report(Errc::invalid_argument, node, path, "value " + *t + " is out of range; allowed: " + allowed);
    return std::nullopt;
  }
  return static_cast<std::int64_t>(n.value);
}

std::optional<std::uint64_t> read_u64(Diagnostics& d, const YAML::Node& node, const std::string& path) {
  static const std::string allowed = "an integer in [0, 18446744073709551615]";
  const std::string* t = plain_scalar(d, node, path, [] { return allowed; });
  if (t == nullptr) return std::nullopt;
  std::string_view body = *t;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o')) {
    base = body[1] == 'x' ? 16 : 8;
    body.remove_prefix(2);
  }
  std::uint64_t v = 0;
  const auto r = std::from_chars(body.data(), body.data() + body.size(), v, base);
  if (r.ec == std::errc::result_out_of_range) {
    d.report(Errc::invalid_argument, node, path, "integer " + quote(*t) + " is too large; expected " + allowed);
    return std::nullopt;
  }
  if (body.empty() || r.ec != std::errc() || r.ptr != body.data() + body.size()) {
    d.report(Errc::invalid_argument, node, path, "expected " + allowed + ", got " + describe(node));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_bool(Diagnostics& d, const YAML::Node& node, const std::string& path) {
  const std::string* t = plain_scalar(d, node, path, [] { return "true or false"; });
  if (t == nullptr) return std::nullopt;
  bool b = false;
  if (!is_bool_text(*t, b)) {
    d.report(Errc::invalid_argument, node, path, "expected true or false, got " + describe(node));
    return std::nullopt;
  }
  return b;
}

std::optional<std::string> read_string(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                       std::size_t max_length, bool allow_empty) {
  if (!node.IsScalar()) {
    if (allow_empty && node.IsNull()) return std::string();
    d.report(Errc::invalid_argument, node, path, "expected a text string, got " + describe(node));
    return std::nullopt;
  }
  const std::string& t = node.Scalar();
  if (t.empty() && !allow_empty) {
    d.report(Errc::invalid_argument, node, path, "expected a non-empty text string");
    return std::nullopt;
  }
  if (t.size() > max_length) {
    d.report(Errc::invalid_argument, node, path,
             "text of " + std::to_string(t.size()) + " bytes is too long; at most " + std::to_string(max_length) +
                 " allowed");
    return std::nullopt;
  }
  return t;
}

std::optional<std::string> read_id(Diagnostics& d, const YAML::Node& node, const std::string& path) {
  auto t = read_string(d, node, path, 64);
  if (!t) return std::nullopt;
  for (const char c : *t) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) {
      d.report(Errc::invalid_argument, node, path,
               "id " + quote(*t) + " has a character outside A-Z a-z 0-9 _ - . (1 to 64 of them are allowed)");
      return std::nullopt;
    }
  }
  return t;
}

std::optional<std::size_t> read_choice(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                       const std::vector<std::string_view>& choices) {
  if (!node.IsScalar()) {
    d.report(Errc::invalid_argument, node, path, "expected one of " + join_choices(choices) + ", got " + describe(node));
    return std::nullopt;
  }
  const std::string& t = node.Scalar();
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (t == choices[i]) return i;
  }
  std::string msg = quote(t) + " is not allowed here; expected one of " + join_choices(choices);
  if (const auto near = nearest(t, choices)) msg += " (did you mean '" + std::string(*near) + "'?)";
  d.report(Errc::invalid_argument, node, path, msg);
  return std::nullopt;
}

std::size_t item_count(const YAML::Node& node) noexcept {
  try {
    return node.IsSequence() ? node.size() : 0;
  } catch (...) {
    return 0;
  }
}

void for_each_item(Diagnostics& d, const YAML::Node& node, const std::string& path, std::string_view what,
                   const std::function<void(const YAML::Node&, const std::string&, std::size_t)>& visit) {
  if (d.stopped()) return;
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    d.report(Errc::invalid_argument, node, path, "expected a sequence of " + std::string(what) + ", got " + describe(node));
    return;
  }
  std::size_t i = 0;
  for (auto it = node.begin(); it != node.end(); ++it, ++i) {
    if (!d.charge()) return;
    visit(*it, index_path(path, i), i);
    if (d.stopped()) return;
  }
}

// ---------------------------------------------------------------------------------------------
// MapReader

MapReader::MapReader(Diagnostics& d, const YAML::Node& node, std::string path, std::vector<std::string_view> allowed,
                     std::string_view what, const Hints& hints)
    : d_(d), node_(node), path_(std::move(path)), allowed_(std::move(allowed)) {
  if (d_.stopped()) return;
  if (!node_.IsMap()) {
    d_.report(Errc::invalid_argument, node_, path_,
              "expected a mapping (" + std::string(what) + ") with keys " + join_choices(allowed_, " and ") + ", got " +
                  describe(node_));
    return;
  }
  is_map_ = true;
  std::unordered_map<std::string, YAML::Mark> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!d_.charge()) return;
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      d_.report(Errc::parse_error, key, path_,
                "a key must be a plain word, got " + describe(key) + "; allowed keys: " + join_choices(allowed_, " and "));
      continue;
    }
    const std::string& k = key.Scalar();
    const std::string kpath = key_path(path_, k.size() <= 64 ? std::string_view(k) : std::string_view("<long key>"));
    if (const auto prev = seen.find(k); prev != seen.end()) {
      d_.report(Errc::duplicate_id, key, kpath,
                "duplicate key " + quote(k) + " (first given on " + line_text(prev->second) + ")");
      continue;
    }
    seen.emplace(k, mark_of(key));
    if (std::find(allowed_.begin(), allowed_.end(), k) == allowed_.end()) {
      std::string msg = "unknown key " + quote(k) + " in " + std::string(what);
      const auto hint = std::find_if(hints.begin(), hints.end(), [&](const auto& h) { return h.first == k; });
      if (hint != hints.end()) {
        msg += "; " + hint->second;
      } else if (const auto near = nearest(k, allowed_)) {
        msg += "; did you mean '" + std::string(*near) + "'?";
      } else {
        msg += "; allowed keys: " + join_choices(allowed_, " and ");
      }
      d_.report(Errc::unknown_key, key, kpath, std::move(msg));
      continue;
    }
    entries_.emplace_back(k, it->second);
  }
}

void MapReader::check_known(std::string_view key) const {
  // Asking for a key the schema does not allow is a bug in the schema walk.
  JRADS_ASSERT(std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end());
}

const YAML::Node* MapReader::find(std::string_view key) const {
  check_known(key);
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool MapReader::require(std::string_view key, std::string_view expected) {
  if (!is_map_) return false;
  if (find(key) != nullptr) return true;
  d_.report(Errc::missing_key, node_, path(key),
            "missing required key '" + std::string(key) + "' (" + std::string(expected) + ")");
  return false;
}

bool MapReader::at_most_one(std::initializer_list<std::string_view> keys) {
  std::vector<std::string_view> present;
  for (const auto k : keys) {
    if (find(k) != nullptr) present.push_back(k);
  }
  if (present.size() <= 1) return true;
  d_.report(Errc::invalid_argument, *find(present[1]), path(present[1]),
            "give only one of " + join_choices(std::vector<std::string_view>(keys)) + ", not both '" +
                std::string(present[0]) + "' and '" + std::string(present[1]) + "'");
  return false;
}

bool MapReader::number(std::string_view key, double& out, const Range& range) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  const auto x = read_number(d_, *v, path(key), range);
  if (!x) return false;
  out = *x;
  return true;
}

bool MapReader::number(std::string_view key, std::optional<double>& out, const Range& range) {
  double x = 0.0;
  if (!number(key, x, range)) return false;
  out = x;
  return true;
}

bool MapReader::integer(std::string_view key, int& out, int lo, int hi) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  const auto x = read_integer(d_, *v, path(key), lo, hi);
  if (!x) return false;
  out = static_cast<int>(*x);
  return true;
}

bool MapReader::u64(std::string_view key, std::uint64_t& out) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  const auto x = read_u64(d_, *v, path(key));
  if (!x) return false;
  out = *x;
  return true;
}

bool MapReader::boolean(std::string_view key, bool& out) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  const auto x = read_bool(d_, *v, path(key));
  if (!x) return false;
  out = *x;
  return true;
}

bool MapReader::string(std::string_view key, std::string& out, std::size_t max_length, bool allow_empty) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  auto x = read_string(d_, *v, path(key), max_length, allow_empty);
  if (!x) return false;
  out = std::move(*x);
  return true;
}

bool MapReader::id(std::string_view key, std::string& out) {
  const YAML::Node* v = find(key);
  if (v == nullptr) return false;
  auto x = read_id(d_, *v, path(key));
  if (!x) return false;
  out = std::move(*x);
  return true;
}

}  // namespace jrads::scenario::detail
