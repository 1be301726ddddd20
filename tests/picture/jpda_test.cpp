#include "jrads/picture/jpda.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include <Eigen/Eigenvalues>
#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "picture/random_state.hpp"

namespace jrads::picture {
namespace {

struct Cluster {
  int n = 0, m = 0;
  std::vector<double> ll;  // n x m
  std::vector<double> pd;
  JpdaParams params;
};

// Log-likelihoods of a report within a 3-D chi-square gate: l = -d2/2 - log sqrt((2 pi)^3 |S|).
Cluster random_cluster(RngStream& rng, int n, int m, double p_gated) {
  Cluster c;
  c.n = n;
  c.m = m;
  c.params.gate_probability = rng.bernoulli(0.2) ? 1.0 : rng.uniform(0.9, 1.0);
  c.params.clutter_density = std::exp(rng.uniform(-14.0, -6.0));
  const double log_norm = rng.uniform(-12.0, -6.0);
  for (int i = 0; i < n; ++i) c.pd.push_back(rng.bernoulli(0.1) ? 1.0 : rng.uniform(0.5, 1.0));
  for (int k = 0; k < n * m; ++k)
    c.ll.push_back(rng.bernoulli(p_gated) ? log_norm - 0.5 * rng.uniform(0.0, 16.0) : kNotGated);
  return c;
}

JpdaMarginals marginals(const Cluster& c) {
  auto r = jpda_marginals(c.ll, c.n, c.m, c.pd, c.params);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r.has_value() ? *r : JpdaMarginals{};
}

// Brute force: every map track -> {missed, report 0..m-1} as a mixed-radix counter, kept when no
// report is used twice; weights in linear space relative to a fixed scale.
struct Brute {
  std::vector<double> beta, beta0;
  std::int64_t feasible = 0;
  double total = 0.0;
};
Brute brute_force(const Cluster& c) {
  Brute b;
  b.beta.assign(static_cast<std::size_t>(c.n * c.m), 0.0);
  b.beta0.assign(static_cast<std::size_t>(c.n), 0.0);
  std::vector<int> a(static_cast<std::size_t>(c.n), -1);
  const double pg = c.params.gate_probability, lambda = c.params.clutter_density;
  double total = 0.0;
  while (true) {
    bool ok = true;
    std::vector<int> seen(static_cast<std::size_t>(c.m), 0);
    double w = 1.0;
    for (int i = 0; i < c.n && ok; ++i) {
      const int j = a[static_cast<std::size_t>(i)];
      if (j < 0) {
        w *= 1.0 - c.pd[static_cast<std::size_t>(i)] * pg;
      } else {
        const double l = c.ll[static_cast<std::size_t>(i * c.m + j)];
        if (l == kNotGated || seen[static_cast<std::size_t>(j)]++ != 0) ok = false;
        else w *= c.pd[static_cast<std::size_t>(i)] * std::exp(l) / lambda;
      }
    }
    if (ok) {
      ++b.feasible;
      total += w;
      for (int i = 0; i < c.n; ++i) {
        const int j = a[static_cast<std::size_t>(i)];
        (j < 0 ? b.beta0[static_cast<std::size_t>(i)] : b.beta[static_cast<std::size_t>(i * c.m + j)]) += w;
      }
    }
    int i = 0;
    while (i < c.n && ++a[static_cast<std::size_t>(i)] == c.m) a[static_cast<std::size_t>(i++)] = -1;
    if (i == c.n) break;
  }
  b.total = total;
  for (double& v : b.beta) v /= total;
  for (double& v : b.beta0) v /= total;
  return b;
}

double max_row_sum_error(const JpdaMarginals& mg) {
  double worst = 0.0;
  for (int i = 0; i < mg.n_tracks; ++i) {
    const auto row = mg.row(i);
    const double sum = std::accumulate(row.begin(), row.end(), mg.beta0[static_cast<std::size_t>(i)]);
    worst = std::max(worst, std::abs(sum - 1.0));
  }
  return worst;
}

double max_diff(const JpdaMarginals& a, const JpdaMarginals& b) {
  double worst = 0.0;
  for (std::size_t k = 0; k < a.beta.size(); ++k) worst = std::max(worst, std::abs(a.beta[k] - b.beta[k]));
  for (std::size_t k = 0; k < a.beta0.size(); ++k) worst = std::max(worst, std::abs(a.beta0[k] - b.beta0[k]));
  return worst;
}

TEST(Jpda, OneTrackIsThePdafClosedForm) {
  RngStream rng = Rng(7).stream("jpda/pdaf");
  for (int rep = 0; rep < 200; ++rep) {
    const int m = 1 + static_cast<int>(rng.below(6));
    Cluster c = random_cluster(rng, 1, m, 1.0);
    const double pd = c.pd[0], pg = c.params.gate_probability, lambda = c.params.clutter_density;
    const double b = lambda * (1.0 - pd * pg) / pd;
    double sum_e = 0.0;
    for (const double l : c.ll) sum_e += std::exp(l);
    const JpdaMarginals mg = marginals(c);
    ASSERT_EQ(mg.method, JpdaMethod::exact);
    for (int j = 0; j < m; ++j) EXPECT_NEAR(mg.at(0, j), std::exp(c.ll[static_cast<std::size_t>(j)]) / (b + sum_e), 1e-13);
    EXPECT_NEAR(mg.beta0[0], b / (b + sum_e), 1e-13);
  }
}

TEST(Jpda, TwoTracksSharingTwoReportsByHand) {
  // g = N(nu; 0, S): track 1 likes report a, track 2 likes b, both gate both.
  const double g1a = 4e-6, g1b = 1e-6, g2a = 2e-6, g2b = 3e-6;
  const double pd1 = 0.9, pd2 = 0.8, pg = 0.95, lambda = 1e-6;
  Cluster c;
  c.n = 2;
  c.m = 2;
  c.ll = {std::log(g1a), std::log(g1b), std::log(g2a), std::log(g2b)};
  c.pd = {pd1, pd2};
  c.params.gate_probability = pg;
  c.params.clutter_density = lambda;
  const double m1 = 1 - pd1 * pg, m2 = 1 - pd2 * pg;  // missed
  const double p1a = pd1 * g1a / lambda, p1b = pd1 * g1b / lambda;
  const double p2a = pd2 * g2a / lambda, p2b = pd2 * g2b / lambda;
  // The seven joint events: {}, {1a}, {1b}, {2a}, {2b}, {1a,2b}, {1b,2a}.
  const double total = m1 * m2 + p1a * m2 + p1b * m2 + m1 * p2a + m1 * p2b + p1a * p2b + p1b * p2a;
  const JpdaMarginals mg = marginals(c);
  EXPECT_EQ(mg.events, 7);
  EXPECT_NEAR(mg.at(0, 0), (p1a * m2 + p1a * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.at(0, 1), (p1b * m2 + p1b * p2a) / total, 1e-15);
  EXPECT_NEAR(mg.beta0[0], (m1 * m2 + m1 * p2a + m1 * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.at(1, 0), (m1 * p2a + p1b * p2a) / total, 1e-15);
  EXPECT_NEAR(mg.at(1, 1), (m1 * p2b + p1a * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.beta0[1], (m1 * m2 + p1a * m2 + p1b * m2) / total, 1e-15);
  // Track 2 most likely takes b, which pushes track 1 onto a beyond its lone-track PDAF value.
  const double lone = p1a / (m1 + p1a + p1b);
  EXPECT_GT(mg.at(0, 0), lone + 0.02);
}

TEST(Jpda, CoalescenceAvoidanceKeepsTheBestOfEachClassByHand) {
  // The case above with JPDA*: {1a,2b} and {1b,2a} give the same reports to the same tracks;
  // only the more probable ({1a,2b}) stays, the five other events are alone in their class.
  const double g1a = 4e-6, g1b = 1e-6, g2a = 2e-6, g2b = 3e-6;
  const double pd1 = 0.9, pd2 = 0.8, pg = 0.95, lambda = 1e-6;
  Cluster c;
  c.n = 2;
  c.m = 2;
  c.ll = {std::log(g1a), std::log(g1b), std::log(g2a), std::log(g2b)};
  c.pd = {pd1, pd2};
  c.params.gate_probability = pg;
  c.params.clutter_density = lambda;
  c.params.coalescence_avoidance = true;
  const double m1 = 1 - pd1 * pg, m2 = 1 - pd2 * pg;
  const double p1a = pd1 * g1a / lambda, p1b = pd1 * g1b / lambda;
  const double p2a = pd2 * g2a / lambda, p2b = pd2 * g2b / lambda;
  ASSERT_GT(p1a * p2b, p1b * p2a);
  const double total = m1 * m2 + p1a * m2 + p1b * m2 + m1 * p2a + m1 * p2b + p1a * p2b;
  const JpdaMarginals mg = marginals(c);
  EXPECT_EQ(mg.events, 6);
  EXPECT_NEAR(mg.at(0, 0), (p1a * m2 + p1a * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.at(0, 1), p1b * m2 / total, 1e-15);
  EXPECT_NEAR(mg.beta0[0], (m1 * m2 + m1 * p2a + m1 * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.at(1, 0), m1 * p2a / total, 1e-15);
  EXPECT_NEAR(mg.at(1, 1), (m1 * p2b + p1a * p2b) / total, 1e-15);
  EXPECT_NEAR(mg.beta0[1], (m1 * m2 + p1a * m2 + p1b * m2) / total, 1e-15);
}

TEST(Jpda, ExactEnumerationMatchesBruteForce) {
  RngStream rng = Rng(11).stream("jpda/brute");
  double worst = 0.0;
  int degenerate = 0;
  for (int rep = 0; rep < 3000; ++rep) {
    const int n = 1 + static_cast<int>(rng.below(4));
    const int m = 1 + static_cast<int>(rng.below(5));
    const Cluster c = random_cluster(rng, n, m, rng.uniform(0.3, 1.0));
    const Brute b = brute_force(c);
    ASSERT_EQ(jpda_feasible_events(c.ll, n, m, 1'000'000), b.feasible);
    const JpdaMarginals mg = marginals(c);
    if (b.total == 0.0) {  // Pd Pg = 1 and no event without a miss
      EXPECT_EQ(mg.method, JpdaMethod::degenerate);
      ++degenerate;
      continue;
    }
    ASSERT_EQ(mg.method, JpdaMethod::exact);
    for (std::size_t k = 0; k < b.beta.size(); ++k) worst = std::max(worst, std::abs(mg.beta[k] - b.beta[k]));
    for (std::size_t k = 0; k < b.beta0.size(); ++k) worst = std::max(worst, std::abs(mg.beta0[k] - b.beta0[k]));
    EXPECT_LT(max_row_sum_error(mg), 1e-13);
  }
  EXPECT_LT(worst, 1e-12);
  EXPECT_LT(degenerate, 300);
}

TEST(Jpda, FeasibleEventCountsOfFullClusters) {
  const auto full = [](int n, int m) { return std::vector<double>(static_cast<std::size_t>(n * m), -1.0); };
  EXPECT_EQ(jpda_feasible_events(full(2, 3), 2, 3, 1'000'000), 13);
  EXPECT_EQ(jpda_feasible_events(full(4, 6), 4, 6, 1'000'000), 1045);
  EXPECT_EQ(jpda_feasible_events(full(6, 8), 6, 8, 1'000'000), 93289);
  EXPECT_EQ(jpda_feasible_events(full(8, 10), 8, 10, 100'000'000), 12975561);
  EXPECT_EQ(jpda_feasible_events(full(8, 10), 8, 10, 200'000), 200'001);  // saturated
  EXPECT_EQ(jpda_feasible_events(full(10, 8), 10, 8, 100'000'000), 12975561);  // symmetric
  // Beyond the subset DP (both sides > 12): the bounded search, on a diagonal cluster.
  std::vector<double> diag(14 * 14, kNotGated);
  for (int i = 0; i < 14; ++i) diag[static_cast<std::size_t>(i * 14 + i)] = -1.0;
  EXPECT_EQ(jpda_feasible_events(diag, 14, 14, 1'000'000), 1 << 14);
  EXPECT_EQ(jpda_feasible_events(diag, 14, 14, 1000), 1001);
}

TEST(Jpda, KBestWithEnoughEventsIsExact) {
  RngStream rng = Rng(13).stream("jpda/kbest-exact");
  for (int rep = 0; rep < 200; ++rep) {
    const int n = 1 + static_cast<int>(rng.below(4));
    const int m = 1 + static_cast<int>(rng.below(4));
    Cluster c = random_cluster(rng, n, m, rng.uniform(0.3, 1.0));
    const JpdaMarginals exact = marginals(c);
    c.params.max_exact_events = 0;
    c.params.max_best_events = 1'000'000;
    const JpdaMarginals kb = marginals(c);
    if (exact.method == JpdaMethod::degenerate) {
      EXPECT_EQ(kb.method, JpdaMethod::degenerate);
      continue;
    }
    ASSERT_EQ(kb.method, JpdaMethod::k_best);
    // Every event unless the e^-40 cut dropped some negligible ones.
    EXPECT_LE(kb.events, exact.events);
    EXPECT_LT(max_diff(kb, exact), 1e-12) << n << " x " << m;
  }
}

TEST(Jpda, KBestBeyondTheLimitRowsSumToOne) {
  RngStream rng = Rng(17).stream("jpda/kbest-large");
  for (int rep = 0; rep < 3; ++rep) {
    const Cluster c = random_cluster(rng, 8, 10, 1.0);  // 13 million events
    const JpdaMarginals mg = marginals(c);
    ASSERT_EQ(mg.method, JpdaMethod::k_best);
    EXPECT_LE(mg.events, c.params.max_best_events);
    EXPECT_LT(max_row_sum_error(mg), 1e-12);
    for (int j = 0; j < c.m; ++j) {  // a true distribution: no report shared beyond 1
      double col = 0.0;
      for (int i = 0; i < c.n; ++i) col += mg.at(i, j);
      EXPECT_LE(col, 1.0 + 1e-12);
    }
  }
}

TEST(Jpda, KBestNearTheLimitIsCloseToExact) {
  // Clusters of 6 tracks and 9 reports, 93 % of pairs gated, 100,000 to 200,000 feasible
  // events, likelihoods spread over the whole gate: a hard, diffuse case. Measured with these
  // seeds: max |d beta| 0.1 at k = 1,000, 0.0059 at k = 10,000 (the default), 4e-4 at 30,000.
  RngStream rng = Rng(19).stream("jpda/kbest-close");
  double worst = 0.0;
  int tested = 0;
  while (tested < 6) {
    Cluster c = random_cluster(rng, 6, 9, 0.93);
    const std::int64_t count = jpda_feasible_events(c.ll, c.n, c.m, c.params.max_exact_events);
    if (count < 100'000 || count > c.params.max_exact_events) continue;
    ++tested;
    const JpdaMarginals exact = marginals(c);
    ASSERT_EQ(exact.method, JpdaMethod::exact);
    c.params.max_exact_events = 0;
    const JpdaMarginals kb = marginals(c);
    ASSERT_EQ(kb.method, JpdaMethod::k_best);
    worst = std::max(worst, max_diff(kb, exact));
  }
  std::printf("k-best (k = %d) vs exact near the limit: max |d beta| = %.3g\n", JpdaParams{}.max_best_events, worst);
  EXPECT_LT(worst, 0.01);
}

TEST(Jpda, DegenerateAndInvalidInput) {
  const std::vector<double> pd = {0.9, 0.9};
  const std::vector<double> none;
  auto r = jpda_marginals(none, 2, 0, pd, JpdaParams{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->method, JpdaMethod::degenerate);
  EXPECT_EQ(r->beta0, (std::vector<double>{1.0, 1.0}));
  // Pd Pg = 1 and more tracks than reports: no event has nonzero probability.
  JpdaParams certain;
  certain.gate_probability = 1.0;
  const std::vector<double> ll = {-3.0, -4.0};
  const std::vector<double> pd1 = {1.0, 1.0};
  r = jpda_marginals(ll, 2, 1, pd1, certain);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->method, JpdaMethod::degenerate);
  EXPECT_EQ(r->beta0, (std::vector<double>{1.0, 1.0}));

  EXPECT_FALSE(jpda_marginals(ll, 2, 2, pd, JpdaParams{}).has_value());  // size
  EXPECT_FALSE(jpda_marginals(ll, -1, 1, pd, JpdaParams{}).has_value());
  const std::vector<double> nan = {std::nan(""), -1.0};
  EXPECT_FALSE(jpda_marginals(nan, 2, 1, pd, JpdaParams{}).has_value());
  const std::vector<double> inf = {HUGE_VAL, -1.0};
  EXPECT_FALSE(jpda_marginals(inf, 2, 1, pd, JpdaParams{}).has_value());
  const std::vector<double> bad_pd = {0.0, 0.9};
  EXPECT_FALSE(jpda_marginals(ll, 2, 1, bad_pd, JpdaParams{}).has_value());
  JpdaParams bad;
  bad.clutter_density = 0.0;
  EXPECT_FALSE(jpda_marginals(ll, 2, 1, pd, bad).has_value());
  bad = JpdaParams{};
  bad.gate_probability = 1.5;
  EXPECT_FALSE(jpda_marginals(ll, 2, 1, pd, bad).has_value());
}

TEST(Jpda, ExtremeLikelihoodsDoNotUnderflow) {
  // Reports thousands of sigmas out, and no miss possible (Pd Pg = 1): every linear weight
  // would underflow to 0, the log weights still compare.
  Cluster c;
  c.n = 2;
  c.m = 2;
  c.ll = {-3000.0, -3001.0, -3002.0, -3000.0};
  c.pd = {1.0, 1.0};
  c.params.gate_probability = 1.0;
  c.params.clutter_density = 1e-300;
  const JpdaMarginals mg = marginals(c);
  ASSERT_EQ(mg.method, JpdaMethod::exact);
  EXPECT_EQ(mg.events, 2);  // {1a, 2b} and {1b, 2a}
  const double w_diag = -6000.0, w_anti = -6003.0;
  const double p_diag = 1.0 / (1.0 + std::exp(w_anti - w_diag));
  EXPECT_NEAR(mg.at(0, 0), p_diag, 1e-14);
  EXPECT_NEAR(mg.at(1, 1), p_diag, 1e-14);
  EXPECT_NEAR(mg.at(0, 1), 1 - p_diag, 1e-14);
  EXPECT_EQ(mg.beta0[0], 0.0);
  EXPECT_LT(max_row_sum_error(mg), 1e-14);
}

// ---------------------------------------------------------------- PDA and IMM-PDA updates

using test::random_spd;

Gaussian random_prior(RngStream& rng) {
  Gaussian g;
  g.x << rng.uniform(-5e4, 5e4), rng.uniform(-5e4, 5e4), rng.uniform(1000, 10000), rng.uniform(-250, 250),
      rng.uniform(-250, 250), rng.uniform(-10, 10), rng.uniform(-0.05, 0.05);
  g.P = random_spd(rng);
  return g;
}

Measurement position_report(const Eigen::Vector3d& z, double sigma_m) {
  Measurement m;
  m.model = MeasurementModel::position;
  m.z = z;
  m.R = Eigen::Matrix3d::Identity() * sigma_m * sigma_m;
  return m;
}

// A polar report of a point seen from a radar at `radar` (region ENU, axes aligned).
Measurement polar_report(const Eigen::Vector3d& p, const Eigen::Vector3d& radar) {
  Measurement m;
  m.model = MeasurementModel::polar;
  m.offset_m = -radar;
  const Eigen::Vector3d q = p - radar;
  double az = std::atan2(q(0), q(1));
  if (az < 0) az += 2 * 3.14159265358979323846;
  m.z << q.norm(), az, std::atan2(q(2), std::hypot(q(0), q(1)));
  m.R = Eigen::Vector3d(900, 1e-5, 4e-5).asDiagonal();
  return m;
}

double min_eigenvalue(const StateCov& p) {
  return Eigen::SelfAdjointEigenSolver<StateCov>(p).eigenvalues().minCoeff();
}

TEST(Pda, OneReportWithBetaZeroIsTheEkfAndBetaOneIsThePrior) {
  RngStream rng = Rng(23).stream("pda/ekf");
  for (int rep = 0; rep < 100; ++rep) {
    const Gaussian prior = random_prior(rng);
    const Eigen::Vector3d p = prior.x.head<3>() + Eigen::Vector3d(rng.normal(0, 80), rng.normal(0, 80), rng.normal(0, 80));
    const Measurement m = rep % 2 == 0 ? position_report(p, 30.0) : polar_report(p, Eigen::Vector3d(3e3, -2e3, 50));
    const std::vector<Innovation> inn = {innovate(prior, m)};
    ASSERT_TRUE(inn[0].valid);
    const std::vector<double> one = {1.0};
    const Gaussian pda = pda_update(prior, inn, one, 0.0, m);
    const Gaussian ekf = ekf_update(prior, inn[0], m);
    EXPECT_LT((pda.x - ekf.x).norm(), 1e-9 * std::max(1.0, ekf.x.norm()));
    EXPECT_LT((pda.P - ekf.P).norm(), 1e-10 * ekf.P.norm());
    const std::vector<double> zero = {0.0};
    const Gaussian same = pda_update(prior, inn, zero, 1.0, m);
    EXPECT_EQ(same.x, prior.x);
    EXPECT_EQ(same.P, prior.P);
  }
}

TEST(Pda, CovarianceStaysSymmetricPsdAndBetweenPriorAndUpdate) {
  RngStream rng = Rng(29).stream("pda/psd");
  for (int rep = 0; rep < 200; ++rep) {
    const Gaussian prior = random_prior(rng);
    const Eigen::Vector3d radar(rng.uniform(-1e4, 1e4), rng.uniform(-1e4, 1e4), 20);
    const int n = 1 + static_cast<int>(rng.below(5));
    std::vector<Measurement> ms;
    std::vector<Innovation> inns;
    std::vector<double> betas;
    double beta0 = rng.uniform(0.0, 0.6);
    double left = 1.0 - beta0;
    for (int k = 0; k < n; ++k) {
      const Eigen::Vector3d p = prior.x.head<3>() + Eigen::Vector3d(rng.normal(0, 300), rng.normal(0, 300), rng.normal(0, 300));
      ms.push_back(rep % 2 == 0 ? position_report(p, 50.0) : polar_report(p, radar));
      inns.push_back(innovate(prior, ms.back()));
      const double b = k + 1 == n ? left : left * rng.uniform();
      betas.push_back(b);
      left -= b;
    }
    const Gaussian out = pda_update(prior, inns, betas, beta0, ms.front());
    EXPECT_NE(out.x, prior.x);
    EXPECT_EQ(out.P, out.P.transpose());
    EXPECT_GE(min_eigenvalue(out.P), -1e-9 * out.P.norm());
    // P+ >= beta0 P + (1 - beta0) P_c: the spread term is PSD.
    const Gaussian single = ekf_update(prior, inns.front(), ms.front());
    const StateCov floor = beta0 * prior.P + (1 - beta0) * single.P;
    EXPECT_GE(min_eigenvalue(out.P - floor), -1e-9 * out.P.norm());
  }
}

TEST(Pda, SpreadOfTwoDistantReportsInflatesTheCovariance) {
  Gaussian prior;
  prior.x << 1000, 2000, 5000, 200, 0, 0, 0;
  prior.P = StateCov::Identity() * 1e4;
  const Measurement a = position_report(Eigen::Vector3d(1000 + 300, 2000, 5000), 30);
  const Measurement b = position_report(Eigen::Vector3d(1000 - 300, 2000, 5000), 30);
  const Measurement mid = position_report(Eigen::Vector3d(1000, 2000, 5000), 30);
  const std::vector<Innovation> inns = {innovate(prior, a), innovate(prior, b)};
  const std::vector<double> betas = {0.5, 0.5};
  const Gaussian pda = pda_update(prior, inns, betas, 0.0, a);
  const Gaussian single = ekf_update(prior, innovate(prior, mid), mid);
  EXPECT_LT((pda.x - single.x).norm(), 1e-9);  // the combined innovation is the midpoint's
  const StateCov extra = pda.P - single.P;
  EXPECT_GE(min_eigenvalue(extra), -1e-9);
  // K (spread) K^T along east: K ~ 1e4 / (1e4 + 900), spread 300^2.
  const double k = 1e4 / (1e4 + 900);
  EXPECT_NEAR(extra(0, 0), k * k * 300 * 300, 1e-6);
  EXPECT_NEAR(extra(1, 1), 0.0, 1e-9);
  EXPECT_GT(pda.P(0, 0), 10 * single.P(0, 0));
}

TEST(Pda, DegenerateInputReturnsThePrior) {
  RngStream rng = Rng(31).stream("pda/degenerate");
  const Gaussian prior = random_prior(rng);
  const Measurement m = position_report(prior.x.head<3>() + Eigen::Vector3d(10, 20, 30), 30);
  const Measurement far_sensor = polar_report(prior.x.head<3>(), Eigen::Vector3d(9e4, 9e4, 0));
  const std::vector<Innovation> inns = {innovate(prior, m), innovate(prior, far_sensor)};
  const std::vector<double> half = {0.5, 0.5};
  const auto same = [&](const Gaussian& g) { return g.x == prior.x && g.P == prior.P; };
  EXPECT_TRUE(same(pda_update(prior, {}, {}, 0.0, m)));
  EXPECT_TRUE(same(pda_update(prior, inns, half, 0.0, m)));  // different S and H
  const std::vector<Innovation> one = {inns[0]};
  const std::vector<double> zero = {0.0};
  EXPECT_TRUE(same(pda_update(prior, one, zero, 0.0, m)));  // betas do not sum to 1
  std::vector<Innovation> invalid = one;
  invalid[0].valid = false;
  const std::vector<double> all = {1.0};
  EXPECT_TRUE(same(pda_update(prior, invalid, all, 0.0, m)));
  const std::vector<double> nan = {std::nan("")};
  EXPECT_TRUE(same(pda_update(prior, one, nan, 0.0, m)));
}

ImmState random_imm(RngStream& rng) {
  ImmState s;
  s.model[0] = random_prior(rng);
  s.model[1] = s.model[0];
  s.model[1].x.head<3>() += Eigen::Vector3d(rng.normal(0, 50), rng.normal(0, 50), rng.normal(0, 20));
  s.model[1].P = random_spd(rng);
  const double mu = rng.uniform(0.05, 0.95);
  s.mu = {mu, 1 - mu};
  return s;
}

TEST(Pda, ImmPdaWithOneReportAndBetaZeroIsImmUpdate) {
  RngStream rng = Rng(37).stream("pda/imm");
  for (int rep = 0; rep < 100; ++rep) {
    const ImmState s = random_imm(rng);
    const Eigen::Vector3d p = s.model[0].x.head<3>() + Eigen::Vector3d(rng.normal(0, 100), rng.normal(0, 100), rng.normal(0, 100));
    const Measurement m = rep % 2 == 0 ? position_report(p, 40) : polar_report(p, Eigen::Vector3d(-4e3, 1e3, 10));
    const std::vector<Measurement> reports = {m};
    const std::vector<double> one = {1.0};
    const ImmState pda = imm_pda_update(s, reports, one, 0.0);
    const ImmState ref = imm_update(s, m);
    for (int j = 0; j < 2; ++j) {
      EXPECT_LT((pda.model[j].x - ref.model[j].x).norm(), 1e-9 * std::max(1.0, ref.model[j].x.norm()));
      EXPECT_LT((pda.model[j].P - ref.model[j].P).norm(), 1e-9 * ref.model[j].P.norm());
      EXPECT_NEAR(pda.mu[j], ref.mu[j], 1e-9);
    }
  }
}

TEST(Pda, ImmPdaModeProbabilitiesAreHoulesBarShalom) {
  // One track: betas from the PDAF on the combined estimate, then the explicit mixture
  // mu_j ~ c_j ((1 - Pd Pg) + (Pd / lambda) sum_k N_jk).
  RngStream rng = Rng(41).stream("pda/houles");
  for (int rep = 0; rep < 100; ++rep) {
    const ImmState s = random_imm(rng);
    const double pd = rng.uniform(0.6, 1.0), pg = 0.99, lambda = std::exp(rng.uniform(-16, -11));
    const Gaussian comb = imm_combined(s);
    const int n = 1 + static_cast<int>(rng.below(4));
    std::vector<Measurement> reports;
    std::vector<double> ll;
    for (int k = 0; k < n; ++k) {
      const Eigen::Vector3d p = comb.x.head<3>() + Eigen::Vector3d(rng.normal(0, 60), rng.normal(0, 60), rng.normal(0, 60));
      reports.push_back(position_report(p, 40));
      ll.push_back(innovate(comb, reports.back()).log_likelihood);
    }
    const std::vector<double> pds = {pd};
    JpdaParams jp;
    jp.gate_probability = pg;
    jp.clutter_density = lambda;
    const auto mg = jpda_marginals(ll, 1, n, pds, jp);
    ASSERT_TRUE(mg.has_value());
    const auto row = mg->row(0);
    const std::vector<double> betas(row.begin(), row.end());
    const ImmState out = imm_pda_update(s, reports, betas, mg->beta0[0]);
    std::array<double, 2> lik{};
    for (int j = 0; j < 2; ++j) {
      double sum = 0.0;
      for (const Measurement& r : reports) sum += std::exp(innovate(s.model[static_cast<std::size_t>(j)], r).log_likelihood);
      lik[static_cast<std::size_t>(j)] = (1 - pd * pg) + pd / lambda * sum;
    }
    const double want = s.mu[0] * lik[0] / (s.mu[0] * lik[0] + s.mu[1] * lik[1]);
    EXPECT_NEAR(out.mu[0], std::clamp(want, 1e-6, 1 - 1e-6), 1e-9);
  }
}

TEST(Pda, ImmPdaDegenerateInputReturnsPredicted) {
  RngStream rng = Rng(43).stream("pda/imm-degenerate");
  const ImmState s = random_imm(rng);
  const Measurement m = position_report(s.model[0].x.head<3>(), 40);
  const std::vector<Measurement> reports = {m, m};
  const auto same = [&](const ImmState& o) {
    return o.mu == s.mu && o.model[0].x == s.model[0].x && o.model[1].P == s.model[1].P;
  };
  EXPECT_TRUE(same(imm_pda_update(s, {}, {}, 1.0)));
  const std::vector<double> zeros = {0.0, 0.0};
  EXPECT_TRUE(same(imm_pda_update(s, reports, zeros, 1.0)));
  const std::vector<double> bad = {0.7, 0.7};
  EXPECT_TRUE(same(imm_pda_update(s, reports, bad, 0.0)));
  Measurement at_radar = polar_report(s.model[0].x.head<3>() + Eigen::Vector3d(0, 0, 1), s.model[0].x.head<3>());
  at_radar.offset_m = -s.model[0].x.head<3>();  // the track sits on the antenna: invalid
  const std::vector<Measurement> invalid = {at_radar};
  const std::vector<double> one = {1.0};
  EXPECT_TRUE(same(imm_pda_update(s, invalid, one, 0.0)));
}

}  // namespace
}  // namespace jrads::picture
