#include "jrads/sensors/swerling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace jrads::sensors {

Swerling swerling_from_case(int swerling_case) noexcept {
  switch (swerling_case) {
    case 0:
      return Swerling::sw0;
    case 3:
    case 4:
      return Swerling::sw3;
    default:
      return Swerling::sw1;
  }
}

double threshold_from_pfa(double pfa) noexcept { return -std::log(pfa); }

double marcum_q1(double a, double b) noexcept {
  // With lambda = a^2/2 and x = b^2/2, Q1 = sum_k Poisson(k; lambda) * P(Poisson(x) <= k):
  // the received power is a Poisson(lambda) mixture of Gamma(k + 1) variables, and
  // P(Gamma(k + 1) > x) is the Poisson(x) CDF at k.
  const double lambda = 0.5 * a * a;
  const double x = 0.5 * b * b;
  if (x <= 0.0) return 1.0;
  // Terms of the mixture outside lambda +- 12 sqrt(lambda) + 30 weigh less than 1e-30.
  const double spread = 12.0 * std::sqrt(lambda) + 30.0;
  const auto k_lo = static_cast<std::int64_t>(std::max(0.0, std::floor(lambda - spread)));
  const auto k_hi = static_cast<std::int64_t>(std::ceil(lambda + spread));

  // The Poisson(x) CDF at k_lo, summed in log space from the mode outwards would be exact but
  // slow; the terms below k_lo are summed directly (their logs cannot overflow).
  const double log_x = std::log(x);
  auto log_poisson_x = [&](std::int64_t m) { return -x + static_cast<double>(m) * log_x - std::lgamma(m + 1.0); };
  double cdf = 0.0;
  {
    // Sum the CDF terms up to k_lo - 1 starting from the largest ones; when x is much larger
    // than k_lo all are negligible and cdf stays ~0, when x is much smaller cdf reaches 1.
    const std::int64_t m_top = k_lo - 1;
    if (m_top >= 0) {
      if (static_cast<double>(m_top) > x + 12.0 * std::sqrt(x) + 30.0) {
        cdf = 1.0;  // the whole Poisson(x) mass lies below m_top
      } else {
        const std::int64_t m_bottom =
            std::max<std::int64_t>(0, static_cast<std::int64_t>(x - 12.0 * std::sqrt(x) - 30.0));
        for (std::int64_t m = m_bottom; m <= m_top; ++m) cdf += std::exp(log_poisson_x(m));
      }
    }
  }
  const double log_lambda = lambda > 0.0 ? std::log(lambda) : -std::numeric_limits<double>::infinity();
  double sum = 0.0, weight = 0.0;
  for (std::int64_t k = k_lo; k <= k_hi; ++k) {
    if (cdf < 1.0) cdf = std::min(1.0, cdf + std::exp(log_poisson_x(k)));
    const double log_w = k == 0 ? -lambda : -lambda + static_cast<double>(k) * log_lambda - std::lgamma(k + 1.0);
    const double w = std::exp(log_w);
    sum += w * cdf;
    weight += w;
    if (lambda == 0.0) break;  // all the mixture weight is at k = 0
  }
  // The weights sum to 1 up to the truncation (< 1e-30) and the rounding of lgamma at large k
  // (~1e-12); dividing by their sum removes the latter, which would otherwise show near Pd = 1.
  return std::clamp(sum / weight, 0.0, 1.0);
}

double detection_probability(Swerling model, double snr, double pfa) noexcept {
  const double t = threshold_from_pfa(pfa);
  snr = std::max(snr, 0.0);
  switch (model) {
    case Swerling::sw0:
      return marcum_q1(std::sqrt(2.0 * snr), std::sqrt(2.0 * t));
    case Swerling::sw1:
      return std::exp(-t / (1.0 + snr));
    case Swerling::sw3: {
      // The received power's Laplace transform (1 + p) / (1 + p (1 + snr/2))^2 splits into an
      // exponential and a Gamma(2) part with scale a = 1 + snr/2, whose tails give this.
      const double a = 1.0 + 0.5 * snr;
      return std::exp(-t / a) * (1.0 + 2.0 * snr * t / ((2.0 + snr) * (2.0 + snr)));
    }
  }
  return 0.0;
}

double swerling1_snr_for_pd(double pd, double pfa) noexcept {
  if (pd <= pfa) return 0.0;
  return std::log(pfa) / std::log(pd) - 1.0;
}

double draw_fluctuation(Swerling model, RngStream& rng) noexcept {
  switch (model) {
    case Swerling::sw0:
      return 1.0;
    case Swerling::sw1:
      return rng.exponential(1.0);
    case Swerling::sw3:
      return 0.5 * rng.gamma(2.0);
  }
  return 1.0;
}

bool square_law_detect(double signal_snr, double threshold, RngStream& rng) noexcept {
  // Unit total noise power: each quadrature component has variance 1/2. The signal phase is
  // irrelevant to a square-law detector, so the signal sits on the real axis.
  const double i = std::sqrt(signal_snr) + std::numbers::sqrt2 * 0.5 * rng.normal();
  const double q = std::numbers::sqrt2 * 0.5 * rng.normal();
  return i * i + q * q > threshold;
}

}  // namespace jrads::sensors
