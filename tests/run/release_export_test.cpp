#include "run/test_files.hpp"
#include "jrads/run/release_export.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "jrads/core/rng.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/security/sealed_file.hpp"

namespace jrads::run {
namespace {

namespace fs = std::filesystem;
using test_files::fresh_dir;
using security::category_bit;
using security::Category;

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
  EXPECT_EQ(files->size(), 12u);  // six files per party
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

// Alerts, threats and the units' status take the same door. An alert that tells of a sensor is
// sanitised for MOR (its sensor column emptied) or, when it tells of nothing but the sensor,
// refused; everything else reaches each party unchanged, as its label allows.
TEST(ReleaseExport, AlertsThreatsAndUnitStatusAreReleasedByTheirLabels) {
  const auto parties = security::PartyTable::make({"KAL", "MOR"}).value();
  const auto picture = category_bit(Category::air_picture), sensors = category_bit(Category::sensors);
  std::vector<picture::SensorSite> sites(2);
  sites[0] = {"KAL-R1", "KAL", picture::SensorKind::radar, {}, {security::Level::secret, false, 0, picture | sensors, 0b10}};
  sites[1] = {"KAL-A1", "KAL", picture::SensorKind::adsb, {}, {security::Level::secret, false, 0, picture | sensors, 0b10}};
  ReleaseExport ex(parties, "KAL", true, sites);
  const security::ItemLabel shared{security::Level::secret, false, 0, picture, 0b10};
  const security::ItemLabel kal_only{security::Level::secret, false, 0, picture, 0};
  std::vector<picture::Alert> alerts(4);
  alerts[0] = {SimTime::from_s(1), picture::AlertKind::identity_conflict, 7, 0, "conflict on 7", shared};
  alerts[1] = {SimTime::from_s(2), picture::AlertKind::adsb_spoofing, 8, 1, "spoofing near 8",
               security::combine(shared, sites[1].label, 0)};
  alerts[2] = {SimTime::from_s(3), picture::AlertKind::radar_bias, 0, 0, "KAL-R1 off",
               {security::Level::secret, false, 0, sensors, 0b10}};
  alerts[3] = {SimTime::from_s(4), picture::AlertKind::identity_conflict, 9, 0, "conflict on 9", kal_only};
  ex.alerts(alerts);
  std::vector<ThreatRow> threats(2);
  threats[0] = {SimTime::from_s(5), {}};
  threats[0].threat.track = 7;
  threats[0].threat.rank = 1;
  threats[0].threat.asset = "BASE";
  threats[0].threat.label = engage::threat_label(shared);
  threats[1] = threats[0];
  threats[1].threat.track = 9;
  threats[1].threat.rank = 2;
  threats[1].threat.label = engage::threat_label(kal_only);
  ex.threats(threats);
  std::vector<UnitRow> units(2);
  units[0] = {SimTime::from_s(0), {"FU-K", "KAL", 4, 0, node::unit_status_label(parties, "KAL")}};
  units[1] = {SimTime::from_s(0), {"FU-M", "MOR", 2, 1, node::unit_status_label(parties, "MOR")}};
  ex.units(units);
  const fs::path dir = fresh_dir("release-export-others");
  ASSERT_TRUE(ex.write(dir, {{"KAL", key_of(1)}, {"MOR", key_of(2)}}).has_value());

  std::string all_alerts = picture::kAlertsHeader, mor_alerts = picture::kAlertsHeader;
  for (const auto& a : alerts) picture::append_alert_row(all_alerts, a, sites, true);
  picture::append_alert_row(mor_alerts, alerts[0], sites, true);
  picture::append_alert_row(mor_alerts, alerts[1], sites, false);  // no receiver named
  EXPECT_EQ(open_text(dir / "release/KAL/alerts.csv.sealed", key_of(1)), all_alerts);
  EXPECT_EQ(open_text(dir / "release/MOR/alerts.csv.sealed", key_of(2)), mor_alerts);
  EXPECT_NE(all_alerts.find(",KAL-A1,"), std::string::npos);
  EXPECT_EQ(mor_alerts.find("KAL-A1"), std::string::npos);

  std::string all_threats = kThreatsHeader, mor_threats = kThreatsHeader;
  for (const auto& t : threats) append_threat_row(all_threats, t);
  append_threat_row(mor_threats, threats[0]);
  EXPECT_EQ(open_text(dir / "release/KAL/threats.csv.sealed", key_of(1)), all_threats);
  EXPECT_EQ(open_text(dir / "release/MOR/threats.csv.sealed", key_of(2)), mor_threats);

  std::string all_units = kUnitsHeader;
  for (const auto& u : units) append_unit_row(all_units, u);
  EXPECT_EQ(open_text(dir / "release/KAL/units.csv.sealed", key_of(1)), all_units);
  EXPECT_EQ(open_text(dir / "release/MOR/units.csv.sealed", key_of(2)), all_units);
  // Each file's label is what it holds: MOR's alerts lost SENSORS with the sensor column.
  const auto mor_file = security::read_sealed(dir / "release/MOR/alerts.csv.sealed", key_of(2)).value();
  EXPECT_TRUE(security::releasable_to(mor_file.label, "MOR"));
  EXPECT_EQ(mor_file.label.categories, picture);
  const auto kal_threats = security::read_sealed(dir / "release/KAL/threats.csv.sealed", key_of(1)).value();
  EXPECT_EQ(kal_threats.label.categories, picture | category_bit(Category::intelligence));
  const auto t = ex.tallies();
  EXPECT_EQ(t[0].counts.allowed, 8u);
  EXPECT_EQ(t[1].counts.allowed, 5u);
  EXPECT_EQ(t[1].counts.stripped, 1u);
  EXPECT_EQ(t[1].counts.refused, 3u);
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
  // ... except what is its own: its units' status.
  std::vector<UnitRow> units{{SimTime{}, {"FU-K", "KAL", 4, 0, node::unit_status_label(parties, "KAL")}},
                             {SimTime{}, {"FU-M", "MOR", 2, 0, node::unit_status_label(parties, "MOR")}}};
  ended.units(units);
  EXPECT_EQ(ended.tallies()[1].counts.allowed, 1u);
  EXPECT_EQ(ended.tallies()[1].counts.refused, 3u);
  const fs::path dir = fresh_dir("release-export-ended");
  auto missing = ended.write(dir, {{"KAL", key_of(1)}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("MOR"), std::string::npos);
}

}  // namespace
}  // namespace jrads::run
