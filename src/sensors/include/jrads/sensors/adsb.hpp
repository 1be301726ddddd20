#pragma once
// ADS-B: transmitters broadcast position squitters; receivers decode those in range and line
// of sight. The broadcast instants and the position errors belong to the transmitter (drawn
// from its own stream "adsb-tx/<platform id>"), so every receiver hears the same message;
// whether a receiver decodes one is the receiver's own draw.
//
// Errors: the horizontal position error is circular Gaussian with a per-axis sigma of
// EPU / 2.4477, where EPU is the 95 % bound of the broadcast NACp (DO-260B table 2-14) and
// 2.4477 = sqrt(-2 ln 0.05) is the 95 % radius of a unit circular Gaussian; the altitude error
// is Gaussian with AdsbBroadcastParams::sigma_alt_m. A spoofer reports its own address and
// squawk and a position offset from its true one.
#include <cstdint>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/id.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/sensors/detection.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/sensors/sensor_site.hpp"
#include "jrads/world/platform.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors {

// 95 % horizontal position bound (m) of a NACp value: 11: 3 m, 10: 10 m, 9: 30 m,
// 8: 92.6 m, 7: 185.2 m, 6: 555.6 m, 5: 926 m, 4: 1852 m, 3: 3704 m, 2: 7408 m, 1: 18520 m;
// 0 (unknown, >= 10 NM) is taken as 37040 m. Values outside 0..11 are clamped.
[[nodiscard]] double nacp_epu_m(int nacp) noexcept;
// Per-axis (east and north) standard deviation of the horizontal error: nacp_epu_m / 2.4477.
[[nodiscard]] double nacp_sigma_m(int nacp) noexcept;

// Whether a platform broadcasts at all: ADS-B out fitted, or spoofing.
[[nodiscard]] bool broadcasts_adsb(const world::PlatformParams& platform) noexcept;

// One squitter as it leaves the transmitter.
struct AdsbMessage {
  SimTime time;
  PlatformIndex source;
  Ecef true_pos_ecef;        // where the signal comes from: for line of sight
  double true_alt_m = 0.0;   // height above the ellipsoid of the same point
  Geodetic reported;         // the position in the message, errors (and spoof offset) included
  double sigma_pos_m = 0.0;  // per-axis horizontal sigma implied by the broadcast NACp
  bool has_icao = false;
  std::uint32_t icao = 0;
  bool has_squawk = false;
  std::uint16_t squawk = 0;
};

class AdsbTransmitter {
 public:
  // The first squitter comes uniformly within one interval after the platform's start time;
  // then every mean_interval_s +- jitter_s (uniform). rng is the stream "adsb-tx/<id>".
  AdsbTransmitter(PlatformIndex source, const world::PlatformParams& platform, const AdsbBroadcastParams& params,
                  RngStream rng);

  // Appends the messages broadcast in [t0, t1) while the platform exists, in time order.
  // Calls must cover contiguous, increasing windows; squitters before the first window are
  // skipped, but their draws are made, so that the sequence does not depend on the windows.
  // Once a squitter falls due after the platform has left the world for good (state_at gives
  // nothing and alive_during nothing from then on), the transmitter stops: no more draws, no
  // more queries.
  void broadcast(SimTime t0, SimTime t1, const world::WorldView& world, std::vector<AdsbMessage>& out);
  [[nodiscard]] SimTime next_time() const noexcept { return next_; }
  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  [[nodiscard]] SimTime draw_interval() noexcept;

  PlatformIndex source_;
  AdsbBroadcastParams params_;
  RngStream rng_;
  SimTime next_;
  bool finished_ = false;
  bool spoof_ = false;
  double offset_east_m_ = 0.0, offset_north_m_ = 0.0;
  double sigma_pos_m_ = 0.0;
  bool has_icao_ = false;
  std::uint32_t icao_ = 0;
  bool has_squawk_ = false;
  std::uint16_t squawk_ = 0;
};

class AdsbReceiver {
 public:
  AdsbReceiver(AdsbReceiverParams params, const world::ElevationGrid& terrain);

  [[nodiscard]] const AdsbReceiverParams& params() const noexcept { return params_; }
  [[nodiscard]] const SensorSite& site() const noexcept { return site_; }

  // Appends the decoded report when the message's true origin (not the position it reports,
  // which a spoofer offsets) is within max_range_m and in line of sight, with probability
  // p_receive (one draw from rng, only then).
  void receive(const AdsbMessage& message, SensorIndex self, RngStream& rng, std::vector<Detection>& out) const;

 private:
  AdsbReceiverParams params_;
  SensorSite site_;
};

}  // namespace jrads::sensors
