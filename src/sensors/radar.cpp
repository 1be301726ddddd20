#include "jrads/sensors/radar.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"
#include "jrads/sensors/swerling.hpp"

namespace jrads::sensors {

Radar::Radar(RadarParams params, const world::ElevationGrid& terrain)
    : params_(std::move(params)),
      site_(params_.antenna, terrain, params_.max_range_m, params_.k_factor),
      beam_(params_.scan_period_s, params_.start_azimuth_deg) {
  JRADS_ASSERT(params_.pfa > 0.0 && params_.pfa < 1.0);
  JRADS_ASSERT(params_.reference_range_m > 0.0 && params_.max_range_m > params_.min_range_m);
  JRADS_ASSERT(params_.azimuth_resolution_deg >= 0.0 && params_.azimuth_resolution_deg <= 360.0);
  threshold_ = threshold_from_pfa(params_.pfa);
  // A reference_pd at or below pfa would need a negative SNR: the radar then sees only noise.
  snr_ref_ = swerling1_snr_for_pd(params_.reference_pd, params_.pfa);
  // At most a period, so a cell kept back for the next scan is never kept back again.
  cell_ns_ = static_cast<std::int64_t>(params_.azimuth_resolution_deg / 360.0 *
                                       static_cast<double>(beam_.period().ns()));
}

double Radar::snr(double rcs_m2, double range_m) const noexcept {
  const double q = params_.reference_range_m / std::max(range_m, 1.0);
  return snr_ref_ * rcs_m2 * (q * q) * (q * q);
}

double Radar::max_history_s() const noexcept { return params_.scan_period_s + SimTime::from_ns(cell_ns_).s(); }

double Radar::max_lag_s() const noexcept {
  return max_history_s() + std::max(0.0, -params_.registration.clock_offset_s);
}

void Radar::scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
                 std::vector<Detection>& out) {
  const RadarParams& p = params_;
  // The cells kept back at the end of scan k - 1 come first: they are earlier in beam time.
  std::vector<Echo> echoes;
  if (pending_scan_ == k) echoes.swap(pending_);
  pending_.clear();
  const std::size_t carried = echoes.size();

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
    echoes.push_back(Echo{hit->state.time, polar, power, static_cast<std::int32_t>(idx), 0});
  }
  std::sort(echoes.begin() + static_cast<std::ptrdiff_t>(carried), echoes.end(),
            [](const Echo& a, const Echo& b) { return a.time < b.time || (a.time == b.time && a.truth < b.truth); });

  // Resolution cells, in the order of their anchors' beam times. Beam-time separation stands
  // for azimuth separation; unlike azimuth it does not wrap, and it runs on across scans.
  struct Anchor {
    std::int64_t time_ns;
    double range_m;
  };
  std::vector<Anchor> anchors;
  for (std::size_t a = 0; a < carried; ++a) {
    // Carried echoes keep their cells, numbered from 0 in anchor order; an anchor is the first.
    if (echoes[a].cell == anchors.size()) anchors.push_back({echoes[a].time.ns(), echoes[a].polar.range_m});
  }
  std::size_t open = 0;  // anchors before this one are too early to take any later echo
  for (std::size_t a = carried; a < echoes.size(); ++a) {
    Echo& e = echoes[a];
    const std::int64_t t_ns = e.time.ns();
    while (open < anchors.size() && t_ns - anchors[open].time_ns >= cell_ns_) ++open;
    std::size_t c = open;
    while (c < anchors.size() && !(std::abs(e.polar.range_m - anchors[c].range_m) < p.range_resolution_m)) ++c;
    if (c == anchors.size()) anchors.push_back({t_ns, e.polar.range_m});
    e.cell = static_cast<std::uint32_t>(c);
  }
  // Cells anchored within a cell of the scan's end may still take echoes of the next scan.
  const std::int64_t keep_from_ns = beam_.scan_end(k).ns() - cell_ns_;
  std::size_t kept = anchors.size();
  while (kept > 0 && anchors[kept - 1].time_ns > keep_from_ns) --kept;

  // Field sums and power-weighted centroids per cell. The phases are drawn in beam-time order.
  struct Cell {
    double re = 0.0, im = 0.0;  // complex amplitude sum, the anchor on the real axis
    double power = 0.0;         // the anchor's power while the cell has one echo
    std::size_t echoes = 0;
    double weight = 0.0, strongest = -1.0;
    double range_m = 0.0, az_offset_deg = 0.0, el_deg = 0.0, time_offset_ns = 0.0;
    double az_ref_deg = 0.0;
    std::int64_t time_ref_ns = 0;
    std::int32_t truth = -1;
  };
  std::vector<Cell> cells(kept);
  for (const Echo& e : echoes) {
    if (e.cell >= kept) {
      pending_.push_back(e);
      pending_.back().cell = e.cell - static_cast<std::uint32_t>(kept);
      continue;
    }
    Cell& c = cells[e.cell];
    const double amplitude = std::sqrt(e.power);
    if (c.echoes == 0) {
      c.az_ref_deg = e.polar.azimuth_deg;
      c.time_ref_ns = e.time.ns();
      c.re = amplitude;
      c.power = e.power;
    } else {
      const double phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
      c.re += amplitude * std::cos(phase);
      c.im += amplitude * std::sin(phase);
    }
    ++c.echoes;
    // The tiny floor keeps the centroid defined when every power is zero (snr_ref = 0).
    const double wt = e.power + 1e-300;
    c.weight += wt;
    c.range_m += wt * e.polar.range_m;
    c.az_offset_deg += wt * wrap_180(e.polar.azimuth_deg - c.az_ref_deg);
    c.el_deg += wt * e.polar.elevation_deg;
    c.time_offset_ns += wt * static_cast<double>(e.time.ns() - c.time_ref_ns);
    if (e.power > c.strongest) {
      c.strongest = e.power;
      c.truth = e.truth;
    }
  }
  pending_scan_ = pending_.empty() ? -1 : k + 1;

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
    // A lone echo goes to the detector exactly as drawn.
    const double signal = c.echoes == 1 ? c.power : c.re * c.re + c.im * c.im;
    if (!square_law_detect(signal, threshold_, rng)) continue;
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
