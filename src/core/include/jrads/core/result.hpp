#pragma once
// Result<T>: the expected-failure channel (bad bytes, bad YAML, refused requests).
// Shaped like std::expected so that switching later is a rename. Exceptions never
// cross a module API; broken invariants go to JRADS_ASSERT and abort.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace jrads {

// Where in our code an error was made. Our own small type because clang 14 (the fuzz build)
// cannot compile libstdc++'s SourceLocation; the builtins behave the same in g++ and clang.
struct SourceLocation {
  const char* file = "";
  const char* function = "";
  unsigned line = 0;

  [[nodiscard]] static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                                        const char* function = __builtin_FUNCTION(),
                                                        unsigned line = __builtin_LINE()) noexcept {
    return SourceLocation{file, function, line};
  }
  [[nodiscard]] constexpr const char* file_name() const noexcept { return file; }
  [[nodiscard]] constexpr const char* function_name() const noexcept { return function; }
};

enum class Errc : std::uint8_t {
  invalid_argument,  // a value out of its allowed range or of the wrong type
  parse_error,       // malformed syntax (YAML, CSV, bytes)
  unknown_key,       // a key the format does not define
  missing_key,       // a required key is absent
  duplicate_id,      // two items share an id
  dangling_ref,      // a reference to an id that is not defined
  io_error,          // a file could not be read or written
  truncated,         // input ends before a complete item
  unsupported,       // a valid request this build cannot serve
};

[[nodiscard]] const char* to_string(Errc code) noexcept;

// Where in the input a problem is. Any part may be empty/zero when unknown.
struct Location {
  std::string file;
  int line = 0;          // 1-based; 0 = unknown
  int column = 0;        // 1-based; 0 = unknown
  std::int64_t record = 0;  // 1-based record number for record-oriented input; 0 = unknown
  std::string path;      // key path inside a structured document: "sensors[3].scan_period_s"

  [[nodiscard]] static Location in_file(std::string file_name) {
    Location where;
    where.file = std::move(file_name);
    return where;
  }

  // "file:line:column: path" with absent parts left out.
  [[nodiscard]] std::string to_string() const;
};

struct Error {
  Errc code = Errc::invalid_argument;
  std::string message;
  Location where;
  SourceLocation origin = SourceLocation::current();

  // "file:line:col: path: message" — what a user sees.
  [[nodiscard]] std::string to_string() const;
};

[[nodiscard]] inline Error make_error(Errc code, std::string message, Location where = {},
                                      SourceLocation origin = SourceLocation::current()) {
  return Error{code, std::move(message), std::move(where), origin};
}

// Tag type so that `return fail(...)` converts to any Result<T>.
struct Unexpected {
  Error error;
};
[[nodiscard]] inline Unexpected fail(Errc code, std::string message, Location where = {},
                                     SourceLocation origin = SourceLocation::current()) {
  return Unexpected{Error{code, std::move(message), std::move(where), origin}};
}
[[nodiscard]] inline Unexpected fail(Error e) { return Unexpected{std::move(e)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] T& value() & { check(); return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { check(); return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { check(); return std::get<0>(std::move(v_)); }
  [[nodiscard]] const Error& error() const& { return std::get<1>(v_); }
  [[nodiscard]] Error&& error() && { return std::get<1>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void check() const {
    if (!has_value()) {
      std::fprintf(stderr, "jrads: value() on an error Result: %s\n", error().to_string().c_str());
      std::abort();
    }
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : e_(std::move(u.error)) {}  // NOLINT
  [[nodiscard]] bool has_value() const noexcept { return !e_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] const Error& error() const& { return *e_; }

 private:
  std::optional<Error> e_;
};

[[noreturn]] void assert_fail(const char* expr, SourceLocation where);

}  // namespace jrads

// A broken invariant is a bug: abort with the place, in every build type.
#define JRADS_ASSERT(expr) \
  ((expr) ? static_cast<void>(0) : ::jrads::assert_fail(#expr, ::jrads::SourceLocation::current()))
