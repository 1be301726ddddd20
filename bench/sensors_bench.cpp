// Sensor costs: terrain line-of-sight queries against a precomputed horizon profile, building
// that profile, and whole radar scans over N live targets (state queries, culling, beam
// crossing, masking, detection) on mountainous terrain.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "jrads/sensors/horizon_profile.hpp"
#include "jrads/sensors/radar.hpp"
#include "jrads/world/world.hpp"

namespace {

using jrads::Geodetic;
using jrads::RngStream;
using jrads::world::ElevationGrid;

constexpr double kLat = 45.0, kLon = 20.0;

// 6 x 8 degrees at about 500 m: rolling plains, a dozen Gaussian massifs up to 3 km and a ridge
// line, built directly as a height vector.
const ElevationGrid& mountains() {
  static const ElevationGrid grid = [] {
    const double south = kLat - 3.0, west = kLon - 4.0, dlat = 0.0045, dlon = 0.0064;
    const int rows = static_cast<int>(6.0 / dlat) + 1, cols = static_cast<int>(8.0 / dlon) + 1;
    RngStream rng = jrads::Rng(3).stream("bench/terrain");
    struct Peak {
      double lat, lon, h_m, r_deg;
    };
    std::vector<Peak> peaks;
    for (int i = 0; i < 12; ++i) {
      peaks.push_back({rng.uniform(south, south + 6.0), rng.uniform(west, west + 8.0), rng.uniform(1000, 3000),
                       rng.uniform(0.1, 0.4)});
    }
    std::vector<float> h(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (int r = 0; r < rows; ++r) {
      const double lat = south + r * dlat;
      for (int c = 0; c < cols; ++c) {
        const double lon = west + c * dlon;
        double z =
            200.0 + 80.0 * std::sin(lat * 37.0) * std::cos(lon * 29.0) + 40.0 * std::sin(lat * 131.0 + lon * 97.0);
        for (const Peak& p : peaks) {
          const double d2 = (lat - p.lat) * (lat - p.lat) + (lon - p.lon) * (lon - p.lon) * 0.5;
          z += p.h_m * std::exp(-d2 / (p.r_deg * p.r_deg));
        }
        // A ridge running south-west to north-east through the middle.
        const double across = (lat - kLat) - 0.6 * (lon - kLon) - 0.5;
        z += 2200.0 * std::exp(-across * across / 0.01);
        h[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] =
            static_cast<float>(z);
      }
    }
    return ElevationGrid(south, west, dlat, dlon, rows, cols, std::move(h));
  }();
  return grid;
}

Geodetic antenna() { return {kLat, kLon, mountains().height_m(kLat, kLon) + 20.0}; }

void BM_HorizonProfileBuild(benchmark::State& state) {
  const double range_m = static_cast<double>(state.range(0)) * 1000.0;
  std::size_t breakpoints = 0;
  for (auto _ : state) {
    const jrads::sensors::HorizonProfile prof(antenna(), mountains(), {range_m, 4.0 / 3.0, 0.25, 0.0});
    breakpoints = prof.breakpoint_count();
    benchmark::DoNotOptimize(breakpoints);
  }
  state.counters["breakpoints"] = static_cast<double>(breakpoints);
}
BENCHMARK(BM_HorizonProfileBuild)->ArgNames({"range_km"})->Arg(250)->Unit(benchmark::kMillisecond);

void BM_LineOfSight(benchmark::State& state) {
  const jrads::sensors::HorizonProfile prof(antenna(), mountains(), {250000.0, 4.0 / 3.0, 0.25, 0.0});
  struct Query {
    double az_deg, ground_m, alt_m;
  };
  std::vector<Query> queries(4096);
  RngStream rng = jrads::Rng(4).stream("bench/los");
  for (auto& q : queries) q = {rng.uniform(0.0, 360.0), rng.uniform(1000.0, 250000.0), rng.uniform(0.0, 8000.0)};
  std::size_t i = 0, visible = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & 4095];
    visible += prof.visible(q.az_deg, q.ground_m, q.alt_m);
  }
  benchmark::DoNotOptimize(visible);
  state.counters["queries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["visible_fraction"] = static_cast<double>(visible) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LineOfSight);

// n platforms on random 4-leg routes within half_lat x half_lon degrees of the centre.
jrads::world::WorldParams traffic(int n, double half_lat = 2.5, double half_lon = 3.5) {
  RngStream rng = jrads::Rng(1).stream("bench/traffic");
  jrads::world::WorldParams params;
  params.duration_s = 600.0;
  for (int i = 0; i < n; ++i) {
    jrads::world::PlatformParams p;
    p.id = std::to_string(i);
    p.id.insert(0, 1, 'P');  // not "P" + ...: g++ 12 warns falsely (-Wrestrict) on that form
    p.rcs_dbsm = rng.uniform(-10.0, 20.0);
    p.swerling = i % 2 == 0 ? 1 : 3;
    for (int k = 0; k < 4; ++k) {
      jrads::world::Waypoint w;
      w.lat_deg = rng.uniform(kLat - half_lat, kLat + half_lat);
      w.lon_deg = rng.uniform(kLon - half_lon, kLon + half_lon);
      w.alt_m = rng.uniform(500, 12000);
      w.speed_mps = rng.uniform(120, 260);
      p.route.push_back(w);
    }
    params.platforms.push_back(p);
  }
  return params;
}

// The radar both scan benchmarks use: default parameters, a 10 s scan, at the centre.
jrads::sensors::Radar centre_radar(const jrads::world::World& world) {
  jrads::sensors::RadarParams p;
  p.id = "R1";
  p.antenna = {kLat, kLon, 20.0};
  p.scan_period_s = 10.0;
  return jrads::sensors::Radar(p, world.terrain());
}

// One scan over N targets spread over 5 x 7 degrees, most within the radar's 250 km: the
// per-scan cost when everything is in view.
void BM_RadarScan(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  jrads::world::World world(traffic(n), mountains());
  world.advance_to(jrads::SimTime::from_s(130.0), 140.0);
  jrads::sensors::Radar radar = centre_radar(world);
  RngStream rng = jrads::Rng(5).stream("radar/R1");
  std::vector<jrads::sensors::Detection> out;
  std::int64_t k = 0;
  std::size_t reports = 0;
  for (auto _ : state) {
    out.clear();
    // Scans within the history; each wrap back to scan 1 drops the cells kept for the next scan.
    radar.scan(1 + (k++ % 11), world, jrads::SensorIndex(0), rng, out);
    reports += out.size();
  }
  state.counters["reports_per_scan"] = static_cast<double>(reports) / static_cast<double>(state.iterations());
  state.counters["targets_per_s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RadarScan)->ArgNames({"targets"})->Arg(500)->Arg(2000)->Unit(benchmark::kMicrosecond);

// A theatre: N targets over 10 x 14 degrees (about 1100 x 1100 km), of which one radar covers a
// fraction: consecutive scans, time per scan.
void BM_RadarTheatreScans(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  jrads::world::World world(traffic(n, 5.0, 7.0), mountains());
  world.advance_to(jrads::SimTime::from_s(200.0), 210.0);
  jrads::sensors::Radar radar = centre_radar(world);
  RngStream rng = jrads::Rng(5).stream("radar/R1");
  std::vector<jrads::sensors::Detection> out;
  std::size_t reports = 0;
  constexpr int scans = 19;
  for (auto _ : state) {
    for (int k = 1; k <= scans; ++k) {
      out.clear();
      radar.scan(k, world, jrads::SensorIndex(0), rng, out);
      reports += out.size();
    }
  }
  const double total_scans = static_cast<double>(state.iterations()) * scans;
  state.counters["reports_per_scan"] = static_cast<double>(reports) / total_scans;
  state.counters["us_per_scan"] =
      benchmark::Counter(total_scans, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_RadarTheatreScans)->ArgNames({"targets"})->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace
