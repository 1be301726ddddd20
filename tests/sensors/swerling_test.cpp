#include "jrads/sensors/swerling.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "jrads/core/units.hpp"
#include "sensors/fake_world.hpp"

namespace jrads::sensors {
namespace {

using testing::within_binomial;

// Composite Simpson rule on [a, b] with n (even) intervals.
double simpson(const std::function<double(double)>& f, double a, double b, int n) {
  const double h = (b - a) / n;
  double s = f(a) + f(b);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
  return s * h / 3.0;
}

// e^{-(a^2 + b^2)/2} I0(a b), by the Bessel function of the standard library.
double scaled_bessel(double a, double b) {
  return std::exp(-0.5 * (a - b) * (a - b)) * std::exp(-a * b) * std::cyl_bessel_i(0.0, a * b);
}

// Q1(a, b) as the defining integral of the Rician density, independently of the series.
double marcum_q1_by_integral(double a, double b) {
  const double hi = std::max(a, b) + 12.0;
  return simpson([a](double x) { return x * scaled_bessel(a, x); }, b, hi, 4000);
}

TEST(Swerling, MarcumQ1MatchesItsIntegralDefinition) {
  for (const double a : {0.0, 0.5, 1.0, 2.0, 4.0, 7.0, 10.0}) {
    for (const double b : {0.0, 0.3, 1.0, 3.0, 5.26, 8.0}) {
      EXPECT_NEAR(marcum_q1(a, b), marcum_q1_by_integral(a, b), 1e-9) << "a=" << a << " b=" << b;
    }
  }
}

TEST(Swerling, MarcumQ1SpecialValuesAndSymmetryIdentity) {
  EXPECT_DOUBLE_EQ(marcum_q1(3.0, 0.0), 1.0);
  for (const double b : {0.5, 2.0, 5.0}) EXPECT_NEAR(marcum_q1(0.0, b), std::exp(-0.5 * b * b), 1e-15);
  // Q1(a, b) + Q1(b, a) = 1 + e^{-(a^2+b^2)/2} I0(ab), also for large arguments where the
  // series needs many terms and the weights underflow without logs.
  for (const double a : {0.1, 3.0, 12.0, 24.0}) {
    for (const double b : {0.2, 5.0, 15.0, 24.5}) {
      EXPECT_NEAR(marcum_q1(a, b) + marcum_q1(b, a), 1.0 + scaled_bessel(a, b), 1e-12) << a << " " << b;
    }
  }
  // Far tails keep their relative accuracy: Q1(0, b) = exp(-b^2/2) down to 1e-100.
  EXPECT_NEAR(marcum_q1(0.0, 21.5) / std::exp(-0.5 * 21.5 * 21.5), 1.0, 1e-12);
  // A huge SNR (50 dB) is certain detection, and is computed quickly.
  EXPECT_NEAR(marcum_q1(std::sqrt(2e5), 5.0), 1.0, 1e-15);
}

TEST(Swerling, EveryModelGivesPfaAtZeroSnrAndRisesWithSnr) {
  for (const Swerling m : {Swerling::sw0, Swerling::sw1, Swerling::sw3}) {
    for (const double pfa : {1e-2, 1e-6, 1e-10}) {
      EXPECT_NEAR(detection_probability(m, 0.0, pfa) / pfa, 1.0, 1e-9);
      double last = 0.0;
      for (double snr_db = -10; snr_db <= 40; snr_db += 0.5) {
        const double pd = detection_probability(m, units::ratio_from_db(snr_db), pfa);
        EXPECT_GE(pd, last - 1e-14);  // rounding near 1
        EXPECT_LE(pd, 1.0);
        last = pd;
      }
      EXPECT_GT(last, 0.99);
    }
  }
}

TEST(Swerling, FluctuatingClosedFormsEqualTheSteadyFormulaAveragedOverTheRcs) {
  // Pd_sw1 = E[Q1] over an exponential SNR, Pd_sw3 = E[Q1] over Gamma(2, mean/2): checks
  // both closed forms against the Marcum function, which itself is checked above.
  const double pfa = 1e-6;
  const double b = std::sqrt(2.0 * threshold_from_pfa(pfa));
  for (const double snr_db : {0.0, 8.0, 13.0, 18.0, 25.0}) {
    const double mean = units::ratio_from_db(snr_db);
    const auto steady = [&](double s) { return marcum_q1(std::sqrt(2.0 * s), b); };
    // Split where the steady Pd has saturated, so that the step resolves its rise.
    const double split = std::min(4.0 * threshold_from_pfa(pfa), 40.0 * mean);
    const auto integrate = [&](const std::function<double(double)>& pdf) {
      return simpson([&](double s) { return steady(s) * pdf(s); }, 0.0, split, 4000) +
             simpson([&](double s) { return steady(s) * pdf(s); }, split, std::max(split, 40.0 * mean), 2000);
    };
    const double sw1 = integrate([&](double s) { return std::exp(-s / mean) / mean; });
    const double theta = mean / 2.0;
    const double sw3 = integrate([&](double s) { return s * std::exp(-s / theta) / (theta * theta); });
    EXPECT_NEAR(detection_probability(Swerling::sw1, mean, pfa), sw1, 1e-7) << snr_db;
    EXPECT_NEAR(detection_probability(Swerling::sw3, mean, pfa), sw3, 1e-7) << snr_db;
  }
}

TEST(Swerling, TextbookValues) {
  // Single pulse, pfa = 1e-6: a steady target needs about 13.2 dB for Pd = 0.9 and a Swerling
  // 1 target about 21 dB (Skolnik, Introduction to Radar Systems, fig. 2.7 and 2.23).
  EXPECT_NEAR(detection_probability(Swerling::sw0, units::ratio_from_db(13.2), 1e-6), 0.9, 0.02);
  EXPECT_NEAR(detection_probability(Swerling::sw1, units::ratio_from_db(21.1), 1e-6), 0.9, 0.01);
  // Swerling 3 lies between the two at high Pd.
  const double snr = units::ratio_from_db(17.0);
  EXPECT_GT(detection_probability(Swerling::sw3, snr, 1e-6), detection_probability(Swerling::sw1, snr, 1e-6));
  EXPECT_LT(detection_probability(Swerling::sw3, snr, 1e-6), detection_probability(Swerling::sw0, snr, 1e-6));
}

TEST(Swerling, Swerling1InverseRoundTrips) {
  for (const double pd : {0.1, 0.5, 0.9, 0.99}) {
    const double snr = swerling1_snr_for_pd(pd, 1e-6);
    EXPECT_NEAR(detection_probability(Swerling::sw1, snr, 1e-6), pd, 1e-12);
  }
  EXPECT_EQ(swerling1_snr_for_pd(1e-7, 1e-6), 0.0);
}

TEST(Swerling, CaseMapping) {
  EXPECT_EQ(swerling_from_case(0), Swerling::sw0);
  EXPECT_EQ(swerling_from_case(1), Swerling::sw1);
  EXPECT_EQ(swerling_from_case(2), Swerling::sw1);
  EXPECT_EQ(swerling_from_case(3), Swerling::sw3);
  EXPECT_EQ(swerling_from_case(4), Swerling::sw3);
}

TEST(Swerling, FluctuationDrawsHaveUnitMeanAndTheRightSpread) {
  RngStream rng = Rng(3).stream("fluct");
  constexpr int n = 200000;
  for (const auto& [model, var] : {std::pair{Swerling::sw0, 0.0}, {Swerling::sw1, 1.0}, {Swerling::sw3, 0.5}}) {
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < n; ++i) {
      const double x = draw_fluctuation(model, rng);
      s += x;
      s2 += x * x;
    }
    const double mean = s / n, v = s2 / n - mean * mean;
    EXPECT_NEAR(mean, 1.0, 4.0 * std::sqrt((var + 1e-12) / n) + 1e-12);
    EXPECT_NEAR(v, var, 0.03 * var + 1e-12);
  }
}

// The simulated detector (fluctuation draw, then one noise sample against the threshold)
// reproduces each formula within a binomial confidence interval.
TEST(Swerling, MonteCarloDetectionMatchesTheFormulas) {
  RngStream rng = Rng(11).stream("mc");
  constexpr std::size_t n = 20000;
  for (const double pfa : {1e-6, 1e-3}) {
    const double t = threshold_from_pfa(pfa);
    for (const Swerling m : {Swerling::sw0, Swerling::sw1, Swerling::sw3}) {
      for (const double snr_db : {5.0, 9.0, 12.0, 15.0, 20.0}) {
        const double snr = units::ratio_from_db(snr_db);
        std::size_t hits = 0;
        for (std::size_t i = 0; i < n; ++i) hits += square_law_detect(snr * draw_fluctuation(m, rng), t, rng);
        const double pd = detection_probability(m, snr, pfa);
        EXPECT_TRUE(within_binomial(hits, n, pd)) << "model " << static_cast<int>(m) << " snr " << snr_db << " dB pfa "
                                                  << pfa << ": " << hits << "/" << n << " vs " << pd;
      }
    }
  }
}

TEST(Swerling, MonteCarloFalseAlarmRateIsPfa) {
  RngStream rng = Rng(12).stream("fa");
  constexpr std::size_t n = 200000;
  const double pfa = 0.01;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < n; ++i) hits += square_law_detect(0.0, threshold_from_pfa(pfa), rng);
  EXPECT_TRUE(within_binomial(hits, n, pfa)) << hits;
}

}  // namespace
}  // namespace jrads::sensors
