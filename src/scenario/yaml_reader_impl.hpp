#pragma once
// Typed, located access to a yaml-cpp node tree. Every problem is recorded in Diagnostics with
// the file, 1-based line and column, and the key path; nothing here throws on bad input. The
// walk is bounded: a node budget stops alias expansion from multiplying the work, and an error
// cap stops the flood from a garbage file.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "jrads/core/result.hpp"

namespace jrads::scenario::detail {

inline constexpr std::size_t max_errors = 100;
// Nodes visited by the schema walk, counting every alias expansion again. A large scenario
// (1000 platforms of 50 waypoints) visits about 200 000.
inline constexpr std::size_t max_nodes = 1'000'000;
// Keys longer than this get no spelling suggestion (edit distance is quadratic).
inline constexpr std::size_t max_suggest_length = 100;

class Diagnostics {
 public:
  explicit Diagnostics(std::string file_name) : file_(std::move(file_name)) {}

  void report(Errc code, const YAML::Mark& mark, const std::string& path, std::string message);
  void report(Errc code, const YAML::Node& at, const std::string& path, std::string message);
  // Charges n visited nodes; false (after one error) once the budget is spent.
  bool charge(std::size_t n = 1);
  // True once the error cap or the node budget is reached: the walk stops.
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }
  [[nodiscard]] bool clean() const noexcept { return errors_.empty(); }
  [[nodiscard]] std::size_t error_count() const noexcept { return errors_.size(); }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] Location locate(const YAML::Mark& mark, const std::string& path) const;
  [[nodiscard]] std::vector<Error> take() && { return std::move(errors_); }

 private:
  std::string file_;
  std::vector<Error> errors_;
  std::size_t nodes_ = 0;
  bool stopped_ = false;
};

// The one YAML document of a file's text: size (at most max_bytes), UTF-8 and NUL checks, then
// yaml-cpp; errors call it "the <what>" ("scenario", "node configuration"). Nothing on error.
[[nodiscard]] std::optional<YAML::Node> load_document(Diagnostics& d, std::string_view text, std::string_view what,
                                                      std::size_t max_bytes);

// The node's mark, or a null mark for an absent node (never throws).
[[nodiscard]] YAML::Mark mark_of(const YAML::Node& node) noexcept;
// "1-based line N" for messages that point at a second place.
[[nodiscard]] std::string line_text(const YAML::Mark& mark);

[[nodiscard]] std::string key_path(const std::string& parent, std::string_view key);
[[nodiscard]] std::string index_path(const std::string& parent, std::size_t index);

// User text quoted for a message: truncated, non-printable bytes escaped.
[[nodiscard]] std::string quote(std::string_view text);
// "a mapping", "a sequence", "null", "the number 12", "the string 'abc'".
[[nodiscard]] std::string describe(const YAML::Node& node);

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate a user most likely meant, if any is close enough.
[[nodiscard]] std::optional<std::string_view> nearest(std::string_view word,
                                                      const std::vector<std::string_view>& candidates);
// "a, b or c"
[[nodiscard]] std::string join_choices(const std::vector<std::string_view>& choices, std::string_view last_sep = " or ");

// A closed or open interval for a number, printed as "[0, 360)" in messages.
struct Range {
  double lo;
  double hi;
  bool lo_open = false;
  bool hi_open = false;
  [[nodiscard]] bool contains(double v) const noexcept {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  [[nodiscard]] std::string text() const;
};
[[nodiscard]] std::string number_text(double v);

// The YAML 1.2 core schema forms of a number: decimal, 0x hex, 0o octal, .inf, .nan.
struct NumberText {
  enum class Kind : std::uint8_t { number, nan, inf, not_a_number, too_large };
  Kind kind = Kind::not_a_number;
  double value = 0.0;
  bool integral = false;  // no fraction or exponent part
};
[[nodiscard]] NumberText parse_number_text(std::string_view text) noexcept;

// A plain scalar number in range, or nothing; reports nothing (the fast path before
// read_number, which builds the messages).
[[nodiscard]] std::optional<double> try_number(const YAML::Node& node, const Range& range) noexcept;

// Scalar readers: report and return nothing when the node is not what is asked.
[[nodiscard]] std::optional<double> read_number(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                                const Range& range);
[[nodiscard]] std::optional<std::int64_t> read_integer(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                                       std::int64_t lo, std::int64_t hi);
[[nodiscard]] std::optional<std::uint64_t> read_u64(Diagnostics& d, const YAML::Node& node, const std::string& path);
[[nodiscard]] std::optional<bool> read_bool(Diagnostics& d, const YAML::Node& node, const std::string& path);
// Any scalar text of 1..max_length bytes (empty allowed when allow_empty).
[[nodiscard]] std::optional<std::string> read_string(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                                     std::size_t max_length, bool allow_empty = false);
// An identifier: 1..64 of A-Z a-z 0-9 _ - .
[[nodiscard]] std::optional<std::string> read_id(Diagnostics& d, const YAML::Node& node, const std::string& path);
// One of a fixed set of words; returns its index in choices.
[[nodiscard]] std::optional<std::size_t> read_choice(Diagnostics& d, const YAML::Node& node, const std::string& path,
                                                     const std::vector<std::string_view>& choices);

// Visits the items of a sequence (null counts as empty), charging the budget and stopping
// when the walk must stop. Reports anything that is not a sequence.
void for_each_item(Diagnostics& d, const YAML::Node& node, const std::string& path, std::string_view what,
                   const std::function<void(const YAML::Node&, const std::string&, std::size_t)>& visit);
// The number of items for_each_item would visit (0 for a non-sequence).
[[nodiscard]] std::size_t item_count(const YAML::Node& node) noexcept;

// A mapping whose keys are checked once against the allowed set: non-scalar keys, duplicate
// keys and unknown keys (with the nearest allowed key suggested) are reported on
// construction. A non-mapping is reported too, after which every lookup finds nothing.
using Hints = std::vector<std::pair<std::string_view, std::string>>;

class MapReader {
 public:
  // hints: explanations for keys that are wrong here but right elsewhere ("a raid's platforms
  // start with the raid"), shown instead of a spelling suggestion.
  MapReader(Diagnostics& d, const YAML::Node& node, std::string path, std::vector<std::string_view> allowed,
            std::string_view what, const Hints& hints = {});

  [[nodiscard]] bool is_map() const noexcept { return is_map_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::string path(std::string_view key) const { return key_path(path_, key); }
  [[nodiscard]] const YAML::Node& node() const noexcept { return node_; }
  [[nodiscard]] YAML::Mark mark() const noexcept { return mark_of(node_); }
  [[nodiscard]] Diagnostics& diagnostics() const noexcept { return d_; }
  // The value under key, or nullptr when absent.
  [[nodiscard]] const YAML::Node* find(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }
  // Reports a missing required key at the mapping; true when present.
  bool require(std::string_view key, std::string_view expected);
  // Reports that at most one of the keys may be given; true when at most one is.
  bool at_most_one(std::initializer_list<std::string_view> keys);

  // Typed getters: when the key is present and valid, store it and return true; when it is
  // present and invalid, report and return false; when absent, return false silently.
  bool number(std::string_view key, double& out, const Range& range);
  bool number(std::string_view key, std::optional<double>& out, const Range& range);
  bool integer(std::string_view key, int& out, int lo, int hi);
  bool u64(std::string_view key, std::uint64_t& out);
  bool boolean(std::string_view key, bool& out);
  bool string(std::string_view key, std::string& out, std::size_t max_length, bool allow_empty = false);
  bool id(std::string_view key, std::string& out);
  template <class Enum>
  bool choice(std::string_view key, Enum& out, const std::vector<std::string_view>& choices,
              const std::vector<Enum>& values) {
    const YAML::Node* v = find(key);
    if (v == nullptr) return false;
    const auto i = read_choice(d_, *v, path(key), choices);
    if (!i) return false;
    out = values[*i];
    return true;
  }

 private:
  void check_known(std::string_view key) const;

  Diagnostics& d_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string_view> allowed_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
  bool is_map_ = false;
};

}  // namespace jrads::scenario::detail
