// Tracking-filter costs, the tracker's per-detection hot path: the IMM's mixing and
// prediction, its innovation against a polar radar plot (gating), its update, and a plain
// EKF-CV predict + update for comparison. One track, one plot; the state is a converged
// track on a target 40 km from the radar.
#include <benchmark/benchmark.h>

#include <cmath>

#include <Eigen/Geometry>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "jrads/picture/filter.hpp"

namespace {

using namespace jrads::picture;
using jrads::units::rad_from_deg;

constexpr double kScan_s = 5.0;

Measurement polar_plot(const Eigen::Vector3d& pos_region, jrads::RngStream& rng) {
  Measurement m;
  m.model = MeasurementModel::polar;
  m.rot_sensor_from_region = Eigen::AngleAxisd(0.003, Eigen::Vector3d(0.2, 0.9, 0.1).normalized()).toRotationMatrix();
  m.offset_m << 5e3, -7e3, -120;
  const Eigen::Vector3d q = m.rot_sensor_from_region * pos_region + m.offset_m;
  double az = std::atan2(q(0), q(1));
  if (az < 0) az += 2 * jrads::units::pi;
  m.z << q.norm() + 50 * rng.normal(), az + rad_from_deg(0.2) * rng.normal(),
      std::atan2(q(2), std::hypot(q(0), q(1))) + rad_from_deg(0.5) * rng.normal();
  m.R = Eigen::Vector3d(2500, std::pow(rad_from_deg(0.2), 2), std::pow(rad_from_deg(0.5), 2)).asDiagonal();
  return m;
}

struct Fixture {
  ImmParams params;
  ImmState track;      // after an update
  ImmState predicted;  // track predicted to the next plot
  Measurement plot;    // the next plot
  Gaussian cv;         // an EKF-CV track after the same updates
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    jrads::RngStream rng = jrads::Rng(1).stream("bench/filter");
    Eigen::Vector3d truth(-30e3, 25e3, 7000);
    const Eigen::Vector3d vel(220, -60, 0);
    const Measurement first = polar_plot(truth, rng);
    const Gaussian g0 = init_from_measurement(first, 700);
    out.track = imm_init(g0, out.params);
    out.cv = g0;
    for (int k = 0; k < 20; ++k) {
      truth += vel * kScan_s;
      const Measurement m = polar_plot(truth, rng);
      out.track = imm_update(imm_predict(out.track, kScan_s, out.params), m);
      out.cv = predict_cv(out.cv, kScan_s, out.params.motion);
      out.cv = ekf_update(out.cv, innovate(out.cv, m), m);
    }
    truth += vel * kScan_s;
    out.plot = polar_plot(truth, rng);
    out.predicted = imm_predict(out.track, kScan_s, out.params);
    return out;
  }();
  return f;
}

void BM_ImmPredict(benchmark::State& state) {
  const Fixture& f = fixture();
  ImmState s = f.track;
  double dt = kScan_s;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(dt);
    ImmState out = imm_predict(s, dt, f.params);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ImmPredict);

void BM_ImmInnovatePolar(benchmark::State& state) {
  const Fixture& f = fixture();
  ImmState s = f.predicted;
  Measurement m = f.plot;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(m);
    Innovation inn = imm_innovate(s, m);
    benchmark::DoNotOptimize(inn);
  }
}
BENCHMARK(BM_ImmInnovatePolar);

void BM_ImmUpdatePolar(benchmark::State& state) {
  const Fixture& f = fixture();
  ImmState s = f.predicted;
  Measurement m = f.plot;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(m);
    ImmState out = imm_update(s, m);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ImmUpdatePolar);

// The three together: what one associated plot costs a track.
void BM_ImmCyclePolar(benchmark::State& state) {
  const Fixture& f = fixture();
  ImmState s = f.track;
  Measurement m = f.plot;
  double dt = kScan_s;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(m);
    benchmark::DoNotOptimize(dt);
    const ImmState pred = imm_predict(s, dt, f.params);
    Innovation inn = imm_innovate(pred, m);
    benchmark::DoNotOptimize(inn);
    ImmState out = imm_update(pred, m);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ImmCyclePolar);

void BM_EkfCvPredictUpdatePolar(benchmark::State& state) {
  const Fixture& f = fixture();
  Gaussian g = f.cv;
  Measurement m = f.plot;
  double dt = kScan_s;
  for (auto _ : state) {
    benchmark::DoNotOptimize(g);
    benchmark::DoNotOptimize(m);
    benchmark::DoNotOptimize(dt);
    const Gaussian pred = predict_cv(g, dt, f.params.motion);
    Gaussian out = ekf_update(pred, innovate(pred, m), m);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_EkfCvPredictUpdatePolar);

void BM_PredictCt(benchmark::State& state) {
  const Fixture& f = fixture();
  Gaussian g = f.track.model[1];
  double dt = kScan_s;
  for (auto _ : state) {
    benchmark::DoNotOptimize(g);
    benchmark::DoNotOptimize(dt);
    Gaussian out = predict_ct(g, dt, f.params.motion);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_PredictCt);

}  // namespace
