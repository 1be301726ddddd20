// The reader layer through parse_scenario: hostile bytes, wrong types, unknown and duplicate
// keys, NaN and huge numbers, nesting and alias bombs. Every error must carry the file, the
// 1-based line and column, and the key path.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "scenario/scenario_fixture.hpp"

namespace jrads::scenario {
namespace {

using test::expect_error;
using test::minimal_yaml;
using test::parse;
using test::parse_with_minimal;

TEST(YamlReader, MinimalScenarioParses) {
  const auto out = parse(minimal_yaml);
  ASSERT_TRUE(out.errors.empty()) << test::all_errors(out);
  ASSERT_TRUE(out.scenario.has_value());
  EXPECT_EQ(out.scenario->name, "minimal");
  EXPECT_DOUBLE_EQ(out.scenario->duration_s, 600.0);
  EXPECT_EQ(out.scenario->seed, 1U);
}

TEST(YamlReader, EmptyAndCommentOnlyTextAreErrors) {
  for (const char* text : {"", "\n\n", "# only a comment\n", "~\n", "---\n"}) {
    const auto out = parse(text);
    ASSERT_EQ(out.errors.size(), 1U) << text;
    EXPECT_FALSE(out.scenario.has_value());
    EXPECT_NE(out.errors[0].message.find("empty"), std::string::npos) << out.errors[0].message;
    EXPECT_EQ(out.errors[0].where.file, "test.yaml");
  }
}

TEST(YamlReader, BinaryGarbageIsRejectedWithALocation) {
  const std::string garbage = std::string("name: x\nduration_s: 1\n") + "\xFF\xFE\x00\x01\x80garbage";
  const auto out = parse(garbage);
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_EQ(out.errors[0].code, Errc::parse_error);
  EXPECT_EQ(out.errors[0].where.line, 3);
  EXPECT_EQ(out.errors[0].where.column, 1);
  EXPECT_NE(out.errors[0].message.find("UTF-8"), std::string::npos);
}

TEST(YamlReader, OverlongAndSurrogateUtf8AreRejected) {
  for (const std::string& bad : {std::string("name: \xC0\xAF\n"), std::string("name: \xED\xA0\x80\n"),
                                std::string("name: \xF4\x90\x80\x80\n"), std::string("name: \xE2\x82\n")}) {
    const auto out = parse(bad);
    ASSERT_EQ(out.errors.size(), 1U);
    EXPECT_EQ(out.errors[0].where.line, 1);
    EXPECT_EQ(out.errors[0].where.column, 7);
  }
  // Well-formed multibyte text is fine.
  const auto ok = parse(std::string(minimal_yaml) + "description: \"Gr\xC3\xBC\xC3\x9F \xE2\x9C\x88\"\n");
  EXPECT_TRUE(ok.errors.empty()) << test::all_errors(ok);
}

TEST(YamlReader, NulByteIsRejected) {
  const auto out = parse(std::string("name: a\0b\n", 10));
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("NUL"), std::string::npos);
  EXPECT_EQ(out.errors[0].where.column, 8);
}

TEST(YamlReader, SyntaxErrorNamesLineAndColumn) {
  const auto out = parse("name: x\nduration_s: [1, 2\nparties: []\n");
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_EQ(out.errors[0].code, Errc::parse_error);
  EXPECT_GE(out.errors[0].where.line, 2);
  EXPECT_NE(out.errors[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_NE(out.errors[0].to_string().find("test.yaml:"), std::string::npos);
}

TEST(YamlReader, TopLevelMustBeAMapping) {
  for (const char* text : {"- a\n- b\n", "just text\n", "42\n"}) {
    const auto out = parse(text);
    ASSERT_EQ(out.errors.size(), 1U) << text;
    EXPECT_NE(out.errors[0].message.find("expected a mapping (the scenario)"), std::string::npos)
        << out.errors[0].message;
    EXPECT_EQ(out.errors[0].where.line, 1);
    EXPECT_EQ(out.errors[0].where.column, 1);
  }
}

TEST(YamlReader, SeveralDocumentsAreRejected) {
  const auto out = parse(std::string(minimal_yaml) + "---\nname: second\n");
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("more than one YAML document"), std::string::npos);
  EXPECT_EQ(out.errors[0].where.line, 7);  // the second document's '---'
}

TEST(YamlReader, InputsThatHangLoadAllFailQuickly) {
  // yaml-cpp 0.7's LoadAll loops forever on these (found by the fuzzer).
  for (const char* text : {",t',t'", ",t'\x02,t'", "- ,t',t'\n"}) {
    const auto start = std::chrono::steady_clock::now();
    const auto out = parse(text);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << text;
    EXPECT_FALSE(out.errors.empty()) << text;
  }
}

TEST(YamlReader, MissingRequiredKeysAreAllReported) {
  const auto out = parse("description: nothing else\n");
  EXPECT_FALSE(out.scenario.has_value());
  for (const char* key : {"name", "duration_s", "parties", "agreement"}) {
    const Error* e = test::error_at(out, key);
    ASSERT_NE(e, nullptr) << key << "\n" << test::all_errors(out);
    EXPECT_EQ(e->code, Errc::missing_key);
    EXPECT_NE(e->message.find(std::string("missing required key '") + key + "'"), std::string::npos);
    EXPECT_EQ(e->where.line, 1);
  }
}

TEST(YamlReader, UnknownKeySuggestsTheNearestKey) {
  const auto out = parse_with_minimal(
      "sensors:\n"
      "  - id: R1\n"
      "    type: radar\n"
      "    party: A\n"
      "    position: [45, 20]\n"
      "    scan_period: 10\n");
  expect_error(out, "sensors[0].scan_period", Errc::unknown_key, 12, 5, "did you mean 'scan_period_s'?");
  EXPECT_NE(out.errors[0].to_string().find("test.yaml:12:5: sensors[0].scan_period: unknown key 'scan_period'"),
            std::string::npos)
      << out.errors[0].to_string();
}

TEST(YamlReader, UnknownKeySuggestionsCoverTyposAndCase) {
  const auto out = parse_with_minimal("durtaion_s: 5\nSeed: 3\ndescripton: x\n");
  expect_error(out, "durtaion_s", Errc::unknown_key, 7, 1, "did you mean 'duration_s'?");
  expect_error(out, "Seed", Errc::unknown_key, 8, 1, "did you mean 'seed'?");
  expect_error(out, "descripton", Errc::unknown_key, 9, 1, "did you mean 'description'?");
}

TEST(YamlReader, UnknownKeyWithoutNeighbourListsTheAllowedKeys) {
  const auto out = parse_with_minimal("adsb: {zzz: 1}\n");
  expect_error(out, "adsb.zzz", Errc::unknown_key, 7, 8, "allowed keys: mean_interval_s, jitter_s and sigma_alt_m");
}

TEST(YamlReader, DuplicateKeysAreReported) {
  const auto out = parse("name: a\nname: b\nduration_s: 10\n");
  expect_error(out, "name", Errc::duplicate_id, 2, 1, "duplicate key 'name' (first given on line 1)");
}

TEST(YamlReader, NonScalarKeysAreReported) {
  const auto out = parse_with_minimal("? [a, b]\n: 1\n");
  ASSERT_FALSE(out.errors.empty());
  EXPECT_NE(out.errors[0].message.find("a key must be a plain word"), std::string::npos) << out.errors[0].message;
  EXPECT_EQ(out.errors[0].where.line, 7);
}

TEST(YamlReader, WrongTypesNameWhatWasExpected) {
  const auto out = parse(
      "name: [a, b]\n"
      "duration_s: ten\n"
      "seed: 1.5\n"
      "parties: {id: A}\n"
      "agreement: {signature_date: 2025-01-01, automatic_renewal: yes}\n");
  expect_error(out, "name", Errc::invalid_argument, 1, 7, "expected a text string, got a sequence");
  expect_error(out, "duration_s", Errc::invalid_argument, 2, 13, "expected a number in (0, 604800], got the string 'ten'");
  expect_error(out, "seed", Errc::invalid_argument, 3, 7, "expected an integer in [0, 18446744073709551615]");
  expect_error(out, "parties", Errc::invalid_argument, 4, 10, "expected a sequence of parties, got a mapping");
  expect_error(out, "agreement.automatic_renewal", Errc::invalid_argument, 5, 60, "expected true or false");
}

TEST(YamlReader, QuotedNumbersAreStrings) {
  const auto out = parse_with_minimal("truth_step_s: \"0.5\"\n");
  expect_error(out, "truth_step_s", Errc::invalid_argument, 7, 15, "got the quoted string '0.5'");
}

TEST(YamlReader, NanAndInfinityAreRejected) {
  for (const char* value : {".nan", ".NaN", ".inf", "-.inf", "+.Inf", "nan", "inf"}) {
    const auto out = parse("name: x\nduration_s: " + std::string(value) + "\n");
    expect_error(out, "duration_s", Errc::invalid_argument, 2, 13, "expected a finite number in (0, 604800]");
  }
}

TEST(YamlReader, HugeNumbersAreRejected) {
  const auto out = parse(
      "name: x\n"
      "duration_s: 1e999\n"
      "seed: 99999999999999999999999\n"
      "truth_step_s: 1e308\n"
      "version: 123456789012345678901234567890\n");
  expect_error(out, "duration_s", Errc::invalid_argument, 2, 13, "too large");
  expect_error(out, "seed", Errc::invalid_argument, 3, 7, "too large");
  expect_error(out, "truth_step_s", Errc::invalid_argument, 4, 15, "out of range; allowed: (0, 1]");
  expect_error(out, "version", Errc::invalid_argument, 5, 10, "too large");
}

TEST(YamlReader, NegativeAndOutOfRangeValues) {
  const auto out = parse("name: x\nduration_s: -5\nseed: -1\nversion: 2\n");
  expect_error(out, "duration_s", Errc::invalid_argument, 2, 13, "value -5 is out of range; allowed: (0, 604800]");
  expect_error(out, "seed", Errc::invalid_argument, 3, 7, "expected an integer in [0, 18446744073709551615]");
  expect_error(out, "version", Errc::invalid_argument, 4, 10, "out of range; allowed: [1, 1]");
}

TEST(YamlReader, NumberFormsOfTheCoreSchemaAreAccepted) {
  const auto out = parse_with_minimal("seed: 0x1F\ntruth_step_s: 5e-1\n");
  ASSERT_TRUE(out.errors.empty()) << test::all_errors(out);
  EXPECT_EQ(out.scenario->seed, 31U);
  EXPECT_DOUBLE_EQ(out.scenario->world.truth_step_s, 0.5);
}

TEST(YamlReader, NullValuesAreNotNumbers) {
  const auto out = parse("name: x\nduration_s:\n");
  expect_error(out, "duration_s", Errc::invalid_argument, 0, 0, "got null");
}

TEST(YamlReader, DeepFlowNestingFailsCleanly) {
  const std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  const auto out = parse(deep);
  ASSERT_FALSE(out.errors.empty());
  EXPECT_FALSE(out.scenario.has_value());
}

TEST(YamlReader, DeepBlockNestingFailsCleanly) {
  std::string deep = "name: x\nduration_s: 5\ndescription:\n";
  for (int i = 0; i < 3000; ++i) deep += std::string(static_cast<std::size_t>(i + 1), ' ') + "- \n";
  const auto out = parse(deep);
  ASSERT_FALSE(out.errors.empty());
}

TEST(YamlReader, AliasBombIsBoundedInTime) {
  // Billion laughs: each level refers to the previous one ten times. yaml-cpp shares aliased
  // nodes, and the schema walk never expands an unknown structure, so this stays cheap.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto out = parse(bomb + "name: x\nduration_s: 5\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(out.errors.empty());
}

TEST(YamlReader, AliasedRoutesCountAgainstTheNodeBudget) {
  // A route of 2000 waypoints used by 3000 platforms expands to 6 million waypoints: the
  // walk stops with an error instead of building them all.
  std::string text(minimal_yaml);
  text += "platforms:\n  - {id: Q, category: hostile, kind: drone, alt_m: 500, route: &r [";
  for (int i = 0; i < 2000; ++i) text += (i ? ", [45, " : "[45, ") + std::to_string(10 + (i % 2)) + "]";
  text += "]}\n";
  for (int i = 0; i < 3000; ++i) {
    text += "  - {id: P" + std::to_string(i) + ", category: hostile, kind: drone, alt_m: 500, route: *r}\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto out = parse(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  ASSERT_FALSE(out.errors.empty());
  bool budget = false;
  for (const auto& e : out.errors) budget |= e.message.find("expands to more than") != std::string::npos;
  EXPECT_TRUE(budget) << test::all_errors(out).substr(0, 2000);
}

TEST(YamlReader, SelfReferentialAliasDoesNotLoop) {
  const auto out = parse_with_minimal("airways: &w [{id: W1, points: *w}]\n");
  EXPECT_FALSE(out.errors.empty());
}

TEST(YamlReader, ErrorsAreCappedAndTheCapIsSaid) {
  std::string text = std::string(minimal_yaml);
  for (int i = 0; i < 500; ++i) text += "unknown_" + std::to_string(i) + ": 1\n";
  const auto out = parse(text);
  ASSERT_EQ(out.errors.size(), 101U);
  EXPECT_NE(out.errors.back().message.find("too many errors"), std::string::npos);
  EXPECT_EQ(out.errors[0].where.line, 7);
  EXPECT_EQ(out.errors[99].where.line, 106);
}

TEST(YamlReader, ErrorsAreCollectedNotStoppedAtTheFirst) {
  const auto out = parse(
      "name: x\n"
      "duration_s: -1\n"
      "seed: x\n"
      "truth_step_s: 2\n"
      "parties: []\n"
      "agreement: {signature_date: 2025-02-30}\n");
  EXPECT_GE(out.errors.size(), 5U) << test::all_errors(out);
}

TEST(YamlReader, TooLargeTextIsRejectedBeforeParsing) {
  const std::string big(max_scenario_bytes + 1, ' ');
  const auto out = parse(big);
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("16 MiB"), std::string::npos);
}

TEST(YamlReader, LongKeysAndValuesAreTruncatedInMessages) {
  const std::string long_key(500, 'k');  // YAML allows implicit keys up to 1024 characters
  const auto out = parse_with_minimal(long_key + ": 1\nname2: " + std::string(3000, 'v') + "\n");
  ASSERT_GE(out.errors.size(), 2U);
  for (const auto& e : out.errors) EXPECT_LT(e.to_string().size(), 1200U) << e.to_string().substr(0, 200);
}

TEST(YamlReader, ControlCharactersAreEscapedInMessages) {
  const auto out = parse_with_minimal("sites:\n  - {id: S1, kind: \"air\\tbase\", position: [1, 2]}\n");
  const Error* e = test::error_at(out, "sites[0].kind");
  ASSERT_NE(e, nullptr) << test::all_errors(out);
  EXPECT_NE(e->message.find("'air\\x09base'"), std::string::npos) << e->message;
}

}  // namespace
}  // namespace jrads::scenario
