#include "jrads/core/rng.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace jrads {
namespace {

TEST(Rng, SameSeedAndNameGiveSameSequence) {
  RngStream a = Rng(42).stream("radar/R1");
  RngStream b = Rng(42).stream("radar/R1");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, StreamsDifferByNameAndSeed) {
  RngStream a = Rng(42).stream("radar/R1");
  RngStream b = Rng(42).stream("radar/R2");
  RngStream c = Rng(43).stream("radar/R1");
  int same_ab = 0, same_ac = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    same_ab += x == b.next_u64();
    same_ac += x == c.next_u64();
  }
  EXPECT_EQ(same_ab, 0);
  EXPECT_EQ(same_ac, 0);
}

TEST(Rng, CreatingAnotherStreamDoesNotDisturbOne) {
  const Rng root(5);
  RngStream alone = root.stream("a");
  const auto first = alone.next_u64();
  RngStream other = root.stream("b");
  (void)other.next_u64();
  RngStream again = root.stream("a");
  EXPECT_EQ(again.next_u64(), first);
}

TEST(Rng, KnownValueIsStableAcrossBuilds) {
  // Pins the derivation: a change here changes every recorded run, so it must be deliberate.
  RngStream s = Rng(1).stream("pin");
  const std::uint64_t v = s.next_u64();
  RngStream t = Rng(1).stream("pin");
  EXPECT_EQ(t.next_u64(), v);
  EXPECT_EQ(stable_hash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stable_hash("a"), 0xaf63dc4c8601ec8cULL);  // FNV-1a published test vector
}

struct Moments {
  double mean = 0, var = 0;
};
template <class F>
Moments moments(int n, F draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    s += x;
    s2 += x * x;
  }
  const double mean = s / n;
  return {mean, s2 / n - mean * mean};
}

TEST(Rng, DistributionsHaveTheirMoments) {
  RngStream r = Rng(9).stream("moments");
  constexpr int n = 200000;
  // Tolerances are about 5 standard errors of the estimate.
  const Moments u = moments(n, [&] { return r.uniform(); });
  EXPECT_NEAR(u.mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(u.var, 1.0 / 12, 0.002);
  const Moments z = moments(n, [&] { return r.normal(); });
  EXPECT_NEAR(z.mean, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(z.var, 1.0, 5 * std::sqrt(2.0 / n));
  const Moments e = moments(n, [&] { return r.exponential(2.0); });
  EXPECT_NEAR(e.mean, 2.0, 5 * 2.0 / std::sqrt(n));
  const Moments g = moments(n, [&] { return r.gamma(2.0); });
  EXPECT_NEAR(g.mean, 2.0, 5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(g.var, 2.0, 0.06);
  const Moments gs = moments(n, [&] { return r.gamma(0.5); });
  EXPECT_NEAR(gs.mean, 0.5, 5 * std::sqrt(0.5 / n));
  for (const double lambda : {0.3, 5.0, 80.0}) {
    const Moments p = moments(n, [&] { return static_cast<double>(r.poisson(lambda)); });
    EXPECT_NEAR(p.mean, lambda, 5 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(p.var, lambda, 0.05 * lambda + 0.01) << lambda;
  }
}

TEST(Rng, BelowIsUniformOverItsRange) {
  RngStream r = Rng(2).stream("below");
  std::vector<int> counts(7, 0);
  constexpr int n = 70000;
  for (int i = 0; i < n; ++i) {
    const auto k = r.below(7);
    ASSERT_LT(k, 7U);
    ++counts[k];
  }
  // Chi-square with 6 dof; 22.46 is its 0.999 quantile.
  double chi2 = 0;
  for (const int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
  EXPECT_LT(chi2, 22.46);
}

}  // namespace
}  // namespace jrads
