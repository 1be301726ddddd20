#include "jrads/run/release_export.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "jrads/core/rng.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/security/sealed_file.hpp"

namespace jrads::run {
namespace {

namespace fs = std::filesystem;
using security::category_bit;
using security::Category;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(JRADS_BINARY_DIR) / "test-output" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

security::SymmetricKey key_of(std::uint8_t tag) {
  security::SymmetricKey k;
  for (auto& b : k.bytes()) b = tag;
  return k;
}

std::string open_text(const fs::path& p, const security::SymmetricKey& k) {
  auto o = security::read_sealed(p, k);
  EXPECT_TRUE(o.has_value()) << (o ? "" : o.error().to_string());
  if (!o) return {};
  return std::string(o->plaintext.begin(), o->plaintext.end());
}

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

// Random track rows with labels as the picture makes them (a combination of three sensors'
// labels: KAL's national radar, KAL's shared one, MOR's shared one), through the export: each
// party's files hold exactly the rows releasable to it, computed here from the labels alone,
// and MOR never learns which sensors saw a track.
TEST(ReleaseExport, EachPartyGetsExactlyWhatItMayHave) {
  const auto parties = security::PartyTable::make({"KAL", "MOR"}).value();
  std::vector<picture::SensorSite> sites(3);
  const security::CategorySet cats = category_bit(Category::air_picture) | category_bit(Category::sensors);
  sites[0] = {"KAL-R1", "KAL", picture::SensorKind::radar, {}, {security::Level::secret, false, 0, cats, 0}};
  sites[1] = {"KAL-R2", "KAL", picture::SensorKind::radar, {}, {security::Level::secret, false, 0, cats, 0b10}};
  sites[2] = {"MOR-R1", "MOR", picture::SensorKind::radar, {}, {security::Level::confidential, false, 1, cats, 0b01}};
  ReleaseExport ex(parties, "KAL", true, sites);
  RngStream rng = Rng(99).stream("release-export");
  std::vector<picture::TrackRow> rows;
  std::vector<std::vector<std::uint32_t>> sets;  // each row's sources (the tracker's source sets)
  int for_mor = 0;
  for (int i = 0; i < 3000; ++i) {
    picture::TrackRow r;
    r.time = SimTime::from_s(i);
    r.track_number = static_cast<std::uint32_t>(1 + rng.below(50));
    r.pos = {44.0 + 0.001 * i, 20.0, 9000.0};
    std::vector<std::uint32_t> set;
    for (std::uint32_t s = 0; s < 3; ++s)
      if (rng.bernoulli(0.5) || (s == 2 && set.empty())) set.push_back(s);
    r.label = sites[set[0]].label;
    r.label = security::combine(r.label, r.label, 0);
    for (std::uint32_t s : set) r.label = security::combine(r.label, sites[s].label, 0);
    r.sources = static_cast<std::uint32_t>(sets.size());
    // Releasable to MOR unless KAL's national radar is among the sources.
    const bool mor_may = std::find(set.begin(), set.end(), 0u) == set.end();
    sets.push_back(std::move(set));
    for_mor += mor_may;
    rows.push_back(r);
  }
  ex.tracks(rows, [&](std::uint32_t set) { return std::span<const std::uint32_t>(sets.at(set)); });
  const fs::path dir = fresh_dir("release-export");
  const std::map<std::string, security::SymmetricKey> keys{{"KAL", key_of(1)}, {"MOR", key_of(2)}};
  auto files = ex.write(dir, keys);
  ASSERT_TRUE(files.has_value()) << files.error().to_string();
  EXPECT_EQ(files->size(), 6u);
  const std::string kal = open_text(dir / "release/KAL/tracks.csv.sealed", key_of(1));
  const std::string mor = open_text(dir / "release/MOR/tracks.csv.sealed", key_of(2));
  std::string want_kal = picture::kTracksHeader, want_mor = picture::kTracksHeader;
  for (const auto& r : rows) {
    picture::append_track_row(want_kal, r);
    const auto& set = sets[r.sources];
    if (std::find(set.begin(), set.end(), 0u) == set.end()) picture::append_track_row(want_mor, r);
  }
  EXPECT_EQ(kal, want_kal);
  EXPECT_EQ(mor, want_mor);
  EXPECT_GT(for_mor, 200);
  EXPECT_LT(for_mor, 2800);
  // Sources: KAL's lists the sensors of every row; MOR's has only its header (SENSORS stripped).
  const std::string kal_sources = open_text(dir / "release/KAL/sources.csv.sealed", key_of(1));
  EXPECT_EQ(lines(kal_sources), 3001);
  EXPECT_NE(kal_sources.find("KAL-R1"), std::string::npos);
  EXPECT_EQ(open_text(dir / "release/MOR/sources.csv.sealed", key_of(2)), "time_s,track_id,sources\n");
  // Every row went through the gate once per party.
  const auto t = ex.tallies();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].counts.allowed, 3000u);
  EXPECT_EQ(t[1].counts.allowed, static_cast<std::uint64_t>(for_mor));
  EXPECT_EQ(t[1].counts.stripped, static_cast<std::uint64_t>(for_mor));
  EXPECT_EQ(t[1].counts.refused, static_cast<std::uint64_t>(3000 - for_mor));
  // Each decision reported once: as many records as distinct (label, receiver) pairs.
  std::uint64_t decisions = 0;
  for (const auto& x : t) decisions += x.counts.decisions;
  EXPECT_EQ(ex.decisions().size(), decisions);
  // A party's sealed file does not open with the other's key, and its label is releasable to it.
  EXPECT_FALSE(security::read_sealed(dir / "release/MOR/tracks.csv.sealed", key_of(1)).has_value());
  const auto opened = security::read_sealed(dir / "release/MOR/tracks.csv.sealed", key_of(2)).value();
  EXPECT_TRUE(security::releasable_to(opened.label, "MOR"));
}

TEST(ReleaseExport, NothingGoesToTheFormerPartnerAndAMissingKeyIsAnError) {
  const auto parties = security::PartyTable::make({"KAL", "MOR"}).value();
  const security::CategorySet cats = category_bit(Category::air_picture) | category_bit(Category::sensors);
  std::vector<picture::SensorSite> sites{{"R", "KAL", picture::SensorKind::radar, {}, {security::Level::secret, false, 0, cats, 0b11}}};
  ReleaseExport ended(parties, "KAL", false, sites);
  picture::TrackRow r;
  const std::vector<std::uint32_t> only_r{0};
  r.label = sites[0].label;
  std::vector<EventRow> events(1);
  events[0].event = "order";
  events[0].actor_party = "KAL";
  events[0].label = {security::Level::secret, false, 0, category_bit(Category::orders), 0b11};
  ended.tracks(std::span(&r, 1), [&](std::uint32_t) { return std::span<const std::uint32_t>(only_r); });
  ended.events(events);
  const auto t = ended.tallies();
  EXPECT_EQ(t[0].counts.allowed, 2u);
  EXPECT_EQ(t[1].counts.allowed, 0u);
  EXPECT_EQ(t[1].counts.refused, 2u);
  const fs::path dir = fresh_dir("release-export-ended");
  auto missing = ended.write(dir, {{"KAL", key_of(1)}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("MOR"), std::string::npos);
}

}  // namespace
}  // namespace jrads::run
