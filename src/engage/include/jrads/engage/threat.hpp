#pragma once
// Threat evaluation: for every track against every defended asset, the closest point of
// approach, the time to go until it is over the asset, and a threat value made of named
// factors; tracks ranked by their worst asset, with hysteresis so that track noise does not
// make two threats of nearly equal value swap places on every update.
//
//   ThreatEvaluator te(assets, ThreatParams{});
//   for (const Threat& t : te.update(now, tracks)) show(t.rank, t.track, t.asset, t.value);
//
// Geometry is horizontal in the region's ENU frame (metres): assets are areas on the ground,
// and a track threatens one by passing over it. Kinematics are extrapolated in a straight line
// from the track's estimate (the tracker's IMM already says when it turns).
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/sim_time.hpp"
#include "jrads/picture/identity.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::engage {

struct Asset {
  std::string id;
  Eigen::Vector2d pos_enu = Eigen::Vector2d::Zero();  // centre, region ENU (m)
  double radius_m = 5000.0;                           // > 0
  double value = 1.0;                                 // > 0: what losing it costs (notional units)
};

// What the evaluator needs of a track.
struct TrackState {
  std::uint32_t track = 0;  // system track number
  picture::Identity identity = picture::Identity::pending;
  Eigen::Vector3d pos_enu = Eigen::Vector3d::Zero();  // region ENU (m)
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();  // region ENU (m/s)
  security::ItemLabel label;                          // the track's
};

struct ThreatParams {
  double closeness_scale_m = 10000.0;  // the closeness factor halves every this much a CPA passes outside the asset
  double urgency_scale_s = 300.0;      // urgency = 1 / (1 + time to go / this)
  double horizon_s = 1800.0;           // a track that reaches nothing within this is no threat
  double min_speed_mps = 5.0;          // slower than this, a track goes nowhere (hovering: closeness only)
  double receding_weight = 0.25;       // a track moving away from an asset it is outside
  // Identity weight: hostile 1, suspect 0.7, unknown 0.4, pending 0.3; friend, assumed
  // friend and neutral 0 (never threats: the civil interlock would refuse them anyway).
  double weight_hostile = 1.0, weight_suspect = 0.7, weight_unknown = 0.4, weight_pending = 0.3;
  double smoothing_s = 8.0;  // values are smoothed with this time constant before ranking ...
  double hysteresis = 0.25;  // ... and a threat overtakes another only when 25 % above it
};

struct ThreatFactors {
  double identity = 0.0;   // [0, 1]
  double closeness = 0.0;  // [0, 1]: 1 when the CPA (within the horizon) is within the asset's radius
  double urgency = 0.0;    // (0, 1]: 1 / (1 + t / urgency_scale_s), t the time to go (or to the CPA)
  double approach = 0.0;   // 1 approaching or over the asset, receding_weight when moving away
  double asset = 0.0;      // the asset's value
};

struct Threat {
  std::uint32_t track = 0;
  std::string asset;                 // the most threatened asset's id
  double value = 0.0;                // identity x closeness x urgency x approach x asset, smoothed by the evaluator
  double instant_value = 0.0;        // the same, this update only
  int rank = 0;                      // 1 = most threatening
  double cpa_m = 0.0;                // horizontal closest approach to the asset's centre
  double t_cpa_s = 0.0;              // time until then (0 when receding)
  double time_to_go_s = std::numeric_limits<double>::infinity();  // until within the asset's radius
  SimTime over_asset;                // now + time_to_go (when finite)
  ThreatFactors factors;
  security::ItemLabel label;         // threat_label() of the track's
};

// An assessment of a track tells what the track is and what it threatens, not which sensors
// saw it: the track's label without SENSORS, with INTELLIGENCE (same level, releasability
// and originator); an unlabelled track's stays unlabelled.
[[nodiscard]] security::ItemLabel threat_label(const security::ItemLabel& track) noexcept;

// Closest approach of a straight-line track to a point: time (>= 0) and horizontal distance.
struct ClosestApproach {
  double t_s = 0.0;
  double distance_m = 0.0;
};
[[nodiscard]] ClosestApproach closest_approach(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel,
                                               const Eigen::Vector2d& point) noexcept;

// Time until a straight-line track is within `radius` of a point (0 when it already is;
// +infinity when it never will be).
[[nodiscard]] double time_to_reach(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel, const Eigen::Vector2d& point,
                                   double radius_m) noexcept;

// One track against every asset, no smoothing: the asset with the highest value (ties: the
// first asset). A track of zero identity weight, or one that reaches nothing within the
// horizon, has value 0 and the nearest asset.
[[nodiscard]] Threat assess(const TrackState& track, std::span<const Asset> assets, SimTime now,
                            const ThreatParams& params);

// Ranks the tracks of each update; keeps each track's smoothed value and the previous order.
class ThreatEvaluator {
 public:
  ThreatEvaluator(std::vector<Asset> assets, const ThreatParams& params);
  // Every track with a value > 0, ranked (rank 1 first). Tracks absent from an update are
  // forgotten. `now` must not go backwards.
  [[nodiscard]] std::vector<Threat> update(SimTime now, std::span<const TrackState> tracks);

 private:
  std::vector<Asset> assets_;
  ThreatParams params_;
  struct Memory {
    double value = 0.0;
    SimTime at;
  };
  std::unordered_map<std::uint32_t, Memory> memory_;
  std::vector<std::uint32_t> order_;  // the last ranking
};

}  // namespace jrads::engage
