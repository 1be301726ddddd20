#pragma once
// The multi-sensor tracker: reports in (any order within a bounded window), track picture out.
//
//   picture::Tracker tracker(sensors, picture::TrackerParams{});
//   for (const Report& r : reports) tracker.add(r);   // each call may emit rows and alerts
//   tracker.finish();
//   for (const TrackRow& row : tracker.take_rows()) write(row);
//
// Pipeline (docs/PICTURE.md): a reorder buffer puts reports back in time order within
// `reorder_window_s`; reports are processed in time slices; per slice and per sensor, tracks
// are gated (chi-square, candidates found through a uniform grid over the region), gated pairs
// form clusters and each cluster is solved by optimal 2-D assignment (GNN); assigned reports
// update their tracks' IMM filters in time order; unassigned radar and ADS-B reports start
// tentative tracks; tracks are confirmed by M hits, coast and are deleted when their sensors stop
// seeing them; duplicate tracks of one aircraft are merged. Track numbers are given at
// confirmation and never reused.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/picture/filter.hpp"
#include "jrads/picture/identity.hpp"
#include "jrads/picture/report.hpp"

namespace jrads::picture {

enum class TrackStatus : std::uint8_t { tentative, confirmed, coasting };
[[nodiscard]] const char* to_string(TrackStatus s) noexcept;

// The tracker's motion models are broader than the filter's own defaults (filter.hpp): fighters
// of the default scenario turn at up to 15 deg/s, faster than a scan, and a track that loses its
// aircraft costs a number change. Chosen on the default scenario with seeds 20260615 and 7
// (docs/PICTURE.md).
[[nodiscard]] inline ImmParams tracker_imm_defaults() noexcept {
  ImmParams p;
  p.motion.cv_accel_sigma_mps2 = 2.0;
  p.motion.ct_accel_sigma_mps2 = 4.0;
  p.motion.turn_rate_sigma_radps2 = 0.08;
  return p;
}

// How radar reports are given to established tracks. Tentative tracks and ADS-B always use
// GNN; see docs/PICTURE.md.
enum class Association : std::uint8_t {
  gnn,   // optimal 2-D assignment per gated cluster: each report to at most one track
  jpda,  // joint probabilistic: every report gated by a track updates it by its probability
};
[[nodiscard]] const char* to_string(Association a) noexcept;

struct TrackerParams {
  security::PartyIndex label_originator = 0;  // the party whose node makes this picture (its tracks' labels)
  ImmParams imm = tracker_imm_defaults();
  Association association = Association::gnn;
  double gate_d2 = 16.27;               // chi-square gate, 3 degrees of freedom, P = 0.999
  double max_speed_mps = 600.0;         // a new track's velocity prior (sigma = this / sqrt 3 per axis)
  double max_target_speed_mps = 1000.0; // a one-hit track's second hit may not imply more than this
  double slice_s = 0.25;                // processing slice; must divide output_period_s
  double reorder_window_s = 2.0;        // out-of-sequence reports later than this are dropped (counted)
  int confirm_hits = 4;                 // M of the M-of-N rule: hits needed to confirm ...
  double confirm_within_s = 45.0;       // ... within this time of the first hit (N as time)
  double coast_scans = 1.6;             // coasting after this many revisits without a hit
  double delete_scans = 3.0;            // deleted after this many revisits without a hit ...
  double delete_min_s = 20.0;           // ... and at least this long
  double tentative_scans = 2.2;         // a tentative track without a hit for this many revisits dies
  double max_sigma_pos_m = 10000.0;     // a track this uncertain is deleted, and so is one ...
  double min_alt_m = -1000.0;           // ... below this height above the ellipsoid ...
  double max_alt_m = 40000.0;           // ... above this one ...
  double max_plausible_speed_mps = 3000.0;  // ... or faster than this: it has diverged
  double default_revisit_s = 10.0;      // a sensor's revisit before its rotation has been measured
  double adsb_revisit_s = 5.0;          // revisit assumed for ADS-B receivers
  double merge_d2 = 11.34;              // duplicate test on position (3 dof, P = 0.99) ...
  int merge_checks = 3;                 // ... passed on this many consecutive seconds
  double adsb_min_vertical_sigma_m = 30.0;  // ADS-B heights are trusted no better than this (CommonFrame)
  double spoof_d2 = 100.0;              // an ADS-B report this far (d2) from its address's track is suspect
  // Radar registration: each radar's reports are compared with tracks anchored by others
  // (recent ADS-B, or two other radars); a consistent offset is reported and then removed.
  int bias_window = 64;                 // the latest matched reports per radar ...
  int bias_min_samples = 20;            // ... of which at least this many before any verdict ...
  int bias_min_aircraft = 5;            // ... on at least this many different anchor tracks
  double bias_min_az_deg = 0.3;         // an azimuth offset at least this large ...
  double bias_min_range_m = 50.0;       // or a range offset at least this large ...
  double bias_significance = 5.0;       // ... and this many standard errors from zero is a bias
  bool correct_bias = true;             // subtract a detected bias from the radar's reports
  double output_period_s = 1.0;         // rows are emitted on multiples of this
  bool emit_tentative = false;          // also emit rows of tentative tracks
  // JPDA only. The clutter density of each radar is learnt from its reports that no
  // established track gates (a map over range and elevation, forgetting over clutter_memory_s).
  double jpda_detection_probability = 0.9;  // Pd of an established track on each revisit
  double jpda_min_clutter_density = 1e-6;   // per m rad^2: the learnt map never goes below this
  double jpda_clutter_memory_s = 300.0;
  double jpda_hit_weight = 0.5;             // a track counts as hit when its reports' betas sum to this
  // A tentative track is confirmed by M hits and a track score (log-likelihood ratio of target
  // over clutter) above Wald's upper threshold ln((1 - beta) / alpha), alpha = 1e-6 (false
  // confirmation), beta = 0.1; in dense clutter that takes longer than N allows, so ...
  double jpda_confirm_score = 13.7;
  double jpda_confirm_within_s = 135.0;     // ... a tentative track may live this long
  IdentityRules identity;
  IdentificationContext context;        // flight plans and defended assets (may be empty)
};

// One row of tracks.csv (FORMATS).
struct TrackRow {
  SimTime time;
  std::uint32_t track_number = 0;
  TrackStatus status = TrackStatus::confirmed;
  Identity identity = Identity::pending;
  Geodetic pos;
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();  // local ENU at pos
  double sigma_pos_m = 0.0;
  double sigma_vel_mps = 0.0;
  // Not in tracks.csv: the covariance of (position, velocity), m and m/s, in the local ENU at
  // pos (track-to-track fusion needs all of it, track_fusion.hpp);
  Eigen::Matrix<double, 6, 6> cov = Eigen::Matrix<double, 6, 6>::Identity();
  // the label derived from every report the track has used (combine() of
  // their sites' labels, originated by TrackerParams::label_originator), and the set of those
  // sensors — what a release may strip (Category::sensors) — as an index for Tracker::sources().
  security::ItemLabel label;
  std::uint32_t sources = 0;  // Tracker::sources(this) lists them
};

enum class AlertKind : std::uint8_t {
  adsb_spoofing,      // an ADS-B position inconsistent with the radar track holding that address
  identity_conflict,  // evidence that disagrees (a civil code on a missile-like profile, ...)
  radar_bias,         // a radar's reports are offset from the others' and from ADS-B
};
[[nodiscard]] const char* to_string(AlertKind k) noexcept;

struct Alert {
  SimTime time;
  AlertKind kind = AlertKind::adsb_spoofing;
  std::uint32_t track_number = 0;  // 0 when about a sensor
  std::uint32_t sensor = 0;        // the sensor concerned, where there is one
  std::string text;                // readable, for the operator
  // What it tells of: the track's label without SENSORS (spoofing: with the ADS-B receiver's
  // label), or the radar's, SENSORS only (misregistration). The tracker logs no alert itself: a log is an egress, and the
  // caller logs what its reader may have (run::LogEgress).
  security::ItemLabel label;
};

struct TrackerStats {
  std::uint64_t reports = 0;
  std::uint64_t late_reports_dropped = 0;  // older than the reorder window allows
  std::uint64_t duplicate_adsb = 0;        // the same squitter heard by several receivers
  std::uint64_t tracks_started = 0;
  std::uint64_t tracks_confirmed = 0;
  std::uint64_t tracks_merged = 0;
  std::uint64_t tracks_deleted = 0;
  std::uint64_t gate_tests = 0;            // full chi-square tests
  std::uint64_t assignments = 0;           // cluster problems solved
  std::uint64_t jpda_clusters = 0;         // JPDA: clusters of established tracks solved ...
  std::uint64_t jpda_k_best = 0;           // ... of which too large to enumerate (Murty k-best)
};

class Tracker {
 public:
  Tracker(std::vector<SensorSite> sensors, const TrackerParams& params);
  Tracker(Tracker&&) noexcept;
  Tracker& operator=(Tracker&&) noexcept;
  ~Tracker();

  // Adds one report. Reports may come out of time order by up to reorder_window_s.
  void add(const Report& report);
  // Processes everything still buffered and emits the last rows.
  void finish();

  // Rows and alerts emitted so far (moved out).
  [[nodiscard]] std::vector<TrackRow> take_rows();
  // The sensors (indices into the site table, ascending) of a row's `sources` set. Sets are
  // never removed, so a row's set can be looked up at any later time.
  [[nodiscard]] std::span<const std::uint32_t> sources(std::uint32_t set) const;
  [[nodiscard]] std::vector<Alert> take_alerts();

  [[nodiscard]] const TrackerStats& stats() const noexcept;
  [[nodiscard]] std::size_t live_tracks() const noexcept;
  [[nodiscard]] const CommonFrame& frame() const noexcept;
  // The evidence a live confirmed or coasting track has gathered (the civil interlock reads
  // it), or null when no live track has that number. Valid until the next add() or finish().
  [[nodiscard]] const EvidenceRecord* evidence(std::uint32_t track_number) const noexcept;
  // The registration bias currently estimated for a radar (0 when none has been detected).
  struct Bias {
    bool detected = false;
    double azimuth_deg = 0.0;
    double range_m = 0.0;
    int samples = 0;
  };
  [[nodiscard]] Bias radar_bias(std::uint32_t sensor) const;
  // JPDA: the clutter density a radar's map has learnt at a polar position, in reports per
  // m rad^2 per scan (never below jpda_min_clutter_density; the floor until it has learnt).
  [[nodiscard]] double clutter_density(std::uint32_t sensor, double range_m, double azimuth_deg,
                                       double elevation_deg) const;
  // Bytes of state per track (the Track struct and its evidence log at capacity).
  [[nodiscard]] static std::size_t bytes_per_track() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::picture
