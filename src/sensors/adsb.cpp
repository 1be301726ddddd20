#include "jrads/sensors/adsb.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"

namespace jrads::sensors {

double nacp_epu_m(int nacp) noexcept {
  static constexpr std::array<double, 12> epu_m{37040.0, 18520.0, 7408.0, 3704.0, 1852.0, 926.0,
                                                555.6,   185.2,   92.6,   30.0,   10.0,   3.0};
  return epu_m[static_cast<std::size_t>(std::clamp(nacp, 0, 11))];
}

double nacp_sigma_m(int nacp) noexcept {
  // For a circular Gaussian, P(r < k sigma) = 1 - exp(-k^2 / 2); 95 % gives k = sqrt(-2 ln 0.05).
  static const double k95 = std::sqrt(-2.0 * std::log(0.05));
  return nacp_epu_m(nacp) / k95;
}

bool broadcasts_adsb(const world::PlatformParams& platform) noexcept {
  return platform.spoof.has_value() || platform.transponder.adsb_out;
}

AdsbTransmitter::AdsbTransmitter(PlatformIndex source, const world::PlatformParams& platform,
                                 const AdsbBroadcastParams& params, RngStream rng)
    : source_(source), params_(params), rng_(rng) {
  JRADS_ASSERT(params_.mean_interval_s > 0.0 && params_.jitter_s >= 0.0);
  if (platform.spoof) {
    spoof_ = true;
    offset_east_m_ = platform.spoof->offset_east_m;
    offset_north_m_ = platform.spoof->offset_north_m;
    sigma_pos_m_ = nacp_sigma_m(platform.spoof->nacp);
    has_icao_ = true;
    icao_ = platform.spoof->icao;
    has_squawk_ = platform.spoof->squawk.has_value();
    squawk_ = platform.spoof->squawk.value_or(0);
  } else {
    sigma_pos_m_ = nacp_sigma_m(platform.transponder.nacp);
    has_icao_ = platform.transponder.icao.has_value();
    icao_ = platform.transponder.icao.value_or(0);
    has_squawk_ = platform.transponder.squawk.has_value();
    squawk_ = platform.transponder.squawk.value_or(0);
  }
  next_ = SimTime::from_s(platform.start_time_s + rng_.uniform(0.0, params_.mean_interval_s));
}

SimTime AdsbTransmitter::draw_interval() noexcept {
  // A jitter as large as the interval must not stall the schedule.
  const double interval_s = params_.mean_interval_s + rng_.uniform(-params_.jitter_s, params_.jitter_s);
  return SimTime::from_s(std::max(interval_s, 1e-3));
}

void AdsbTransmitter::broadcast(SimTime t0, SimTime t1, const world::WorldView& world, std::vector<AdsbMessage>& out) {
  if (finished_) return;
  for (; next_ < t1; next_ += draw_interval()) {
    // The same draws for every squitter, sent or not, keep the stream aligned.
    const double east_err = rng_.normal(0.0, sigma_pos_m_);
    const double north_err = rng_.normal(0.0, sigma_pos_m_);
    const double alt_err = rng_.normal(0.0, params_.sigma_alt_m);
    if (next_ < t0) continue;
    const std::optional<world::PlatformState> s = world.state_at(source_, next_);
    if (!s) {
      // Gone for good (not merely not yet there): nothing more to send, nor to draw for.
      if (!world.alive_during(source_, next_, SimTime::from_ns(std::numeric_limits<std::int64_t>::max()))) {
        finished_ = true;
        return;
      }
      continue;
    }
    Geodetic base = s->pos;
    if (spoof_ && (offset_east_m_ != 0.0 || offset_north_m_ != 0.0)) {
      // The offset is a horizontal displacement in the tangent plane at the true position,
      // brought back to the true height (spoofers are few: the exact conversion is affordable).
      base = LocalFrame(base).geodetic_from_enu(Enu{offset_east_m_, offset_north_m_, 0.0});
      base.alt_m = s->pos.alt_m;
    }
    // Metre-sized errors: the local radii of curvature convert them exactly enough.
    const Radii radii = radii_at(base.lat_deg);
    AdsbMessage m;
    m.time = next_;
    m.source = source_;
    m.true_pos_ecef = s->pos_ecef;
    m.true_alt_m = s->pos.alt_m;
    m.reported.lat_deg = base.lat_deg + units::deg_from_rad(north_err / radii.meridional_m);
    m.reported.lon_deg =
        base.lon_deg +
        units::deg_from_rad(east_err / (radii.prime_vertical_m * std::cos(units::rad_from_deg(base.lat_deg))));
    m.reported.lon_deg = wrap_180(m.reported.lon_deg);
    m.reported.alt_m = base.alt_m + alt_err;
    m.sigma_pos_m = sigma_pos_m_;
    m.has_icao = has_icao_;
    m.icao = icao_;
    m.has_squawk = has_squawk_;
    m.squawk = squawk_;
    out.push_back(m);
  }
}

AdsbReceiver::AdsbReceiver(AdsbReceiverParams params, const world::ElevationGrid& terrain)
    : params_(std::move(params)), site_(params_.antenna, terrain, params_.max_range_m, params_.k_factor) {}

void AdsbReceiver::receive(const AdsbMessage& message, SensorIndex self, RngStream& rng,
                           std::vector<Detection>& out) const {
  const double max_m = params_.max_range_m;
  if (site_.distance2_m2(message.true_pos_ecef) > max_m * max_m) return;
  if (!site_.horizon().visible(site_.frame().enu_from_ecef(message.true_pos_ecef), message.true_alt_m)) return;
  if (!rng.bernoulli(params_.p_receive)) return;
  Detection d;
  d.time = message.time;
  d.sensor = self;
  d.type = SensorType::adsb;
  d.pos = message.reported;
  d.sigma_pos_m = message.sigma_pos_m;
  d.has_icao = message.has_icao;
  d.icao = message.icao;
  d.has_squawk = message.has_squawk;
  d.squawk = message.squawk;
  d.truth_index = static_cast<std::int32_t>(message.source.value());
  out.push_back(d);
}

}  // namespace jrads::sensors
