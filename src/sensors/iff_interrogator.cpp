#include "jrads/sensors/iff_interrogator.hpp"

#include "jrads/core/result.hpp"

namespace jrads::sensors {

std::optional<TransponderReply> transponder_reply(const world::PlatformParams& platform) noexcept {
  const world::Transponder& tr = platform.transponder;
  if (platform.category == world::Category::hostile) return std::nullopt;
  // Mode 5 is cryptographically secured: only friendly platforms hold the keys.
  if (platform.category == world::Category::friendly && tr.mode5_equipped && tr.mode5_on) {
    return TransponderReply{IffReply::mode5_valid, 0};
  }
  if (tr.squawk && tr.mode3_on) return TransponderReply{IffReply::mode3, *tr.squawk};
  return std::nullopt;
}

IffInterrogator::IffInterrogator(IffParams params, const world::ElevationGrid& terrain)
    : params_(std::move(params)),
      site_(params_.antenna, terrain, params_.max_range_m, params_.k_factor),
      beam_(params_.scan_period_s, params_.start_azimuth_deg) {}

void IffInterrogator::scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
                           std::vector<Detection>& out) const {
  const IffParams& p = params_;
  const std::size_t n = world.platform_count();
  for (std::size_t idx = 0; idx < n; ++idx) {
    const PlatformIndex i(static_cast<std::uint32_t>(idx));
    // Platforms that never reply cost nothing and draw nothing.
    const std::optional<TransponderReply> reply = transponder_reply(world.platform(i));
    if (!reply) continue;
    const std::optional<BeamHit> hit = find_beam_hit(beam_, k, site_, world, i, p.max_range_m);
    if (!hit || !site_.sees(hit->pos_enu, hit->state.pos.alt_m)) continue;
    if (rng.bernoulli(p.p_miss)) continue;
    const bool garbled = rng.bernoulli(p.p_garble);
    const double r_noise = rng.normal(), az_noise = rng.normal(), el_noise = rng.normal();
    Detection d;
    d.time = hit->state.time;
    d.sensor = self;
    d.type = SensorType::iff;
    d.range_m = hit->polar.range_m + p.sigma_range_m * r_noise;
    d.azimuth_deg = wrap_360(hit->polar.azimuth_deg + p.sigma_azimuth_deg * az_noise);
    d.elevation_deg = hit->polar.elevation_deg + p.sigma_elevation_deg * el_noise;
    d.sigma_range_m = p.sigma_range_m;
    d.sigma_azimuth_deg = p.sigma_azimuth_deg;
    d.sigma_elevation_deg = p.sigma_elevation_deg;
    if (!garbled) {
      d.iff = reply->code;
      if (reply->code == IffReply::mode3) {
        d.has_squawk = true;
        d.squawk = reply->squawk;
      }
    }
    d.truth_index = static_cast<std::int32_t>(idx);
    out.push_back(d);
  }
}

}  // namespace jrads::sensors
