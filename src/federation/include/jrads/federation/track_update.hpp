#pragma once
// The payload of a tracks sample: one track of a node's picture at one time, or its end.
//
//   security::Bytes p = encode_track_update(update);
//   Result<TrackUpdate> back = decode_track_update(p);   // strict: the same bytes or an error
//
// Binary, little-endian, fixed order (docs/FEDERATION.md has the table): the magic "JTRK" and
// version 1, flags, track number, time, status, identity, position (geodetic), velocity (local
// ENU), the 21 entries of the upper triangle of the position-velocity covariance; then, when
// flagged, the evidence totals the civil interlock reads, and the ids of the sensors that saw
// the track. The label is not in the payload: it travels with the sample (sample.hpp), and a
// node sends the sensors only to a receiver whose release kept SENSORS.
#include <optional>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/picture/identity.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/security/crypto.hpp"

namespace jrads::federation {

struct TrackUpdate {
  // time (of an ended one: the emission that no longer held it), track_number, status,
  // identity, pos, vel_enu and cov are sent; sigma_pos_m and sigma_vel_mps are the square roots
  // of the covariance's traces; label and sources are not sent.
  picture::TrackRow row;
  bool ended = false;  // the node dropped the track: row is its last state
  std::optional<picture::EvidenceSummary> evidence;
  std::vector<std::string> sensors;  // empty: not sent
};

inline constexpr std::size_t kMaxTrackSensors = 32;
inline constexpr std::size_t kMaxSensorId = 64;  // as long as a scenario's ids may be

// Requires what decode_track_update accepts (a programming error otherwise).
[[nodiscard]] security::Bytes encode_track_update(const TrackUpdate& u);

// Errors (Errc::invalid_argument) say "track update <field>: <problem>" at the first bad field:
// the magic or version, unknown flags, a track number of 0, a negative time, a status or
// identity out of range, a coordinate, velocity or covariance entry not finite or out of range
// (latitude [-90, 90], longitude [-180, 180], height [-1000, 100000] m, speed below 10 km/s), a
// covariance not positive definite, negative evidence counts, no or too many sensors or a
// sensor id empty, too long or not [A-Za-z0-9_.-], a truncated payload or trailing bytes.
[[nodiscard]] Result<TrackUpdate> decode_track_update(security::ByteView payload);

}  // namespace jrads::federation
