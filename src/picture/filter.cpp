// Motion models, EKF update and IMM of filter.hpp. Equations and parameter choices are in
// docs/PICTURE.md, "Filters and measurement models".
//
// Treatment of omega (x[6]) by the CV model: CV propagates omega unchanged with no added
// noise and omega takes no part in CV's kinematics (the CV Jacobian has no omega column).
// So CV neither learns nor forgets omega: what it holds is whatever the IMM mixed into it,
// and it hands that back unchanged at the next mixing. The CT model owns the turn rate
// (random walk with turn_rate_sigma_radps2).
//
// Everything here works on fixed-size Eigen matrices: no heap allocation.
#include "jrads/picture/filter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <Eigen/Cholesky>

namespace jrads::picture {
namespace {

using Mat3 = Eigen::Matrix3d;
using Vec3 = Eigen::Vector3d;
using MeasJac = Eigen::Matrix<double, 3, kStateDim>;

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kLog2Pi = 1.8378770664093454836;  // log(2 pi)
// Below this |omega dt| the trigonometric ratios are evaluated by their Taylor series, which
// are continuous through omega = 0; above it the closed forms lose < 1e-13 to cancellation.
constexpr double kSeriesTheta = 0.1;
// Guards of the polar model: a range below this is inside the antenna; a horizontal
// distance below kMinHorizontalFraction * range is within 0.2 arc-seconds of the zenith,
// where azimuth is undefined and its Jacobian explodes.
constexpr double kMinRange_m = 1.0;
constexpr double kMinHorizontalFraction = 1e-6;
// Mode probabilities are kept in [kMinMu, 1 - kMinMu] so that no mode dies for good.
constexpr double kMinMu = 1e-6;
// Standard deviation of the initial turn rate: about 1.1 deg/s, the same order as the
// turn-rate noise over one second.
constexpr double kInitialTurnRateSigma_radps = 0.02;

[[nodiscard]] double wrap_pi(double a) noexcept {
  a = std::remainder(a, kTwoPi);  // [-pi, pi]
  if (a <= -std::numbers::pi) a += kTwoPi;
  return a;
}

void symmetrise(StateCov& p) noexcept { p = 0.5 * (p + p.transpose()).eval(); }

// Continuous white-noise acceleration discretised over dt (Bar-Shalom et al. 2001, 6.2.2)
// for one axis with spectral density q: position index i, velocity index i + 3.
void add_cwna_axis(StateCov& q_mat, int i, double q, double dt) noexcept {
  const double dt2 = dt * dt;
  q_mat(i, i) += q * dt2 * dt / 3.0;
  q_mat(i, i + 3) += q * dt2 / 2.0;
  q_mat(i + 3, i) += q * dt2 / 2.0;
  q_mat(i + 3, i + 3) += q * dt;
}

// The ratios of the coordinated-turn transition at theta = omega * dt:
//   f1 = sin(t)/t, f2 = (1 - cos(t))/t, g1 = f1', g2 = f2',
//   k = (1 - cos(t))/t^2, h = 2 (t - sin(t))/t^3 (process noise),
// with their limits at t = 0.
struct TurnRatios {
  double s, c, f1, f2, g1, g2, k, h;
};

[[nodiscard]] TurnRatios turn_ratios(double theta) noexcept {
  TurnRatios r{};
  r.s = std::sin(theta);
  r.c = std::cos(theta);
  const double t2 = theta * theta;
  if (std::abs(theta) < kSeriesTheta) {
    // Taylor series in Horner form, truncated where the next term is < 1e-17 at t = 0.1.
    r.f1 = 1.0 + t2 * (-1.0 / 6 + t2 * (1.0 / 120 + t2 * (-1.0 / 5040 + t2 / 362880)));
    r.k = 0.5 + t2 * (-1.0 / 24 + t2 * (1.0 / 720 + t2 * (-1.0 / 40320 + t2 / 3628800)));
    r.f2 = theta * r.k;
    r.g1 = theta * (-1.0 / 3 + t2 * (1.0 / 30 + t2 * (-1.0 / 840 + t2 * (1.0 / 45360 - t2 / 3991680))));
    r.g2 = 0.5 + t2 * (-1.0 / 8 + t2 * (1.0 / 144 + t2 * (-1.0 / 5760 + t2 / 403200)));
    r.h = 1.0 / 3 + t2 * (-1.0 / 60 + t2 * (1.0 / 2520 + t2 * (-1.0 / 181440 + t2 / 19958400)));
  } else {
    const double half = std::sin(0.5 * theta);
    const double one_minus_c = 2.0 * half * half;  // no cancellation
    r.f1 = r.s / theta;
    r.f2 = one_minus_c / theta;
    r.k = one_minus_c / t2;
    r.g1 = (theta * r.c - r.s) / t2;
    r.g2 = (theta * r.s - one_minus_c) / t2;
    r.h = 2.0 * (theta - r.s) / (t2 * theta);
  }
  return r;
}

// P' = F P F^T + Q, symmetrised.
[[nodiscard]] StateCov propagate(const StateCov& f, const StateCov& p, const StateCov& q) noexcept {
  StateCov fp;
  fp.noalias() = f * p;
  StateCov out = q;
  out.noalias() += fp * f.transpose();
  symmetrise(out);
  return out;
}

[[nodiscard]] double clamp_mu(double mu) noexcept { return std::clamp(mu, kMinMu, 1.0 - kMinMu); }

}  // namespace

Gaussian predict_cv(const Gaussian& g, double dt_s, const MotionParams& p) noexcept {
  Gaussian out;
  out.x = g.x;
  out.x.segment<3>(0) += dt_s * g.x.segment<3>(3);
  // F = I + dt E (E maps velocity to position): F P F^T in O(n^2), no full products.
  StateCov a = g.P;
  a.topRows<3>() += dt_s * g.P.middleRows<3>(3);
  StateCov fpf = a;
  fpf.leftCols<3>() += dt_s * a.middleCols<3>(3);
  const double qh = p.cv_accel_sigma_mps2 * p.cv_accel_sigma_mps2;
  const double qv = p.vertical_accel_sigma_mps2 * p.vertical_accel_sigma_mps2;
  add_cwna_axis(fpf, 0, qh, dt_s);
  add_cwna_axis(fpf, 1, qh, dt_s);
  add_cwna_axis(fpf, 2, qv, dt_s);
  symmetrise(fpf);
  out.P = fpf;
  return out;
}

Gaussian predict_cv_position(const Gaussian& g, double dt_s, const MotionParams& p) noexcept {
  Gaussian out;
  out.x = g.x;
  out.x.segment<3>(0) += dt_s * g.x.segment<3>(3);
  out.P.setZero();
  const Eigen::Matrix3d ppv = g.P.block<3, 3>(0, 3);
  Eigen::Matrix3d pp = g.P.block<3, 3>(0, 0) + dt_s * (ppv + ppv.transpose()) + (dt_s * dt_s) * g.P.block<3, 3>(3, 3);
  const double dt3 = dt_s * dt_s * dt_s / 3.0;
  pp(0, 0) += p.cv_accel_sigma_mps2 * p.cv_accel_sigma_mps2 * dt3;
  pp(1, 1) += p.cv_accel_sigma_mps2 * p.cv_accel_sigma_mps2 * dt3;
  pp(2, 2) += p.vertical_accel_sigma_mps2 * p.vertical_accel_sigma_mps2 * dt3;
  out.P.block<3, 3>(0, 0) = 0.5 * (pp + pp.transpose());
  return out;
}

Gaussian predict_ct(const Gaussian& g, double dt_s, const MotionParams& p) noexcept {
  const double ve = g.x(3), vn = g.x(4), omega = g.x(6);
  const double dt = dt_s, dt2 = dt_s * dt_s;
  const TurnRatios r = turn_ratios(omega * dt);
  const double a = dt * r.f1, b = dt * r.f2;  // sin(w dt)/w and (1 - cos(w dt))/w

  Gaussian out;
  out.x = g.x;
  out.x(0) += a * ve - b * vn;
  out.x(1) += b * ve + a * vn;
  out.x(2) += dt * g.x(5);
  out.x(3) = r.c * ve - r.s * vn;
  out.x(4) = r.s * ve + r.c * vn;

  StateCov f = StateCov::Identity();
  f(0, 3) = a;
  f(0, 4) = -b;
  f(1, 3) = b;
  f(1, 4) = a;
  f(2, 5) = dt;
  f(3, 3) = r.c;
  f(3, 4) = -r.s;
  f(4, 3) = r.s;
  f(4, 4) = r.c;
  f(0, 6) = dt2 * (r.g1 * ve - r.g2 * vn);
  f(1, 6) = dt2 * (r.g2 * ve + r.g1 * vn);
  f(3, 6) = -dt * (r.s * ve + r.c * vn);
  f(4, 6) = dt * (r.c * ve - r.s * vn);

  // Horizontal white acceleration integrated exactly through the turn at the current omega
  // (docs/PICTURE.md); it reduces to the CV block at omega = 0.
  StateCov q = StateCov::Zero();
  const double qh = p.ct_accel_sigma_mps2 * p.ct_accel_sigma_mps2;
  const double qpp = qh * dt2 * dt * r.h;
  const double qpv_same = qh * dt2 * r.k;
  const double qpv_cross = qh * dt2 * 0.5 * omega * dt * r.h;
  q(0, 0) = qpp;
  q(1, 1) = qpp;
  q(3, 3) = qh * dt;
  q(4, 4) = qh * dt;
  q(0, 3) = q(3, 0) = qpv_same;
  q(1, 4) = q(4, 1) = qpv_same;
  q(0, 4) = q(4, 0) = qpv_cross;
  q(1, 3) = q(3, 1) = -qpv_cross;
  add_cwna_axis(q, 2, p.vertical_accel_sigma_mps2 * p.vertical_accel_sigma_mps2, dt);
  q(6, 6) = p.turn_rate_sigma_radps2 * p.turn_rate_sigma_radps2 * dt;

  out.P = propagate(f, g.P, q);
  return out;
}

Innovation innovate(const Gaussian& prior, const Measurement& m) noexcept {
  Innovation inn;
  const Vec3 pos = prior.x.head<3>();
  Mat3 hp;  // d h / d position
  if (m.model == MeasurementModel::position) {
    inn.nu = m.z - pos;
    hp.setIdentity();
  } else {
    const Vec3 q = m.rot_sensor_from_region * pos + m.offset_m;
    const double rho2 = q(0) * q(0) + q(1) * q(1);
    const double rho = std::sqrt(rho2);
    const double r2 = rho2 + q(2) * q(2);
    const double r = std::sqrt(r2);
    if (!(r >= kMinRange_m) || !(rho >= kMinHorizontalFraction * r)) return inn;  // valid = false
    double az = std::atan2(q(0), q(1));
    if (az < 0.0) az += kTwoPi;
    const double el = std::atan2(q(2), rho);
    inn.nu(0) = m.z(0) - r;
    inn.nu(1) = wrap_pi(m.z(1) - az);
    inn.nu(2) = m.z(2) - el;
    Mat3 jq;  // d (range, az, el) / d q_sensor
    const double up = q(2) / (r2 * rho);
    jq << q(0) / r, q(1) / r, q(2) / r,       //
        q(1) / rho2, -q(0) / rho2, 0.0,       //
        -q(0) * up, -q(1) * up, rho / r2;
    hp.noalias() = jq * m.rot_sensor_from_region;
  }
  inn.H.setZero();
  inn.H.leftCols<3>() = hp;
  inn.S.noalias() = hp * prior.P.topLeftCorner<3, 3>() * hp.transpose();
  inn.S += m.R;
  inn.S = 0.5 * (inn.S + inn.S.transpose()).eval();
  const Eigen::LLT<Mat3> llt(inn.S);
  if (llt.info() != Eigen::Success || !inn.nu.allFinite()) return inn;
  const Mat3 l = llt.matrixL();
  const Vec3 w = l.triangularView<Eigen::Lower>().solve(inn.nu);
  inn.d2 = w.squaredNorm();
  const double log_det = 2.0 * (std::log(l(0, 0)) + std::log(l(1, 1)) + std::log(l(2, 2)));
  inn.log_likelihood = -0.5 * (inn.d2 + log_det + 3.0 * kLog2Pi);
  inn.valid = std::isfinite(inn.log_likelihood);
  return inn;
}

Gaussian ekf_update(const Gaussian& prior, const Innovation& inn, const Measurement& m) noexcept {
  if (!inn.valid) return prior;
  const Eigen::LLT<Mat3> llt(inn.S);
  if (llt.info() != Eigen::Success) return prior;
  // H is zero beyond the position columns, so P H^T = P[:, 0:3] Hp^T.
  const Mat3 hp = inn.H.leftCols<3>();
  Eigen::Matrix<double, kStateDim, 3> pht;
  pht.noalias() = prior.P.leftCols<3>() * hp.transpose();
  const Eigen::Matrix<double, kStateDim, 3> k = llt.solve(pht.transpose()).transpose();
  Gaussian out;
  out.x = prior.x + k * inn.nu;
  // Joseph form: (I - K H) P (I - K H)^T + K R K^T, which stays PSD whatever the rounding.
  // The products with A = I - K H use H's shape: A P = P - K (P H^T)^T and
  // (A P) A^T = A P - ((A P) H^T) K^T, about half the work of dense 7x7 products.
  StateCov ap = prior.P;
  ap.noalias() -= k * pht.transpose();
  Eigen::Matrix<double, kStateDim, 3> aph;
  aph.noalias() = ap.leftCols<3>() * hp.transpose();
  out.P = ap;
  out.P.noalias() -= aph * k.transpose();
  Eigen::Matrix<double, kStateDim, 3> kr;
  kr.noalias() = k * m.R;
  out.P.noalias() += kr * k.transpose();
  symmetrise(out.P);
  return out;
}

Gaussian init_from_measurement(const Measurement& m, double max_speed_mps) noexcept {
  const PositionEstimate pe = position_of(m);
  Gaussian g;
  g.x.setZero();
  g.x.head<3>() = pe.pos;
  g.P.setZero();
  g.P.topLeftCorner<3, 3>() = pe.cov;
  const double var_v = max_speed_mps * max_speed_mps / 3.0;
  g.P(3, 3) = g.P(4, 4) = g.P(5, 5) = var_v;
  g.P(6, 6) = kInitialTurnRateSigma_radps * kInitialTurnRateSigma_radps;
  return g;
}

ImmState imm_init(const Gaussian& g, const ImmParams& p) noexcept {
  ImmState s;
  s.model = {g, g};
  const double total = p.initial_mode_probability[0] + p.initial_mode_probability[1];
  const double mu_cv = total > 0.0 ? clamp_mu(p.initial_mode_probability[0] / total) : 0.5;
  s.mu = {mu_cv, 1.0 - mu_cv};
  return s;
}

ImmState imm_predict(const ImmState& s, double dt_s, const ImmParams& p) noexcept {
  // Two-state continuous-time Markov chain with rate lambda out of either mode:
  // Pi(dt) = exp(Lambda dt) has off-diagonal (1 - exp(-2 lambda dt)) / 2.
  const double dt = std::max(dt_s, 0.0);
  const double sw = 0.5 * -std::expm1(-2.0 * p.switch_rate_per_s * dt);
  const double pi[2][2] = {{1.0 - sw, sw}, {sw, 1.0 - sw}};
  ImmState out;
  for (int j = 0; j < 2; ++j) {
    const double c = pi[0][j] * s.mu[0] + pi[1][j] * s.mu[1];
    // mu_{0|j}; c = 0 only for a hand-made state with a mode at probability 0 and dt = 0.
    const double w0 = c > 0.0 ? pi[0][j] * s.mu[0] / c : (j == 0 ? 1.0 : 0.0);
    const double w1 = 1.0 - w0;
    Gaussian mixed;
    mixed.x = w0 * s.model[0].x + w1 * s.model[1].x;
    const StateVec d0 = s.model[0].x - mixed.x;
    const StateVec d1 = s.model[1].x - mixed.x;
    mixed.P = w0 * s.model[0].P + w1 * s.model[1].P;
    mixed.P.noalias() += (w0 * d0) * d0.transpose();
    mixed.P.noalias() += (w1 * d1) * d1.transpose();
    out.model[j] = j == 0 ? predict_cv(mixed, dt, p.motion) : predict_ct(mixed, dt, p.motion);
    out.mu[j] = c;
  }
  const double mu_cv = clamp_mu(out.mu[0] / (out.mu[0] + out.mu[1]));
  out.mu = {mu_cv, 1.0 - mu_cv};
  return out;
}

Gaussian imm_combined(const ImmState& s) noexcept {
  Gaussian g;
  g.x = s.mu[0] * s.model[0].x + s.mu[1] * s.model[1].x;
  const StateVec d0 = s.model[0].x - g.x;
  const StateVec d1 = s.model[1].x - g.x;
  g.P = s.mu[0] * s.model[0].P + s.mu[1] * s.model[1].P;
  g.P.noalias() += (s.mu[0] * d0) * d0.transpose();
  g.P.noalias() += (s.mu[1] * d1) * d1.transpose();
  symmetrise(g.P);
  return g;
}

Innovation imm_innovate(const ImmState& s, const Measurement& m) noexcept {
  return innovate(imm_combined(s), m);
}

ImmState imm_update(const ImmState& s, const Measurement& m) noexcept {
  ImmState out = s;
  std::array<double, 2> log_l{};
  bool all_valid = true;
  for (int j = 0; j < 2; ++j) {
    const Innovation inn = innovate(s.model[j], m);
    if (!inn.valid) {
      all_valid = false;
      continue;
    }
    out.model[j] = ekf_update(s.model[j], inn, m);
    log_l[j] = inn.log_likelihood;
  }
  // A model that cannot use the measurement keeps its prior; the mode probabilities then stay
  // as predicted, since one likelihood alone says nothing about the ratio.
  if (!all_valid) return out;
  // mu_j ~ mu_j^- L_j, in log space: only the difference of the log-likelihoods matters, so
  // likelihoods that would underflow (d2 in the thousands) still compare correctly.
  const double log_odds_cv = std::log(s.mu[0]) - std::log(s.mu[1]) + log_l[0] - log_l[1];
  const double mu_cv = clamp_mu(1.0 / (1.0 + std::exp(-std::clamp(log_odds_cv, -700.0, 700.0))));
  out.mu = {mu_cv, 1.0 - mu_cv};
  return out;
}

}  // namespace jrads::picture
