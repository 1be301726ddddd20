// Entry points: load_scenario on files, and property-style mutation of the default scenario
// (seeded random corruption must never crash and must give either a scenario or located errors).
#include "jrads/scenario/scenario.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "scenario/scenario_fixture.hpp"

namespace jrads::scenario {
namespace {

namespace fs = std::filesystem;

class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("jrads_scenario_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(ScenarioFiles, LoadsAFile) {
  const auto path = write("s.yaml", std::string(test::minimal_yaml));
  const auto out = load_scenario(path.string());
  ASSERT_TRUE(out.errors.empty()) << test::all_errors(out);
  EXPECT_EQ(out.scenario->name, "minimal");
}

TEST_F(ScenarioFiles, ErrorsNameTheFile) {
  const auto path = write("bad.yaml", std::string(test::minimal_yaml) + "seeed: 4\n");
  const auto out = load_scenario(path.string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_EQ(out.errors[0].where.file, path.string());
  EXPECT_EQ(out.errors[0].where.line, 7);
  EXPECT_NE(out.errors[0].to_string().find(path.string() + ":7:1: seeed: unknown key 'seeed'"), std::string::npos)
      << out.errors[0].to_string();
}

TEST_F(ScenarioFiles, MissingFileDirectoryAndEmptyFile) {
  auto out = load_scenario((dir_ / "none.yaml").string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_EQ(out.errors[0].code, Errc::io_error);
  EXPECT_NE(out.errors[0].message.find("no such file"), std::string::npos);
  out = load_scenario(dir_.string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("directory"), std::string::npos);
  out = load_scenario(write("empty.yaml", "").string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("empty"), std::string::npos);
  EXPECT_FALSE(out.scenario.has_value());
}

TEST_F(ScenarioFiles, OversizedFileIsRejectedWithoutReadingIt) {
  const fs::path p = dir_ / "huge.yaml";
  { std::ofstream(p) << "name: x\n"; }
  fs::resize_file(p, max_scenario_bytes + 1);  // sparse: cheap to make
  const auto out = load_scenario(p.string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("16 MiB"), std::string::npos);
}

TEST_F(ScenarioFiles, BinaryFileIsNotText) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(255 - i);
  const auto out = load_scenario(write("bin.yaml", bytes).string());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_NE(out.errors[0].message.find("UTF-8"), std::string::npos);
  EXPECT_EQ(out.errors[0].where.line, 1);
}

TEST_F(ScenarioFiles, DemPathIsRelativeToTheScenarioFile) {
  write("maps/area.tif", "not really a raster");
  const auto path = write("sub/../s.yaml", std::string(test::minimal_yaml) + "terrain: {type: dem, path: maps/area.tif}\n");
  const auto out = load_scenario(path.string());
  ASSERT_TRUE(out.errors.empty()) << test::all_errors(out);
  const auto* dem = std::get_if<world::DemTerrainParams>(&out.scenario->terrain);
  ASSERT_NE(dem, nullptr);
  EXPECT_TRUE(fs::equivalent(dem->path, dir_ / "maps" / "area.tif")) << dem->path;
}

TEST(ScenarioCorpus, ValidFuzzSeedsParse) {
  // The fuzzer's seed corpus starts from these; they must stay valid as the format evolves.
  for (const char* name : {"minimal.yaml", "small_complete.yaml", "default.yaml"}) {
    const auto out = load_scenario(std::string(JRADS_SOURCE_DIR) + "/fuzz/scenario/corpus/" + name);
    EXPECT_TRUE(out.errors.empty()) << name << "\n" << test::all_errors(out);
  }
}

// --- property-style mutation ---------------------------------------------------------------------------

// Every outcome keeps the API's promise: a scenario and no errors, or errors and no scenario;
// every error names the file, and at least one says where (a line, or a key path).
void check_outcome(const ParseOutcome& out, const std::string& what) {
  ASSERT_NE(out.scenario.has_value(), !out.errors.empty()) << what;
  ASSERT_LE(out.errors.size(), 101U) << what;
  if (out.errors.empty()) return;
  bool located = false;
  for (const auto& e : out.errors) {
    ASSERT_EQ(e.where.file, "default.yaml") << what;
    ASSERT_FALSE(e.message.empty()) << what;
    located |= e.where.line > 0 || !e.where.path.empty();
  }
  EXPECT_TRUE(located) << what << "\n" << test::all_errors(out);
}

TEST(ScenarioMutation, RandomByteCorruptionNeverCrashes) {
  const std::string original(default_scenario_yaml());
  RngStream rng = Rng(20260615).stream("scenario/mutation");
  int parsed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 200; ++round) {
    std::string text = original;
    const auto edits = 1 + rng.below(8);
    for (std::uint64_t k = 0; k < edits; ++k) {
      const auto at = rng.below(text.size());
      switch (rng.below(4)) {
        case 0: text[at] = static_cast<char>(rng.below(256)); break;                 // any byte
        case 1: text[at] = " :-[]{},#&*!|>'\"%@`\n\t0.9e"[rng.below(26)]; break;    // YAML syntax
        case 2: text.erase(at, 1 + rng.below(40)); break;                            // cut
        default: text.insert(at, text.substr(rng.below(text.size()), rng.below(60))); // splice
      }
    }
    const auto out = parse_scenario(text, "default.yaml");
    check_outcome(out, "round " + std::to_string(round));
    parsed += out.scenario.has_value() ? 1 : 0;
  }
  // Some corruptions land in comments or free text and still parse.
  EXPECT_GT(parsed, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(120));
}

TEST(ScenarioMutation, LineEditsNeverCrash) {
  const std::string original(default_scenario_yaml());
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < original.size();) {
    const auto nl = original.find('\n', pos);
    lines.push_back(original.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    pos = nl == std::string::npos ? original.size() : nl + 1;
  }
  RngStream rng = Rng(7).stream("scenario/line-mutation");
  for (int round = 0; round < 150; ++round) {
    auto edited = lines;
    const auto i = rng.below(edited.size());
    const auto j = rng.below(edited.size());
    switch (rng.below(4)) {
      case 0: edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(i)); break;
      case 1: edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(i), edited[j]); break;
      case 2: std::swap(edited[i], edited[j]); break;
      default: edited[i] = "  " + edited[i]; break;
    }
    std::string text;
    for (const auto& l : edited) text += l + "\n";
    check_outcome(parse_scenario(text, "default.yaml"), "line round " + std::to_string(round));
  }
}

TEST(ScenarioMutation, TruncationsNeverCrash) {
  const std::string original(default_scenario_yaml());
  for (std::size_t n = 0; n < original.size(); n += 997) {
    const auto out = parse_scenario(original.substr(0, n), "default.yaml");
    ASSERT_NE(out.scenario.has_value(), !out.errors.empty()) << n;
  }
}

}  // namespace
}  // namespace jrads::scenario
