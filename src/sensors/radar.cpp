#include "jrads/sensors/radar.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"
#include "jrads/sensors/swerling.hpp"

namespace jrads::sensors {
namespace {

// One target's echo in one scan, before detection.
struct Echo {
  SimTime time;  // when the beam crossed it
  Polar polar;
  double power = 0.0;  // this scan's fluctuated SNR
  std::int32_t truth = -1;
};

double wrap_180(double deg) noexcept { return deg - 360.0 * std::floor((deg + 180.0) / 360.0); }

std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t a) noexcept {
  while (parent[a] != a) {
    parent[a] = parent[parent[a]];  // path halving
    a = parent[a];
  }
  return a;
}

}  // namespace

Radar::Radar(RadarParams params, const world::ElevationGrid& terrain)
    : params_(std::move(params)),
      site_(params_.antenna, terrain, params_.max_range_m, params_.k_factor),
      beam_(params_.scan_period_s, params_.start_azimuth_deg) {
  JRADS_ASSERT(params_.pfa > 0.0 && params_.pfa < 1.0);
  JRADS_ASSERT(params_.reference_range_m > 0.0 && params_.max_range_m > params_.min_range_m);
  threshold_ = threshold_from_pfa(params_.pfa);
  // A reference_pd at or below pfa would need a negative SNR: the radar then sees only noise.
  snr_ref_ = swerling1_snr_for_pd(params_.reference_pd, params_.pfa);
}

double Radar::snr(double rcs_m2, double range_m) const noexcept {
  const double q = params_.reference_range_m / std::max(range_m, 1.0);
  return snr_ref_ * rcs_m2 * (q * q) * (q * q);
}

double Radar::max_lag_s() const noexcept {
  return params_.scan_period_s + std::max(0.0, -params_.registration.clock_offset_s);
}

void Radar::scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
                 std::vector<Detection>& out) const {
  const RadarParams& p = params_;
  std::vector<Echo> echoes;
  const std::size_t n = world.platform_count();
  for (std::size_t idx = 0; idx < n; ++idx) {
    const PlatformIndex i(static_cast<std::uint32_t>(idx));
    const std::optional<BeamHit> hit = find_beam_hit(beam_, k, site_, world, i, p.max_range_m);
    if (!hit) continue;
    const Polar& polar = hit->polar;
    if (polar.range_m < p.min_range_m || polar.range_m > p.max_range_m) continue;
    if (polar.elevation_deg < p.min_elevation_deg || polar.elevation_deg > p.max_elevation_deg) continue;
    const HorizonProfile& horizon = site_.horizon();
    if (!horizon.visible(polar.azimuth_deg, horizon.ground_distance_m(hit->pos_enu), hit->state.pos.alt_m)) continue;
    const world::PlatformParams& platform = world.platform(i);
    const double mean_snr = snr(units::ratio_from_db(platform.rcs_dbsm), polar.range_m);
    const double power = mean_snr * draw_fluctuation(swerling_from_case(platform.swerling), rng);
    echoes.push_back(Echo{hit->state.time, polar, power, static_cast<std::int32_t>(idx)});
  }

  // Resolution cells. Within one scan, azimuth separation is beam-time separation, which
  // (unlike azimuth) does not wrap: echoes at the start and at the end of a scan are a full
  // period apart and never share the beam.
  std::sort(echoes.begin(), echoes.end(),
            [](const Echo& a, const Echo& b) { return a.time < b.time || (a.time == b.time && a.truth < b.truth); });
  const auto cell_ns =
      static_cast<std::int64_t>(p.azimuth_resolution_deg / 360.0 * static_cast<double>(beam_.period().ns()));
  std::vector<std::uint32_t> parent(echoes.size());
  std::iota(parent.begin(), parent.end(), 0U);
  for (std::size_t a = 0; a < echoes.size(); ++a) {
    for (std::size_t b = a + 1; b < echoes.size() && (echoes[b].time - echoes[a].time).ns() < cell_ns; ++b) {
      if (std::abs(echoes[b].polar.range_m - echoes[a].polar.range_m) < p.range_resolution_m) {
        parent[find_root(parent, static_cast<std::uint32_t>(b))] = find_root(parent, static_cast<std::uint32_t>(a));
      }
    }
  }

  // Power-weighted sums per cell; cells keep the time order of their first echo, so the draws
  // below come in an order fixed by the geometry.
  struct Cell {
    double power = 0.0, weight = 0.0, strongest = -1.0;
    double range_m = 0.0, az_offset_deg = 0.0, el_deg = 0.0, time_offset_ns = 0.0;
    double az_ref_deg = 0.0;
    std::int64_t time_ref_ns = 0;
    std::int32_t truth = -1;
  };
  std::vector<Cell> cells;
  std::vector<std::int32_t> cell_of(echoes.size(), -1);
  for (std::size_t a = 0; a < echoes.size(); ++a) {
    const std::uint32_t root = find_root(parent, static_cast<std::uint32_t>(a));
    if (cell_of[root] < 0) {
      cell_of[root] = static_cast<std::int32_t>(cells.size());
      Cell c;
      c.az_ref_deg = echoes[a].polar.azimuth_deg;
      c.time_ref_ns = echoes[a].time.ns();
      cells.push_back(c);
    }
    Cell& c = cells[static_cast<std::size_t>(cell_of[root])];
    const Echo& e = echoes[a];
    // The tiny floor keeps the centroid defined when every power is zero (snr_ref = 0).
    const double wt = e.power + 1e-300;
    c.weight += wt;
    c.power += e.power;
    c.range_m += wt * e.polar.range_m;
    c.az_offset_deg += wt * wrap_180(e.polar.azimuth_deg - c.az_ref_deg);
    c.el_deg += wt * e.polar.elevation_deg;
    c.time_offset_ns += wt * static_cast<double>(e.time.ns() - c.time_ref_ns);
    if (e.power > c.strongest) {
      c.strongest = e.power;
      c.truth = e.truth;
    }
  }

  const SimTime clock_offset = SimTime::from_s(p.registration.clock_offset_s);
  auto report = [&](SimTime t, double range_m, double az_deg, double el_deg, std::int32_t truth) {
    Detection d;
    d.time = t + clock_offset;
    d.sensor = self;
    d.type = SensorType::radar;
    d.range_m = range_m;
    d.azimuth_deg = az_deg;
    d.elevation_deg = el_deg;
    d.sigma_range_m = p.sigma_range_m;
    d.sigma_azimuth_deg = p.sigma_azimuth_deg;
    d.sigma_elevation_deg = p.sigma_elevation_deg;
    d.truth_index = truth;
    out.push_back(d);
  };
  for (const Cell& c : cells) {
    if (!square_law_detect(c.power, threshold_, rng)) continue;
    const double w = 1.0 / c.weight;
    const double range_m = c.range_m * w;
    const double az_deg = c.az_ref_deg + c.az_offset_deg * w;
    const double el_deg = c.el_deg * w;
    const SimTime t = SimTime::from_ns(c.time_ref_ns + std::llround(c.time_offset_ns * w));
    const double r_noise = rng.normal(), az_noise = rng.normal(), el_noise = rng.normal();
    report(t, range_m + p.sigma_range_m * r_noise + p.registration.range_bias_m,
           wrap_360(az_deg + p.sigma_azimuth_deg * az_noise + p.registration.azimuth_bias_deg),
           el_deg + p.sigma_elevation_deg * el_noise, c.truth);
  }

  // Clutter: false reports where the beam happens to point, low over the ground.
  const std::uint64_t clutter = rng.poisson(p.clutter_per_scan);
  const double el_top = std::max(p.min_elevation_deg, std::min(p.max_elevation_deg, 1.0));
  for (std::uint64_t c = 0; c < clutter; ++c) {
    const double range_m = rng.uniform(p.min_range_m, p.max_range_m);
    const double az_deg = rng.uniform(0.0, 360.0);
    const double el_deg = rng.uniform(p.min_elevation_deg, el_top);
    report(beam_.crossing_time(k, az_deg), range_m, wrap_360(az_deg + p.registration.azimuth_bias_deg), el_deg, -1);
  }
}

}  // namespace jrads::sensors
