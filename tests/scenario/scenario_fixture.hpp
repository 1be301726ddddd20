#pragma once
// Shared helpers for the scenario tests: a minimal valid scenario to build hostile variants
// from, and lookups of errors by key path.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario::test {

// Lines 1-6; tests append sections after it, so their line numbers start at 7.
inline constexpr std::string_view minimal_yaml =
    "name: minimal\n"
    "duration_s: 600\n"
    "parties:\n"
    "  - {id: A, name: Alpha, role: coordinating}\n"
    "  - {id: B, name: Beta, role: directing, host: true}\n"
    "agreement: {signature_date: 2025-01-31}\n";

inline ParseOutcome parse(std::string_view text) { return parse_scenario(text, "test.yaml"); }
inline ParseOutcome parse_with_minimal(std::string_view extra) {
  return parse(std::string(minimal_yaml) + std::string(extra));
}

inline std::string all_errors(const ParseOutcome& out) {
  std::string text;
  for (const auto& e : out.errors) text += e.to_string() + "\n";
  return text;
}

// The first error at exactly this key path, or nullptr.
inline const Error* error_at(const ParseOutcome& out, std::string_view path) {
  for (const auto& e : out.errors) {
    if (e.where.path == path) return &e;
  }
  return nullptr;
}

// Asserts one error at path with the code, location and a message containing needle.
inline void expect_error(const ParseOutcome& out, std::string_view path, Errc code, int line, int column,
                         std::string_view needle) {
  const Error* e = error_at(out, path);
  ASSERT_NE(e, nullptr) << "no error at '" << path << "'; errors:\n" << all_errors(out);
  EXPECT_EQ(e->code, code) << e->to_string();
  EXPECT_EQ(e->where.file, "test.yaml");
  if (line > 0) {
    EXPECT_EQ(e->where.line, line) << e->to_string();
  }
  if (column > 0) {
    EXPECT_EQ(e->where.column, column) << e->to_string();
  }
  EXPECT_NE(e->message.find(needle), std::string::npos) << "message: " << e->message << "\nwanted: " << needle;
  EXPECT_FALSE(out.scenario.has_value());
}

}  // namespace jrads::scenario::test
