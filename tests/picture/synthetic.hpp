#pragma once
// Synthetic sensor reports for tracker tests and benchmarks: straight-line (or turning) targets
// in the tracker's region frame, rotating radars with a beam, Pd, Gaussian noise and uniform
// clutter, and ADS-B squitters. Independent of the simulator on purpose: the picture's tests
// may not depend on the sensors module, and here every truth is known exactly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "jrads/picture/measurement.hpp"
#include "jrads/picture/report.hpp"

namespace jrads::picture::synth {

struct Target {
  Eigen::Vector3d pos0 = Eigen::Vector3d::Zero();  // region ENU at t_start
  Eigen::Vector3d vel = Eigen::Vector3d::Zero();   // region ENU
  double t_start_s = 0.0, t_end_s = 1e9;
  double turn_rate_radps = 0.0;  // horizontal, counter-clockwise, from turn_start_s
  double turn_start_s = 1e9, turn_end_s = 1e9;
  bool adsb = false;
  std::uint32_t icao = 0;
  double adsb_offset_e_m = 0.0;  // a spoofer reports its position moved by this
  std::uint16_t squawk = 0;
  bool mode5 = false;

  // Position and velocity at t (the turn integrated exactly).
  void state(double t, Eigen::Vector3d& p, Eigen::Vector3d& v) const {
    const double t0 = t_start_s;
    const double straight1 = std::min(t, turn_start_s) - t0;
    p = pos0 + vel * straight1;
    v = vel;
    if (t <= turn_start_s) return;
    const double w = turn_rate_radps;
    const double tt = std::min(t, turn_end_s) - turn_start_s;
    if (std::abs(w) > 0.0) {
      const double s = std::sin(w * tt), c = std::cos(w * tt);
      const Eigen::Vector3d v0 = v;
      p.x() += (v0.x() * s - v0.y() * (1.0 - c)) / w;
      p.y() += (v0.x() * (1.0 - c) + v0.y() * s) / w;
      p.z() += v0.z() * tt;
      v.x() = v0.x() * c - v0.y() * s;
      v.y() = v0.x() * s + v0.y() * c;
    } else {
      p += v * tt;
    }
    if (t > turn_end_s) p += v * (t - turn_end_s);
  }
};

struct Radar {
  std::uint32_t sensor = 0;  // index in the sensor table
  double period_s = 10.0;
  double start_az_deg = 0.0;
  double sigma_range_m = 50.0, sigma_az_deg = 0.15, sigma_el_deg = 0.3;
  double pd = 0.9;
  double max_range_m = 250000.0;
  double clutter_per_scan = 0.0;
  // Where the clutter falls: uniform over range [min, max] (max 0: the radar's reach),
  // azimuth [from, from + width) and elevation [0, max].
  double clutter_min_range_m = 2000.0, clutter_max_range_m = 0.0;
  double clutter_az_from_deg = 0.0, clutter_az_width_deg = 360.0;
  double clutter_max_el_deg = 3.0;
  double az_bias_deg = 0.0, range_bias_m = 0.0;
  SensorKind kind = SensorKind::radar;  // iff: replies carry the target's code
};

struct AdsbReceiver {
  std::uint32_t sensor = 0;
  double max_range_m = 300000.0;
  double interval_s = 1.0;
  double sigma_pos_m = 10.0;
};

struct Scene {
  std::vector<SensorSite> sensors;
  std::vector<Radar> radars;
  std::vector<AdsbReceiver> adsb;
  std::vector<Target> targets;
};

inline double wrap360(double a) {
  a = std::fmod(a, 360.0);
  return a < 0.0 ? a + 360.0 : a;
}

// Polar (range, az deg, el deg) of a region-ENU point seen from a sensor's own local frame.
inline Eigen::Vector3d polar_from(const CommonFrame& frame, const LocalFrame& sensor, const Eigen::Vector3d& p) {
  const Enu q = sensor.enu_from_ecef(frame.region().ecef_from_enu(Enu::from(p)));
  const double r = std::sqrt(q.e_m * q.e_m + q.n_m * q.n_m + q.u_m * q.u_m);
  const double az = wrap360(std::atan2(q.e_m, q.n_m) / units::pi * 180.0);
  const double el = std::atan2(q.u_m, std::hypot(q.e_m, q.n_m)) / units::pi * 180.0;
  return {r, az, el};
}

// Every report of the scene over [0, duration_s), sorted by time (ties by sensor).
inline std::vector<Report> generate(const Scene& scene, const CommonFrame& frame, double duration_s,
                                    std::uint64_t seed) {
  std::vector<Report> out;
  const Rng rng(seed);
  for (const Radar& rd : scene.radars) {
    std::string name = "synth/radar/";  // built in steps: g++ 12 warns falsely (-Wrestrict) on a + b
    name += std::to_string(rd.sensor);
    RngStream rs = rng.stream(name);
    const LocalFrame site(scene.sensors[rd.sensor].pos);
    const int scans = static_cast<int>(std::ceil(duration_s / rd.period_s)) + 1;
    for (int k = 0; k < scans; ++k) {
      const double scan_t0 = k * rd.period_s;
      for (const Target& tg : scene.targets) {
        // The beam crosses the target when the beam azimuth equals the target's: two fixed-point
        // steps are plenty for aircraft speeds.
        Eigen::Vector3d p, v;
        double t = scan_t0;
        for (int it = 0; it < 3; ++it) {
          tg.state(std::clamp(t, tg.t_start_s, tg.t_end_s), p, v);
          const double az = polar_from(frame, site, p).y();
          t = scan_t0 + wrap360(az - rd.start_az_deg) / 360.0 * rd.period_s;
        }
        if (t < tg.t_start_s || t > tg.t_end_s || t >= duration_s) continue;
        tg.state(t, p, v);
        const Eigen::Vector3d pol = polar_from(frame, site, p);
        const bool detected = rs.bernoulli(rd.pd);
        const double nr = rs.normal(), na = rs.normal(), ne = rs.normal();
        if (!detected || pol.x() > rd.max_range_m) continue;
        if (rd.kind == SensorKind::iff && !tg.mode5 && tg.squawk == 0) continue;  // no transponder: no reply
        Report r;
        r.time = SimTime::from_s(t);
        r.sensor = rd.sensor;
        r.kind = rd.kind;
        r.range_m = std::max(1.0, pol.x() + rd.range_bias_m + rd.sigma_range_m * nr);
        r.azimuth_deg = wrap360(pol.y() + rd.az_bias_deg + rd.sigma_az_deg * na);
        r.elevation_deg = std::clamp(pol.z() + rd.sigma_el_deg * ne, -90.0, 90.0);
        r.sigma_range_m = rd.sigma_range_m;
        r.sigma_azimuth_deg = rd.sigma_az_deg;
        r.sigma_elevation_deg = rd.sigma_el_deg;
        if (rd.kind == SensorKind::iff) {
          r.iff = tg.mode5 ? IffCode::mode5_valid : IffCode::mode3;
          r.squawk = tg.squawk;
          r.has_squawk = !tg.mode5;
        }
        out.push_back(r);
      }
      const auto clutter = rs.poisson(rd.clutter_per_scan);
      for (std::uint64_t c = 0; c < clutter; ++c) {
        Report r;
        const double az = wrap360(rd.clutter_az_from_deg + rs.uniform(0.0, rd.clutter_az_width_deg));
        r.time = SimTime::from_s(scan_t0 + wrap360(az - rd.start_az_deg) / 360.0 * rd.period_s);
        if (r.time.s() >= duration_s) continue;
        r.sensor = rd.sensor;
        r.kind = rd.kind;
        r.range_m = rs.uniform(rd.clutter_min_range_m, rd.clutter_max_range_m > 0.0 ? rd.clutter_max_range_m : rd.max_range_m);
        r.azimuth_deg = az;
        r.elevation_deg = rs.uniform(0.0, rd.clutter_max_el_deg);
        r.sigma_range_m = rd.sigma_range_m;
        r.sigma_azimuth_deg = rd.sigma_az_deg;
        r.sigma_elevation_deg = rd.sigma_el_deg;
        out.push_back(r);
      }
    }
  }
  for (std::size_t i = 0; i < scene.targets.size(); ++i) {
    const Target& tg = scene.targets[i];
    if (!tg.adsb) continue;
    std::string name = "synth/adsb/";
    name += std::to_string(i);
    RngStream rs = rng.stream(name);
    for (double t = tg.t_start_s + 0.5 * rs.uniform(); t <= std::min(tg.t_end_s, duration_s - 1e-9);
         t += 1.0 + rs.uniform(-0.1, 0.1)) {
      Eigen::Vector3d p, v;
      tg.state(t, p, v);
      for (const AdsbReceiver& rx : scene.adsb) {
        const double sig = rx.sigma_pos_m;
        const Eigen::Vector3d noisy = p + Eigen::Vector3d(tg.adsb_offset_e_m + sig * rs.normal(), sig * rs.normal(), sig * rs.normal());
        const Eigen::Vector3d site = frame.sensor_position(rx.sensor);
        if ((p - site).norm() > rx.max_range_m) continue;
        Report r;
        r.time = SimTime::from_s(t);
        r.sensor = rx.sensor;
        r.kind = SensorKind::adsb;
        r.pos = frame.geodetic_from_region(noisy);
        r.sigma_pos_m = sig;
        r.has_icao = true;
        r.icao = tg.icao;
        out.push_back(r);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Report& a, const Report& b) {
    return a.time != b.time ? a.time < b.time : a.sensor < b.sensor;
  });
  return out;
}

// A square region of side `side_m` centred on (lat, lon) with `n` radars on a grid.
inline std::vector<SensorSite> grid_sites(double lat_deg, double lon_deg, double side_m, int n_radars, int n_adsb) {
  std::vector<SensorSite> s;
  const LocalFrame centre(Geodetic{lat_deg, lon_deg, 0.0});
  const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n_radars)))));
  const int rows = (n_radars + cols - 1) / cols;
  for (int i = 0; i < n_radars; ++i) {
    const double e = (n_radars == 1) ? 0.0 : ((i % cols) + 0.5) / cols * side_m - side_m / 2;
    const double nn = (n_radars == 1) ? 0.0 : ((i / cols) + 0.5) / rows * side_m - side_m / 2;
    const Geodetic g = centre.geodetic_from_enu(Enu{e, nn, 0.0});
    std::string id = "R";
    id += std::to_string(i + 1);
    s.push_back({id, i % 2 == 0 ? "KAL" : "MOR", SensorKind::radar, Geodetic{g.lat_deg, g.lon_deg, 200.0}, {}});
  }
  for (int i = 0; i < n_adsb; ++i) {
    const Geodetic g = centre.geodetic_from_enu(Enu{(i - (n_adsb - 1) / 2.0) * side_m / std::max(1, n_adsb), 0.0, 0.0});
    std::string id = "A";
    id += std::to_string(i + 1);
    s.push_back({id, "MOR", SensorKind::adsb, Geodetic{g.lat_deg, g.lon_deg, 100.0}, {}});
  }
  return s;
}

}  // namespace jrads::picture::synth
