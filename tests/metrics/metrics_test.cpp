#include "jrads/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/metrics/set_distance.hpp"

namespace jrads::metrics {
namespace {

// Objects are placed by East/North/Up offsets from one tangent plane, so that distances between
// them are the plane distances exactly (the ECEF <-> ENU map is rigid).
const LocalFrame kFrame(Geodetic{52.0, 4.0, 0.0});
constexpr double kAlt = 5000.0;

struct Scene {
  TruthTable truth;
  TrackTable tracks;
  std::map<std::string, std::uint32_t> truth_index, track_index;

  void truth_at(double t, const std::string& id, Category cat, double e_m, double n_m, double ve = 0.0,
                double vn = 0.0) {
    auto [it, added] = truth_index.try_emplace(id, static_cast<std::uint32_t>(truth.ids.size()));
    if (added) {
      truth.ids.push_back(id);
      truth.categories.push_back(cat);
    }
    const Geodetic g = kFrame.geodetic_from_enu(Enu{e_m, n_m, kAlt});
    truth.rows.push_back({t, it->second, g.lat_deg, g.lon_deg, g.alt_m, ve, vn, 0.0});
  }
  void track_at(double t, const std::string& id, double e_m, double n_m, Identity identity = Identity::neutral,
                TrackStatus status = TrackStatus::confirmed, double ve = 0.0, double vn = 0.0) {
    auto [it, added] = track_index.try_emplace(id, static_cast<std::uint32_t>(tracks.ids.size()));
    if (added) tracks.ids.push_back(id);
    const Geodetic g = kFrame.geodetic_from_enu(Enu{e_m, n_m, kAlt});
    TrackRow r;
    r.time_s = t;
    r.track = it->second;
    r.status = status;
    r.identity = identity;
    r.lat_deg = g.lat_deg;
    r.lon_deg = g.lon_deg;
    r.alt_m = g.alt_m;
    r.ve_mps = ve;
    r.vn_mps = vn;
    tracks.rows.push_back(r);
  }
  Result<MetricsReport> run(MetricsParams p = {}, const Coverage* coverage = nullptr) {
    auto by_time = [](const auto& a, const auto& b) { return a.time_s < b.time_s; };
    std::stable_sort(truth.rows.begin(), truth.rows.end(), by_time);
    std::stable_sort(tracks.rows.begin(), tracks.rows.end(), by_time);
    return compute_metrics(truth, tracks, p, coverage);
  }
};

TEST(Metrics, PerfectPictureScoresPerfectly) {
  Scene s;
  for (int k = 0; k < 5; ++k) {
    const double t = k;
    s.truth_at(t, "C", Category::civil, 100.0 * t, 0, 100, 0);
    s.truth_at(t, "F", Category::friendly, 20'000, 50.0 * t, 0, 50);
    s.truth_at(t, "H", Category::hostile, -20'000, -80.0 * t, 0, -80);
    s.track_at(t, "1", 100.0 * t, 0, Identity::neutral, TrackStatus::confirmed, 100, 0);
    s.track_at(t, "2", 20'000, 50.0 * t, Identity::assumed_friend, TrackStatus::coasting, 0, 50);
    s.track_at(t, "3", -20'000, -80.0 * t, Identity::suspect, TrackStatus::confirmed, 0, -80);
  }
  MetricsParams p;
  p.identity_grace_s = 0.0;
  const auto r = s.run(p);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->time_steps, 5);
  EXPECT_EQ(r->truths, 3);
  EXPECT_EQ(r->tracks, 3);
  EXPECT_EQ(r->track_states, 15);
  EXPECT_EQ(r->extrapolated_states, 0);
  EXPECT_LT(r->ospa_m, 1e-6);
  EXPECT_LT(r->gospa.mean_m, 1e-6);
  EXPECT_EQ(r->gospa.missed, 0.0);
  EXPECT_EQ(r->gospa.false_part, 0.0);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 1.0);
  EXPECT_DOUBLE_EQ(r->siap.ambiguity, 1.0);
  EXPECT_DOUBLE_EQ(r->siap.spuriousness, 0.0);
  EXPECT_LT(r->siap.position_accuracy_m, 1e-6);
  EXPECT_LT(r->siap.velocity_accuracy_mps, 1e-9);
  EXPECT_DOUBLE_EQ(r->siap.track_number_changes_per_truth, 0.0);
  EXPECT_DOUBLE_EQ(r->siap.longest_track_segment, 1.0);
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction, 1.0);
  EXPECT_EQ(r->identity.counted_pairs, 15);
  EXPECT_TRUE(std::isnan(r->siap.completeness_in_coverage));
}

TEST(Metrics, SiapRatiosAndSetDistancesOnACraftedScenario) {
  // Truths A and B, 20 km apart, at t = 0, 1, 2. Track 1 sits 100 m from A throughout; track 2
  // is a second track 300 m from A at t = 1; track 3 is far from everything; track 4 is 200 m
  // from B at t = 1 and 2.
  Scene s;
  for (int k = 0; k < 3; ++k) {
    const double t = k;
    s.truth_at(t, "A", Category::civil, 0, 0);
    s.truth_at(t, "B", Category::civil, 20'000, 0);
    s.track_at(t, "1", 100, 0);
    s.track_at(t, "3", 50'000, 50'000);
    if (k >= 1) s.track_at(t, "4", 20'000, 200);
  }
  s.track_at(1, "2", 0, -300);
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // N_T = 2+2+2, N_JT = 1+2+2, N_A = 1+3+2, N_J = 2+4+3, N_S = 1+1+1.
  EXPECT_EQ(r->siap.truth_steps, 6);
  EXPECT_EQ(r->siap.tracked_truth_steps, 5);
  EXPECT_EQ(r->siap.associated_track_steps, 6);
  EXPECT_EQ(r->siap.track_steps, 9);
  EXPECT_EQ(r->siap.spurious_track_steps, 3);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(r->siap.ambiguity, 6.0 / 5.0);
  EXPECT_DOUBLE_EQ(r->siap.spuriousness, 3.0 / 9.0);
  // Errors 100 (x3), 300, 200 (x2).
  EXPECT_NEAR(r->siap.position_accuracy_m, std::sqrt((3 * 1e4 + 9e4 + 2 * 4e4) / 6.0), 1e-4);
  EXPECT_EQ(r->siap.track_number_changes, 0);
  // OSPA, c = 2000, p = 2: t0 pairs A-1 (100), B and 3 at the cut-off; t1 A-1, B-4 and two extra
  // tracks; t2 A-1, B-4 and one extra.
  const double c2 = 2000.0 * 2000.0;
  const double ospa0 = std::sqrt((1e4 + c2) / 2.0);
  const double ospa1 = std::sqrt((1e4 + 4e4 + 2 * c2) / 4.0);
  const double ospa2 = std::sqrt((1e4 + 4e4 + c2) / 3.0);
  EXPECT_NEAR(r->ospa_m, (ospa0 + ospa1 + ospa2) / 3.0, 1e-6);
  EXPECT_NEAR(r->gospa.localisation, (1e4 + 5e4 + 5e4) / 3.0, 1e-3);
  EXPECT_NEAR(r->gospa.missed, (c2 / 2.0) / 3.0, 1e-3);
  EXPECT_NEAR(r->gospa.false_part, (c2 / 2.0 + c2 + c2 / 2.0) / 3.0, 1e-3);
  EXPECT_NEAR(r->gospa.mean_pow_p, r->gospa.localisation + r->gospa.missed + r->gospa.false_part, 1e-6);
  const double g0 = std::sqrt(1e4 + c2), g1 = std::sqrt(5e4 + c2), g2 = std::sqrt(5e4 + c2 / 2.0);
  EXPECT_NEAR(r->gospa.mean_m, (g0 + g1 + g2) / 3.0, 1e-6);
  EXPECT_NEAR(r->gospa.missed_count, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(r->gospa.false_count, 4.0 / 3.0, 1e-12);
}

TEST(Metrics, TrackNumberChangesCountAcrossGapsAndLongestSegment) {
  // A's primary track: 1, 1, none, 2, 1 -> two changes (1 to 2, 2 to 1). B is never tracked.
  Scene s;
  const char* primary[] = {"1", "1", nullptr, "2", "1"};
  for (int k = 0; k < 5; ++k) {
    s.truth_at(k, "A", Category::hostile, 0, 0);
    s.truth_at(k, "B", Category::hostile, 30'000, 0);
    if (primary[k] != nullptr) s.track_at(k, primary[k], 10, 10);
  }
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->siap.track_number_changes, 2);
  EXPECT_EQ(r->siap.truths_tracked, 1);
  EXPECT_DOUBLE_EQ(r->siap.track_number_changes_per_truth, 2.0);
  // A's longest run is track 1 at t = 0, 1: 2 of 5 steps; B has 0.
  EXPECT_DOUBLE_EQ(r->siap.longest_track_segment, (2.0 / 5.0 + 0.0) / 2.0);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 4.0 / 10.0);
}

TEST(Metrics, TrackKeepsItsTruthWhileWithinTheThreshold) {
  // A at 0, B at 1500 m. The track is at 100 m (A nearest), then at 900 m: B is nearer (600 m)
  // but A is still within 2000 m, so it stays with A. At 2100 m it leaves A and takes B.
  Scene s;
  const double track_e[] = {100, 900, 2100};
  for (int k = 0; k < 3; ++k) {
    s.truth_at(k, "A", Category::civil, 0, 0);
    s.truth_at(k, "B", Category::civil, 1500, 0);
    s.track_at(k, "T", track_e[k], 0);
  }
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->siap.tracked_truth_steps, 3);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 0.5);
  EXPECT_NEAR(r->siap.position_accuracy_m, std::sqrt((100.0 * 100 + 900.0 * 900 + 600.0 * 600) / 3.0), 1e-4);
  // With a gate of 800 m, A (900 m) is out of reach at t1, so the track takes the nearest truth,
  // B (600 m), and keeps it at t2.
  MetricsParams tight;
  tight.association_threshold_m = 800.0;
  const auto r2 = s.run(tight);
  ASSERT_TRUE(r2.has_value());
  EXPECT_NEAR(r2->siap.position_accuracy_m, std::sqrt((100.0 * 100 + 600.0 * 600 + 600.0 * 600) / 3.0), 1e-4);
  EXPECT_EQ(r2->siap.tracked_truth_steps, 3);
}

TEST(Metrics, PrimaryTrackIsKeptWhileStillAssociated) {
  // Tracks 1 and 2 both follow A. t0: 1 nearer -> primary 1. t1: 2 nearer but 1 still
  // associated -> still 1. t2: 1 gone -> 2 (one change). t3: 1 back and nearer -> still 2.
  Scene s;
  const double e1[] = {100, 400, -1, 10};
  const double e2[] = {300, 50, 50, 50};
  for (int k = 0; k < 4; ++k) {
    s.truth_at(k, "A", Category::friendly, 0, 0);
    if (e1[k] >= 0) s.track_at(k, "1", e1[k], 0, Identity::friendly);
    s.track_at(k, "2", e2[k], 0, Identity::hostile);
  }
  MetricsParams p;
  p.identity_grace_s = 0.0;
  const auto r = s.run(p);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->siap.track_number_changes, 1);
  EXPECT_DOUBLE_EQ(r->siap.longest_track_segment, 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(r->siap.ambiguity, 7.0 / 4.0);
  // Identity is scored on the primary: friend (track 1) at t0, t1; hostile (track 2) at t2, t3.
  EXPECT_EQ(r->identity.counted_pairs, 4);
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction_friend, 0.5);
  // Any association counts for the declarations: track 2 called the friend hostile.
  EXPECT_EQ(r->identity.friend_declared_hostile, 1);
}

TEST(Metrics, IdentityIsScoredAfterTheGracePeriod) {
  // A civil truth for t = 0..59. Its track is tentative for t < 5 (not counted), confirmed
  // "pending" for 5 <= t < 20 and "neutral" from t = 20.
  Scene s;
  for (int k = 0; k < 60; ++k) {
    s.truth_at(k, "C", Category::civil, 0, 0);
    const TrackStatus st = k < 5 ? TrackStatus::tentative : TrackStatus::confirmed;
    s.track_at(k, "T", 20, 0, k < 20 ? Identity::pending : Identity::neutral, st);
  }
  const struct {
    double grace_s;
    std::int64_t counted, correct;
  } cases[] = {{0.0, 55, 40}, {10.0, 45, 40}, {30.0, 25, 25}, {100.0, 0, 0}};
  for (const auto& c : cases) {
    MetricsParams p;
    p.identity_grace_s = c.grace_s;
    const auto r = s.run(p);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    EXPECT_EQ(r->identity.counted_pairs, c.counted) << c.grace_s;
    EXPECT_EQ(r->identity.correct_pairs, c.correct) << c.grace_s;
    if (c.counted > 0) {
      EXPECT_DOUBLE_EQ(r->identity.correct_fraction, static_cast<double>(c.correct) / c.counted);
      EXPECT_DOUBLE_EQ(r->identity.correct_fraction_civil, static_cast<double>(c.correct) / c.counted);
    } else {
      EXPECT_TRUE(std::isnan(r->identity.correct_fraction));
    }
    EXPECT_TRUE(std::isnan(r->identity.correct_fraction_hostile));
    EXPECT_DOUBLE_EQ(r->siap.completeness, 55.0 / 60.0);
  }
}

TEST(Metrics, IdentityMappingPerCategory) {
  // Each truth gets one track per identity value in turn; correct: civil-neutral,
  // friend-friend/assumed_friend, hostile-hostile/suspect.
  const Identity all[] = {Identity::pending, Identity::unknown, Identity::assumed_friend, Identity::friendly,
                          Identity::neutral, Identity::suspect, Identity::hostile};
  Scene s;
  for (int k = 0; k < 7; ++k) {
    s.truth_at(k, "C", Category::civil, 0, 0);
    s.truth_at(k, "F", Category::friendly, 30'000, 0);
    s.truth_at(k, "H", Category::hostile, 60'000, 0);
    s.track_at(k, "c", 0, 5, all[k]);
    s.track_at(k, "f", 30'000, 5, all[k]);
    s.track_at(k, "h", 60'000, 5, all[k]);
  }
  MetricsParams p;
  p.identity_grace_s = 0.0;
  const auto r = s.run(p);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction_civil, 1.0 / 7.0);
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction_friend, 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction_hostile, 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(r->identity.correct_fraction, 5.0 / 21.0);
  EXPECT_EQ(r->identity.civil_declared_hostile, 1);
  EXPECT_EQ(r->identity.civil_declared_suspect, 1);
  EXPECT_EQ(r->identity.hostile_declared_friend, 1);
  EXPECT_EQ(r->identity.friend_declared_hostile, 1);
}

TEST(Metrics, DeclarationsCountDistinctTruthsOverAnyAssociation) {
  Scene s;
  for (int k = 0; k < 3; ++k) {
    s.truth_at(k, "C1", Category::civil, 0, 0);
    s.truth_at(k, "C2", Category::civil, 20'000, 0);
    s.truth_at(k, "C3", Category::civil, 40'000, 0);
    s.truth_at(k, "H", Category::hostile, 60'000, 0);
    // C1: its only track says hostile at t0 (inside the grace period: still counted).
    s.track_at(k, "t1", 0, 10, k == 0 ? Identity::hostile : Identity::neutral);
    // C2: the primary says neutral, a second, farther track says hostile at t1.
    s.track_at(k, "t2", 20'000, 10, Identity::neutral);
    if (k == 1) s.track_at(k, "t2b", 20'000, 500, Identity::hostile);
    // C3: suspect, plus a hostile track 3 km away (beyond the threshold: not associated).
    s.track_at(k, "t3", 40'000, 10, Identity::suspect);
    s.track_at(k, "t3x", 40'000, 3000, Identity::hostile);
    // H: assumed friend at t2 only.
    s.track_at(k, "th", 60'000, 10, k == 2 ? Identity::assumed_friend : Identity::hostile);
  }
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->identity.civil_declared_hostile, 2);
  EXPECT_EQ(r->identity.civil_declared_suspect, 1);
  EXPECT_EQ(r->identity.hostile_declared_friend, 1);
  EXPECT_EQ(r->identity.friend_declared_hostile, 0);
  EXPECT_EQ(r->identity.counted_pairs, 0);  // every track is younger than the 30 s grace
  EXPECT_EQ(r->siap.spurious_track_steps, 3);
}

TEST(Metrics, OffGridRowsAreExtrapolatedWithTheirVelocity) {
  // A flies east at 100 m/s: E = 100 t. Track rows at t = 0.5 and 1.5 (on the truth's line):
  // at t = 1 and 2 they are extrapolated by 0.5 s; at t = 0 there is no row in (-1, 0].
  Scene s;
  for (int k = 0; k < 3; ++k) s.truth_at(k, "A", Category::civil, 100.0 * k, 0, 100, 0);
  s.track_at(0.5, "T", 50, 0, Identity::neutral, TrackStatus::confirmed, 100, 0);
  s.track_at(1.5, "T", 150, 0, Identity::neutral, TrackStatus::confirmed, 100, 0);
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->track_states, 2);
  EXPECT_EQ(r->extrapolated_states, 2);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 2.0 / 3.0);
  EXPECT_LT(r->siap.position_accuracy_m, 0.01);  // without extrapolation it would be 50 m
  EXPECT_LT(r->siap.velocity_accuracy_mps, 0.01);  // own-ENU frames 50 m apart differ slightly
}

TEST(Metrics, ExactRowsWinAndStaleRowsExpire) {
  Scene s;
  for (int k = 0; k < 3; ++k) s.truth_at(k, "A", Category::civil, 100.0 * k, 0, 100, 0);
  // At t = 1: a row 0.5 ms late (counts as exact) beats a misplaced row at 0.9 s.
  s.track_at(0.9, "T", 1090, 0, Identity::neutral, TrackStatus::confirmed, 100, 0);
  s.track_at(1.0005, "T", 100.05, 0, Identity::neutral, TrackStatus::confirmed, 100, 0);
  // At t = 2 the latest row is 1.0005 s, more than 0.999 s old: still inside (1, 2], used.
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->track_states, 2);
  EXPECT_EQ(r->extrapolated_states, 1);
  EXPECT_LT(r->siap.position_accuracy_m, 0.01);

  // A row exactly 1 s old is outside (t - 1, t]; a tentative row does not count at all.
  Scene stale;
  stale.truth_at(0, "A", Category::civil, 0, 0);
  stale.truth_at(1, "A", Category::civil, 0, 0);
  stale.truth_at(2, "A", Category::civil, 0, 0);
  stale.track_at(0, "T", 0, 0);
  stale.track_at(1.8, "T", 500, 0, Identity::neutral, TrackStatus::tentative);
  const auto r2 = stale.run();
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->track_states, 1);
  EXPECT_EQ(r2->counted_track_rows, 1);
  EXPECT_DOUBLE_EQ(r2->siap.completeness, 1.0 / 3.0);

  // A narrower extrapolation window drops the off-grid state.
  MetricsParams narrow;
  narrow.extrapolation_window_s = 0.4;
  const auto r3 = s.run(narrow);
  ASSERT_TRUE(r3.has_value());
  EXPECT_EQ(r3->track_states, 1);
}

TEST(Metrics, CoverageRestrictsTheCompletenessDenominator) {
  Scene s;
  for (int k = 0; k < 5; ++k) {
    s.truth_at(k, "A", Category::civil, 0, 0);
    s.truth_at(k, "B", Category::civil, 30'000, 0);
    s.track_at(k, "T", 0, 10);
  }
  const std::string det =
      "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,"
      "sigma_elevation_deg,lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n"
      "0,R,radar,1,1,1,1,1,1,,,,,,,\n0,R,radar,1,1,1,1,1,1,,,,,,,\n2,R,radar,1,1,1,1,1,1,,,,,,,\n";
  // A: two detections at t = 0 -> covered on [0, 30]. B: one detection -> never covered.
  const auto cov = parse_coverage(det, "detections.csv", "row,truth_id\n1,A\n2,A\n3,B\n", "detections_truth.csv",
                                  s.truth, MetricsParams{});
  ASSERT_TRUE(cov.has_value()) << cov.error().to_string();
  const auto r = s.run(MetricsParams{}, &*cov);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->has_coverage);
  EXPECT_DOUBLE_EQ(r->siap.completeness, 0.5);
  EXPECT_EQ(r->siap.covered_truth_steps, 5);
  EXPECT_DOUBLE_EQ(r->siap.completeness_in_coverage, 1.0);

  // A coverage built for another truth table is refused.
  Coverage other = *cov;
  other.intervals.pop_back();
  const auto bad = s.run(MetricsParams{}, &other);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
}

TEST(Metrics, AveragesArePerStepMeansOfTheSetDistances) {
  RngStream rng = Rng(11).stream("test/metrics/averaging");
  Scene s;
  std::vector<std::vector<Eigen::Vector3d>> truth_pos(6), track_pos(6);
  for (int k = 0; k < 6; ++k) {
    for (int i = 0; i < 4; ++i) s.truth_at(k, "T" + std::to_string(i), Category::civil, rng.uniform(0, 3000),
                                           rng.uniform(0, 3000));
    const int n = static_cast<int>(rng.below(6));
    for (int i = 0; i < n; ++i) s.track_at(k, "K" + std::to_string(i), rng.uniform(0, 3000), rng.uniform(0, 3000));
  }
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  for (const TruthRow& row : s.truth.rows) {
    truth_pos[static_cast<std::size_t>(row.time_s)].push_back(
        ecef_from_geodetic({row.lat_deg, row.lon_deg, row.alt_m}).vec());
  }
  for (const TrackRow& row : s.tracks.rows) {
    track_pos[static_cast<std::size_t>(row.time_s)].push_back(
        ecef_from_geodetic({row.lat_deg, row.lon_deg, row.alt_m}).vec());
  }
  double ospa = 0.0, gospa = 0.0, loc = 0.0;
  for (int k = 0; k < 6; ++k) {
    const SetDistance d = set_distance(truth_pos[k], track_pos[k], 2000.0, 2.0);
    ospa += d.ospa_m / 6.0;
    gospa += d.gospa_m / 6.0;
    loc += d.gospa_localisation / 6.0;
  }
  EXPECT_NEAR(r->ospa_m, ospa, 1e-9 * ospa);
  EXPECT_NEAR(r->gospa.mean_m, gospa, 1e-9 * gospa);
  EXPECT_NEAR(r->gospa.localisation, loc, 1e-6 * std::max(1.0, loc));
  EXPECT_NEAR(r->gospa.mean_pow_p, r->gospa.localisation + r->gospa.missed + r->gospa.false_part,
              1e-9 * r->gospa.mean_pow_p);
  EXPECT_EQ(r->scored_steps, 6);
}

TEST(Metrics, EmptyInputsGiveUndefinedRatios) {
  const auto r = compute_metrics(TruthTable{}, TrackTable{}, MetricsParams{}, nullptr);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->time_steps, 0);
  EXPECT_TRUE(std::isnan(r->ospa_m));
  EXPECT_TRUE(std::isnan(r->siap.completeness));
  EXPECT_TRUE(std::isnan(r->identity.correct_fraction));
}

TEST(Metrics, InvalidParametersAreRefusedByName) {
  Scene s;
  s.truth_at(0, "A", Category::civil, 0, 0);
  auto with = [](auto change) {
    MetricsParams p;
    change(p);
    return p;
  };
  const struct {
    MetricsParams p;
    const char* name;
  } cases[] = {
      {with([](MetricsParams& p) { p.cutoff_m = 0.0; }), "cutoff_m"},
      {with([](MetricsParams& p) { p.order_p = 0.5; }), "order_p"},
      {with([](MetricsParams& p) { p.association_threshold_m = -1.0; }), "association_threshold_m"},
      {with([](MetricsParams& p) { p.identity_grace_s = std::nan(""); }), "identity_grace_s"},
      {with([](MetricsParams& p) { p.coverage_min_detections = 0; }), "coverage_min_detections"},
      {with([](MetricsParams& p) { p.extrapolation_window_s = 0.0; }), "extrapolation_window_s"},
  };
  for (const auto& c : cases) {
    const auto r = s.run(c.p);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().where.path, c.name);
  }
}

TEST(Metrics, ScalesToThousandsOfObjects) {
  // 2000 truths 10 km apart, each with a track 50 m away, for 3 steps.
  Scene s;
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < 2000; ++i) {
      const double e = 10'000.0 * (i % 45) - 220'000.0, n = 10'000.0 * (i / 45) - 220'000.0;
      s.truth_at(k, "T" + std::to_string(i), Category::civil, e, n);
      s.track_at(k, "K" + std::to_string(i), e + 30, n + 40);
    }
  }
  const auto r = s.run();
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_DOUBLE_EQ(r->siap.completeness, 1.0);
  EXPECT_DOUBLE_EQ(r->siap.ambiguity, 1.0);
  EXPECT_NEAR(r->ospa_m, 50.0, 0.01);
  EXPECT_NEAR(r->siap.position_accuracy_m, 50.0, 0.01);
}

}  // namespace
}  // namespace jrads::metrics
