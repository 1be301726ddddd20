#pragma once
// An IFF interrogator with a rotating beam (IffParams), typically co-mounted on a radar.
// A platform in range and line of sight replies when its beam sweeps it:
//   friendly, Mode 5 fitted and on          -> IffReply::mode5_valid
//   otherwise, squawk set and Mode 3/A on   -> IffReply::mode3 with the squawk
//   hostile, or no transponder              -> nothing (even a hostile spoofing ADS-B)
// Each due reply is lost with p_miss and, if it arrives, garbled with p_garble (a row with
// IffReply::none: a position without a code). Positions carry the IFF sigmas.
#include <cstdint>
#include <optional>
#include <vector>

#include "jrads/core/id.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/sensors/detection.hpp"
#include "jrads/sensors/rotating_beam.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/sensors/sensor_site.hpp"
#include "jrads/world/platform.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors {

// The reply a platform's transponder gives to an interrogation, before losses; nothing when it
// does not reply at all. Fills squawk for Mode 3/A.
struct TransponderReply {
  IffReply code = IffReply::none;
  std::uint16_t squawk = 0;
};
[[nodiscard]] std::optional<TransponderReply> transponder_reply(const world::PlatformParams& platform) noexcept;

class IffInterrogator {
 public:
  IffInterrogator(IffParams params, const world::ElevationGrid& terrain);

  [[nodiscard]] const IffParams& params() const noexcept { return params_; }
  [[nodiscard]] const SensorSite& site() const noexcept { return site_; }
  [[nodiscard]] const RotatingBeam& beam() const noexcept { return beam_; }
  [[nodiscard]] double max_lag_s() const noexcept { return params_.scan_period_s; }

  // Appends the replies of scan k ([k P, (k + 1) P)).
  void scan(std::int64_t k, const world::WorldView& world, SensorIndex self, RngStream& rng,
            std::vector<Detection>& out) const;

 private:
  IffParams params_;
  SensorSite site_;
  RotatingBeam beam_;
};

}  // namespace jrads::sensors
