// The text form of a label (label.hpp, docs/SECURITY.md): to_text() and its strict inverse
// parse_label(). The grammar has exactly one spelling per label, so the parser can insist on
// it and a round trip through text never changes a label or its bytes.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "jrads/core/csv_format.hpp"
#include "jrads/security/label.hpp"

namespace jrads::security {

namespace {

constexpr std::size_t kMaxTextBytes = 1024;
constexpr std::string_view kSep = "; ";
constexpr std::string_view kListSep = ", ";
constexpr std::string_view kAlliance = "ALLIANCE";
constexpr std::string_view kNone = "NONE";

constexpr std::array<Level, kLevels> kAllLevels = {Level::unclassified, Level::restricted, Level::confidential,
                                                    Level::secret, Level::top_secret};

bool party_char(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::string list_levels() {
  std::string s;
  for (const Level l : kAllLevels) {
    if (!s.empty()) s += ", ";
    s += to_string(l);
  }
  return s;
}

std::string list_categories() {
  std::string s;
  for (int k = 0; k < kCategories; ++k) {
    if (!s.empty()) s += ", ";
    s += to_string(static_cast<Category>(k));
  }
  return s;
}

class Parser {
 public:
  explicit Parser(std::string_view text) noexcept : t_(text) {}

  Result<Label> run() {
    Label l;
    if (t_.size() > kMaxTextBytes) return error(kMaxTextBytes, "the end of the label (at most 1024 bytes)");
    if (!literal(kPolicy)) return error(departs(kPolicy), "the policy JRADS");
    l.policy = std::string(kPolicy);
    if (!sep()) return error(departs(kSep), "\"; \" after the policy");

    if (auto r = level(l); !r) return fail(r.error());
    if (!sep()) return error(departs(kSep), "\"; \" after the classification");

    if (auto r = releasability(l); !r) return fail(r.error());
    if (!sep()) return error(departs(kSep, kListSep), "\", \" and another party, or \"; \" after REL TO");

    if (auto r = categories(l); !r) return fail(r.error());
    if (!sep()) return error(departs(kSep, kListSep), "\", \" and another category, or \"; \" after CAT");

    if (!literal("ORIG ")) return error(departs("ORIG "), "\"ORIG \"");
    auto orig = party("the originator's party id");
    if (!orig) return fail(orig.error());
    l.originator = std::move(*orig);
    if (!sep()) return error(departs(kSep), "\"; \" after ORIG");

    if (auto r = time(l); !r) return fail(r.error());
    if (pos_ != t_.size()) return error(pos_, "the end of the label after the time");
    JRADS_ASSERT(validate(l).has_value());
    return l;
  }

 private:
  // "label byte N: expected WHAT, found X". N counts from 0. The found byte is shown as a
  // character only when it is printable ASCII, so hostile input cannot put control bytes or
  // broken UTF-8 into a log line.
  [[nodiscard]] Unexpected error(std::size_t at, std::string_view what) const {
    std::string msg = "label byte " + std::to_string(at) + ": expected ";
    msg += what;
    if (at >= t_.size()) {
      msg += ", found the end of the text";
    } else {
      const auto c = static_cast<unsigned char>(t_[at]);
      char buf[24];
      if (c >= 0x21 && c <= 0x7e) {
        std::snprintf(buf, sizeof buf, ", found '%c'", static_cast<char>(c));
      } else if (c == ' ') {
        std::snprintf(buf, sizeof buf, ", found a space");
      } else {
        std::snprintf(buf, sizeof buf, ", found byte 0x%02X", static_cast<unsigned>(c));
      }
      msg += buf;
    }
    return fail(Errc::parse_error, std::move(msg));
  }

  [[nodiscard]] bool literal(std::string_view s) noexcept {
    if (t_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  [[nodiscard]] bool sep() noexcept { return literal(kSep); }

  // Where the text stops matching `word` (== pos_ + word.size() on a full match).
  [[nodiscard]] std::size_t match_end(std::string_view word) const noexcept {
    std::size_t k = 0;
    while (k < word.size() && pos_ + k < t_.size() && t_[pos_ + k] == word[k]) ++k;
    return pos_ + k;
  }

  // Where the text departs from the expected literal(s): errors point at the first wrong byte.
  [[nodiscard]] std::size_t departs(std::string_view a, std::string_view b = {}) const noexcept {
    return std::max(match_end(a), match_end(b));
  }

  // The index of the candidate that matches in full; otherwise reports the byte at which the
  // text departs from the candidate it follows longest.
  template <class Words>
  [[nodiscard]] int word(const Words& words, std::size_t& bad_at) const noexcept {
    bad_at = pos_;
    for (std::size_t k = 0; k < words.size(); ++k) {
      const std::string_view w = words[k];
      const std::size_t end = match_end(w);
      if (end == pos_ + w.size()) return static_cast<int>(k);
      bad_at = std::max(bad_at, end);
    }
    return -1;
  }

  Result<void> level(Label& l) {
    std::array<std::string_view, kLevels> words{};
    for (int k = 0; k < kLevels; ++k) words[k] = to_string(kAllLevels[k]);
    std::size_t bad_at = 0;
    const int k = word(words, bad_at);
    if (k < 0) return error(bad_at, "a classification (" + list_levels() + ")");
    l.level = kAllLevels[k];
    pos_ += words[k].size();
    return {};
  }

  // A party id [A-Z0-9]{2,8} that is not one of the reserved words ALLIANCE and NONE.
  Result<std::string> party(std::string_view what) {
    const std::size_t start = pos_;
    std::size_t end = start;
    while (end < t_.size() && party_char(t_[end]) && end - start < 9) ++end;
    const std::size_t n = end - start;
    if (n == 0) return error(start, std::string(what) + " ([A-Z0-9]{2,8})");
    if (n == 1) return error(end, std::string(what) + " of at least 2 characters [A-Z0-9]");
    if (n > 8) return error(start + 8, "the end of " + std::string(what) + " (at most 8 characters)");
    const std::string_view id = t_.substr(start, n);
    if (id == kAlliance || id == kNone) {
      return error(start, std::string(what) + " (ALLIANCE and NONE are not party ids)");
    }
    pos_ = end;
    return std::string(id);
  }

  Result<void> releasability(Label& l) {
    if (!literal("REL TO ")) return error(departs("REL TO "), "\"REL TO \"");
    // ALLIANCE and NONE stand alone: they are written only as the whole list.
    for (const std::string_view word : {kAlliance, kNone}) {
      if (match_end(word) == pos_ + word.size() &&
          (pos_ + word.size() == t_.size() || !party_char(t_[pos_ + word.size()]))) {
        pos_ += word.size();
        l.rel_alliance = word == kAlliance;
        if (t_.substr(pos_, kListSep.size()) == kListSep) {
          return error(pos_, "\"; \" after REL TO " + std::string(word) + " (it stands alone, without parties)");
        }
        return {};
      }
    }
    for (;;) {
      const std::size_t start = pos_;
      auto id = party("a party id");
      if (!id) return fail(id.error());
      if (!l.rel_to.empty() && !(l.rel_to.back() < *id)) {
        return error(start, "a party id after " + l.rel_to.back() + " (REL TO parties are sorted and unique)");
      }
      l.rel_to.push_back(std::move(*id));
      if (!literal(kListSep)) return {};
    }
  }

  Result<void> categories(Label& l) {
    if (!literal("CAT ")) return error(departs("CAT "), "\"CAT \"");
    std::array<std::string_view, kCategories> words{};
    for (int k = 0; k < kCategories; ++k) words[k] = to_string(static_cast<Category>(k));
    int previous = -1;
    for (;;) {
      std::size_t bad_at = 0;
      const int k = word(words, bad_at);
      if (k < 0) return error(bad_at, "a category (" + list_categories() + ")");
      if (k <= previous) {
        return error(pos_, "a category after " + std::string(words[previous]) + " (categories in the order " +
                               list_categories() + ", each once)");
      }
      previous = k;
      l.categories |= category_bit(static_cast<Category>(k));
      pos_ += words[k].size();
      if (!literal(kListSep)) return {};
    }
  }

  // "T " + seconds as append_time writes them: no sign, no leading zeros, no exponent, and a
  // fraction of 1 to 9 digits without trailing zeros.
  Result<void> time(Label& l) {
    if (!literal("T ")) return error(departs("T "), "\"T \"");
    constexpr std::int64_t kMaxS = std::numeric_limits<std::int64_t>::max() / 1'000'000'000;  // 9223372036
    const char* const range = "seconds in the SimTime range (0 to 9223372036.854775807)";
    const std::size_t start = pos_;
    auto digit = [&](std::size_t at) { return at < t_.size() && t_[at] >= '0' && t_[at] <= '9'; };
    if (!digit(pos_)) return error(pos_, "the time in seconds (digits, no sign)");
    std::int64_t s = 0;
    if (t_[pos_] == '0') {
      ++pos_;
      if (digit(pos_)) return error(pos_, "'.' or the end after a leading 0 (no leading zeros)");
    } else {
      while (digit(pos_)) {
        const int d = t_[pos_] - '0';
        if (s > (kMaxS - d) / 10) return error(start, range);
        s = s * 10 + d;
        ++pos_;
      }
    }
    std::int64_t frac_ns = 0;
    if (pos_ < t_.size() && t_[pos_] == '.') {
      ++pos_;
      if (!digit(pos_)) return error(pos_, "a digit after '.'");
      const std::size_t frac_start = pos_;
      std::int64_t scale = 100'000'000;
      std::size_t last_nonzero = std::string_view::npos;
      while (digit(pos_)) {
        if (pos_ - frac_start == 9) return error(pos_, "the end of the time (at most 9 fractional digits)");
        frac_ns += (t_[pos_] - '0') * scale;
        scale /= 10;
        if (t_[pos_] != '0') last_nonzero = pos_;
        ++pos_;
      }
      if (last_nonzero != pos_ - 1) {
        const std::size_t zero_at = last_nonzero == std::string_view::npos ? frac_start : last_nonzero + 1;
        return error(zero_at, "a fraction without trailing zeros");
      }
    }
    if (frac_ns > std::numeric_limits<std::int64_t>::max() - s * 1'000'000'000) return error(start, range);
    l.time = SimTime::from_ns(s * 1'000'000'000 + frac_ns);
    return {};
  }

  std::string_view t_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string to_text(const Label& l) {
  JRADS_ASSERT(validate(l).has_value());
  std::string out;
  out.reserve(96);
  out += l.policy;
  out += kSep;
  out += to_string(l.level);
  out += kSep;
  out += "REL TO ";
  if (l.rel_alliance) {
    out += kAlliance;
  } else if (l.rel_to.empty()) {
    out += kNone;
  } else {
    for (std::size_t k = 0; k < l.rel_to.size(); ++k) {
      if (k > 0) out += kListSep;
      out += l.rel_to[k];
    }
  }
  out += kSep;
  out += "CAT ";
  bool first = true;
  for (int k = 0; k < kCategories; ++k) {
    const auto c = static_cast<Category>(k);
    if ((l.categories & category_bit(c)) == 0) continue;
    if (!first) out += kListSep;
    out += to_string(c);
    first = false;
  }
  out += kSep;
  out += "ORIG ";
  out += l.originator;
  out += kSep;
  out += "T ";
  append_time(out, l.time);
  return out;
}

Result<Label> parse_label(std::string_view text) { return Parser(text).run(); }

}  // namespace jrads::security
