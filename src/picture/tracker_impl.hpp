#pragma once
// Private to jrads::picture: the state of Tracker and the helpers its files share. The member
// functions of Tracker::Impl are defined by concern in tracker.cpp (the reorder buffer, slices,
// gating, GNN, updates and track management), tracker_jpda.cpp, tracker_registration.cpp and
// tracker_identity.cpp.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "jrads/picture/tracker.hpp"

namespace jrads::picture::detail {

inline constexpr double kSearchCell_m = 15000.0;  // grid cell: tracks farther than this from a report are not gated
inline constexpr double kAlertRepeat_s = 60.0;

// JPDA clutter map of a radar: cells of range x azimuth sector x elevation band (clutter lies
// where the ground, the weather or the sea is: low, and in some directions and ranges).
inline constexpr int kClutterRangeBins = 16;
inline constexpr double kClutterRangeBin_m = 25000.0;
inline constexpr int kClutterAzBins = 8;
inline constexpr std::array<double, 8> kClutterElEdges_deg = {-5.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 90.0};
inline constexpr int kClutterElBins = static_cast<int>(kClutterElEdges_deg.size()) - 1;
inline constexpr int kClutterCells = kClutterRangeBins * kClutterAzBins * kClutterElBins;

struct Support {
  std::uint32_t sensor = 0;
  SimTime time;
};

struct Track {
  std::uint64_t uid = 0;
  std::uint32_t number = 0;  // 0 while tentative
  TrackStatus status = TrackStatus::tentative;
  bool dead = false;
  bool has_icao = false;
  std::uint32_t icao = 0;
  int hits = 0;
  double hit_score = 0.0;  // JPDA: sum over hits of ln(Pd N(nu; S) / lambda), the track score's gains
  ImmState imm;
  Gaussian est;  // imm_combined(imm) at `time`
  SimTime time, first_hit, last_hit, last_radar_hit, confirmed_at;
  std::array<Support, 6> support{};  // the latest hit of each of the last few sensors
  int n_support = 0;
  Identity identity = Identity::pending;
  Profile profile = Profile::ordinary;
  SimTime profile_since;
  bool threatening = false;
  SimTime threatening_since;
  bool velocity_known = false;  // horizontal velocity good enough to judge the profile
  SimTime last_conflict_alert = SimTime::from_s(-1e9);
  SimTime last_spoof_alert = SimTime::from_s(-1e9);
  std::uint64_t merge_with = 0;  // uid of the track this one has looked like lately
  int merge_count = 0;
  EvidenceRecord evidence;
  security::ItemLabel label;  // combined over its sources
  std::uint32_t sources = 0;  // the set of every sensor whose reports it used (Impl::source_sets)

  void note_support(std::uint32_t sensor, SimTime t) {
    for (int k = 0; k < n_support; ++k) {
      if (support[k].sensor == sensor) {
        support[k].time = t;
        return;
      }
    }
    if (n_support < static_cast<int>(support.size())) {
      support[n_support++] = {sensor, t};
      return;
    }
    auto oldest = std::min_element(support.begin(), support.end(),
                                   [](const Support& a, const Support& b) { return a.time < b.time; });
    *oldest = {sensor, t};
  }
  [[nodiscard]] SimTime last_support(std::uint32_t sensor) const {
    for (int k = 0; k < n_support; ++k) {
      if (support[k].sensor == sensor) return support[k].time;
    }
    return SimTime::from_s(-1e9);
  }
};

// Per-sensor learnt facts: the rotation period from the azimuths of successive reports (the
// file says nothing about scan periods), and for interrogators, when a rotation completed.
struct SensorState {
  bool seen = false;
  double last_az_deg = 0.0;
  SimTime last_time;
  double sum_az_deg = 0.0;  // accumulated sweep, over report pairs that are unambiguous
  double sum_t_s = 0.0;
  double period_s = 0.0;    // 0 until measured from the sweep
  double interval_s = 0.0;  // from the intervals between one track's hits by this sensor; 0 until seen
  SimTime rotation_start;   // interrogators: start of the current rotation
  bool rotation_started = false;
  double max_range_m = 0.0; // farthest reply seen (interrogators)
  // Registration: residuals (measured - anchored prediction) of the latest matched reports.
  std::vector<std::pair<double, double>> residuals;  // (azimuth deg, range m), a ring
  std::vector<std::uint64_t> residual_anchor;        // the anchor track of each residual
  std::uint64_t reports_seen = 0;                    // radar reports seen while settled
  std::size_t next_residual = 0;
  Tracker::Bias bias;
  double alerted_az_deg = 0.0, alerted_range_m = 0.0;
  bool alerted = false;
  // JPDA clutter map: decaying counts of reports no established track gates, and the time
  // they were collected over (decaying alike).
  std::array<double, kClutterCells> clutter{};
  double clutter_exposure_s = 0.0;
  SimTime clutter_aged_to;
  bool clutter_aged = false;
};

// Predicted mean position after dt (no covariance): enough to place a track in the grid.
inline Eigen::Vector3d predicted_pos(const Track& t, SimTime at) {
  const double dt = (at - t.time).s();
  return t.est.x.head<3>() + dt * t.est.x.segment<3>(3);
}

// Trace of the predicted position covariance after dt, for the Euclidean pre-gate.
inline double predicted_pos_trace(const Track& t, double dt) {
  const StateCov& P = t.est.P;
  return P.block<3, 3>(0, 0).trace() + 2.0 * dt * P.block<3, 3>(0, 3).trace() + dt * dt * P.block<3, 3>(3, 3).trace();
}

// Track indices filed by the horizontal cell of a position, rebuilt when the positions move; a
// query visits the 3 x 3 cells around a point, so it finds every entry within one cell size of
// it (and some beyond). Entries are kept in (cell key, index) order. When the occupied cells
// span a bounded rectangle (always, for a region), they are bucketed by a counting sort into a
// dense table of cell starts, so building is linear and a query needs no search; otherwise
// (positions scattered over a continent) a sort and binary searches do the same.
class CellGrid {
 public:
  explicit CellGrid(double cell_m) noexcept : cell_m_(cell_m) {}
  void clear() noexcept { cells_.clear(); }
  void reserve(std::size_t n) { cells_.reserve(n); }
  void add(const Eigen::Vector3d& p, int index) { cells_.push_back({cell(p.x()), cell(p.y()), index}); }
  void sort() {
    entries_.clear();
    entries_.reserve(cells_.size());
    dense_ = false;
    if (cells_.empty()) return;
    min_x_ = max_x_ = cells_[0].cx;
    min_y_ = max_y_ = cells_[0].cy;
    for (const Cell& c : cells_) {
      min_x_ = std::min(min_x_, c.cx);
      max_x_ = std::max(max_x_, c.cx);
      min_y_ = std::min(min_y_, c.cy);
      max_y_ = std::max(max_y_, c.cy);
    }
    const std::int64_t nx = max_x_ - min_x_ + 1, ny = max_y_ - min_y_ + 1;
    if (nx <= kMaxDenseCells / ny) {
      dense_ = true;
      ny_ = ny;
      start_.assign(static_cast<std::size_t>(nx * ny + 1), 0);
      for (const Cell& c : cells_) ++start_[dense(c.cx, c.cy) + 1];
      for (std::size_t k = 1; k < start_.size(); ++k) start_[k] += start_[k - 1];
      entries_.resize(cells_.size());
      std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
      for (const Cell& c : cells_) entries_[fill[dense(c.cx, c.cy)]++] = {key(c.cx, c.cy), c.index};
      // Within a cell, entries are in insertion order; the callers insert in index order.
      return;
    }
    for (const Cell& c : cells_) entries_.emplace_back(key(c.cx, c.cy), c.index);
    std::sort(entries_.begin(), entries_.end());
  }
  // (cell key, index) in key order.
  [[nodiscard]] const std::vector<std::pair<std::int64_t, int>>& entries() const noexcept { return entries_; }

  template <class F>
  void for_each_near(const Eigen::Vector3d& p, F&& f) const {
    const std::int64_t cx = cell(p.x()), cy = cell(p.y());
    if (dense_) {
      const std::int64_t y0 = std::max(cy - 1, min_y_), y1 = std::min(cy + 1, max_y_);
      if (y0 > y1) return;
      for (std::int64_t x = std::max(cx - 1, min_x_); x <= std::min(cx + 1, max_x_); ++x) {
        const std::uint32_t end = start_[dense(x, y1) + 1];
        for (std::uint32_t k = start_[dense(x, y0)]; k < end; ++k) f(entries_[k].second);
      }
      return;
    }
    for (std::int64_t dx = -1; dx <= 1; ++dx) {
      // The three cells (cx + dx, cy - 1 .. cy + 1) have consecutive keys: one search, one run.
      const std::int64_t first = key(cx + dx, cy - 1), last = key(cx + dx, cy + 1);
      auto it = std::lower_bound(entries_.begin(), entries_.end(), std::pair<std::int64_t, int>{first, -1});
      for (; it != entries_.end() && it->first <= last; ++it) f(it->second);
    }
  }

 private:
  static constexpr std::int64_t kMaxDenseCells = 4'000'000;
  struct Cell {
    std::int64_t cx, cy;
    int index;
  };
  [[nodiscard]] std::int64_t cell(double v) const noexcept { return static_cast<std::int64_t>(std::floor(v / cell_m_)); }
  static std::int64_t key(std::int64_t cx, std::int64_t cy) noexcept {
    return (cx + (1LL << 30)) * (1LL << 31) + (cy + (1LL << 30));
  }
  [[nodiscard]] std::size_t dense(std::int64_t cx, std::int64_t cy) const noexcept {
    return static_cast<std::size_t>((cx - min_x_) * ny_ + (cy - min_y_));
  }
  double cell_m_;
  std::vector<Cell> cells_;
  std::vector<std::pair<std::int64_t, int>> entries_;
  bool dense_ = false;
  std::int64_t min_x_ = 0, max_x_ = 0, min_y_ = 0, max_y_ = 0, ny_ = 1;
  std::vector<std::uint32_t> start_;  // dense: entries of cell d are [start_[d], start_[d + 1])
};

// Union-find over reports and tracks of one sensor group, for gated clusters.
struct Pair {
  int report = 0;  // index into the group
  int track = 0;   // index into Impl::tracks
  double cost = 0.0;
};

// The gated pairs of one sensor group split into clusters (reports and tracks linked by
// pairs; union-find): root[j] is the report standing for report j's cluster (the lowest
// index, j itself when it has no pair), pairs_at[r] the pair indices of the cluster of root r.
struct GatedClusters {
  std::vector<int> root;
  std::vector<std::vector<int>> pairs_at;
};
[[nodiscard]] GatedClusters cluster_pairs(const std::vector<Pair>& pairs, int n_reports);

// A cluster's distinct reports (group indices) and tracks, each in increasing order.
struct ClusterMembers {
  std::vector<int> reports, tracks;
};
[[nodiscard]] ClusterMembers members_of(const std::vector<Pair>& pairs, std::span<const int> ks);

// One update of a track: a single report (GNN), or the reports of one sensor weighted by their
// association probabilities (JPDA: an index into the slice's PDA updates).
struct Update {
  int track = 0;
  int report = 0;  // slice index; for a PDA update, its most probable report
  int pda = -1;
};

struct PdaUpdate {
  SimTime time;              // the reports are taken as simultaneous at this time (the earliest)
  std::vector<int> reports;  // slice indices
  std::vector<double> betas;
  double beta0 = 1.0;
};

}  // namespace jrads::picture::detail

namespace jrads::picture {

struct Tracker::Impl {
  std::vector<SensorSite> sensors;
  TrackerParams params;
  CommonFrame frame;
  std::vector<detail::SensorState> sensor_state;

  // Reorder buffer: a min-heap on (time, arrival).
  struct Pending {
    Report report;
    std::uint64_t seq = 0;
  };
  std::vector<Pending> heap;
  std::deque<Pending> fifo;
  std::uint64_t seq = 0;
  bool have_newest = false;
  SimTime newest;
  bool have_released = false;
  SimTime released;  // every report at or before this has been handed to the slices

  bool slicing = false;
  SimTime slice_end;
  std::vector<Report> slice;
  SimTime slice_dt, output_dt;

  std::vector<detail::Track> tracks;
  std::size_t dead_tracks = 0;                 // tracks marked dead and not yet compacted away
  std::vector<detail::PdaUpdate> pda_updates;  // this slice's (JPDA)
  std::uint64_t next_uid = 1;
  std::uint32_t next_number = 1;
  std::unordered_map<std::uint32_t, std::uint64_t> icao_owner;  // address -> track uid

  // Identification context in the region frame.
  struct PlanGeometry {
    std::vector<Eigen::Vector2d> route;  // horizontal, region ENU
    std::vector<double> time_s;          // planned time at each route point
    bool friendly = false;
  };
  std::vector<PlanGeometry> plans;
  std::unordered_multimap<std::uint32_t, int> plans_by_icao, plans_by_squawk;
  std::vector<std::pair<Eigen::Vector2d, double>> assets;  // centre, radius
  std::vector<std::vector<std::uint32_t>> colocated_radars;  // per interrogator

  // The tracks of the current slice by place, for gating.
  detail::CellGrid grid{detail::kSearchCell_m};

  std::vector<Geodetic> geo_now;  // see locate_tracks()

  std::vector<TrackRow> rows;
  std::vector<Alert> alerts;
  TrackerStats stats;

  Impl(std::vector<SensorSite> s, const TrackerParams& p);
  // Distinct sets of sensors, ascending, each stored once (tracks and rows hold an index): a
  // track gains a source rarely, and a row must not carry a copy. Set 0 is empty.
  std::vector<std::vector<std::uint32_t>> source_sets{{}};
  std::map<std::vector<std::uint32_t>, std::uint32_t> source_set_index{{{}, 0}};
  // A report of `sensor` went into the track: its set and label take the sensor in.
  void note_source(detail::Track& t, std::uint32_t sensor) {
    const std::vector<std::uint32_t>& now = source_sets[t.sources];
    const auto at = std::lower_bound(now.begin(), now.end(), sensor);
    if (at != now.end() && *at == sensor) return;  // its label is in already
    std::vector<std::uint32_t> more = now;
    more.insert(more.begin() + (at - now.begin()), sensor);
    // combine() keeps each input's originator among the holders when the node's party takes over.
    const security::ItemLabel& site = sensors[sensor].label;
    t.label = security::combine(now.empty() ? site : t.label, site, params.label_originator);
    const auto [it, added] = source_set_index.try_emplace(more, static_cast<std::uint32_t>(source_sets.size()));
    if (added) source_sets.push_back(std::move(more));
    t.sources = it->second;
  }

  // tracker.cpp: the reorder buffer and the slices
  static bool heap_after(const Pending& a, const Pending& b);
  void add(const Report& r);
  [[nodiscard]] bool buffered() const noexcept;
  [[nodiscard]] bool next_in_heap() const;
  [[nodiscard]] const Pending& next_buffered() const;
  void release_top();
  [[nodiscard]] SimTime slice_end_after(SimTime t) const;
  void finish();
  void close_slice();

  // tracker.cpp: gating and GNN association
  void build_grid(SimTime at);
  template <class F>
  void for_tracks_near(const Eigen::Vector3d& p, F&& f) const {
    grid.for_each_near(p, std::forward<F>(f));
  }
  [[nodiscard]] Gaussian predict_for_gate(const detail::Track& t, double dt) const;
  bool gate(const detail::Track& t, const Report& r, const Measurement& m, const Eigen::Vector3d& approx_pos,
            double meas_trace, double* d2_out, double* cost_out);
  void process(SimTime t0, SimTime t1);
  void learn_rotations();
  [[nodiscard]] double revisit_s(std::uint32_t sensor) const;
  void learn_interval(std::uint32_t sensor, double interval);
  [[nodiscard]] double sensor_period_s(std::uint32_t sensor) const;
  [[nodiscard]] double track_revisit_s(const detail::Track& t, SimTime now) const;
  void drop_duplicate_adsb();
  [[nodiscard]] int index_of_uid(std::uint64_t uid) const;
  void associate(std::span<const int> group, std::vector<detail::Update>& updates, std::vector<int>& unassigned);
  void solve_gnn(std::span<const int> group, const std::vector<detail::Pair>& pairs, const std::vector<bool>& done,
                 std::vector<detail::Update>& updates, std::vector<int>& unassigned);
  void solve_cluster(std::span<const int> group, const std::vector<detail::Pair>& pairs, const std::vector<int>& ks,
                     std::vector<detail::Update>& updates, std::vector<int>& unassigned);

  // tracker.cpp: updates and track management
  [[nodiscard]] SimTime update_time(const detail::Update& u) const;
  void apply_updates(std::vector<detail::Update>& updates);
  void start_track(const Report& r);
  void locate_tracks(SimTime now);
  [[nodiscard]] bool plausible(const detail::Track& t, std::size_t index) const;
  void maintain(SimTime now);
  void kill(detail::Track& t);
  void merge_duplicates(SimTime now);
  void fold(detail::Track& keep, detail::Track& gone);
  void emit_rows(SimTime now);
  void compact();

  // tracker_registration.cpp
  [[nodiscard]] bool is_anchor_for(const detail::Track& t, std::uint32_t s, SimTime now) const;
  void register_radars();
  void add_residual(const Report& r, detail::SensorState& st, double daz, double dr, std::uint64_t anchor);

  // tracker_jpda.cpp
  void age_clutter_maps(SimTime now);
  [[nodiscard]] double clutter_density(std::uint32_t sensor, double range_m, double az_deg, double el_deg) const;
  [[nodiscard]] double clutter_density(const Report& r) const;
  void associate_jpda(std::span<const int> group, const std::vector<Measurement>& meas,
                      const std::vector<detail::Pair>& pairs, std::vector<detail::Update>& updates,
                      std::vector<int>& unassigned);
  void solve_jpda(std::span<const int> group, const std::vector<Measurement>& meas,
                  const std::vector<detail::Pair>& pairs, std::vector<detail::Update>& updates);
  [[nodiscard]] double track_score(const detail::Track& t, SimTime now) const;
  [[nodiscard]] bool score_confirms(const detail::Track& t, SimTime now) const;

  // tracker_identity.cpp
  void note_origin(detail::Track& t);
  void associate_iff(std::span<const int> group);
  void iff_rotations(SimTime now);
  void match_flight_plans(detail::Track& t, const Eigen::Vector2d& pos, SimTime now);
  static double distance_to_route(const std::vector<Eigen::Vector2d>& route, const Eigen::Vector2d& p);
  [[nodiscard]] bool threatens_asset(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel) const;
  void correlate_plans_by_position(SimTime now);
  static int severity(Identity id) noexcept;
  void update_identities(SimTime now);
};

}  // namespace jrads::picture
