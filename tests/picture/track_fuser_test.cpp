#include "jrads/picture/track_fuser.hpp"

#include <cmath>
#include <map>
#include <set>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "picture/random_state.hpp"

namespace jrads::picture {
namespace {

const Geodetic kOrigin{44.0, 20.0, 0.0};

Matrix6d random_cov(RngStream& rng) { return test::random_spd(rng).topLeftCorner<6, 6>(); }

Vector6d draw(RngStream& rng, const Matrix6d& p) {
  Vector6d z;
  for (int i = 0; i < 6; ++i) z(i) = rng.normal();
  return Matrix6d(p.llt().matrixL()) * z;
}

TEST(CovarianceIntersection, FusingAnEstimateWithItselfGivesItBack) {
  RngStream rng = Rng(1).stream("ci/self");
  for (int trial = 0; trial < 20; ++trial) {
    Estimate6 a;
    a.P = random_cov(rng);
    a.x = draw(rng, a.P);
    const Estimate6 f = covariance_intersection(a, a);
    // A Kalman update treating them as independent would halve P: information counted twice.
    EXPECT_LT((f.P - a.P).norm(), 1e-6 * a.P.norm()) << trial;
    EXPECT_LT((f.x - a.x).norm(), 1e-6 * (1.0 + a.x.norm())) << trial;
  }
}

TEST(CovarianceIntersection, MinimisesTheDeterminantOverEveryWeight) {
  RngStream rng = Rng(2).stream("ci/optimum");
  for (int trial = 0; trial < 20; ++trial) {
    Estimate6 a, b;
    a.P = random_cov(rng);
    b.P = random_cov(rng);
    a.x = draw(rng, a.P);
    b.x = draw(rng, b.P);
    const double fused = covariance_intersection(a, b).P.determinant();
    const Matrix6d ya = a.P.inverse(), yb = b.P.inverse();
    for (int k = 0; k <= 100; ++k) {
      const double w = k / 100.0;
      const double det = (w * ya + (1.0 - w) * yb).inverse().determinant();
      EXPECT_LE(fused, det * (1.0 + 1e-6)) << "trial " << trial << " w " << w;
    }
  }
}

TEST(CovarianceIntersection, TakesTheBetterEstimateWhenTheOtherAddsNothing) {
  Estimate6 good, poor;
  good.P = Matrix6d::Identity();
  poor.P = 100.0 * Matrix6d::Identity();
  good.x.setConstant(1.0);
  poor.x.setConstant(-5.0);
  const Estimate6 f = covariance_intersection(good, poor);
  EXPECT_LT((f.P - good.P).norm(), 1e-9);
  EXPECT_LT((f.x - good.x).norm(), 1e-9);
}

// Two nodes' estimates sharing most of their error (the same radar reported to both): fused
// as independent they are overconfident; covariance intersection stays consistent.
TEST(CovarianceIntersection, StaysConsistentWhenErrorsAreCorrelated) {
  RngStream rng = Rng(3).stream("ci/correlated");
  const Matrix6d shared = 0.9 * Matrix6d::Identity(), own_a = 0.1 * Matrix6d::Identity();
  Matrix6d own_b = 0.1 * Matrix6d::Identity();
  own_b(0, 0) = 0.6;
  double nees_ci = 0.0, nees_naive = 0.0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const Vector6d common = draw(rng, shared);
    Estimate6 a, b;
    a.P = shared + own_a;
    b.P = shared + own_b;
    a.x = common + draw(rng, own_a);
    b.x = common + draw(rng, own_b);
    const Estimate6 ci = covariance_intersection(a, b);
    nees_ci += ci.x.dot(ci.P.llt().solve(ci.x));
    const Matrix6d p_naive = (a.P.inverse() + b.P.inverse()).inverse();
    const Vector6d x_naive = p_naive * (a.P.llt().solve(a.x) + b.P.llt().solve(b.x));
    nees_naive += x_naive.dot(p_naive.llt().solve(x_naive));
  }
  // Consistent: mean NEES at most the dimension (6); the naive fusion's is far above it.
  EXPECT_LT(nees_ci / n, 6.3);
  EXPECT_GT(nees_naive / n, 9.0);
}

TEST(DistanceD2, IsTheChiSquareOfTheDifference) {
  Estimate6 a, b;
  a.P = Matrix6d::Identity();
  b.P = 3.0 * Matrix6d::Identity();
  b.x(0) = 4.0;  // variance of the difference: 4, so d2 = 16 / 4
  EXPECT_DOUBLE_EQ(distance_d2(a, b), 4.0);
}

// --- the fuser ---------------------------------------------------------------------------

const LocalFrame kFrame{kOrigin};

TrackRow row_at(double t_s, std::uint32_t number, const Eigen::Vector3d& pos_enu, const Eigen::Vector3d& vel_enu,
                double sigma_m = 100.0, double sigma_v = 10.0) {
  TrackRow r;
  r.time = SimTime::from_s(t_s);
  r.track_number = number;
  r.status = TrackStatus::confirmed;
  r.identity = Identity::unknown;
  r.pos = kFrame.geodetic_from_enu(Enu::from(pos_enu));
  r.vel_enu = vel_enu;  // the region is small: local and region axes nearly agree
  r.cov = Matrix6d::Zero();
  r.cov.diagonal() << sigma_m * sigma_m, sigma_m * sigma_m, sigma_m * sigma_m, sigma_v * sigma_v, sigma_v * sigma_v,
      sigma_v * sigma_v;
  r.sigma_pos_m = sigma_m * std::sqrt(3.0);
  r.sigma_vel_mps = sigma_v * std::sqrt(3.0);
  r.label.categories = 1;
  return r;
}

struct Aircraft {
  Eigen::Vector3d pos0, vel;
  Eigen::Vector3d at(double t) const { return pos0 + t * vel; }
};

std::vector<Aircraft> scatter(RngStream& rng, int n, double half_width_m) {
  std::vector<Aircraft> out;
  for (int i = 0; i < n; ++i) {
    const double heading = rng.uniform(0.0, 6.283185307179586);
    const double speed = rng.uniform(100.0, 300.0);
    out.push_back({{rng.uniform(-half_width_m, half_width_m), rng.uniform(-half_width_m, half_width_m),
                    rng.uniform(1000.0, 11000.0)},
                   {speed * std::sin(heading), speed * std::cos(heading), 0.0}});
  }
  return out;
}

// Each source reports each aircraft it sees with its own number and noise of its sigma.
void report(TrackFuser& fuser, RngStream& rng, std::uint32_t source, double t, const std::vector<Aircraft>& air,
            const std::vector<int>& seen, std::uint32_t first_number = 1) {
  for (int i : seen) {
    const Aircraft& a = air[static_cast<std::size_t>(i)];
    const Eigen::Vector3d noise(rng.normal(0, 100), rng.normal(0, 100), rng.normal(0, 100));
    const Eigen::Vector3d vnoise(rng.normal(0, 10), rng.normal(0, 10), rng.normal(0, 10));
    fuser.add(source, row_at(t, first_number + static_cast<std::uint32_t>(i), a.at(t) + noise, a.vel + vnoise));
  }
}

std::vector<int> all_of(const std::vector<Aircraft>& air) {
  std::vector<int> v(air.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int>(i);
  return v;
}

TEST(TrackFuser, JoinsTheSourcesTracksOfEachAircraftUnderStableNumbers) {
  RngStream rng = Rng(10).stream("fuser/dense");
  const std::vector<Aircraft> air = scatter(rng, 300, 150000.0);
  TrackFuser fuser(kOrigin, FusionParams{});
  std::map<std::uint32_t, std::uint32_t> regional_of_aircraft;  // first seen
  for (int t = 0; t < 30; ++t) {
    report(fuser, rng, 0, t, air, all_of(air), 1);
    report(fuser, rng, 1, t, air, all_of(air), 5001);
    const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(t));
    ASSERT_EQ(rows.size(), air.size()) << "t " << t;
    for (std::size_t i = 0; i < air.size(); ++i) {
      const auto n = static_cast<std::uint32_t>(i);
      const std::uint32_t r0 = fuser.regional_of(0, 1 + n), r1 = fuser.regional_of(1, 5001 + n);
      ASSERT_NE(r0, 0u);
      ASSERT_EQ(r0, r1) << "aircraft " << i << " t " << t;
      auto [it, fresh] = regional_of_aircraft.emplace(n, r0);
      ASSERT_EQ(it->second, r0) << "aircraft " << i << " renumbered at t " << t;
    }
  }
  EXPECT_EQ(fuser.stats().regional_started, air.size());
  EXPECT_EQ(fuser.stats().merges, 0u);
  EXPECT_EQ(fuser.stats().splits, 0u);
}

TEST(TrackFuser, FusedEstimateIsNearTruthAndNoMoreConfidentThanItsSources) {
  RngStream rng = Rng(11).stream("fuser/accuracy");
  const std::vector<Aircraft> air = scatter(rng, 50, 100000.0);
  TrackFuser fuser(kOrigin, FusionParams{});
  double err2 = 0.0;
  int n = 0;
  for (int t = 0; t < 5; ++t) {
    report(fuser, rng, 0, t, air, all_of(air), 1);
    report(fuser, rng, 1, t, air, all_of(air), 1001);
    for (const TrackRow& row : fuser.fuse(SimTime::from_s(t))) {
      const std::vector<FusedMember> m = fuser.members(row.track_number);
      ASSERT_EQ(m.size(), 2u);
      const Aircraft& a = air[m[0].track_number - 1];
      err2 += (kFrame.enu_from_geodetic(row.pos).vec() - a.at(t)).squaredNorm();
      ++n;
      // Covariance intersection never claims more than the sum of the sources' information.
      EXPECT_GE(row.sigma_pos_m, 100.0 * std::sqrt(3.0) / std::sqrt(2.0) - 1e-6);
      EXPECT_LE(row.sigma_pos_m, 100.0 * std::sqrt(3.0) + 1e-6);
    }
  }
  // Each source's error is 173 m (3-D rms); the fused one no larger.
  EXPECT_LT(std::sqrt(err2 / n), 175.0);
}

TEST(TrackFuser, KeepsATrackSeenByOneSourceOnly) {
  RngStream rng = Rng(12).stream("fuser/single");
  const std::vector<Aircraft> air = scatter(rng, 10, 100000.0);
  TrackFuser fuser(kOrigin, FusionParams{});
  for (int t = 0; t < 5; ++t) {
    report(fuser, rng, 0, t, air, {0, 1, 2, 3, 4}, 1);
    report(fuser, rng, 1, t, air, {5, 6, 7, 8, 9}, 1);  // the same national numbers: another source
    EXPECT_EQ(fuser.fuse(SimTime::from_s(t)).size(), 10u);
  }
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(fuser.members(fuser.regional_of(0, 1 + i)).size(), 1u);
}

TEST(TrackFuser, HoldsACutOffSourcesTracksAndRebindsThemByNumber) {
  RngStream rng = Rng(13).stream("fuser/link");
  const std::vector<Aircraft> air = scatter(rng, 20, 100000.0);
  TrackFuser fuser(kOrigin, FusionParams{});
  const std::vector<int> only_b = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
  std::map<std::uint32_t, std::uint32_t> before;
  for (int t = 0; t < 10; ++t) {
    report(fuser, rng, 0, t, air, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
    report(fuser, rng, 1, t, air, all_of(air), 101);
    (void)fuser.fuse(SimTime::from_s(t));
  }
  for (int i : only_b) before[static_cast<std::uint32_t>(i)] = fuser.regional_of(1, 101 + static_cast<std::uint32_t>(i));
  const std::uint64_t started = fuser.stats().regional_started;
  fuser.set_source_up(1, false);
  for (int t = 10; t < 40; ++t) {  // 30 s cut: longer than stale_s, shorter than hold_s
    report(fuser, rng, 0, t, air, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
    const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(t));
    ASSERT_EQ(rows.size(), 20u) << "t " << t;
    for (const TrackRow& row : rows) {
      const bool b_only = fuser.members(row.track_number).size() == 1 && fuser.members(row.track_number)[0].source == 1;
      EXPECT_EQ(row.status, b_only ? TrackStatus::coasting : TrackStatus::confirmed) << row.track_number;
    }
  }
  fuser.set_source_up(1, true);
  for (int t = 40; t < 45; ++t) {
    report(fuser, rng, 0, t, air, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
    report(fuser, rng, 1, t, air, all_of(air), 101);
    EXPECT_EQ(fuser.fuse(SimTime::from_s(t)).size(), 20u) << "t " << t;
  }
  for (int i : only_b)
    EXPECT_EQ(fuser.regional_of(1, 101 + static_cast<std::uint32_t>(i)), before[static_cast<std::uint32_t>(i)]);
  EXPECT_EQ(fuser.stats().regional_started, started);
  EXPECT_EQ(fuser.stats().dropped, 0u);
  EXPECT_EQ(fuser.tracks_of(0), 10u);
  EXPECT_EQ(fuser.tracks_of(1), 20u);  // as many as it reports: none lost, none twice
  EXPECT_EQ(fuser.tracks_of(2), 0u);
  const auto bound = fuser.bindings(1);
  ASSERT_EQ(bound.size(), 20u);
  for (const auto& [national, regional] : bound) EXPECT_EQ(fuser.regional_of(1, national), regional);
  for (int i : only_b) EXPECT_EQ(bound[static_cast<std::size_t>(i)].second, before[static_cast<std::uint32_t>(i)]);
}

// While a source's link is down its track is a prediction from before the loss. The aircraft
// turns meanwhile: the live source's track no longer agrees with the held one, but neither
// leaves the regional track (a held member neither judges nor is judged), so when the link is
// back the aircraft keeps its regional number.
TEST(TrackFuser, ACutOffSourcesHeldTrackIsNotSplitOffWhileTheAircraftManoeuvres) {
  TrackFuser fuser(kOrigin, FusionParams{});
  const Eigen::Vector3d east(200, 0, 0), north(0, 200, 0);
  Eigen::Vector3d pos(0, 0, 8000);
  for (int t = 0; t < 10; ++t, pos += east) {
    fuser.add(0, row_at(t, 7, pos, east));
    fuser.add(1, row_at(t, 9, pos, east));
    (void)fuser.fuse(SimTime::from_s(t));
  }
  const std::uint32_t number = fuser.regional_of(1, 9);
  ASSERT_NE(number, 0u);
  ASSERT_EQ(fuser.regional_of(0, 7), number);
  fuser.set_source_up(1, false);
  for (int t = 10; t < 40; ++t, pos += north) {  // a turn to the north the held track cannot know of
    fuser.add(0, row_at(t, 7, pos, north));
    (void)fuser.fuse(SimTime::from_s(t));
    EXPECT_EQ(fuser.regional_of(1, 9), number) << "t " << t;
    EXPECT_EQ(fuser.regional_of(0, 7), number) << "t " << t;
  }
  fuser.set_source_up(1, true);
  for (int t = 40; t < 45; ++t, pos += north) {
    fuser.add(0, row_at(t, 7, pos, north));
    fuser.add(1, row_at(t, 9, pos, north));
    EXPECT_EQ(fuser.fuse(SimTime::from_s(t)).size(), 1u) << "t " << t;
  }
  EXPECT_EQ(fuser.regional_of(1, 9), number);
  EXPECT_EQ(fuser.regional_of(0, 7), number);
  EXPECT_EQ(fuser.stats().splits, 0u);
}

// A node restarts: its new tracker numbers the same aircraft afresh. Each new track takes over
// the orphan of its old one, so no regional track is lost and none is duplicated.
TEST(TrackFuser, ARestartedSourcesNewTracksKeepTheRegionalNumbers) {
  RngStream rng = Rng(15).stream("fuser/restart");
  const std::vector<Aircraft> air = scatter(rng, 20, 100000.0);
  TrackFuser fuser(kOrigin, FusionParams{});
  const std::vector<int> shared = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  for (int t = 0; t < 10; ++t) {
    report(fuser, rng, 0, t, air, shared, 1);
    report(fuser, rng, 1, t, air, all_of(air), 101);
    (void)fuser.fuse(SimTime::from_s(t));
  }
  std::map<int, std::uint32_t> before;
  for (int i = 0; i < 20; ++i) before[i] = fuser.regional_of(1, 101 + static_cast<std::uint32_t>(i));
  const std::uint64_t started = fuser.stats().regional_started;
  fuser.set_source_up(1, false);
  for (int t = 10; t < 15; ++t) {  // 5 s down, then back as a new process
    report(fuser, rng, 0, t, air, shared, 1);
    EXPECT_EQ(fuser.fuse(SimTime::from_s(t)).size(), 20u);
  }
  EXPECT_EQ(fuser.tracks_of(1), 20u);
  fuser.restart_source(1);
  EXPECT_EQ(fuser.tracks_of(1), 0u);  // orphans now: not the new process's
  fuser.set_source_up(1, true);
  for (int t = 15; t < 25; ++t) {
    report(fuser, rng, 0, t, air, shared, 1);
    report(fuser, rng, 1, t, air, all_of(air), 5001);  // new numbers
    EXPECT_EQ(fuser.fuse(SimTime::from_s(t)).size(), 20u) << "t " << t;
  }
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t now = fuser.regional_of(1, 5001 + static_cast<std::uint32_t>(i));
    EXPECT_EQ(now, before[i]) << "aircraft " << i;
    for (const FusedMember& m : fuser.members(now)) EXPECT_LT(m.source, kOrphanBit) << "an orphan is left";
  }
  EXPECT_EQ(fuser.stats().regional_started, started);
  EXPECT_EQ(fuser.stats().resynced, 20u);
}

TEST(TrackFuser, DropsATrackItsSourceStoppedReporting) {
  TrackFuser fuser(kOrigin, FusionParams{});
  const Eigen::Vector3d v(200, 0, 0);
  for (int t = 0; t <= 10; ++t) {
    if (t <= 4) fuser.add(0, row_at(t, 7, Eigen::Vector3d(t * 200.0, 0, 5000), v));
    const std::size_t n = fuser.fuse(SimTime::from_s(t)).size();
    EXPECT_EQ(n, t <= 7 ? 1u : 0u) << "t " << t;  // last row at 4 s, stale after 3 s more
  }
  EXPECT_EQ(fuser.stats().dropped, 1u);
  EXPECT_EQ(fuser.stats().regional_ended, 1u);
}

TEST(TrackFuser, ANationalTrackThatSwitchesAircraftLeavesItsRegionalTrack) {
  TrackFuser fuser(kOrigin, FusionParams{});
  const Aircraft a{{0, 0, 5000}, {200, 0, 0}}, b{{0, 20000, 5000}, {200, 0, 0}};
  for (int t = 0; t < 12; ++t) {
    fuser.add(0, row_at(t, 1, a.at(t), a.vel));
    fuser.add(0, row_at(t, 2, b.at(t), b.vel));
    fuser.add(1, row_at(t, 9, a.at(t), a.vel));
    // From 5 s source 1's track 9 follows aircraft b (a national mis-association).
    if (t >= 5) fuser.add(1, row_at(t, 9, b.at(t), b.vel));
    (void)fuser.fuse(SimTime::from_s(t));
  }
  EXPECT_EQ(fuser.stats().splits, 1u);
  EXPECT_EQ(fuser.regional_of(1, 9), fuser.regional_of(0, 2));
  EXPECT_EQ(fuser.members(fuser.regional_of(0, 1)).size(), 1u);
}

TEST(TrackFuser, MergesTwoRegionalTracksOfOneAircraftIntoTheOlderNumber) {
  FusionParams p;
  TrackFuser fuser(kOrigin, p);
  const Aircraft a{{0, 0, 5000}, {200, 0, 0}};
  for (int t = 0; t < 10; ++t) {
    fuser.add(0, row_at(t, 1, a.at(t), a.vel));
    // Source 1 first places it 3 km off (a bias it then corrects): too far to associate.
    const Eigen::Vector3d off = t < 3 ? Eigen::Vector3d(0, 3000, 0) : Eigen::Vector3d::Zero();
    fuser.add(1, row_at(t, 4, a.at(t) + off, a.vel));
    const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(t));
    if (t < 3) {
      EXPECT_EQ(rows.size(), 2u) << "t " << t;
    }
    // Close from 3 s: merged once it has agreed at merge_checks fusions in a row.
    if (t >= 3 + p.merge_checks - 1) {
      EXPECT_EQ(rows.size(), 1u) << "t " << t;
    }
  }
  EXPECT_EQ(fuser.stats().merges, 1u);
  EXPECT_EQ(fuser.regional_of(1, 4), fuser.regional_of(0, 1));
  EXPECT_EQ(fuser.regional_of(0, 1), 1u);
}

TEST(TrackFuser, TheMostProtectiveIdentityWins) {
  const struct {
    Identity a, b, fused;
  } cases[] = {{Identity::hostile, Identity::neutral, Identity::neutral},
               {Identity::hostile, Identity::pending, Identity::hostile},
               {Identity::suspect, Identity::assumed_friend, Identity::assumed_friend},
               {Identity::unknown, Identity::hostile, Identity::hostile},
               {Identity::friend_, Identity::hostile, Identity::friend_}};
  for (const auto& c : cases) {
    TrackFuser fuser(kOrigin, FusionParams{});
    TrackRow ra = row_at(0, 1, {0, 0, 5000}, {200, 0, 0}), rb = ra;
    ra.identity = c.a;
    rb.identity = c.b;
    fuser.add(0, ra);
    fuser.add(1, rb);
    const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(0));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].identity, c.fused) << to_string(c.a) << " + " << to_string(c.b);
  }
}

TEST(TrackFuser, LabelCombinesTheMembersAndIsTheCentres) {
  TrackFuser fuser(kOrigin, FusionParams{.label_originator = 1});
  TrackRow ra = row_at(0, 1, {0, 0, 5000}, {200, 0, 0}), rb = ra;
  ra.label = {security::Level::confidential, false, 0, 0b01, 0b10};
  rb.label = {security::Level::secret, false, 1, 0b11, 0b01};
  fuser.add(0, ra);
  fuser.add(1, rb);
  const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(0));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].label, security::combine(ra.label, rb.label, 1));
  EXPECT_EQ(rows[0].label.level, security::Level::secret);
  EXPECT_EQ(rows[0].label.originator, 1);
}

TEST(TrackFuser, IgnoresTentativeRowsAndOlderRows) {
  TrackFuser fuser(kOrigin, FusionParams{});
  TrackRow tentative = row_at(0, 1, {0, 0, 5000}, {200, 0, 0});
  tentative.status = TrackStatus::tentative;
  fuser.add(0, tentative);
  EXPECT_TRUE(fuser.fuse(SimTime::from_s(0)).empty());
  fuser.add(0, row_at(5, 2, {1000, 0, 5000}, {200, 0, 0}));
  fuser.add(0, row_at(4, 2, {90000, 0, 5000}, {200, 0, 0}));  // older: ignored
  const std::vector<TrackRow> rows = fuser.fuse(SimTime::from_s(5));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(kFrame.enu_from_geodetic(rows[0].pos).e_m, 1000.0, 1.0);
}

TEST(TrackFuser, SameRowsGiveTheSamePicture) {
  const auto run = [] {
    RngStream rng = Rng(14).stream("fuser/repeat");
    const std::vector<Aircraft> air = scatter(rng, 40, 50000.0);
    TrackFuser fuser(kOrigin, FusionParams{});
    std::vector<TrackRow> last;
    for (int t = 0; t < 10; ++t) {
      report(fuser, rng, 0, t, air, all_of(air), 1);
      report(fuser, rng, 1, t, air, all_of(air), 1);
      last = fuser.fuse(SimTime::from_s(t));
    }
    return last;
  };
  const std::vector<TrackRow> a = run(), b = run();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].track_number, b[i].track_number);
    EXPECT_EQ(a[i].pos.lat_deg, b[i].pos.lat_deg);
    EXPECT_EQ(a[i].cov, b[i].cov);
  }
}

}  // namespace
}  // namespace jrads::picture
