#include "jrads/metrics/set_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/assignment.hpp"
#include "jrads/core/rng.hpp"

namespace jrads::metrics {
namespace {

using Points = std::vector<Eigen::Vector3d>;

bool near(double a, double b, double rel = 1e-9) { return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)}); }

TEST(MetricsSetDistance, EmptySetsAreZero) {
  const SetDistance d = set_distance(Points{}, Points{}, 100.0, 2.0);
  EXPECT_EQ(d.ospa_m, 0.0);
  EXPECT_EQ(d.gospa_m, 0.0);
  EXPECT_EQ(d.gospa_localisation + d.gospa_missed + d.gospa_false, 0.0);
  EXPECT_EQ(d.assigned + d.missed + d.false_tracks, 0);
}

TEST(MetricsSetDistance, OneSideEmptySaturatesAtTheCutoff) {
  const double c = 100.0;
  // Two truths, no tracks: OSPA = c; GOSPA^2 = 2 * c^2 / 2, all of it missed.
  const SetDistance d = set_distance(Points{{0, 0, 0}, {5, 0, 0}}, Points{}, c, 2.0);
  EXPECT_DOUBLE_EQ(d.ospa_m, c);
  EXPECT_DOUBLE_EQ(d.gospa_missed, c * c);
  EXPECT_EQ(d.gospa_false, 0.0);
  EXPECT_EQ(d.gospa_localisation, 0.0);
  EXPECT_DOUBLE_EQ(d.gospa_m, c);
  EXPECT_EQ(d.missed, 2);
  // One track, no truths, p = 3: GOSPA^3 = c^3 / 2, all of it false.
  const SetDistance f = set_distance(Points{}, Points{{1, 2, 3}}, c, 3.0);
  EXPECT_DOUBLE_EQ(f.ospa_m, c);
  EXPECT_DOUBLE_EQ(f.gospa_false, c * c * c / 2.0);
  EXPECT_NEAR(f.gospa_m, c / std::cbrt(2.0), 1e-9);
  EXPECT_EQ(f.false_tracks, 1);
}

TEST(MetricsSetDistance, HandComputedTwoTruthsOneTrack) {
  // Track 5 m from the first truth (a 3-4-5 triangle); the second truth is missed.
  const double c = 50.0;
  const SetDistance d = set_distance(Points{{0, 0, 0}, {100, 0, 0}}, Points{{3, 4, 0}}, c, 2.0);
  EXPECT_DOUBLE_EQ(d.gospa_localisation, 25.0);
  EXPECT_DOUBLE_EQ(d.gospa_missed, c * c / 2.0);
  EXPECT_EQ(d.gospa_false, 0.0);
  EXPECT_DOUBLE_EQ(d.gospa_m, std::sqrt(25.0 + c * c / 2.0));
  // OSPA: (5^2 + c^2 * |2 - 1|) / max(2, 1).
  EXPECT_DOUBLE_EQ(d.ospa_m, std::sqrt((25.0 + c * c) / 2.0));
  EXPECT_EQ(d.truth_to_track, (std::vector<int>{0, -1}));
}

TEST(MetricsSetDistance, PairBeyondTheCutoffIsOneMissedAndOneFalse) {
  const double c = 50.0;
  const SetDistance d = set_distance(Points{{0, 0, 0}}, Points{{60, 0, 0}}, c, 2.0);
  EXPECT_EQ(d.assigned, 0);
  EXPECT_EQ(d.gospa_localisation, 0.0);
  EXPECT_DOUBLE_EQ(d.gospa_missed, c * c / 2.0);
  EXPECT_DOUBLE_EQ(d.gospa_false, c * c / 2.0);
  EXPECT_DOUBLE_EQ(d.gospa_m, c);
  EXPECT_DOUBLE_EQ(d.ospa_m, c);
  EXPECT_EQ(d.truth_to_track, (std::vector<int>{-1}));
}

TEST(MetricsSetDistance, OptimalNotGreedyAssignment) {
  // On a line: truths at 0 and 4, tracks at 3 and 8. Greedy (closest pair first: 4-3) costs
  // 1 + 64; the optimum pairs 0-3 and 4-8 for 9 + 16 = 25.
  const SetDistance d = set_distance(Points{{0, 0, 0}, {4, 0, 0}}, Points{{3, 0, 0}, {8, 0, 0}}, 100.0, 2.0);
  EXPECT_DOUBLE_EQ(d.gospa_localisation, 25.0);
  EXPECT_DOUBLE_EQ(d.ospa_m, std::sqrt(25.0 / 2.0));
  EXPECT_DOUBLE_EQ(d.gospa_m, 5.0);
  EXPECT_EQ(d.truth_to_track, (std::vector<int>{0, 1}));
}

TEST(MetricsSetDistance, OrderOneIsAMeanDistance) {
  // p = 1, c = 10: pairs at distance 2 and 4, one extra track: OSPA = (2 + 4 + 10) / 3.
  const SetDistance d =
      set_distance(Points{{0, 0, 0}, {100, 0, 0}}, Points{{0, 2, 0}, {100, 0, 4}, {500, 0, 0}}, 10.0, 1.0);
  EXPECT_DOUBLE_EQ(d.ospa_m, 16.0 / 3.0);
  EXPECT_DOUBLE_EQ(d.gospa_m, 2.0 + 4.0 + 5.0);
  EXPECT_DOUBLE_EQ(d.gospa_false, 5.0);
}

// Brute force straight from the definitions.
struct Brute {
  const Points& x;
  const Points& y;
  double c, p;
  std::vector<bool> used = std::vector<bool>(y.size(), false);
  double best_gospa = std::numeric_limits<double>::infinity();

  [[nodiscard]] double dc(std::size_t i, std::size_t j) const { return std::min((x[i] - y[j]).norm(), c); }
  // GOSPA^p: every partial assignment, any pair allowed.
  void gospa(std::size_t i, double sum, int pairs) {
    if (i == x.size()) {
      const double total = sum + std::pow(c, p) / 2.0 * static_cast<double>(x.size() + y.size() - 2 * pairs);
      best_gospa = std::min(best_gospa, total);
      return;
    }
    gospa(i + 1, sum, pairs);  // x_i unassigned
    for (std::size_t j = 0; j < y.size(); ++j) {
      if (used[j]) continue;
      used[j] = true;
      gospa(i + 1, sum + std::pow(dc(i, j), p), pairs + 1);
      used[j] = false;
    }
  }
};

// OSPA: every full matching of the smaller set into the larger one.
double brute_ospa(const Points& x, const Points& y, double c, double p) {
  if (x.empty() && y.empty()) return 0.0;
  const Points& small = x.size() <= y.size() ? x : y;
  const Points& big = x.size() <= y.size() ? y : x;
  std::vector<bool> used(big.size(), false);
  double best = std::numeric_limits<double>::infinity();
  auto search = [&](auto&& self, std::size_t i, double sum) -> void {
    if (i == small.size()) {
      best = std::min(best, sum);
      return;
    }
    for (std::size_t j = 0; j < big.size(); ++j) {
      if (used[j]) continue;
      used[j] = true;
      self(self, i + 1, sum + std::pow(std::min((small[i] - big[j]).norm(), c), p));
      used[j] = false;
    }
  };
  search(search, 0, 0.0);
  const double n = static_cast<double>(big.size());
  return std::pow((best + std::pow(c, p) * (n - static_cast<double>(small.size()))) / n, 1.0 / p);
}

Points random_points(RngStream& rng, int n, double box, bool clustered) {
  Points out;
  const Eigen::Vector3d centre(rng.uniform(0, box), rng.uniform(0, box), rng.uniform(0, box));
  for (int i = 0; i < n; ++i) {
    if (clustered && i % 2 == 1) {
      out.push_back(centre + Eigen::Vector3d(rng.normal(), rng.normal(), rng.normal()) * (box / 20.0));
    } else {
      out.emplace_back(rng.uniform(0, box), rng.uniform(0, box), rng.uniform(0, box));
    }
  }
  return out;
}

// The parts must be consistent with the assignment that the result reports.
::testing::AssertionResult consistent(const Points& x, const Points& y, double c, double p, const SetDistance& d) {
  std::vector<bool> used(y.size(), false);
  double loc = 0.0;
  int pairs = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const int j = d.truth_to_track[i];
    if (j < 0) continue;
    if (used[static_cast<std::size_t>(j)]) return ::testing::AssertionFailure() << "track " << j << " used twice";
    used[static_cast<std::size_t>(j)] = true;
    const double dist = (x[i] - y[static_cast<std::size_t>(j)]).norm();
    if (!(dist < c)) return ::testing::AssertionFailure() << "pair at " << dist << " >= c";
    loc += std::pow(dist, p);
    ++pairs;
  }
  const double half = std::pow(c, p) / 2.0;
  if (pairs != d.assigned || d.missed != static_cast<int>(x.size()) - pairs ||
      d.false_tracks != static_cast<int>(y.size()) - pairs) {
    return ::testing::AssertionFailure() << "counts disagree";
  }
  if (!near(loc, d.gospa_localisation) || !near(d.gospa_missed, half * d.missed) ||
      !near(d.gospa_false, half * d.false_tracks)) {
    return ::testing::AssertionFailure() << "parts disagree with the assignment";
  }
  if (!near(std::pow(d.gospa_m, p), d.gospa_localisation + d.gospa_missed + d.gospa_false, 1e-8)) {
    return ::testing::AssertionFailure() << "GOSPA^p != localisation + missed + false";
  }
  return ::testing::AssertionSuccess();
}

TEST(MetricsSetDistance, MatchesBruteForceOnSmallRandomSets) {
  RngStream rng = Rng(2017).stream("test/metrics/gospa-brute");
  for (int trial = 0; trial < 400; ++trial) {
    const int m = static_cast<int>(rng.below(6));
    const int n = static_cast<int>(rng.below(6));
    const double c = rng.bernoulli(0.5) ? 10.0 : 100.0;
    const double p = std::array<double, 3>{1.0, 2.0, 3.5}[rng.below(3)];
    const bool clustered = rng.bernoulli(0.5);
    const Points x = random_points(rng, m, 3.0 * c, clustered);
    const Points y = random_points(rng, n, 3.0 * c, clustered);
    const SetDistance d = set_distance(x, y, c, p);
    Brute brute{x, y, c, p};
    brute.gospa(0, 0.0, 0);
    SCOPED_TRACE(::testing::Message() << "trial " << trial << " m=" << m << " n=" << n << " c=" << c << " p=" << p);
    EXPECT_TRUE(near(std::pow(d.gospa_m, p), brute.best_gospa, 1e-8)) << d.gospa_m << " vs " << brute.best_gospa;
    EXPECT_TRUE(near(d.ospa_m, brute_ospa(x, y, c, p), 1e-8));
    EXPECT_LE(d.ospa_m, c * (1 + 1e-12));
    EXPECT_TRUE(consistent(x, y, c, p, d));
  }
}

TEST(MetricsSetDistance, ComponentsAgreeWithOneDenseAssignment) {
  // Moderately clustered sets form several overlapping components; the dense problem with
  // cost min(d, c)^p over all pairs must give the same optimum.
  RngStream rng = Rng(7).stream("test/metrics/gospa-dense");
  for (int trial = 0; trial < 20; ++trial) {
    const int m = 20 + static_cast<int>(rng.below(40));
    const int n = 20 + static_cast<int>(rng.below(40));
    const double c = 100.0, p = 2.0;
    const Points x = random_points(rng, m, 1000.0, true);
    const Points y = random_points(rng, n, 1000.0, true);
    std::vector<double> cost;
    for (const auto& a : x) {
      for (const auto& b : y) cost.push_back(std::pow(std::min((a - b).norm(), c), p));
    }
    const auto dense = solve_assignment(cost, m, n);
    ASSERT_TRUE(dense.has_value());
    const double want = dense->total_cost + std::pow(c, p) / 2.0 * std::abs(m - n);
    const SetDistance d = set_distance(x, y, c, p);
    EXPECT_TRUE(near(std::pow(d.gospa_m, p), want, 1e-8)) << "trial " << trial;
    EXPECT_TRUE(consistent(x, y, c, p, d));
  }
}

TEST(MetricsSetDistance, ThousandsOfWellSeparatedObjectsStaySparse) {
  // 2000 truths 10 km apart, each with a track 50 m away (a 30-40 offset), listed in another
  // order: every truth is its own component, so this is linear rather than a 2000^3 solve.
  Points x, y;
  for (int i = 0; i < 2000; ++i) x.emplace_back(10'000.0 * (i % 45), 10'000.0 * (i / 45), 6.4e6);
  for (int i = 1999; i >= 0; --i) y.push_back(x[static_cast<std::size_t>(i)] + Eigen::Vector3d(30, 40, 0));
  const SetDistance d = set_distance(x, y, 2000.0, 2.0);
  EXPECT_EQ(d.assigned, 2000);
  EXPECT_EQ(d.components, 2000);
  EXPECT_NEAR(d.ospa_m, 50.0, 1e-9);
  EXPECT_NEAR(d.gospa_localisation, 2000 * 2500.0, 1e-3);
  EXPECT_EQ(d.truth_to_track[0], 1999);
  EXPECT_EQ(d.truth_to_track[1999], 0);
}

}  // namespace
}  // namespace jrads::metrics
