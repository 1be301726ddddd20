#pragma once
// Track-to-track fusion: the regional centre's picture from the national nodes' pictures.
//
//   picture::TrackFuser fuser(region_origin, picture::FusionParams{.label_originator = kal});
//   for (const TrackRow& row : kal_rows) fuser.add(0, row);   // source 0: KAL's national node
//   for (const TrackRow& row : mor_rows) fuser.add(1, row);   // source 1: MOR's
//   std::vector<TrackRow> regional = fuser.fuse(now);        // one row per regional track
//
// Each national track (source, track number) is bound to at most one regional track, and a
// regional track holds at most one track of each source. A bound track stays bound while it
// agrees with the rest of its regional track, so regional numbers are stable; a new national
// track is associated with the regional tracks that hold no track of its source (chi-square gate
// on position and velocity, optimal assignment per source), or starts a new regional track.
// Two regional tracks of disjoint sources that agree for several fusions are one aircraft and are
// merged into the older number. Numbers are never reused.
//
// The national pictures may share information (a sensor reported to both nodes, or a regional
// track sent back down and fused again), and their cross-correlation is unknown, so the estimates
// are combined by covariance intersection (Julier and Uhlmann 1997): consistent whatever the
// correlation, and fusing a track with itself gives it back unchanged instead of halving its
// covariance. Pure: no clock, no randomness; the same rows in the same order give the same picture.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/picture/filter.hpp"
#include "jrads/picture/tracker.hpp"

namespace jrads::picture {

using Vector6d = Eigen::Matrix<double, 6, 1>;
using Matrix6d = Eigen::Matrix<double, 6, 6>;

// A Gaussian estimate of (position, velocity): metres and m/s, one frame for both.
struct Estimate6 {
  Vector6d x = Vector6d::Zero();
  Matrix6d P = Matrix6d::Identity();
};

// Covariance intersection of two estimates with unknown cross-correlation:
// P^-1 = w Pa^-1 + (1 - w) Pb^-1, x = P (w Pa^-1 xa + (1 - w) Pb^-1 xb), the weight w in [0, 1]
// minimising det P (concave in log det: one generalised eigenproblem, then a scalar search);
// two estimates of the same information are averaged (w = 1/2). Both covariances must be
// positive definite.
[[nodiscard]] Estimate6 covariance_intersection(const Estimate6& a, const Estimate6& b) noexcept;

// (xa - xb)^T (Pa + Pb)^-1 (xa - xb): the chi-square statistic (6 degrees of freedom) that two
// estimates are of one target, treating them as independent.
[[nodiscard]] double distance_d2(const Estimate6& a, const Estimate6& b) noexcept;

struct FusionParams {
  // A national row is predicted to the fusion time with the CV model of these noises.
  MotionParams motion = tracker_imm_defaults().motion;
  double gate_d2 = 22.46;   // association gate: chi-square, 6 degrees of freedom, P = 0.999
  double split_d2 = 40.0;   // a bound track this far from the rest of its regional track ...
  int split_checks = 3;     // ... at this many fusions in a row leaves it (and is associated afresh)
  double merge_d2 = 16.81;  // two regional tracks this close (6 dof, P = 0.99) ...
  int merge_checks = 3;     // ... at this many fusions in a row are merged
  double stale_s = 3.0;     // a national track not updated for this long has been dropped by its node
  double hold_s = 60.0;     // ... but while its node's link is down it is kept this long, coasting
  security::PartyIndex label_originator = 0;  // the regional centre's party: its tracks' labels
};

// A restarted source's tracks from before its restart (restart_source) are held under the
// source with this bit set; sources themselves must be below it.
inline constexpr std::uint32_t kOrphanBit = 0x80000000u;

struct FusedMember {
  std::uint32_t source = 0;
  std::uint32_t track_number = 0;  // the national track number
  friend bool operator==(const FusedMember&, const FusedMember&) = default;
};

struct FusionStats {
  std::uint64_t rows = 0;             // national rows added
  std::uint64_t regional_started = 0;
  std::uint64_t associated = 0;       // national tracks joined to an existing regional track
  std::uint64_t splits = 0;           // national tracks that left a regional track they disagreed with
  std::uint64_t merges = 0;           // regional tracks merged into an older one
  std::uint64_t dropped = 0;          // national tracks gone: ended by their node, stale, or held past hold_s
  std::uint64_t regional_ended = 0;   // regional tracks left without any national track
  std::uint64_t resynced = 0;         // orphans of a restarted source taken over by its new tracks
};

class TrackFuser {
 public:
  TrackFuser(const Geodetic& region_origin, const FusionParams& params);
  TrackFuser(TrackFuser&&) noexcept;
  TrackFuser& operator=(TrackFuser&&) noexcept;
  ~TrackFuser();

  // The latest row of a national track: it replaces the track's previous row when not older.
  // Only confirmed and coasting rows are fused (a tentative row is ignored).
  void add(std::uint32_t source, const TrackRow& row);
  // The source dropped the track (its node said so): it leaves its regional track now.
  void end(std::uint32_t source, std::uint32_t track_number);
  // The source restarted (a new process: new track numbers, none of its old ones will come
  // again). Its tracks become orphans: held, coasting, for hold_s, without blocking its new
  // tracks; a new track of the source that associates with a regional track holding one of
  // its orphans takes its place, so the regional number stays (resynchronisation).
  void restart_source(std::uint32_t source);
  // Whether a source's link is up (the default): while it is down its tracks are held, coasting,
  // for hold_s instead of stale_s, and are rebound by number when its rows come back.
  void set_source_up(std::uint32_t source, bool up);

  // The regional picture at `now` (not earlier than the previous call): one row per regional
  // track in number order. A row is confirmed when a member's latest row is and its source is
  // up, else coasting; its identity is the members' most protective (friend, assumed friend,
  // neutral before hostile, suspect, unknown, pending: a disagreement never makes a track
  // engageable); its label is the combination of its members' labels; `sources` is 0 (the
  // members are listed by members()).
  [[nodiscard]] std::vector<TrackRow> fuse(SimTime now);
  // The national tracks of a regional track at the last fusion, by source (empty when none); an
  // orphan's source has kOrphanBit set.
  [[nodiscard]] std::vector<FusedMember> members(std::uint32_t regional_number) const;
  // The regional track a national track is bound to, 0 when none.
  [[nodiscard]] std::uint32_t regional_of(std::uint32_t source, std::uint32_t track_number) const;

  // The national tracks of a source held now (its orphans not included): after a snapshot, as
  // many as its node holds, or tracks were lost or duplicated.
  [[nodiscard]] std::size_t tracks_of(std::uint32_t source) const;
  // The source's national tracks and the regional track each is bound to, by national number.
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> bindings(std::uint32_t source) const;

  [[nodiscard]] const FusionStats& stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::picture
