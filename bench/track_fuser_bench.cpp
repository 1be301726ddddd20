// The regional centre's track-to-track fusion (track_fuser.hpp): one fusion of N aircraft held
// by two national nodes, each node adding a fresh row of every track first (the 1 Hz steady
// state: every track bound, the work is prediction, covariance intersection and the split and
// merge checks), and the first fusion of a picture, when every national track is associated
// afresh. Aircraft spread uniformly over 300 x 300 km, seeded.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/picture/track_fuser.hpp"

namespace {

using namespace jrads;
using namespace jrads::picture;

const Geodetic kOrigin{44.0, 20.0, 0.0};

struct Picture {
  std::vector<TrackRow> rows[2];  // per source, at t = 0
};

Picture make_picture(int n) {
  RngStream rng = Rng(8).stream("bench/fuser");
  const LocalFrame frame(kOrigin);
  Picture p;
  for (int i = 0; i < n; ++i) {
    const Eigen::Vector3d pos(rng.uniform(-150e3, 150e3), rng.uniform(-150e3, 150e3), rng.uniform(1e3, 11e3));
    const double heading = rng.uniform(0.0, 6.283185307179586), speed = rng.uniform(100.0, 300.0);
    const Eigen::Vector3d vel(speed * std::sin(heading), speed * std::cos(heading), 0.0);
    for (int s = 0; s < 2; ++s) {
      TrackRow r;
      r.track_number = static_cast<std::uint32_t>(1 + i);
      r.status = TrackStatus::confirmed;
      r.pos = frame.geodetic_from_enu(Enu::from(pos + Eigen::Vector3d(rng.normal(0, 100), rng.normal(0, 100), 0)));
      r.vel_enu = vel;
      r.cov = Matrix6d::Identity() * 1e4;
      r.cov.bottomRightCorner<3, 3>() = Eigen::Matrix3d::Identity() * 100.0;
      r.label.categories = 1;
      p.rows[s].push_back(r);
    }
  }
  return p;
}

void BM_FuseSteadyState(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Picture p = make_picture(n);
  TrackFuser fuser(kOrigin, FusionParams{});
  int t = 0;
  const auto one_second = [&] {
    for (int s = 0; s < 2; ++s)
      for (TrackRow r : p.rows[s]) {
        r.time = SimTime::from_s(t);
        r.pos.lat_deg += 1e-6 * t;  // keep moving a little: every row is new
        fuser.add(static_cast<std::uint32_t>(s), r);
      }
    return fuser.fuse(SimTime::from_s(t++));
  };
  (void)one_second();  // every track associated once
  for (auto _ : state) benchmark::DoNotOptimize(one_second());
  state.counters["tracks"] = n;
  state.counters["rows/s"] = benchmark::Counter(2.0 * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FuseSteadyState)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_FuseFirstPicture(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Picture p = make_picture(n);
  for (auto _ : state) {
    TrackFuser fuser(kOrigin, FusionParams{});
    for (int s = 0; s < 2; ++s)
      for (const TrackRow& r : p.rows[s]) fuser.add(static_cast<std::uint32_t>(s), r);
    benchmark::DoNotOptimize(fuser.fuse(SimTime::from_s(0)));
  }
  state.counters["tracks"] = n;
}
BENCHMARK(BM_FuseFirstPicture)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
