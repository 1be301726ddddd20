#include "jrads/picture/tracker.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "picture/synthetic.hpp"

namespace jrads::picture {
namespace {

using synth::Scene;
using synth::Target;

constexpr double kLat = 44.0, kLon = 20.0;

// Two radars 120 km apart, an IFF interrogator beside the first and one ADS-B receiver.
Scene two_radars() {
  Scene s;
  s.sensors = synth::grid_sites(kLat, kLon, 120000.0, 2, 1);
  synth::Radar r1;
  r1.sensor = 0;
  r1.period_s = 5.0;
  r1.clutter_per_scan = 5.0;
  synth::Radar r2 = r1;
  r2.sensor = 1;
  r2.period_s = 8.0;
  r2.start_az_deg = 123.0;
  s.radars = {r1, r2};
  s.adsb = {synth::AdsbReceiver{2}};
  return s;
}

void add_iff(Scene& s) {
  s.sensors.push_back({"I1", "KAL", SensorKind::iff, s.sensors[0].pos, {}});
  synth::Radar iff;
  iff.sensor = static_cast<std::uint32_t>(s.sensors.size() - 1);
  iff.kind = SensorKind::iff;
  iff.period_s = 10.0;
  iff.pd = 0.95;
  iff.sigma_range_m = 30.0;
  iff.sigma_az_deg = 0.1;
  iff.sigma_el_deg = 1.0;
  s.radars.push_back(iff);
}

struct Outcome {
  std::vector<TrackRow> rows;
  std::vector<Alert> alerts;
  TrackerStats stats;
  std::vector<std::vector<std::uint32_t>> sources;  // of each row (Tracker::sources)
};

Outcome track(const Scene& s, const std::vector<Report>& reports, const TrackerParams& p = {}) {
  Tracker t(s.sensors, p);
  for (const Report& r : reports) t.add(r);
  t.finish();
  Outcome out{t.take_rows(), t.take_alerts(), t.stats(), {}};
  for (const TrackRow& row : out.rows) {
    const auto set = t.sources(row.sources);
    out.sources.emplace_back(set.begin(), set.end());
  }
  return out;
}

// The truth nearest to each row (index into scene.targets), and that distance.
struct Match {
  int target = -1;
  double distance_m = 1e18;
};
Match nearest(const Scene& s, const CommonFrame& frame, const TrackRow& row) {
  const Eigen::Vector3d p = frame.region().enu_from_geodetic(row.pos).vec();
  Match best;
  for (int i = 0; i < static_cast<int>(s.targets.size()); ++i) {
    const Target& tg = s.targets[i];
    if (row.time.s() < tg.t_start_s || row.time.s() > tg.t_end_s) continue;
    Eigen::Vector3d q, v;
    tg.state(row.time.s(), q, v);
    const double d = (p - q).norm();
    if (d < best.distance_m) best = {i, d};
  }
  return best;
}

// No time has two rows with the same number.
void expect_unique_numbers(const std::vector<TrackRow>& rows) {
  std::map<std::int64_t, std::set<std::uint32_t>> seen;
  for (const TrackRow& r : rows) {
    EXPECT_TRUE(seen[r.time.ns()].insert(r.track_number).second) << "track " << r.track_number << " twice at " << r.time.s();
  }
}

// For each target, the set of track numbers of the rows nearest to it within `within_m`.
std::map<int, std::set<std::uint32_t>> numbers_per_target(const Scene& s, const CommonFrame& frame,
                                                          const std::vector<TrackRow>& rows, double within_m) {
  std::map<int, std::set<std::uint32_t>> out;
  for (const TrackRow& r : rows) {
    const Match m = nearest(s, frame, r);
    if (m.target >= 0 && m.distance_m <= within_m) out[m.target].insert(r.track_number);
  }
  return out;
}

void expect_one_target_gives_one_track(const TrackerParams& params) {
  Scene s = two_radars();
  Target tg;
  tg.pos0 = {-60000.0, -30000.0, 9000.0};
  tg.vel = {220.0, 40.0, 0.0};
  tg.t_end_s = 500.0;
  s.targets = {tg};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const Outcome run = track(s, synth::generate(s, frame, 600.0, 1), params);
  expect_unique_numbers(run.rows);
  ASSERT_FALSE(run.rows.empty());
  const auto per = numbers_per_target(s, frame, run.rows, 2000.0);
  ASSERT_EQ(per.count(0), 1U);
  EXPECT_EQ(per.at(0).size(), 1U);
  // Confirmed within four scans of the slower radar, and accurate once settled.
  double first = 1e9;
  double sum2 = 0.0;
  int n = 0, far = 0;
  for (const TrackRow& r : run.rows) {
    if (r.time.s() >= tg.t_end_s) {
      // After the target has gone the track may only coast, then disappear.
      if (r.time.s() > tg.t_end_s + 20.0) {
        EXPECT_EQ(r.status, TrackStatus::coasting) << r.time.s();
      }
      continue;
    }
    const Match m = nearest(s, frame, r);
    if (m.distance_m > 2000.0) {
      ++far;
      continue;
    }
    first = std::min(first, r.time.s());
    if (r.time.s() > 60.0 && r.time.s() < 500.0) {
      sum2 += m.distance_m * m.distance_m;
      ++n;
    }
  }
  EXPECT_EQ(far, 0) << "rows of tracks on no target (clutter confirmed?)";
  EXPECT_LT(first, 32.0);
  ASSERT_GT(n, 300);
  EXPECT_LT(std::sqrt(sum2 / n), 250.0);
  // The track ends once the target has gone: no rows long after t_end.
  for (const TrackRow& r : run.rows) EXPECT_LT(r.time.s(), 500.0 + 60.0);
}

TEST(Tracker, OneTargetGivesOneConfirmedTrackWithOneNumber) { expect_one_target_gives_one_track(TrackerParams{}); }

TEST(Tracker, OneTargetGivesOneConfirmedTrackWithOneNumberWithJpda) {
  TrackerParams p;
  p.association = Association::jpda;
  expect_one_target_gives_one_track(p);
}

TEST(Tracker, ClutterAloneConfirmsNothing) {
  Scene s = two_radars();
  for (auto& r : s.radars) r.clutter_per_scan = 15.0;
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const Outcome run = track(s, synth::generate(s, frame, 900.0, 2));
  EXPECT_GT(run.stats.tracks_started, 1000U);
  EXPECT_EQ(run.stats.tracks_confirmed, 0U);
  EXPECT_TRUE(run.rows.empty());
}

void expect_crossing_targets_keep_their_numbers(const TrackerParams& params) {
  Scene s = two_radars();
  // Two aircraft at the same height crossing at 40 degrees at the same point at t = 300 s.
  Target a, b;
  const Eigen::Vector3d cross(10000.0, 5000.0, 8000.0);
  a.vel = {230.0, 0.0, 0.0};
  b.vel = {230.0 * std::cos(0.7), 230.0 * std::sin(0.7), 0.0};
  a.pos0 = cross - 300.0 * a.vel;
  b.pos0 = cross - 300.0 * b.vel;
  a.t_end_s = b.t_end_s = 600.0;
  s.targets = {a, b};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Outcome run = track(s, synth::generate(s, frame, 600.0, seed), params);
    expect_unique_numbers(run.rows);
    // The number nearest to each target before the crossing and after it.
    std::map<int, std::uint32_t> before, after;
    for (const TrackRow& r : run.rows) {
      const Match m = nearest(s, frame, r);
      if (m.distance_m > 1500.0) continue;
      if (r.time.s() > 150.0 && r.time.s() < 250.0) before[m.target] = r.track_number;
      if (r.time.s() > 380.0 && r.time.s() < 550.0 && !after.count(m.target)) after[m.target] = r.track_number;
    }
    ASSERT_EQ(before.size(), 2U) << "seed " << seed;
    ASSERT_EQ(after.size(), 2U) << "seed " << seed;
    EXPECT_NE(before[0], before[1]);
    EXPECT_EQ(before[0], after[0]) << "seed " << seed;
    EXPECT_EQ(before[1], after[1]) << "seed " << seed;
  }
}

TEST(Tracker, CrossingTargetsKeepTheirNumbers) { expect_crossing_targets_keep_their_numbers(TrackerParams{}); }

TEST(Tracker, CrossingTargetsKeepTheirNumbersWithJpda) {
  TrackerParams p;
  p.association = Association::jpda;
  expect_crossing_targets_keep_their_numbers(p);
}

TEST(Tracker, RadarAndAdsbOfOneAircraftGiveOneTrack) {
  Scene s = two_radars();
  Target tg;
  tg.pos0 = {-50000.0, 20000.0, 10000.0};
  tg.vel = {200.0, -60.0, 0.0};
  tg.t_end_s = 500.0;
  tg.adsb = true;
  tg.icao = 0x4CA123;
  s.targets = {tg};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const Outcome run = track(s, synth::generate(s, frame, 500.0, 3));
  expect_unique_numbers(run.rows);
  std::set<std::uint32_t> numbers;
  std::map<std::int64_t, int> per_time;
  for (const TrackRow& r : run.rows) {
    numbers.insert(r.track_number);
    ++per_time[r.time.ns()];
  }
  EXPECT_EQ(numbers.size(), 1U);
  for (const auto& [t, n] : per_time) EXPECT_EQ(n, 1) << "at " << t * 1e-9;
  // ADS-B evidence makes it neutral; it is precise (10 m ADS-B).
  const TrackRow* late = nullptr;
  for (const TrackRow& r : run.rows) {
    if (r.time.s() <= 490.0) late = &r;
  }
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->identity, Identity::neutral);
  EXPECT_LT(nearest(s, frame, *late).distance_m, 60.0);
}

// The civil interlock reads a track's evidence through the tracker: the ADS-B address the
// track has fused is there while the track lives, and nothing is returned for other numbers.
TEST(Tracker, EvidenceOfALiveTrackIsReadByItsNumber) {
  Scene s = two_radars();
  Target tg;
  tg.pos0 = {-50000.0, 20000.0, 10000.0};
  tg.vel = {200.0, -60.0, 0.0};
  tg.t_end_s = 300.0;
  tg.adsb = true;
  tg.icao = 0x4CA123;
  s.targets = {tg};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  Tracker t(s.sensors, TrackerParams{});
  std::uint32_t number = 0;
  for (const Report& r : synth::generate(s, frame, 600.0, 3)) {
    t.add(r);
    for (const TrackRow& row : t.take_rows()) {
      if (row.time.s() < 200.0) number = row.track_number;
    }
    if (r.time.s() > 200.0 && r.time.s() < 201.0 && number != 0) {
      const EvidenceRecord* e = t.evidence(number);
      ASSERT_NE(e, nullptr);
      EXPECT_GT(e->count(EvidenceKind::adsb), 0);
      EXPECT_EQ(e->last_value(EvidenceKind::adsb), 0x4CA123U);
    }
  }
  ASSERT_NE(number, 0U);
  EXPECT_EQ(t.evidence(number + 1000), nullptr);
  EXPECT_EQ(t.evidence(0), nullptr);
  t.finish();
  EXPECT_EQ(t.evidence(number), nullptr) << "the track has been deleted long after its aircraft left";
}

TEST(Tracker, OutOfSequenceReportsGiveTheInOrderResult) {
  Scene s = two_radars();
  Target a, b;
  a.pos0 = {-40000.0, 0.0, 7000.0};
  a.vel = {210.0, 30.0, 0.0};
  b.pos0 = {30000.0, 30000.0, 5000.0};
  b.vel = {-150.0, -100.0, 5.0};
  a.adsb = true;
  a.icao = 0x111111;
  s.targets = {a, b};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const std::vector<Report> in_order = synth::generate(s, frame, 400.0, 4);
  // Each report arrives up to 1.5 s late (the reorder window is 2 s).
  RngStream rng = Rng(9).stream("delays");
  std::vector<std::pair<double, Report>> arrivals;
  for (const Report& r : in_order) arrivals.emplace_back(r.time.s() + rng.uniform(0.0, 1.5), r);
  std::stable_sort(arrivals.begin(), arrivals.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<Report> shuffled;
  for (const auto& [t, r] : arrivals) shuffled.push_back(r);
  ASSERT_FALSE(std::is_sorted(shuffled.begin(), shuffled.end(), [](const Report& x, const Report& y) { return x.time < y.time; }));

  const Outcome ref = track(s, in_order);
  const Outcome oos = track(s, shuffled);
  EXPECT_EQ(oos.stats.late_reports_dropped, 0U);
  ASSERT_EQ(ref.rows.size(), oos.rows.size());
  ASSERT_GT(ref.rows.size(), 500U);
  for (std::size_t i = 0; i < ref.rows.size(); ++i) {
    EXPECT_EQ(ref.rows[i].time, oos.rows[i].time);
    EXPECT_EQ(ref.rows[i].track_number, oos.rows[i].track_number);
    const double d = (frame.region().enu_from_geodetic(ref.rows[i].pos).vec() -
                      frame.region().enu_from_geodetic(oos.rows[i].pos).vec()).norm();
    EXPECT_LT(d, 1.0) << "row " << i;
  }
}

TEST(Tracker, ReportsLaterThanTheWindowAreDroppedAndCounted) {
  Scene s = two_radars();
  Target a;
  a.pos0 = {-40000.0, 0.0, 7000.0};
  a.vel = {210.0, 30.0, 0.0};
  s.targets = {a};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  std::vector<Report> reports = synth::generate(s, frame, 200.0, 5);
  // Move one report from early in the run to the end: it is 150 s late.
  const Report late = reports[10];
  reports.erase(reports.begin() + 10);
  reports.push_back(late);
  const Outcome run = track(s, reports);
  EXPECT_EQ(run.stats.late_reports_dropped, 1U);
  EXPECT_EQ(run.stats.reports, reports.size());
}

TEST(Tracker, ManoeuvringTargetKeepsOneNumber) {
  Scene s = two_radars();
  Target tg;
  tg.pos0 = {-40000.0, -20000.0, 6000.0};
  tg.vel = {250.0, 0.0, 0.0};
  tg.turn_rate_radps = 3.0 * 3.14159265358979 / 180.0;  // 3 deg/s: a 180-degree turn in 60 s
  tg.turn_start_s = 150.0;
  tg.turn_end_s = 210.0;
  tg.t_end_s = 400.0;
  s.targets = {tg};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Outcome run = track(s, synth::generate(s, frame, 400.0, seed));
    const auto per = numbers_per_target(s, frame, run.rows, 3000.0);
    ASSERT_EQ(per.count(0), 1U);
    EXPECT_EQ(per.at(0).size(), 1U) << "seed " << seed;
    int far = 0;
    for (const TrackRow& r : run.rows) far += nearest(s, frame, r).distance_m > 3000.0 ? 1 : 0;
    EXPECT_EQ(far, 0) << "seed " << seed;
  }
}

TEST(Tracker, SpoofedAdsbOfATrackedAddressRaisesAnAlertNamingTheTrack) {
  Scene s = two_radars();
  Target civil, spoofer;
  civil.pos0 = {-50000.0, 10000.0, 10000.0};
  civil.vel = {220.0, 0.0, 0.0};
  civil.adsb = true;
  civil.icao = 0x45FCAE;
  spoofer.pos0 = {-30000.0, -40000.0, 3000.0};
  spoofer.vel = {150.0, 100.0, 0.0};
  spoofer.t_start_s = 200.0;
  spoofer.adsb = true;
  spoofer.icao = 0x45FCAE;  // claims the airliner's address ...
  spoofer.adsb_offset_e_m = 15000.0;  // ... at a position 15 km east of where it is
  s.targets = {civil, spoofer};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const Outcome run = track(s, synth::generate(s, frame, 400.0, 6));
  std::uint32_t civil_number = 0;
  for (const TrackRow& r : run.rows) {
    const Match m = nearest(s, frame, r);
    if (r.time.s() < 190.0 && m.target == 0 && m.distance_m < 500.0) civil_number = r.track_number;
  }
  ASSERT_NE(civil_number, 0U);
  int spoof_alerts = 0;
  for (const Alert& a : run.alerts) {
    if (a.kind != AlertKind::adsb_spoofing) continue;
    ++spoof_alerts;
    EXPECT_EQ(a.track_number, civil_number);
    EXPECT_GE(a.time.s(), 200.0);
    EXPECT_NE(a.text.find("45FCAE"), std::string::npos) << a.text;
  }
  EXPECT_GE(spoof_alerts, 1);
  // The spoofed reports never moved the airliner's track.
  for (const TrackRow& r : run.rows) {
    if (r.track_number == civil_number) {
      EXPECT_LT(nearest(s, frame, r).distance_m, 1500.0);
    }
  }
}

TEST(Tracker, Mode5ReplyMakesAFriendAndSilenceOnAFastLowTrackMakesItSuspectThenHostile) {
  Scene s = two_radars();
  add_iff(s);
  Target friendly, missile;
  friendly.pos0 = {-30000.0, 30000.0, 7000.0};
  friendly.vel = {200.0, 0.0, 0.0};
  friendly.mode5 = true;
  missile.pos0 = {50000.0, -40000.0, 300.0};  // low and fast, no transponder
  missile.vel = {-180.0, 160.0, 0.0};
  s.targets = {friendly, missile};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  const Outcome run = track(s, synth::generate(s, frame, 400.0, 7));
  Identity friend_id = Identity::pending, missile_id = Identity::pending;
  bool missile_ever_friend = false;
  for (const TrackRow& r : run.rows) {
    const Match m = nearest(s, frame, r);
    if (m.distance_m > 2000.0) continue;
    if (m.target == 0) friend_id = r.identity;
    if (m.target == 1) {
      missile_id = r.identity;
      missile_ever_friend |= r.identity == Identity::friend_ || r.identity == Identity::assumed_friend;
    }
  }
  EXPECT_EQ(friend_id, Identity::friend_);
  EXPECT_EQ(missile_id, Identity::hostile);
  EXPECT_FALSE(missile_ever_friend);
}

// Suspect 1, hostile 2, anything else 0.
int harshness(Identity id) { return id == Identity::hostile ? 2 : id == Identity::suspect ? 1 : 0; }

TEST(Tracker, ACoastingTrackNeverTakesAHarsherIdentity) {
  // A silent aircraft at an ordinary speed and height turns towards a defended asset and
  // vanishes at various moments after the turn. Heading for the asset makes it suspect at
  // once and hostile once that has held threat_hold_s (20 s here); a track that coasts before
  // then keeps counting that time on its last estimate, but may not become hostile on it.
  Scene s = two_radars();
  add_iff(s);
  Target silent, civil;
  silent.pos0 = {-60000.0, -40000.0, 5000.0};
  silent.vel = {200.0, 0.0, 0.0};
  silent.turn_rate_radps = 3.0 * units::pi / 180.0;  // east to north in 30 s
  silent.turn_start_s = 150.0;
  silent.turn_end_s = 180.0;
  civil.pos0 = {20000.0, 30000.0, 10000.0};  // keeps the interrogator answered
  civil.vel = {-150.0, 0.0, 0.0};
  civil.squawk = 4321;
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  Eigen::Vector3d after_turn, v;
  silent.state(180.0, after_turn, v);
  TrackerParams p;
  p.identity.threat_hold_s = 20.0;
  p.context.assets = {{"ASSET", frame.geodetic_from_region(after_turn + Eigen::Vector3d(0.0, 60000.0, -5000.0)), 5000.0}};
  int coasting_rows = 0, hostile_while_confirmed = 0;
  std::set<int> harshest_before;
  for (double end_s = 160.0; end_s <= 200.0; end_s += 2.5) {
    silent.t_end_s = end_s;
    s.targets = {silent, civil};
    const Outcome run = track(s, synth::generate(s, frame, end_s + 60.0, 11), p);
    std::map<std::uint32_t, int> last_confirmed;  // harshness at the latest confirmed row, per number
    for (const TrackRow& r : run.rows) {
      if (r.status == TrackStatus::confirmed) {
        last_confirmed[r.track_number] = harshness(r.identity);
        hostile_while_confirmed += r.identity == Identity::hostile ? 1 : 0;
        continue;
      }
      ASSERT_EQ(r.status, TrackStatus::coasting);
      ++coasting_rows;
      harshest_before.insert(last_confirmed[r.track_number]);
      EXPECT_LE(harshness(r.identity), last_confirmed[r.track_number])
          << "track " << r.track_number << " at " << r.time.s() << " s, target gone at " << end_s << " s";
    }
  }
  // The cases covered tracks that coasted while suspect, and the rule does make hostiles of
  // tracks that are still seen.
  EXPECT_GT(coasting_rows, 50);
  EXPECT_TRUE(harshest_before.count(1)) << "no track coasted while suspect";
  EXPECT_GT(hostile_while_confirmed, 0);
}

TEST(Tracker, ASilentTrackConfirmedInAHostileOriginAreaIsSuspectAndOneOutsideUnknown) {
  Scene s = two_radars();
  add_iff(s);
  Target north, south;  // ordinary speed and height, no transponder, no asset anywhere
  north.pos0 = {-30000.0, 40000.0, 7000.0};
  north.vel = {200.0, 0.0, 0.0};
  south.pos0 = {-30000.0, -40000.0, 7000.0};
  south.vel = {200.0, 0.0, 0.0};
  Target civil;  // answers the interrogator, which therefore is known to be on
  civil.pos0 = {20000.0, -10000.0, 10000.0};
  civil.vel = {-150.0, 150.0, 0.0};
  civil.squawk = 4321;
  s.targets = {north, south, civil};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  // The area north of the region's east-west axis.
  OriginArea area;
  area.id = "NORTH";
  for (const auto& [e, n] : {std::pair{-300000.0, 0.0}, {300000.0, 0.0}, {300000.0, 300000.0}, {-300000.0, 300000.0}}) {
    area.polygon.push_back(frame.region().geodetic_from_enu(Enu{e, n, 0.0}));
  }
  TrackerParams p;
  p.context.hostile_origins = {area};
  const Outcome run = track(s, synth::generate(s, frame, 300.0, 8), p);
  Identity north_id = Identity::pending, south_id = Identity::pending;
  for (const TrackRow& r : run.rows) {
    const Match m = nearest(s, frame, r);
    if (m.distance_m > 2000.0) continue;
    if (m.target == 0) north_id = r.identity;
    if (m.target == 1) south_id = r.identity;
  }
  EXPECT_EQ(north_id, Identity::suspect);
  EXPECT_EQ(south_id, Identity::unknown);
  // Without the area both are unknown.
  const Outcome plain = track(s, synth::generate(s, frame, 300.0, 8));
  for (const TrackRow& r : plain.rows) {
    const Match m = nearest(s, frame, r);
    if (r.time.s() > 200.0 && m.target != 2) {
      EXPECT_EQ(r.identity, Identity::unknown) << r.time.s();
    }
  }
}

TEST(Tracker, BiasedRadarIsFlaggedWithinThreeScansAndCorrected) {
  Scene s = two_radars();
  s.radars[0].az_bias_deg = 1.0;
  s.radars[0].range_bias_m = 150.0;
  RngStream rng = Rng(21).stream("targets");
  for (int k = 0; k < 12; ++k) {
    Target tg;
    tg.pos0 = {rng.uniform(-80000.0, 80000.0), rng.uniform(-60000.0, 60000.0), rng.uniform(6000.0, 11000.0)};
    const double hdg = rng.uniform(0.0, 6.283);
    tg.vel = {220.0 * std::sin(hdg), 220.0 * std::cos(hdg), 0.0};
    tg.adsb = true;
    tg.icao = 0x100000 + static_cast<std::uint32_t>(k);
    s.targets.push_back(tg);
  }
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  Tracker t(s.sensors, TrackerParams{});
  for (const Report& r : synth::generate(s, frame, 300.0, 8)) t.add(r);
  t.finish();
  const Outcome run{t.take_rows(), t.take_alerts(), t.stats(), {}};
  double first_confirmed = 1e9;
  for (const TrackRow& r : run.rows) first_confirmed = std::min(first_confirmed, r.time.s());
  std::vector<const Alert*> bias;
  for (const Alert& a : run.alerts) {
    if (a.kind == AlertKind::radar_bias) bias.push_back(&a);
  }
  ASSERT_FALSE(bias.empty());
  EXPECT_EQ(bias.front()->sensor, 0U);
  EXPECT_NE(bias.front()->text.find("R1"), std::string::npos) << bias.front()->text;
  EXPECT_LE(bias.front()->time.s(), first_confirmed + 3.0 * s.radars[0].period_s) << bias.front()->text;
  for (const Alert* a : bias) EXPECT_EQ(a->sensor, 0U) << "the unbiased radar is never flagged: " << a->text;
  const Tracker::Bias b = t.radar_bias(0);
  EXPECT_TRUE(b.detected);
  EXPECT_NEAR(b.azimuth_deg, 1.0, 0.1);
  EXPECT_NEAR(b.range_m, 150.0, 40.0);
  EXPECT_FALSE(t.radar_bias(1).detected);
  // Corrected, the biased radar no longer spawns a second track per aircraft.
  std::map<std::int64_t, int> per_time;
  for (const TrackRow& r : run.rows) {
    if (r.time.s() > 150.0) ++per_time[r.time.ns()];
  }
  for (const auto& [time_ns, n] : per_time) EXPECT_LE(n, 12) << "at " << time_ns * 1e-9;
}

TEST(Tracker, DenseTrafficDoesNotMakeAnUnbiasedRadarLookBiased) {
  // The benchmark's density (bench/tracker_bench.cpp) on a quarter of its area: 2,500 aircraft
  // over 400 x 300 km, one every ~50 km^2, seen by 6 overlapping unbiased radars. Many reports
  // have several aircraft in their matching window, and most tracks are anchored by other radars.
  Scene s;
  s.sensors = synth::grid_sites(kLat, kLon, 350000.0, 6, 0);
  RngStream rng = Rng(31).stream("dense");
  for (std::uint32_t i = 0; i < 6; ++i) {
    synth::Radar r;
    r.sensor = i;
    r.period_s = 10.0;
    r.start_az_deg = rng.uniform(0.0, 360.0);
    r.clutter_per_scan = 10.0;
    s.radars.push_back(r);
  }
  for (int k = 0; k < 2500; ++k) {
    Target tg;
    tg.pos0 = {rng.uniform(-200000.0, 200000.0), rng.uniform(-150000.0, 150000.0), rng.uniform(1000.0, 12000.0)};
    const double hdg = rng.uniform(0.0, 6.283);
    const double speed = rng.uniform(150.0, 300.0);
    tg.vel = {speed * std::sin(hdg), speed * std::cos(hdg), 0.0};
    s.targets.push_back(tg);
  }
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  Tracker t(s.sensors, TrackerParams{});
  for (const Report& r : synth::generate(s, frame, 40.0, 12)) t.add(r);
  t.finish();
  for (const Alert& a : t.take_alerts()) EXPECT_NE(a.kind, AlertKind::radar_bias) << a.text;
  for (std::uint32_t i = 0; i < 6; ++i) EXPECT_FALSE(t.radar_bias(i).detected) << "radar " << i;
}

TEST(Tracker, AJumpOfYearsInTimeIsCrossedAtOnce) {
  Scene s = two_radars();
  Target a;
  a.pos0 = {-40000.0, 0.0, 7000.0};
  a.vel = {210.0, 30.0, 0.0};
  s.targets = {a};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  std::vector<Report> reports = synth::generate(s, frame, 120.0, 5);
  // The same reports again 30 years later (a hostile or damaged file): processing must not step
  // through the 4 billion empty slices in between.
  const std::size_t n = reports.size();
  for (std::size_t i = 0; i < n; ++i) {
    Report r = reports[i];
    r.time += SimTime::from_s(9.5e8);
    reports.push_back(r);
  }
  const Outcome run = track(s, reports);
  std::set<std::uint32_t> numbers;
  for (const TrackRow& r : run.rows) numbers.insert(r.track_number);
  EXPECT_EQ(numbers.size(), 2U);  // one track before the jump, a new one after
  EXPECT_GT(run.rows.back().time.s(), 9.5e8);
}

TEST(Tracker, StatePerTrackIsSmall) {
  // The figure goes to docs/BENCHMARKS.md; this guards against an accidental blow-up.
  EXPECT_LT(Tracker::bytes_per_track(), 3000U);
}


// ---- JPDA ----------------------------------------------------------------------------------

// One coarse radar (1 degree beams, 200 m range cells) whose north-east sector is full of
// clutter, with aircraft flying through it: gates there hold clutter reports as often as not.
Scene cluttered_sector(double clutter_per_scan) {
  Scene s;
  s.sensors = synth::grid_sites(kLat, kLon, 0.0, 1, 0);
  synth::Radar r;
  r.sensor = 0;
  r.period_s = 5.0;
  r.sigma_range_m = 100.0;
  r.sigma_az_deg = 0.5;
  r.sigma_el_deg = 0.5;
  r.pd = 0.9;
  r.clutter_per_scan = clutter_per_scan;
  r.clutter_min_range_m = 30000.0;
  r.clutter_max_range_m = 90000.0;
  r.clutter_az_from_deg = 0.0;
  r.clutter_az_width_deg = 90.0;
  r.clutter_max_el_deg = 3.0;
  s.radars = {r};
  for (int k = 0; k < 6; ++k) {
    Target tg;
    const double range = 45000.0 + 5000.0 * k;
    const bool clockwise = k % 2 == 0;
    const double az = (clockwise ? 25.0 : 70.0) * units::pi / 180.0;
    tg.pos0 = {range * std::sin(az), range * std::cos(az), 1000.0 + 200.0 * k};
    const Eigen::Vector3d tangent(std::cos(az), -std::sin(az), 0.0);
    tg.vel = (clockwise ? 150.0 : -150.0) * tangent;
    tg.t_end_s = 300.0;
    s.targets.push_back(tg);
  }
  return s;
}

struct SectorScore {
  double held = 0.0;       // fraction of target-seconds (after 60 s) with a confirmed track within 2 km
  double rms_m = 0.0;      // position error of those
  double numbers = 0.0;    // distinct track numbers per target
  double false_rows = 0.0; // fraction of rows farther than 3 km from every target
};

SectorScore score_sector(const Scene& s, const CommonFrame& frame, const std::vector<TrackRow>& rows) {
  std::map<std::pair<std::int64_t, int>, double> best;  // (second, target) -> nearest distance
  std::map<int, std::set<std::uint32_t>> numbers;
  int far = 0;
  for (const TrackRow& r : rows) {
    const Match m = nearest(s, frame, r);
    if (m.target < 0 || m.distance_m > 3000.0) {
      ++far;
      continue;
    }
    if (m.distance_m > 2000.0 || r.time.s() < 60.0) continue;
    numbers[m.target].insert(r.track_number);
    auto [it, fresh] = best.emplace(std::pair{r.time.ns(), m.target}, m.distance_m);
    if (!fresh) it->second = std::min(it->second, m.distance_m);
  }
  SectorScore out;
  double sum2 = 0.0;
  for (const auto& [key, d] : best) sum2 += d * d;
  const double target_seconds = static_cast<double>(s.targets.size()) * (300.0 - 60.0);
  out.held = static_cast<double>(best.size()) / target_seconds;
  out.rms_m = best.empty() ? 0.0 : std::sqrt(sum2 / static_cast<double>(best.size()));
  for (const auto& [k, set] : numbers) out.numbers += static_cast<double>(set.size()) / static_cast<double>(s.targets.size());
  out.false_rows = rows.empty() ? 0.0 : static_cast<double>(far) / static_cast<double>(rows.size());
  return out;
}

TEST(Tracker, JpdaInDenseClutterHoldsTargetsWithFarFewerFalseTracksThanGnn) {
  // About 0.2 clutter reports per settled gate, many more in a new track's wide second-hit gate.
  const Scene s = cluttered_sector(150.0);
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const std::vector<Report> reports = synth::generate(s, frame, 320.0, seed);
    TrackerParams jpda;
    jpda.association = Association::jpda;
    const Outcome a = track(s, reports);
    const Outcome b = track(s, reports, jpda);
    const SectorScore gnn = score_sector(s, frame, a.rows), pda = score_sector(s, frame, b.rows);
    SCOPED_TRACE(::testing::Message() << "seed " << seed << ": GNN held " << gnn.held << " rms " << gnn.rms_m << " numbers "
                                      << gnn.numbers << " false " << gnn.false_rows << "; JPDA held " << pda.held << " rms "
                                      << pda.rms_m << " numbers " << pda.numbers << " false " << pda.false_rows);
    EXPECT_GT(b.stats.jpda_clusters, 100U);
    // GNN with M-of-N confirms clutter everywhere; JPDA with scored confirmation hardly does.
    EXPECT_GT(gnn.false_rows, 0.5);
    EXPECT_LT(pda.false_rows, 0.15);
    // It holds the targets at least as often, with one number each (GNN: many), and better.
    EXPECT_GT(pda.held, 0.5);
    EXPECT_GE(pda.held, gnn.held);
    EXPECT_LE(pda.numbers, 2.0);
    EXPECT_LT(pda.numbers * 4.0, gnn.numbers);
    EXPECT_LT(pda.rms_m, 0.8 * gnn.rms_m);
  }
}

TEST(Tracker, JpdaLearnsEachRadarsClutterDensityWhereItIs) {
  const Scene s = cluttered_sector(150.0);
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  TrackerParams p;
  p.association = Association::jpda;
  Tracker t(s.sensors, p);
  for (const Report& r : synth::generate(s, frame, 320.0, 4)) t.add(r);
  t.finish();
  // 150 reports per scan over 60 km x 90 degrees x 3 degrees of range, azimuth and elevation.
  const double deg = units::pi / 180.0;
  const double truth = 150.0 / (60000.0 * 90.0 * deg * 3.0 * deg);
  EXPECT_NEAR(t.clutter_density(0, 60000.0, 60.0, 1.5), truth, 0.25 * truth);
  EXPECT_NEAR(t.clutter_density(0, 40000.0, 10.0, 0.5), truth, 0.25 * truth);
  // Nothing falls elsewhere: the floor.
  EXPECT_EQ(t.clutter_density(0, 60000.0, 200.0, 1.5), p.jpda_min_clutter_density);
  EXPECT_EQ(t.clutter_density(0, 60000.0, 60.0, 20.0), p.jpda_min_clutter_density);
}

}  // namespace
}  // namespace jrads::picture

namespace jrads::picture {
namespace {

// A track's label is combined from the labels of every sensor whose reports it used, and its
// sources name those sensors. KAL's node makes the picture from its own radar (national only)
// and MOR's (shared with KAL): a target both see is KAL's alone; one only MOR's radar sees
// stays releasable to both.
TEST(TrackerLabels, ATrackCarriesTheCombinedLabelOfItsSources) {
  Scene s = two_radars();  // radar 0 at x = -30 km (KAL), radar 1 at x = +30 km (MOR)
  s.radars[0].max_range_m = 90000.0;
  s.radars[1].max_range_m = 90000.0;
  s.adsb.clear();
  security::ItemLabel kal;  // KAL's radar: CONFIDENTIAL, national only
  kal.level = security::Level::confidential;
  kal.categories = security::category_bit(security::Category::air_picture) | security::category_bit(security::Category::sensors);
  kal.originator = 0;
  kal.rel = 0;
  security::ItemLabel mor = kal;  // MOR's radar: SECRET, REL TO KAL
  mor.level = security::Level::secret;
  mor.originator = 1;
  mor.rel = 0b01;
  s.sensors[0].label = kal;
  s.sensors[1].label = mor;
  Target both, mor_only;
  both.pos0 = {0.0, -40000.0, 9000.0};  // within 90 km of both radars
  both.vel = {0.0, 200.0, 0.0};
  both.t_end_s = 300.0;
  mor_only.pos0 = {75000.0, -20000.0, 9000.0};  // over 100 km from radar 0
  mor_only.vel = {0.0, 150.0, 0.0};
  mor_only.t_end_s = 300.0;
  s.targets = {both, mor_only};
  const CommonFrame frame(CommonFrame::centroid_of(s.sensors), s.sensors);
  TrackerParams p;
  p.label_originator = 0;  // KAL's node makes the picture
  const Outcome run = track(s, synth::generate(s, frame, 300.0, 3), p);
  int checked_both = 0, checked_mor = 0;
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    const TrackRow& r = run.rows[i];
    const std::vector<std::uint32_t>& sources = run.sources[i];
    if (r.status != TrackStatus::confirmed || r.time.s() < 150.0) continue;
    const Match m = nearest(s, frame, r);
    if (m.distance_m > 2000.0) continue;
    EXPECT_TRUE(std::is_sorted(sources.begin(), sources.end()));
    EXPECT_EQ(r.label.originator, 0);
    EXPECT_EQ(r.label.categories, kal.categories);
    if (m.target == 0) {
      ASSERT_EQ(sources, (std::vector<std::uint32_t>{0, 1}));
      EXPECT_EQ(r.label.level, security::Level::secret);  // the higher
      EXPECT_EQ(security::holders(r.label, 0b11), 0b01u);  // KAL's national radar keeps it KAL's
      ++checked_both;
    } else {
      ASSERT_EQ(sources, (std::vector<std::uint32_t>{1}));
      EXPECT_EQ(r.label.level, security::Level::secret);
      EXPECT_EQ(security::holders(r.label, 0b11), 0b11u);
      ++checked_mor;
    }
  }
  EXPECT_GT(checked_both, 50);
  EXPECT_GT(checked_mor, 50);
}

}  // namespace
}  // namespace jrads::picture
