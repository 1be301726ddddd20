#pragma once
// Single-pulse detection of a fluctuating target by a square-law detector, in noise-normalised
// units: the noise is complex Gaussian of unit mean power, the signal-to-noise ratio snr is the
// mean signal power over the noise power (a power ratio, not dB), and the detector declares a
// target when the received power exceeds the threshold T = -ln(pfa), so that noise alone
// crosses it with probability exactly pfa.
//
// The formulas (Swerling 1960, IRE Trans. IT-6; Marcum 1960; Mahafza, "Radar Systems Analysis
// and Design Using MATLAB", sec. 2.9, n_p = 1):
//   Swerling 0 (steady):  Pd = Q1(sqrt(2 snr), sqrt(2 T))       (Marcum Q of order 1)
//   Swerling 1:           Pd = pfa^(1 / (1 + snr))  = exp(-T / (1 + snr))
//   Swerling 3:           Pd = exp(-T / (1 + snr/2)) * (1 + 2 snr T / (2 + snr)^2)
// Swerling 2 and 4 differ from 1 and 3 only pulse to pulse; with one pulse per look they have
// the same distributions, and are mapped to them.
#include <cstdint>

#include "jrads/core/rng.hpp"

namespace jrads::sensors {

enum class Swerling : std::uint8_t {
  sw0,  // steady RCS
  sw1,  // scan-to-scan, exponential power (chi-square, 2 dof): many equal scatterers
  sw3,  // scan-to-scan, chi-square 4 dof = Gamma(2, mean/2): one dominant scatterer plus many
};

// The model for a scenario's integer case (0..4; 2 -> sw1, 4 -> sw3, anything else -> sw1).
[[nodiscard]] Swerling swerling_from_case(int swerling_case) noexcept;

// Threshold on noise-normalised power for a false-alarm probability pfa in (0, 1).
[[nodiscard]] double threshold_from_pfa(double pfa) noexcept;

// Marcum Q-function of order 1, Q1(a, b) = P(|a + n| > b) for n complex Gaussian with unit
// variance per component; a, b >= 0. Evaluated as the Poisson(a^2/2)-weighted sum of Poisson
// (b^2/2) CDFs (Shnidman 1989, IEEE Trans. IT-35), in log space so that large arguments neither
// underflow nor lose the small tail. Absolute accuracy about 1e-14.
[[nodiscard]] double marcum_q1(double a, double b) noexcept;

// Probability of detection for mean snr >= 0 (power ratio) at false-alarm probability pfa.
[[nodiscard]] double detection_probability(Swerling model, double snr, double pfa) noexcept;

// The mean SNR at which a Swerling 1 target is detected with probability pd at false-alarm
// probability pfa (the inverse of the Swerling 1 formula); 0 when pd <= pfa.
[[nodiscard]] double swerling1_snr_for_pd(double pd, double pfa) noexcept;

// One scan's draw of the RCS (or SNR) fluctuation factor, mean 1: sw0 -> 1 (no draw),
// sw1 -> Exp(1), sw3 -> Gamma(2, 1/2).
[[nodiscard]] double draw_fluctuation(Swerling model, RngStream& rng) noexcept;

// The physical detector: adds one complex Gaussian noise sample of unit power to a signal of
// power signal_snr (already fluctuated) and compares the power with the threshold. Two normal
// draws.
[[nodiscard]] bool square_law_detect(double signal_snr, double threshold, RngStream& rng) noexcept;

}  // namespace jrads::sensors
