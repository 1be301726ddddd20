#pragma once
// Tracking filters on fixed-size Eigen types: the nearly-constant-velocity (CV) and the
// horizontal coordinated-turn (CT) motion models, the extended Kalman update for polar and
// position measurements, and an interacting multiple model (IMM) filter over CV and CT.
//
// State, in the region ENU frame: x = (e, n, u, ve, vn, vu, omega): metres, m/s, and the
// horizontal turn rate in rad/s (positive counter-clockwise seen from above, i.e. turning left).
// Both models carry all seven components so that the IMM can mix them; CV predicts omega as
// unused (see filter.cpp for the exact treatment).
#include <array>

#include <Eigen/Core>

#include "jrads/picture/measurement.hpp"

namespace jrads::picture {

inline constexpr int kStateDim = 7;
using StateVec = Eigen::Matrix<double, kStateDim, 1>;
using StateCov = Eigen::Matrix<double, kStateDim, kStateDim>;

struct Gaussian {
  StateVec x = StateVec::Zero();
  StateCov P = StateCov::Identity();
};

// Process noise (documented defaults, chosen for aircraft and missiles; see docs/PICTURE.md).
struct MotionParams {
  double cv_accel_sigma_mps2 = 1.0;        // CV: white-noise horizontal acceleration
  double ct_accel_sigma_mps2 = 1.0;        // CT: white-noise horizontal acceleration
  double turn_rate_sigma_radps2 = 0.02;    // CT: random-walk turn-rate noise, rad/s per sqrt(s)
  double vertical_accel_sigma_mps2 = 1.0;  // both: white-noise vertical acceleration
};

[[nodiscard]] Gaussian predict_cv(const Gaussian& g, double dt_s, const MotionParams& p) noexcept;
[[nodiscard]] Gaussian predict_ct(const Gaussian& g, double dt_s, const MotionParams& p) noexcept;
// predict_cv for gating: the same mean and the same position block of the covariance, the rest
// of the covariance left zero (innovate() reads only those). About a quarter of the work.
[[nodiscard]] Gaussian predict_cv_position(const Gaussian& g, double dt_s, const MotionParams& p) noexcept;

// Innovation of a measurement against a prior: nu = z - h(x) (azimuth wrapped to (-pi, pi]),
// S = H P H^T + R and H the Jacobian of h at x.
struct Innovation {
  Eigen::Vector3d nu = Eigen::Vector3d::Zero();
  Eigen::Matrix3d S = Eigen::Matrix3d::Identity();
  Eigen::Matrix<double, 3, kStateDim> H = Eigen::Matrix<double, 3, kStateDim>::Zero();
  double d2 = 0.0;             // nu^T S^-1 nu: the chi-square gate statistic (3 degrees of freedom)
  double log_likelihood = 0.0; // log N(nu; 0, S)
  bool valid = false;          // false when S is not positive definite or the range is ~0
};
[[nodiscard]] Innovation innovate(const Gaussian& prior, const Measurement& m) noexcept;
// The EKF update (Joseph form, result symmetrised) with an innovation from innovate().
[[nodiscard]] Gaussian ekf_update(const Gaussian& prior, const Innovation& inn, const Measurement& m) noexcept;

// A first state from one measurement: its position, zero velocity with standard deviation
// max_speed_mps / sqrt(3) per axis, and zero turn rate with a small variance.
[[nodiscard]] Gaussian init_from_measurement(const Measurement& m, double max_speed_mps) noexcept;

// IMM over {CV, CT}.
struct ImmParams {
  MotionParams motion;
  double switch_rate_per_s = 0.05;  // rate of leaving a mode; Pi(dt) = exp of the rate matrix
  std::array<double, 2> initial_mode_probability = {0.9, 0.1};  // {CV, CT}
};
struct ImmState {
  std::array<Gaussian, 2> model;  // {CV, CT}
  std::array<double, 2> mu = {0.9, 0.1};
};
[[nodiscard]] ImmState imm_init(const Gaussian& g, const ImmParams& p) noexcept;
// Mixing, then each model's prediction over dt_s >= 0.
[[nodiscard]] ImmState imm_predict(const ImmState& s, double dt_s, const ImmParams& p) noexcept;
// The moment-matched combination of the models.
[[nodiscard]] Gaussian imm_combined(const ImmState& s) noexcept;
// Innovation of the combined estimate (for gating and association costs).
[[nodiscard]] Innovation imm_innovate(const ImmState& s, const Measurement& m) noexcept;
// Each model's EKF update, then the mode probabilities from the models' likelihoods.
[[nodiscard]] ImmState imm_update(const ImmState& s, const Measurement& m) noexcept;

}  // namespace jrads::picture
