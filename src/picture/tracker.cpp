#include "jrads/picture/tracker.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <numeric>
#include <unordered_map>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "jrads/core/assignment.hpp"
#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"
#include "jrads/picture/jpda.hpp"

namespace jrads::picture {

const char* to_string(TrackStatus s) noexcept {
  switch (s) {
    case TrackStatus::tentative: return "tentative";
    case TrackStatus::confirmed: return "confirmed";
    case TrackStatus::coasting: return "coasting";
  }
  return "tentative";
}

const char* to_string(AlertKind k) noexcept {
  switch (k) {
    case AlertKind::adsb_spoofing: return "adsb_spoofing";
    case AlertKind::identity_conflict: return "identity_conflict";
    case AlertKind::radar_bias: return "radar_bias";
  }
  return "?";
}

const char* to_string(Association a) noexcept {
  switch (a) {
    case Association::gnn: return "gnn";
    case Association::jpda: return "jpda";
  }
  return "?";
}

namespace {

constexpr double kSearchCell_m = 15000.0;  // grid cell: tracks farther than this from a report are not gated
constexpr double kSupportMemory_s = 60.0;  // a sensor that saw a track this recently sets its revisit
constexpr double kSpoofRadarMemory_s = 30.0;
constexpr double kAlertRepeat_s = 60.0;
constexpr double kAnchorMaxSigma_m = 500.0;  // an anchor's position is known at least this well
constexpr std::uint64_t kSettledSampling = 8;
constexpr double kIffClearMargin = 8.0;     // -2 ln(likelihood ratio) a reply's best track must win by
constexpr double kProfileMaxSigmaVel_mps = 60.0;  // speed-based profiles need a horizontal velocity this good

// JPDA clutter map of a radar: cells of range x azimuth sector x elevation band (clutter lies
// where the ground, the weather or the sea is: low, and in some directions and ranges).
constexpr int kClutterRangeBins = 16;
constexpr double kClutterRangeBin_m = 25000.0;
constexpr int kClutterAzBins = 8;
constexpr std::array<double, 8> kClutterElEdges_deg = {-5.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 90.0};
constexpr int kClutterElBins = static_cast<int>(kClutterElEdges_deg.size()) - 1;
constexpr int kClutterCells = kClutterRangeBins * kClutterAzBins * kClutterElBins;

int clutter_cell(double range_m, double az_deg, double el_deg) noexcept {
  const int rb = std::clamp(static_cast<int>(range_m / kClutterRangeBin_m), 0, kClutterRangeBins - 1);
  const int ab = std::clamp(static_cast<int>(az_deg / (360.0 / kClutterAzBins)), 0, kClutterAzBins - 1);
  int eb = 0;
  while (eb + 1 < kClutterElBins && el_deg >= kClutterElEdges_deg[static_cast<std::size_t>(eb + 1)]) ++eb;
  return (rb * kClutterAzBins + ab) * kClutterElBins + eb;
}

// Measurement-space volume of a cell (m rad^2: range x azimuth x elevation, the units of a
// polar likelihood).
double clutter_cell_volume(int cell) noexcept {
  const int eb = cell % kClutterElBins;
  const double del_deg = kClutterElEdges_deg[static_cast<std::size_t>(eb + 1)] - kClutterElEdges_deg[static_cast<std::size_t>(eb)];
  return kClutterRangeBin_m * (2.0 * units::pi / kClutterAzBins) * (del_deg * units::pi / 180.0);
}

// P(d2 <= g) for a chi-square with 3 degrees of freedom: the probability a true report is gated.
double gate_probability_3dof(double g) noexcept {
  const double x = std::sqrt(std::max(g, 0.0));
  return std::erf(x / std::sqrt(2.0)) - std::sqrt(2.0 / units::pi) * x * std::exp(-0.5 * g);
}

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
Eigen::Vector3d predicted_pos(const Track& t, SimTime at) {
  const double dt = (at - t.time).s();
  return t.est.x.head<3>() + dt * t.est.x.segment<3>(3);
}

// Trace of the predicted position covariance after dt, for the Euclidean pre-gate.
double predicted_pos_trace(const Track& t, double dt) {
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

// Even-odd test of a point in a polygon with straight edges in latitude and longitude (as a
// scenario draws a border along a parallel); the antimeridian is not handled.
bool inside_latlon_polygon(const std::vector<Geodetic>& poly, const Geodetic& p) noexcept {
  bool inside = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Geodetic& a = poly[i];
    const Geodetic& b = poly[j];
    if ((a.lat_deg > p.lat_deg) == (b.lat_deg > p.lat_deg)) continue;
    const double lon_at = a.lon_deg + (p.lat_deg - a.lat_deg) / (b.lat_deg - a.lat_deg) * (b.lon_deg - a.lon_deg);
    if (p.lon_deg < lon_at) inside = !inside;
  }
  return inside;
}

// Duplicates are looked for within this distance: further apart, two tracks are two aircraft.
constexpr double kMergeCell_m = 3000.0;

// Union-find over reports and tracks of one sensor group, for gated clusters.
struct Clusters {
  std::vector<int> parent;
  explicit Clusters(int n) : parent(static_cast<std::size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int a) {
    while (parent[a] != a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

struct Pair {
  int report = 0;  // index into the group
  int track = 0;   // index into tracks_
  double cost = 0.0;
};

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

}  // namespace

struct Tracker::Impl {
  std::vector<SensorSite> sensors;
  TrackerParams params;
  CommonFrame frame;
  std::vector<SensorState> sensor_state;

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

  std::vector<Track> tracks;
  std::size_t dead_tracks = 0;         // tracks marked dead and not yet compacted away
  std::vector<PdaUpdate> pda_updates;  // this slice's (JPDA)
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
  CellGrid grid{kSearchCell_m};

  std::vector<Geodetic> geo_now;  // see locate_tracks()

  std::vector<TrackRow> rows;
  std::vector<Alert> alerts;
  TrackerStats stats;
  std::shared_ptr<spdlog::logger> log = logger("picture");

  Impl(std::vector<SensorSite> s, const TrackerParams& p)
      : sensors(std::move(s)), params(p),
        frame(CommonFrame::centroid_of(sensors), sensors, params.adsb_min_vertical_sigma_m),
        sensor_state(sensors.size()) {
    JRADS_ASSERT(!sensors.empty());
    JRADS_ASSERT(params.slice_s > 0.0 && params.output_period_s >= params.slice_s);
    slice_dt = SimTime::from_s(params.slice_s);
    output_dt = SimTime::from_s(params.output_period_s);
    JRADS_ASSERT(output_dt.ns() % slice_dt.ns() == 0);
    const auto& ctx = params.context;
    for (int i = 0; i < static_cast<int>(ctx.flight_plans.size()); ++i) {
      const FlightPlan& fp = ctx.flight_plans[i];
      PlanGeometry g;
      g.friendly = fp.friendly;
      for (const Geodetic& point : fp.route) g.route.push_back(frame.region().enu_from_geodetic(point).vec().head<2>());
      g.time_s.push_back(fp.departure_s);
      for (std::size_t k = 1; k < g.route.size(); ++k) {
        const double v = k < fp.leg_speed_mps.size() && fp.leg_speed_mps[k] > 1.0 ? fp.leg_speed_mps[k] : 200.0;
        g.time_s.push_back(g.time_s.back() + (g.route[k] - g.route[k - 1]).norm() / v);
      }
      plans.push_back(std::move(g));
      if (fp.icao) plans_by_icao.emplace(*fp.icao, i);
      if (fp.squawk) plans_by_squawk.emplace(*fp.squawk, i);
    }
    for (const DefendedArea& a : ctx.assets) {
      assets.emplace_back(frame.region().enu_from_geodetic(a.centre).vec().head<2>(), a.radius_m);
    }
    // An interrogator's silence means something only where it can see: where a radar at its
    // own site sees the track (same horizon).
    colocated_radars.resize(sensors.size());
    for (std::uint32_t i = 0; i < sensors.size(); ++i) {
      if (sensors[i].kind != SensorKind::iff) continue;
      for (std::uint32_t k = 0; k < sensors.size(); ++k) {
        if (sensors[k].kind != SensorKind::radar) continue;
        if ((frame.sensor_position(i) - frame.sensor_position(k)).norm() <= 2000.0) colocated_radars[i].push_back(k);
      }
    }
  }

  static bool heap_after(const Pending& a, const Pending& b) {
    if (a.report.time != b.report.time) return a.report.time > b.report.time;
    return a.seq > b.seq;
  }

  void add(const Report& r) {
    ++stats.reports;
    JRADS_ASSERT(r.sensor < sensors.size());  // the readers check sensors; anything else is a bug
    if (have_released && r.time < released) {
      ++stats.late_reports_dropped;
      return;
    }
    // Reports that come in time order (nearly all) queue in a FIFO; only those that come
    // earlier than the FIFO's last pay for the heap. Both are in (time, arrival) order.
    if (fifo.empty() || r.time >= fifo.back().report.time) {
      fifo.push_back({r, seq++});
    } else {
      heap.push_back({r, seq++});
      std::push_heap(heap.begin(), heap.end(), heap_after);
    }
    if (!have_newest || r.time > newest) newest = r.time;
    have_newest = true;
    const SimTime horizon = newest - SimTime::from_s(params.reorder_window_s);
    while (buffered() && next_buffered().report.time <= horizon) release_top();
  }

  [[nodiscard]] bool buffered() const noexcept { return !fifo.empty() || !heap.empty(); }
  [[nodiscard]] bool next_in_heap() const {
    return fifo.empty() || (!heap.empty() && heap_after(fifo.front(), heap.front()));
  }
  [[nodiscard]] const Pending& next_buffered() const { return next_in_heap() ? heap.front() : fifo.front(); }

  void release_top() {
    Report r;
    if (next_in_heap()) {
      std::pop_heap(heap.begin(), heap.end(), heap_after);
      r = heap.back().report;
      heap.pop_back();
    } else {
      r = fifo.front().report;
      fifo.pop_front();
    }
    released = r.time;
    have_released = true;
    if (!slicing) {
      slice_end = slice_end_after(r.time);  // the first slice ends on the grid just after it
      slicing = true;
    }
    while (r.time >= slice_end) {
      if (slice.empty() && tracks.size() == dead_tracks) {
        // Nothing to process or to report until this report: skip the empty slices at once (a
        // file may jump by years; stepping through them would take as long).
        slice_end = slice_end_after(r.time);
        break;
      }
      close_slice();
    }
    slice.push_back(r);
  }

  [[nodiscard]] SimTime slice_end_after(SimTime t) const {
    const std::int64_t d = slice_dt.ns();
    const std::int64_t q = t.ns() >= 0 ? t.ns() / d : (t.ns() - d + 1) / d;  // floor division
    return SimTime::from_ns((q + 1) * d);
  }

  void finish() {
    while (buffered()) release_top();
    if (!slicing) return;
    // Close the last slice, then run on to the next output time so the last rows are written.
    do {
      close_slice();
    } while ((slice_end - slice_dt).ns() % output_dt.ns() != 0);
  }

  // Processes the reports of [slice_end - slice_dt, slice_end), then the end-of-slice work.
  void close_slice() {
    const SimTime t0 = slice_end - slice_dt;
    const SimTime t1 = slice_end;
    if (!slice.empty()) process(t0, t1);
    slice.clear();
    if (t1.ns() % output_dt.ns() == 0) {
      locate_tracks(t1);
      maintain(t1);  // once per output period: track life is decided to the second
      merge_duplicates(t1);
      update_identities(t1);
      emit_rows(t1);
    }
    compact();
    slice_end = t1 + slice_dt;
  }

  // ---- radar registration ------------------------------------------------------------------

  // A track is an anchor for radar s when something other than s pins it down now: a recent
  // ADS-B update, or hits from two other radars.
  [[nodiscard]] bool is_anchor_for(const Track& t, std::uint32_t s, SimTime now) const {
    if (t.status == TrackStatus::tentative) return false;
    int others = 0;
    for (int k = 0; k < t.n_support; ++k) {
      const Support& sp = t.support[k];
      if (sp.sensor == s) continue;
      const SensorKind kind = sensors[sp.sensor].kind;
      if (kind == SensorKind::adsb && (now - sp.time).s() <= 5.0) return true;
      if (kind == SensorKind::radar && (now - sp.time).s() <= 1.5 * revisit_s(sp.sensor)) ++others;
    }
    return others >= 2;
  }

  // Matches every radar report of the slice with the one anchor near it (none when two are
  // near: an ambiguous match would blur the estimate), before any bias correction.
  void register_radars() {
    for (Report& r : slice) {
      if (r.kind != SensorKind::radar) continue;
      SensorState& st = sensor_state[r.sensor];
      // A radar with a full window and no bias is watched on one report in kSettledSampling:
      // a misalignment builds up over minutes, not within a scan, and matching is costly.
      const bool settled =
          st.residuals.size() >= static_cast<std::size_t>(std::max(1, params.bias_window)) && !st.bias.detected;
      if (settled && (st.reports_seen++ % kSettledSampling) != 0) continue;
      const Measurement m = frame.measurement(r);
      const Eigen::Vector3d approx = position_of(m).pos;
      // Every track that other sensors see and that could be this report's aircraft counts:
      // the match is used only when exactly one lies in the window and it is an anchor. Tracks
      // seen by this radar alone are left out: a biased radar's own duplicates sit there.
      // The window (3 deg by 3 km) as a Euclidean radius, to skip most tracks without trigonometry.
      const double reach = r.range_m * (3.0 * 3.14159265358979323846 / 180.0) + 3000.0 + 1000.0;
      int in_window = 0;
      bool anchored = false;
      std::uint64_t anchor_uid = 0;
      double daz = 0.0, dr = 0.0;
      for_tracks_near(approx, [&](int ti) {
        const Track& t = tracks[ti];
        if (t.dead || in_window > 1) return;
        const Eigen::Vector3d p = predicted_pos(t, r.time);
        if ((p - approx).squaredNorm() > reach * reach) return;
        bool seen_by_others = false;
        for (int k = 0; k < t.n_support; ++k) seen_by_others |= t.support[k].sensor != r.sensor;
        if (!seen_by_others) return;
        const Eigen::Vector3d q = m.rot_sensor_from_region * p + m.offset_m;
        double az = std::atan2(q.x(), q.y()) * 180.0 / 3.14159265358979323846;
        if (az < 0.0) az += 360.0;
        double a = r.azimuth_deg - az;
        a -= 360.0 * std::round(a / 360.0);
        const double d = r.range_m - q.norm();
        if (std::abs(a) > 3.0 || std::abs(d) > 3000.0) return;
        ++in_window;
        anchored = is_anchor_for(t, r.sensor, r.time) &&
                   predicted_pos_trace(t, (r.time - t.time).s()) <= kAnchorMaxSigma_m * kAnchorMaxSigma_m;
        anchor_uid = t.uid;
        daz = a;
        dr = d;
      });
      if (in_window == 1 && anchored) add_residual(r, st, daz, dr, anchor_uid);
      if (params.correct_bias && st.bias.detected) {
        r.azimuth_deg -= st.bias.azimuth_deg;
        r.azimuth_deg -= 360.0 * std::floor(r.azimuth_deg / 360.0);
        r.range_m = std::max(1.0, r.range_m - st.bias.range_m);
      }
    }
  }

  void add_residual(const Report& r, SensorState& st, double daz, double dr, std::uint64_t anchor) {
    const auto window = static_cast<std::size_t>(std::max(1, params.bias_window));
    if (st.residuals.size() < window) {
      st.residuals.emplace_back(daz, dr);
      st.residual_anchor.push_back(anchor);
    } else {
      st.residuals[st.next_residual] = {daz, dr};
      st.residual_anchor[st.next_residual] = anchor;
    }
    st.next_residual = (st.next_residual + 1) % window;
    const int n = static_cast<int>(st.residuals.size());
    if (n < params.bias_min_samples) return;
    // A bias shows on many aircraft; one mis-tracked aircraft must not look like one.
    std::vector<std::uint64_t> distinct = st.residual_anchor;
    std::sort(distinct.begin(), distinct.end());
    if (std::unique(distinct.begin(), distinct.end()) - distinct.begin() < params.bias_min_aircraft) return;
    // Medians resist the odd wrong match; the standard error comes from the spread.
    auto median_and_se = [&](auto get) {
      std::vector<double> v;
      v.reserve(st.residuals.size());
      for (const auto& p : st.residuals) v.push_back(get(p));
      std::nth_element(v.begin(), v.begin() + n / 2, v.end());
      const double med = v[n / 2];
      double ss = 0.0;
      for (double x : v) ss += (x - med) * (x - med);
      return std::pair(med, 1.2533 * std::sqrt(ss / (n - 1)) / std::sqrt(static_cast<double>(n)));
    };
    const auto [az, az_se] = median_and_se([](const auto& p) { return p.first; });
    const auto [rg, rg_se] = median_and_se([](const auto& p) { return p.second; });
    // Once a component is detected it stays until it falls below half its threshold, so an
    // estimate near the threshold does not flicker.
    const double keep_az = st.bias.detected && st.bias.azimuth_deg != 0.0 ? 0.5 : 1.0;
    const double keep_rg = st.bias.detected && st.bias.range_m != 0.0 ? 0.5 : 1.0;
    const bool az_bias = std::abs(az) >= keep_az * params.bias_min_az_deg && std::abs(az) > params.bias_significance * az_se;
    const bool rg_bias = std::abs(rg) >= keep_rg * params.bias_min_range_m && std::abs(rg) > params.bias_significance * rg_se;
    st.bias.samples = n;
    if (!az_bias && !rg_bias) {
      if (st.bias.detected) st.bias = Tracker::Bias{false, 0.0, 0.0, n};
      return;
    }
    st.bias.detected = true;
    st.bias.azimuth_deg = az_bias ? az : 0.0;
    st.bias.range_m = rg_bias ? rg : 0.0;
    const bool changed = std::abs(st.bias.azimuth_deg - st.alerted_az_deg) > std::max(0.25, 3.0 * az_se) ||
                         std::abs(st.bias.range_m - st.alerted_range_m) > std::max(100.0, 3.0 * rg_se);
    if (st.alerted && !changed) return;
    st.alerted = true;
    st.alerted_az_deg = st.bias.azimuth_deg;
    st.alerted_range_m = st.bias.range_m;
    char text[240];
    std::snprintf(text, sizeof text,
                  "radar %s looks misregistered: azimuth offset %+.2f deg (+/- %.2f), range offset %+.0f m (+/- %.0f) "
                  "over its last %d reports matched with tracks anchored by ADS-B or other radars%s",
                  sensors[r.sensor].id.c_str(), az, az_se, rg, rg_se, n,
                  params.correct_bias ? "; correcting" : "");
    alerts.push_back({r.time, AlertKind::radar_bias, 0, r.sensor, text});
    log->info("t={:.1f} s: {}", r.time.s(), text);
  }

  // ---- association -------------------------------------------------------------------------

  void build_grid(SimTime at) {
    grid.clear();
    grid.reserve(tracks.size());
    for (int i = 0; i < static_cast<int>(tracks.size()); ++i) {
      if (!tracks[i].dead) grid.add(predicted_pos(tracks[i], at), i);
    }
    grid.sort();
  }

  template <class F>
  void for_tracks_near(const Eigen::Vector3d& p, F&& f) const {
    grid.for_each_near(p, std::forward<F>(f));
  }

  // The prediction a report is gated against: the combined estimate moved by the model that
  // currently dominates, so a turning track is gated where the turn takes it.
  [[nodiscard]] Gaussian predict_for_gate(const Track& t, double dt) const {
    if (t.imm.mu[1] > 0.5) return imm_combined(imm_predict(t.imm, dt, params.imm));
    return predict_cv_position(t.est, dt, params.imm.motion);
  }

  // The gate test of one report against one track: cost d2 + ln det S, or nothing.
  bool gate(const Track& t, const Report& r, const Measurement& m, const Eigen::Vector3d& approx_pos,
            double meas_trace, double* d2_out, double* cost_out) {
    const double dt = (r.time - t.time).s();
    if (dt < 0.0) return false;
    const Eigen::Vector3d p = predicted_pos(t, r.time);
    const double bound = params.gate_d2 * (predicted_pos_trace(t, dt) + meas_trace);
    if ((p - approx_pos).squaredNorm() > bound) return false;  // d2 >= |dp|^2 / trace(S): safe to skip
    if (t.hits == 1) {
      // A one-hit track has no velocity yet: its second hit must be reachable at a plausible speed.
      const double reach = params.max_target_speed_mps * dt + 3.0 * std::sqrt(meas_trace + t.est.P.block<3, 3>(0, 0).trace());
      if ((t.est.x.head<3>() - approx_pos).squaredNorm() > reach * reach) return false;
    }
    ++stats.gate_tests;
    Innovation inn = innovate(predict_for_gate(t, dt), m);
    if ((!inn.valid || inn.d2 > params.gate_d2) && t.status != TrackStatus::tentative && t.imm.mu[1] <= 0.5) {
      // A manoeuvre the combined estimate has not seen yet may still be where the turn model
      // would take it: the gate is the union of the two models' gates.
      ++stats.gate_tests;
      inn = innovate(predict_ct(t.imm.model[1], dt, params.imm.motion), m);
    }
    if (!inn.valid || inn.d2 > params.gate_d2) return false;
    *d2_out = inn.d2;
    *cost_out = inn.d2 + std::log(std::max(inn.S.determinant(), 1e-300));
    return true;
  }

  void process(SimTime t0, SimTime t1) {
    learn_rotations();
    drop_duplicate_adsb();
    build_grid(t0 + SimTime::from_ns((t1 - t0).ns() / 2));
    register_radars();

    // Per sensor, in sensor order (the slice is in time order; stable sort keeps it so).
    std::vector<int> order(slice.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return slice[a].sensor < slice[b].sensor; });

    if (params.association == Association::jpda) age_clutter_maps(t1);
    // Every update, applied per track in time order afterwards.
    std::vector<Update> updates;
    pda_updates.clear();
    std::vector<int> unassigned;
    for (std::size_t begin = 0; begin < order.size();) {
      std::size_t end = begin;
      while (end < order.size() && slice[order[end]].sensor == slice[order[begin]].sensor) ++end;
      const std::span<const int> group(order.data() + begin, end - begin);
      if (sensors[slice[group[0]].sensor].kind == SensorKind::iff) {
        associate_iff(group);
      } else {
        associate(group, updates, unassigned);
      }
      begin = end;
    }
    apply_updates(updates);
    std::sort(unassigned.begin(), unassigned.end());
    for (int idx : unassigned) start_track(slice[idx]);
  }

  void learn_rotations() {
    for (const Report& r : slice) {
      if (r.kind == SensorKind::adsb) continue;
      SensorState& s = sensor_state[r.sensor];
      if (r.kind == SensorKind::iff) s.max_range_m = std::max(s.max_range_m, r.range_m);
      if (s.seen) {
        const double dt = (r.time - s.last_time).s();
        double daz = r.azimuth_deg - s.last_az_deg;
        if (daz < 0.0) daz += 360.0;
        // Pairs whose sweep could be read two ways (nearly 0 or nearly 360 degrees) are skipped.
        if (dt > 0.0 && daz > 0.5 && daz < 300.0) {
          s.sum_az_deg += daz;
          s.sum_t_s += dt;
          if (s.sum_az_deg >= 720.0) s.period_s = 360.0 * s.sum_t_s / s.sum_az_deg;
        }
      }
      s.seen = true;
      s.last_az_deg = r.azimuth_deg;
      s.last_time = r.time;
    }
  }

  [[nodiscard]] double revisit_s(std::uint32_t sensor) const {
    if (sensors[sensor].kind == SensorKind::adsb) return params.adsb_revisit_s;
    const SensorState& st = sensor_state[sensor];
    if (st.period_s > 0.0) return st.period_s;
    return st.interval_s > 0.0 ? st.interval_s : params.default_revisit_s;
  }

  // A second estimate of a rotating sensor's period, for sensors that see too few aircraft for
  // the sweep estimate: successive hits on one track are one period apart, or a few when the
  // sensor missed it, so a shorter interval replaces the estimate and longer ones are ignored.
  void learn_interval(std::uint32_t sensor, double interval) {
    if (interval < 0.5 || interval > 120.0) return;
    double& est = sensor_state[sensor].interval_s;
    if (est <= 0.0 || interval < 0.7 * est) {
      est = interval;
    } else if (interval < 1.4 * est) {
      est += 0.1 * (interval - est);
    }
  }
  [[nodiscard]] double sensor_period_s(std::uint32_t sensor) const {
    const SensorState& st = sensor_state[sensor];
    return st.period_s > 0.0 ? st.period_s : st.interval_s;
  }

  // The slowest revisit among the sensors that have seen the track lately (IFF excluded).
  [[nodiscard]] double track_revisit_s(const Track& t, SimTime now) const {
    double r = 0.0;
    for (int k = 0; k < t.n_support; ++k) {
      const Support& s = t.support[k];
      if (sensors[s.sensor].kind == SensorKind::iff) continue;
      if ((now - s.time).s() > kSupportMemory_s) continue;
      r = std::max(r, revisit_s(s.sensor));
    }
    return r > 0.0 ? r : params.default_revisit_s;
  }

  // Several receivers decode the same squitter: one message, one measurement.
  void drop_duplicate_adsb() {
    std::vector<int> adsb;
    for (int i = 0; i < static_cast<int>(slice.size()); ++i) {
      if (slice[i].kind == SensorKind::adsb) adsb.push_back(i);
    }
    if (adsb.size() < 2) return;
    auto key = [&](int i) {
      const Report& r = slice[i];
      return std::tuple(r.icao, r.time, r.pos.lat_deg, r.pos.lon_deg, r.pos.alt_m);
    };
    std::stable_sort(adsb.begin(), adsb.end(), [&](int a, int b) { return key(a) < key(b); });
    std::vector<bool> drop(slice.size(), false);
    for (std::size_t k = 1; k < adsb.size(); ++k) {
      if (key(adsb[k]) == key(adsb[k - 1])) drop[adsb[k]] = true;
    }
    std::vector<Report> kept;
    kept.reserve(slice.size());
    for (std::size_t i = 0; i < slice.size(); ++i) {
      if (drop[i]) {
        ++stats.duplicate_adsb;
      } else {
        kept.push_back(slice[i]);
      }
    }
    slice.swap(kept);
  }

  [[nodiscard]] int index_of_uid(std::uint64_t uid) const {
    // Tracks are kept in uid order (created in order, compacted stably): binary search.
    auto it = std::lower_bound(tracks.begin(), tracks.end(), uid, [](const Track& t, std::uint64_t u) { return t.uid < u; });
    if (it == tracks.end() || it->uid != uid || it->dead) return -1;
    return static_cast<int>(it - tracks.begin());
  }

  void associate(std::span<const int> group, std::vector<Update>& updates, std::vector<int>& unassigned) {
    const int n = static_cast<int>(group.size());
    std::vector<Measurement> meas(static_cast<std::size_t>(n));
    std::vector<Eigen::Vector3d> approx(static_cast<std::size_t>(n));
    std::vector<double> mtrace(static_cast<std::size_t>(n));
    std::vector<bool> done(static_cast<std::size_t>(n), false);
    std::vector<int> reserved;  // tracks taken by an address match in this group
    for (int j = 0; j < n; ++j) {
      const Report& r = slice[group[j]];
      meas[j] = frame.measurement(r);
      if (meas[j].model == MeasurementModel::polar) {
        const PositionEstimate pe = position_of(meas[j]);
        approx[j] = pe.pos;
        mtrace[j] = pe.cov.trace();
      } else {
        approx[j] = meas[j].z;
        mtrace[j] = meas[j].R.trace();
      }
    }
    // ADS-B reports whose address already has a track go to it directly, or are suspect.
    for (int j = 0; j < n; ++j) {
      const Report& r = slice[group[j]];
      if (r.kind != SensorKind::adsb || !r.has_icao) continue;
      auto owner = icao_owner.find(r.icao);
      if (owner == icao_owner.end()) continue;
      const int ti = index_of_uid(owner->second);
      if (ti < 0) continue;
      Track& t = tracks[ti];
      const double dt = (r.time - t.time).s();
      if (dt < 0.0) continue;
      const Innovation inn = innovate(predict_for_gate(t, dt), meas[j]);
      ++stats.gate_tests;
      if (!inn.valid) continue;
      if (inn.d2 <= params.gate_d2 && std::find(reserved.begin(), reserved.end(), ti) == reserved.end()) {
        updates.push_back({ti, group[j]});
        reserved.push_back(ti);
        done[j] = true;
      } else if (inn.d2 > params.spoof_d2 && (r.time - t.last_radar_hit).s() <= kSpoofRadarMemory_s &&
                 t.last_radar_hit > SimTime::from_s(-1e8)) {
        done[j] = true;  // not used: the radar track of this address is elsewhere
        t.evidence.add({r.time, EvidenceKind::adsb_inconsistent, r.icao});
        if ((r.time - t.last_spoof_alert).s() >= kAlertRepeat_s && t.number != 0) {
          t.last_spoof_alert = r.time;
          const double miss_m = (approx[j] - predicted_pos(t, r.time)).norm();
          char text[200];
          std::snprintf(text, sizeof text,
                        "possible ADS-B spoofing: address %06X reported %.1f km from radar track %u, which holds it",
                        r.icao, miss_m / 1000.0, t.number);
          alerts.push_back({r.time, AlertKind::adsb_spoofing, t.number, r.sensor, text});
          log->debug("t={:.1f} s: {}", r.time.s(), text);
        }
      } else if (inn.d2 > params.gate_d2) {
        done[j] = true;  // between the gate and the spoof threshold: not trusted, not alarming
      }
    }

    // Gate every remaining report against the tracks near it.
    std::vector<Pair> pairs;
    for (int j = 0; j < n; ++j) {
      if (done[j]) continue;
      const Report& r = slice[group[j]];
      for_tracks_near(approx[j], [&](int ti) {
        const Track& t = tracks[ti];
        if (t.dead || std::find(reserved.begin(), reserved.end(), ti) != reserved.end()) return;
        // Another aircraft's address never joins a track that has one.
        if (r.kind == SensorKind::adsb && r.has_icao && t.has_icao && t.icao != r.icao) return;
        double d2 = 0.0, cost = 0.0;
        if (gate(t, r, meas[j], approx[j], mtrace[j], &d2, &cost)) pairs.push_back({j, ti, cost});
      });
    }
    if (params.association == Association::jpda && sensors[slice[group[0]].sensor].kind == SensorKind::radar) {
      associate_jpda(group, meas, pairs, updates, unassigned);
      return;
    }
    solve_gnn(group, pairs, done, updates, unassigned);
  }

  // GNN over the gated pairs of one sensor group: clusters of reports and tracks linked by
  // pairs, each one assignment problem. Reports not done and assigned to no track go to
  // `unassigned` (they may start tracks).
  void solve_gnn(std::span<const int> group, const std::vector<Pair>& pairs, const std::vector<bool>& done,
                 std::vector<Update>& updates, std::vector<int>& unassigned) {
    const int n = static_cast<int>(group.size());
    std::vector<int> track_slot;  // local index per distinct track
    std::unordered_map<int, int> local;
    for (const Pair& p : pairs) {
      if (local.emplace(p.track, static_cast<int>(track_slot.size())).second) track_slot.push_back(p.track);
    }
    const int m = static_cast<int>(track_slot.size());
    Clusters cl(n + m);
    for (const Pair& p : pairs) cl.unite(p.report, n + local[p.track]);
    std::vector<std::vector<int>> cluster_pairs(static_cast<std::size_t>(n + m));
    for (int k = 0; k < static_cast<int>(pairs.size()); ++k) cluster_pairs[cl.find(pairs[k].report)].push_back(k);

    for (int j = 0; j < n; ++j) {
      if (done[j]) continue;
      if (cl.find(j) != j) continue;  // solved with its cluster's root
      const auto& ks = cluster_pairs[j];
      if (ks.empty()) {
        if (slice[group[j]].kind != SensorKind::iff) unassigned.push_back(group[j]);
        continue;
      }
      solve_cluster(group, pairs, ks, updates, unassigned);
    }
    // Reports whose cluster root is another report were handled with it; those that are roots
    // with no pairs were handled above.
  }

  void solve_cluster(std::span<const int> group, const std::vector<Pair>& pairs, const std::vector<int>& ks,
                     std::vector<Update>& updates, std::vector<int>& unassigned) {
    std::vector<int> reps, cols;
    for (int k : ks) {
      reps.push_back(pairs[k].report);
      cols.push_back(pairs[k].track);
    }
    std::sort(reps.begin(), reps.end());
    reps.erase(std::unique(reps.begin(), reps.end()), reps.end());
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    if (reps.size() == 1 && cols.size() == 1) {
      updates.push_back({cols[0], group[reps[0]]});
      return;
    }
    ++stats.assignments;
    const int nr = static_cast<int>(reps.size());
    const int nc = static_cast<int>(cols.size());
    // Columns: the tracks, then one "no track" column per report at the cost of a pair on the
    // gate's edge with that report's most compact track.
    const int width = nc + nr;
    std::vector<double> cost(static_cast<std::size_t>(nr * width), kForbidden);
    std::vector<double> best_logdet(static_cast<std::size_t>(nr), 1e300);
    for (int k : ks) {
      const int i = static_cast<int>(std::lower_bound(reps.begin(), reps.end(), pairs[k].report) - reps.begin());
      const int c = static_cast<int>(std::lower_bound(cols.begin(), cols.end(), pairs[k].track) - cols.begin());
      cost[static_cast<std::size_t>(i * width + c)] = pairs[k].cost;
    }
    for (int k : ks) {
      const int i = static_cast<int>(std::lower_bound(reps.begin(), reps.end(), pairs[k].report) - reps.begin());
      // cost = d2 + ln det S, and d2 <= gate: ln det S >= cost - gate.
      best_logdet[i] = std::min(best_logdet[i], pairs[k].cost);
    }
    for (int i = 0; i < nr; ++i) cost[static_cast<std::size_t>(i * width + nc + i)] = best_logdet[i] + params.gate_d2;
    const Result<Assignment> a = solve_assignment(cost, nr, width);
    JRADS_ASSERT(a.has_value());  // every row has its own finite "no track" column
    for (int i = 0; i < nr; ++i) {
      const int c = a->row_to_col[i];
      if (c >= 0 && c < nc) {
        updates.push_back({cols[c], group[reps[i]]});
      } else {
        unassigned.push_back(group[reps[i]]);
      }
    }
  }

  // ---- JPDA ----------------------------------------------------------------------------------

  // Ages every radar's clutter map to `now`: counts and exposure decay alike, so their ratio is
  // the recent rate (the exposure is the decayed integral of time, tau (1 - e^-dt/tau)).
  void age_clutter_maps(SimTime now) {
    const double tau = params.jpda_clutter_memory_s;
    for (std::uint32_t s = 0; s < sensors.size(); ++s) {
      SensorState& st = sensor_state[s];
      if (sensors[s].kind != SensorKind::radar || !st.seen) continue;
      if (!st.clutter_aged) {
        st.clutter_aged = true;
        st.clutter_aged_to = now;
        continue;
      }
      const double dt = (now - st.clutter_aged_to).s();
      if (dt <= 0.0) continue;
      const double f = std::exp(-dt / tau);
      for (double& c : st.clutter) c *= f;
      st.clutter_exposure_s = st.clutter_exposure_s * f + tau * (1.0 - f);
      st.clutter_aged_to = now;
    }
  }

  // Clutter reports of a radar per unit of measurement volume (m rad^2) at a polar position.
  [[nodiscard]] double clutter_density(std::uint32_t sensor, double range_m, double az_deg, double el_deg) const {
    const SensorState& st = sensor_state[sensor];
    const int c = clutter_cell(range_m, az_deg, el_deg);
    const double scans = std::max(st.clutter_exposure_s / revisit_s(sensor), 5.0);  // few scans: a cautious rate
    const double lambda = st.clutter[static_cast<std::size_t>(c)] / scans / clutter_cell_volume(c);
    return std::max(lambda, params.jpda_min_clutter_density);
  }
  [[nodiscard]] double clutter_density(const Report& r) const {
    return clutter_density(r.sensor, r.range_m, r.azimuth_deg, r.elevation_deg);
  }

  // The radar reports of one sensor group in JPDA mode. Established tracks share the reports
  // they gate by their association probabilities (JPDA per cluster); reports that no established
  // track gates may join tentative tracks (GNN) or start new ones, and teach the clutter map.
  void associate_jpda(std::span<const int> group, const std::vector<Measurement>& meas, const std::vector<Pair>& pairs,
                      std::vector<Update>& updates, std::vector<int>& unassigned) {
    const int n = static_cast<int>(group.size());
    std::vector<Pair> established, tentative;
    std::vector<bool> gated(static_cast<std::size_t>(n), false);
    for (const Pair& p : pairs) {
      if (tracks[p.track].status == TrackStatus::tentative) {
        tentative.push_back(p);
      } else {
        established.push_back(p);
        gated[p.report] = true;
      }
    }
    SensorState& st = sensor_state[slice[group[0]].sensor];
    for (int j = 0; j < n; ++j) {
      if (gated[j]) continue;
      const Report& r = slice[group[j]];
      st.clutter[static_cast<std::size_t>(clutter_cell(r.range_m, r.azimuth_deg, r.elevation_deg))] += 1.0;
    }
    solve_jpda(group, meas, established, updates);
    std::erase_if(tentative, [&](const Pair& p) { return gated[p.report]; });
    solve_gnn(group, tentative, gated, updates, unassigned);
  }

  void solve_jpda(std::span<const int> group, const std::vector<Measurement>& meas, const std::vector<Pair>& pairs,
                  std::vector<Update>& updates) {
    if (pairs.empty()) return;
    const int n = static_cast<int>(group.size());
    std::vector<int> track_slot;
    std::unordered_map<int, int> local;
    for (const Pair& p : pairs) {
      if (local.emplace(p.track, static_cast<int>(track_slot.size())).second) track_slot.push_back(p.track);
    }
    Clusters cl(n + static_cast<int>(track_slot.size()));
    for (const Pair& p : pairs) cl.unite(p.report, n + local[p.track]);
    std::vector<std::vector<int>> cluster_pairs(static_cast<std::size_t>(n));
    for (int k = 0; k < static_cast<int>(pairs.size()); ++k) cluster_pairs[cl.find(pairs[k].report)].push_back(k);

    JpdaParams jp;
    jp.gate_probability = gate_probability_3dof(params.gate_d2);
    jp.clutter_density = 1.0;  // each report's own density is folded into its likelihoods below
    jp.max_exact_events = 20'000;
    jp.max_best_events = 200;
    jp.coalescence_avoidance = true;  // JPDA*: crossing tracks would otherwise merge onto one target
    for (int root = 0; root < n; ++root) {
      const std::vector<int>& ks = cluster_pairs[root];
      if (ks.empty()) continue;
      std::vector<int> reps, cols;
      for (int k : ks) {
        reps.push_back(pairs[k].report);
        cols.push_back(pairs[k].track);
      }
      std::sort(reps.begin(), reps.end());
      reps.erase(std::unique(reps.begin(), reps.end()), reps.end());
      std::sort(cols.begin(), cols.end());
      cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
      const int nt = static_cast<int>(cols.size()), nr = static_cast<int>(reps.size());
      auto col_of = [&](int track) { return static_cast<int>(std::lower_bound(cols.begin(), cols.end(), track) - cols.begin()); };
      auto rep_of = [&](int report) { return static_cast<int>(std::lower_bound(reps.begin(), reps.end(), report) - reps.begin()); };
      // Each track takes its reports as simultaneous, at the earliest (one sensor, one slice:
      // they are milliseconds apart), and its likelihoods come from the IMM's combined
      // prediction, as IMM-PDA requires.
      std::vector<SimTime> at(static_cast<std::size_t>(nt), SimTime::from_s(1e12));
      for (int k : ks) {
        SimTime& a = at[static_cast<std::size_t>(col_of(pairs[k].track))];
        a = std::min(a, slice[group[pairs[k].report]].time);
      }
      std::vector<ImmState> pred(static_cast<std::size_t>(nt));
      for (int c = 0; c < nt; ++c) {
        const Track& t = tracks[cols[c]];
        pred[c] = imm_predict(t.imm, (at[c] - t.time).s(), params.imm);
      }
      std::vector<double> ll(static_cast<std::size_t>(nt * nr), kNotGated);
      for (int k : ks) {
        const int c = col_of(pairs[k].track), i = rep_of(pairs[k].report);
        const Innovation inn = imm_innovate(pred[c], meas[pairs[k].report]);
        if (!inn.valid) continue;
        ll[static_cast<std::size_t>(c * nr + i)] = inn.log_likelihood - std::log(clutter_density(slice[group[pairs[k].report]]));
      }
      const std::vector<double> pd(static_cast<std::size_t>(nt), params.jpda_detection_probability);
      const Result<JpdaMarginals> mg = jpda_marginals(ll, nt, nr, pd, jp);
      JRADS_ASSERT(mg.has_value());  // sizes and parameters are ours; likelihoods are finite or kNotGated
      ++stats.jpda_clusters;
      if (mg->method == JpdaMethod::k_best) ++stats.jpda_k_best;
      // A report updates only the track most likely to own it: shared reports are what pull
      // the tracks of two close aircraft onto one (coalescence). The other tracks count it as
      // not theirs (its probability moves to their "missed" term).
      std::vector<double> beta = mg->beta, beta0 = mg->beta0;
      for (int i = 0; i < nr; ++i) {
        int owner = 0;
        for (int c = 1; c < nt; ++c) {
          if (beta[static_cast<std::size_t>(c * nr + i)] > beta[static_cast<std::size_t>(owner * nr + i)]) owner = c;
        }
        for (int c = 0; c < nt; ++c) {
          if (c == owner) continue;
          beta0[static_cast<std::size_t>(c)] += beta[static_cast<std::size_t>(c * nr + i)];
          beta[static_cast<std::size_t>(c * nr + i)] = 0.0;
        }
      }
      for (int c = 0; c < nt; ++c) {
        PdaUpdate pu;
        pu.time = at[c];
        pu.beta0 = beta0[static_cast<std::size_t>(c)];
        int best = -1;
        double best_beta = 0.0;
        for (int i = 0; i < nr; ++i) {
          const double b = beta[static_cast<std::size_t>(c * nr + i)];
          if (b <= 0.0) continue;
          pu.reports.push_back(group[reps[i]]);
          pu.betas.push_back(b);
          if (b > best_beta) {
            best_beta = b;
            best = group[reps[i]];
          }
        }
        if (best < 0) continue;
        updates.push_back({cols[c], best, static_cast<int>(pda_updates.size())});
        pda_updates.push_back(std::move(pu));
      }
    }
  }

  [[nodiscard]] SimTime update_time(const Update& u) const {
    return u.pda >= 0 ? pda_updates[static_cast<std::size_t>(u.pda)].time : slice[u.report].time;
  }

  void apply_updates(std::vector<Update>& updates) {
    std::sort(updates.begin(), updates.end(), [&](const Update& a, const Update& b) {
      if (a.track != b.track) return a.track < b.track;
      return update_time(a) < update_time(b);
    });
    for (const Update& u : updates) {
      Track& t = tracks[u.track];
      const SimTime at = update_time(u);
      const double dt = (at - t.time).s();
      if (dt < 0.0) continue;
      const ImmState predicted = imm_predict(t.imm, dt, params.imm);
      if (u.pda >= 0) {
        const PdaUpdate& pu = pda_updates[static_cast<std::size_t>(u.pda)];
        std::vector<Measurement> ms;
        ms.reserve(pu.reports.size());
        for (int si : pu.reports) ms.push_back(frame.measurement(slice[si]));
        t.imm = imm_pda_update(predicted, ms, pu.betas, pu.beta0);
        t.est = imm_combined(t.imm);
        t.time = at;
        // A weak association moves the track a little but is not a hit: coasting and
        // confirmation count only reports that are probably the track's.
        if (1.0 - pu.beta0 < params.jpda_hit_weight) continue;
      } else {
        const Measurement m = frame.measurement(slice[u.report]);
        if (params.association == Association::jpda && t.status == TrackStatus::tentative &&
            slice[u.report].kind == SensorKind::radar) {
          const Innovation inn = imm_innovate(predicted, m);
          if (inn.valid) {
            t.hit_score += std::log(params.jpda_detection_probability) + inn.log_likelihood - std::log(clutter_density(slice[u.report]));
          }
        }
        t.imm = imm_update(predicted, m);
        t.est = imm_combined(t.imm);
        t.time = at;
      }
      const Report& r = slice[u.report];
      ++t.hits;
      t.last_hit = at;
      if (r.kind == SensorKind::radar) learn_interval(r.sensor, (r.time - t.last_support(r.sensor)).s());
      t.note_support(r.sensor, r.time);
      if (r.kind == SensorKind::radar) t.last_radar_hit = r.time;
      if (t.status == TrackStatus::coasting) t.status = TrackStatus::confirmed;
      if (r.kind == SensorKind::adsb && r.has_icao) {
        t.evidence.add({r.time, EvidenceKind::adsb, r.icao});
        if (!t.has_icao) {
          t.has_icao = true;
          t.icao = r.icao;
          icao_owner.emplace(r.icao, t.uid);  // the first holder keeps an address
        }
      }
      if (t.status == TrackStatus::tentative && t.hits >= params.confirm_hits &&
          (params.association == Association::jpda ? score_confirms(t, r.time)
                                                   : (r.time - t.first_hit).s() <= params.confirm_within_s)) {
        t.status = TrackStatus::confirmed;
        t.number = next_number++;
        t.confirmed_at = r.time;
        ++stats.tracks_confirmed;
        note_origin(t);
      }
    }
  }

  // GNN confirms by M hits within N. With JPDA (for clutter) a track needs M hits and a score
  // (Blackman & Popoli 1999, ch. 6; Wald's SPRT): the log-likelihood ratio of "a target" over
  // "clutter", sum of ln(Pd N / lambda) per hit and ln(1 - Pd Pg) per revisit without one,
  // must reach ln((1 - beta) / alpha). Where clutter is rare a hit is worth more than the
  // threshold and M decides; in dense clutter the score does.
  [[nodiscard]] double track_score(const Track& t, SimTime now) const {
    const double revisit = track_revisit_s(t, now);
    const double revisits = std::floor((now - t.first_hit).s() / revisit + 0.5) + 1.0;
    const double misses = std::max(0.0, revisits - static_cast<double>(t.hits));
    const double miss_score = std::log(1.0 - params.jpda_detection_probability * gate_probability_3dof(params.gate_d2));
    return t.hit_score + misses * miss_score;
  }
  [[nodiscard]] bool score_confirms(const Track& t, SimTime now) const {
    return params.association != Association::jpda || track_score(t, now) >= params.jpda_confirm_score;
  }

  // Where a track is confirmed is its origin, as far as the picture knows.
  void note_origin(Track& t) {
    const auto& areas = params.context.hostile_origins;
    if (areas.empty()) return;
    const Geodetic at = frame.geodetic_from_region(t.est.x.head<3>());
    for (std::size_t k = 0; k < areas.size(); ++k) {
      if (areas[k].polygon.size() >= 3 && inside_latlon_polygon(areas[k].polygon, at)) {
        t.evidence.add({t.time, EvidenceKind::hostile_origin, static_cast<std::uint32_t>(k)});
        return;
      }
    }
  }

  void start_track(const Report& r) {
    const Measurement m = frame.measurement(r);
    Track t;
    t.uid = next_uid++;
    t.imm = imm_init(init_from_measurement(m, params.max_speed_mps), params.imm);
    t.est = imm_combined(t.imm);
    t.time = t.first_hit = t.last_hit = r.time;
    t.last_radar_hit = r.kind == SensorKind::radar ? r.time : SimTime::from_s(-1e9);
    t.profile_since = r.time;
    t.hits = 1;
    t.note_support(r.sensor, r.time);
    if (r.kind == SensorKind::adsb && r.has_icao) {
      t.has_icao = true;
      t.icao = r.icao;
      t.evidence.add({r.time, EvidenceKind::adsb, r.icao});
      icao_owner.emplace(r.icao, t.uid);
    }
    tracks.push_back(std::move(t));
    ++stats.tracks_started;
  }

  // IFF replies give identity evidence to the track they gate with; they do not move tracks.
  void associate_iff(std::span<const int> group) {
    const int n = static_cast<int>(group.size());
    std::vector<Pair> pairs;
    std::vector<Measurement> meas(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
      const Report& r = slice[group[j]];
      meas[j] = frame.measurement(r);
      const PositionEstimate pe = position_of(meas[j]);
      for_tracks_near(pe.pos, [&](int ti) {
        double d2 = 0.0, cost = 0.0;
        if (!tracks[ti].dead && gate(tracks[ti], r, meas[j], pe.pos, pe.cov.trace(), &d2, &cost)) {
          pairs.push_back({j, ti, cost});
        }
      });
    }
    // A reply that fits two tracks about equally well could be either aircraft's (the
    // interrogator's height is coarse): it vouches for neither. One that fits one track much
    // better (cost lower by kIffClearMargin, a likelihood ratio of about 50) stays.
    {
      std::vector<double> best(static_cast<std::size_t>(n), 1e300), second(static_cast<std::size_t>(n), 1e300);
      for (const Pair& p : pairs) {
        double& b = best[p.report];
        double& s2 = second[p.report];
        if (p.cost < b) {
          s2 = b;
          b = p.cost;
        } else if (p.cost < s2) {
          s2 = p.cost;
        }
      }
      std::erase_if(pairs, [&](const Pair& p) { return second[p.report] < best[p.report] + kIffClearMargin; });
    }
    if (pairs.empty()) return;
    std::unordered_map<int, int> local;
    std::vector<int> cols;
    for (const Pair& p : pairs) {
      if (local.emplace(p.track, static_cast<int>(cols.size())).second) cols.push_back(p.track);
    }
    const int nc = static_cast<int>(cols.size());
    const int width = nc + n;
    std::vector<double> cost(static_cast<std::size_t>(n * width), kForbidden);
    std::vector<double> best(static_cast<std::size_t>(n), 1e300);
    for (const Pair& p : pairs) {
      cost[static_cast<std::size_t>(p.report * width + local[p.track])] = p.cost;
      best[p.report] = std::min(best[p.report], p.cost);
    }
    for (int j = 0; j < n; ++j) cost[static_cast<std::size_t>(j * width + nc + j)] = (best[j] < 1e299 ? best[j] : 0.0) + params.gate_d2;
    const Result<Assignment> a = solve_assignment(cost, n, width);
    JRADS_ASSERT(a.has_value());
    for (int j = 0; j < n; ++j) {
      const int c = a->row_to_col[j];
      if (c < 0 || c >= nc) continue;
      Track& t = tracks[cols[c]];
      const Report& r = slice[group[j]];
      learn_interval(r.sensor, (r.time - t.last_support(r.sensor)).s());
      t.note_support(r.sensor, r.time);
      switch (r.iff) {
        case IffCode::mode5_valid: t.evidence.add({r.time, EvidenceKind::mode5_valid, r.sensor}); break;
        case IffCode::mode3:
          t.evidence.add({r.time, EvidenceKind::mode3, r.squawk});
          if (r.squawk == 7500 || r.squawk == 7600 || r.squawk == 7700) {
            t.evidence.add({r.time, EvidenceKind::emergency_squawk, r.squawk});
          }
          break;
        case IffCode::none: t.evidence.add({r.time, EvidenceKind::iff_garble, r.sensor}); break;
      }
    }
  }

  // ---- track management --------------------------------------------------------------------

  // A track below the ground or above any air vehicle, or faster than any, has diverged
  // (clutter confirmed with a wild elevation, say): it describes nothing and is dropped.
  // Each track's geodetic position at an output time, by track index: computed once, used for
  // plausibility, identification and the output row (track indices hold until compact()).
  void locate_tracks(SimTime now) {
    geo_now.resize(tracks.size());
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      if (!tracks[i].dead) geo_now[i] = frame.geodetic_from_region(predicted_pos(tracks[i], now));
    }
  }

  [[nodiscard]] bool plausible(const Track& t, std::size_t index) const {
    const double alt = geo_now[index].alt_m;
    return alt >= params.min_alt_m && alt <= params.max_alt_m && t.est.x.segment<3>(3).norm() <= params.max_plausible_speed_mps;
  }

  void maintain(SimTime now) {
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      Track& t = tracks[i];
      if (t.dead) continue;
      const double since = (now - t.last_hit).s();
      const double revisit = track_revisit_s(t, now);
      const double dt = (now - t.time).s();
      if (std::sqrt(std::max(0.0, predicted_pos_trace(t, dt))) > params.max_sigma_pos_m || !plausible(t, i)) {
        kill(t);
        continue;
      }
      switch (t.status) {
        case TrackStatus::tentative:
          if (since > params.tentative_scans * revisit) {
            kill(t);
          } else if ((now - t.first_hit).s() >
                     (params.association == Association::jpda ? params.jpda_confirm_within_s : params.confirm_within_s)) {
            kill(t);
          }
          break;
        case TrackStatus::confirmed:
        case TrackStatus::coasting:
          if (since > std::max(params.delete_scans * revisit, params.delete_min_s)) {
            kill(t);
          } else if (since > params.coast_scans * revisit) {
            t.status = TrackStatus::coasting;
          }
          break;
      }
    }
    iff_rotations(now);
  }

  // When an interrogator completes a rotation, every confirmed track within its reach that gave
  // it no reply during that rotation gains a "no reply" piece of evidence.
  void iff_rotations(SimTime now) {
    for (std::uint32_t s = 0; s < sensors.size(); ++s) {
      if (sensors[s].kind != SensorKind::iff) continue;
      SensorState& st = sensor_state[s];
      const double period_s = sensor_period_s(s);
      if (!st.seen || period_s <= 0.0) continue;
      if (!st.rotation_started) {
        st.rotation_started = true;
        st.rotation_start = now;
        continue;
      }
      const SimTime period = SimTime::from_s(period_s);
      if (now - st.rotation_start < period) continue;
      // The interrogator must still be answering someone, or it is off rather than unanswered.
      if ((now - st.last_time).s() > period_s) {
        st.rotation_start = now;
        continue;
      }
      const Eigen::Vector3d site = frame.sensor_position(s);
      for (Track& t : tracks) {
        if (t.dead || t.status == TrackStatus::tentative) continue;
        if (t.confirmed_at > st.rotation_start) continue;  // not confirmed for the whole rotation
        if ((predicted_pos(t, now) - site).norm() > st.max_range_m) continue;
        if (t.last_support(s) >= st.rotation_start) continue;
        bool seen = colocated_radars[s].empty();
        for (std::uint32_t rs : colocated_radars[s]) seen |= t.last_support(rs) >= st.rotation_start;
        // Hidden from the interrogator perhaps: then silence proves nothing against the track,
        // but it no longer confirms an earlier reply either.
        t.evidence.add({now, seen ? EvidenceKind::no_reply : EvidenceKind::unanswered, s});
      }
      st.rotation_start = now;
    }
  }

  void kill(Track& t) {
    t.dead = true;
    ++dead_tracks;
    ++stats.tracks_deleted;
    if (t.has_icao) {
      auto it = icao_owner.find(t.icao);
      if (it != icao_owner.end() && it->second == t.uid) icao_owner.erase(it);
    }
  }

  // Two confirmed tracks that stay together in position and velocity for merge_checks seconds
  // are one aircraft: the one with the higher number is folded into the other. Tentative tracks
  // are left out: their velocity is still unknown, so they would match any neighbour.
  void merge_duplicates(SimTime now) {
    // Candidates come from a fine grid of confirmed tracks only; a cheap Euclidean bound
    // (d2 >= |dp|^2 / trace S) rejects most pairs before any prediction or factorisation.
    CellGrid fine(kMergeCell_m);
    std::vector<Eigen::Vector3d> pos(tracks.size());
    std::vector<double> ptrace(tracks.size(), 0.0);
    for (int i = 0; i < static_cast<int>(tracks.size()); ++i) {
      const Track& t = tracks[i];
      if (t.dead || t.status == TrackStatus::tentative) continue;
      pos[i] = predicted_pos(t, now);
      ptrace[i] = predicted_pos_trace(t, (now - t.time).s());
      fine.add(pos[i], i);
    }
    fine.sort();
    for (const auto& entry : fine.entries()) {
      const int i = entry.second;  // not a structured binding: clang 14 cannot capture those
      Track& a = tracks[i];
      if (a.dead) continue;
      int partner = -1;
      fine.for_each_near(pos[i], [&](int j) {
        if (partner >= 0 || j >= i || tracks[j].dead) return;  // each pair once, the older track as partner
        const Track& b = tracks[j];
        if (a.has_icao && b.has_icao && a.icao != b.icao) return;
        const Eigen::Vector3d dp0 = pos[i] - pos[j];
        if (dp0.squaredNorm() > params.merge_d2 * (ptrace[i] + ptrace[j])) return;
        const Gaussian ga = predict_cv(a.est, (now - a.time).s(), params.imm.motion);
        const Gaussian gb = predict_cv(b.est, (now - b.time).s(), params.imm.motion);
        const Eigen::Vector3d dp = ga.x.head<3>() - gb.x.head<3>();
        const Eigen::Matrix3d S = ga.P.block<3, 3>(0, 0) + gb.P.block<3, 3>(0, 0);
        const double d2 = dp.dot(S.ldlt().solve(dp));
        const Eigen::Vector3d dv = ga.x.segment<3>(3) - gb.x.segment<3>(3);
        const double sv = std::sqrt((ga.P.block<3, 3>(3, 3) + gb.P.block<3, 3>(3, 3)).trace());
        if (d2 <= params.merge_d2 && dv.norm() <= 3.0 * sv + 30.0) partner = j;
      });
      if (partner < 0) {
        a.merge_count = 0;
        continue;
      }
      if (a.merge_with == tracks[partner].uid) {
        ++a.merge_count;
      } else {
        a.merge_with = tracks[partner].uid;
        a.merge_count = 1;
      }
      if (a.merge_count < params.merge_checks) continue;
      Track& b = tracks[partner];
      if (a.number < b.number) {
        fold(a, b);
      } else {
        fold(b, a);
      }
    }
  }

  // Folds `gone` into `keep`: evidence, address and support move; `gone` dies. `keep` keeps its
  // own state, which has already been updated by the reports of its own sensors.
  void fold(Track& keep, Track& gone) {
    keep.evidence.merge(gone.evidence);
    keep.hits += gone.hits;
    keep.last_hit = std::max(keep.last_hit, gone.last_hit);
    keep.last_radar_hit = std::max(keep.last_radar_hit, gone.last_radar_hit);
    keep.merge_count = 0;
    for (int k = 0; k < gone.n_support; ++k) {
      if (gone.support[k].time > keep.last_support(gone.support[k].sensor)) {
        keep.note_support(gone.support[k].sensor, gone.support[k].time);
      }
    }
    if (!keep.has_icao && gone.has_icao) {
      auto it = icao_owner.find(gone.icao);
      if (it != icao_owner.end() && it->second == gone.uid) it->second = keep.uid;
      keep.has_icao = true;
      keep.icao = gone.icao;
    }
    kill(gone);
    --stats.tracks_deleted;  // a merge, not a loss
    ++stats.tracks_merged;
  }

  // Whether the track's code or address and position match a filed flight plan.
  void match_flight_plans(Track& t, const Eigen::Vector2d& pos, SimTime now) {
    auto try_plans = [&](const auto& index, EvidenceKind kind) {
      if (t.evidence.count(kind) == 0 || (now - t.evidence.last(kind)).s() > 10.0) return;
      const auto [b, e] = index.equal_range(t.evidence.last_value(kind));
      for (auto it = b; it != e; ++it) {
        const PlanGeometry& g = plans[it->second];
        if (distance_to_route(g.route, pos) > params.identity.plan_corridor_m) continue;
        t.evidence.add({now, g.friendly ? EvidenceKind::friendly_flight_plan : EvidenceKind::civil_flight_plan,
                        static_cast<std::uint32_t>(it->second)});
        return;
      }
    };
    try_plans(plans_by_squawk, EvidenceKind::mode3);
    try_plans(plans_by_icao, EvidenceKind::adsb);
  }

  static double distance_to_route(const std::vector<Eigen::Vector2d>& route, const Eigen::Vector2d& p) {
    double best = 1e300;
    for (std::size_t k = 1; k < route.size(); ++k) {
      const Eigen::Vector2d a = route[k - 1], ab = route[k] - a;
      const double len2 = ab.squaredNorm();
      const double u = len2 > 0.0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
      best = std::min(best, (a + u * ab - p).norm());
    }
    return best;
  }

  // On its present course, the track passes over (within radius + margin of) a defended asset
  // within the horizon, or is over one now.
  [[nodiscard]] bool threatens_asset(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel) const {
    for (const auto& [centre, radius] : assets) {
      const Eigen::Vector2d d = centre - pos;
      const double reach = radius + params.identity.asset_margin_m;
      if (d.norm() <= radius) return true;
      const double v2 = vel.squaredNorm();
      if (v2 < 1.0) continue;
      const double t_cpa = d.dot(vel) / v2;
      if (t_cpa <= 0.0 || t_cpa > params.identity.asset_horizon_s) continue;
      if ((d - t_cpa * vel).norm() <= reach) return true;
    }
    return false;
  }

  // Procedural correlation, for civil plans only: for each civil plan active now, the one
  // confirmed track that is where, heading where and flying as fast as the plan says gains
  // civil flight-plan evidence, code or no code. When two tracks qualify neither does. Friendly
  // plans never match without a code: a hostile must not become a friend by flying a slot.
  void correlate_plans_by_position(SimTime now) {
    const double t = now.s();
    const double cos_tol = std::cos(params.identity.plan_heading_tolerance_deg * 3.14159265358979323846 / 180.0);
    const double tol = std::min(params.identity.plan_position_tolerance_m, kSearchCell_m);  // the grid's reach
    for (int pi = 0; pi < static_cast<int>(plans.size()); ++pi) {
      const PlanGeometry& g = plans[pi];
      if (g.friendly || g.route.size() < 2 || t < g.time_s.front() || t > g.time_s.back()) continue;
      std::size_t k = 1;
      while (k + 1 < g.route.size() && g.time_s[k] < t) ++k;
      const double span = g.time_s[k] - g.time_s[k - 1];
      const double u = span > 0.0 ? std::clamp((t - g.time_s[k - 1]) / span, 0.0, 1.0) : 0.0;
      const Eigen::Vector2d planned = g.route[k - 1] + u * (g.route[k] - g.route[k - 1]);
      const Eigen::Vector2d dir = (g.route[k] - g.route[k - 1]).normalized();
      const double planned_speed = span > 0.0 ? (g.route[k] - g.route[k - 1]).norm() / span : 0.0;
      int found = -1, candidates = 0;
      for_tracks_near(Eigen::Vector3d(planned.x(), planned.y(), 0.0), [&](int i) {
        const Track& tr = tracks[i];
        if (tr.dead || tr.status == TrackStatus::tentative) return;
        const Eigen::Vector2d p = predicted_pos(tr, now).head<2>();
        if ((p - planned).norm() > tol) return;
        const Eigen::Vector2d v = tr.est.x.segment<2>(3);
        if (v.norm() < 1.0 || v.normalized().dot(dir) < cos_tol) return;
        if (std::abs(v.norm() - planned_speed) > 0.25 * planned_speed) return;
        if (distance_to_route(g.route, p) > params.identity.plan_corridor_m) return;
        ++candidates;
        found = i;
      });
      if (candidates == 1) {
        tracks[found].evidence.add({now, EvidenceKind::civil_flight_plan, static_cast<std::uint32_t>(pi)});
      }
    }
  }

  // How harsh an identity is, for the rule that coasting tracks do not escalate.
  static int severity(Identity id) noexcept {
    switch (id) {
      case Identity::suspect: return 1;
      case Identity::hostile: return 2;
      default: return 0;
    }
  }

  void update_identities(SimTime now) {
    if (!plans.empty()) correlate_plans_by_position(now);
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      Track& t = tracks[i];
      if (t.dead) continue;
      const Eigen::Vector3d p = predicted_pos(t, now);
      const Eigen::Vector3d v = t.est.x.segment<3>(3);
      const double speed = v.norm();
      const double alt = geo_now[i].alt_m;
      // Until the velocity is known, the profile is not: a new track's speed can be far off. Once
      // known it stays known unless the sigma doubles, so the profile does not flicker between
      // updates of different sensors.
      const double sv2 = t.est.P.block<2, 2>(3, 3).trace();
      const double known2 = kProfileMaxSigmaVel_mps * kProfileMaxSigmaVel_mps;
      t.velocity_known = t.velocity_known ? sv2 <= 4.0 * known2 : sv2 <= known2;
      const Profile prof = t.velocity_known ? classify_profile(speed, alt, params.identity) : Profile::ordinary;
      if (prof != t.profile) {
        t.profile = prof;
        t.profile_since = now;
        if (prof == Profile::missile_like || prof == Profile::fast_jet) {
          t.evidence.add({now, EvidenceKind::hostile_kinematics, static_cast<std::uint32_t>(speed)});
        }
      }
      const bool threat = t.status != TrackStatus::tentative && threatens_asset(p.head<2>(), v.head<2>());
      if (threat != t.threatening) {
        t.threatening = threat;
        t.threatening_since = now;
        if (threat) t.evidence.add({now, EvidenceKind::heading_for_asset, 0});
      }
      if (!plans.empty()) match_flight_plans(t, p.head<2>(), now);
      const Behaviour b{t.profile, (now - t.profile_since).s(), t.threatening, (now - t.threatening_since).s()};
      const IdentityDecision d = decide_identity(t.evidence, b, now, params.identity);
      // A coasting track runs on its last estimate, which may be a bad one: it may lose an
      // identity but never gains a harsher one.
      if (t.status == TrackStatus::coasting && severity(d.identity) > severity(t.identity)) continue;
      t.identity = d.identity;
      if (d.conflict && t.number != 0 && (now - t.last_conflict_alert).s() >= kAlertRepeat_s) {
        t.last_conflict_alert = now;
        char text[200];
        std::snprintf(text, sizeof text, "identity conflict on track %u: %s (speed %.0f m/s, height %.0f m); held %s",
                      t.number, d.reason, speed, alt, to_string(d.identity));
        alerts.push_back({now, AlertKind::identity_conflict, t.number, 0, text});
        log->debug("t={:.1f} s: {}", now.s(), text);
      }
    }
  }

  void emit_rows(SimTime now) {
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(tracks.size()); ++i) {
      const Track& t = tracks[i];
      if (t.dead) continue;
      if (t.status == TrackStatus::tentative && !params.emit_tentative) continue;
      out.push_back(i);
    }
    std::sort(out.begin(), out.end(), [&](int a, int b) {
      const auto ka = tracks[a].number == 0 ? 0xFFFFFFFFu : tracks[a].number;
      const auto kb = tracks[b].number == 0 ? 0xFFFFFFFFu : tracks[b].number;
      return ka != kb ? ka < kb : tracks[a].uid < tracks[b].uid;
    });
    for (int i : out) {
      const Track& t = tracks[i];
      const Gaussian g = predict_cv(t.est, (now - t.time).s(), params.imm.motion);
      TrackRow row;
      row.time = now;
      row.track_number = t.number;
      row.status = t.status;
      row.identity = t.identity;
      row.pos = geo_now[static_cast<std::size_t>(i)];  // the same predicted position (locate_tracks)
      row.vel_enu = frame.local_velocity(row.pos, g.x.segment<3>(3));
      row.sigma_pos_m = std::sqrt(std::max(0.0, g.P.block<3, 3>(0, 0).trace()));
      row.sigma_vel_mps = std::sqrt(std::max(0.0, g.P.block<3, 3>(3, 3).trace()));
      rows.push_back(row);
    }
  }

  // Dead tracks are skipped everywhere, so they are removed only once they are a quarter of
  // the list: a track is 2 kB, and moving all of them every slice cost more than tracking.
  // Live tracks keep their relative order either way, so results do not depend on when.
  void compact() {
    if (dead_tracks == 0 || (dead_tracks * 4 < tracks.size() && dead_tracks < tracks.size())) return;
    std::erase_if(tracks, [](const Track& t) { return t.dead; });
    dead_tracks = 0;
  }
};

Tracker::Tracker(std::vector<SensorSite> sensors, const TrackerParams& params)
    : impl_(std::make_unique<Impl>(std::move(sensors), params)) {}
Tracker::Tracker(Tracker&&) noexcept = default;
Tracker& Tracker::operator=(Tracker&&) noexcept = default;
Tracker::~Tracker() = default;

void Tracker::add(const Report& report) { impl_->add(report); }
void Tracker::finish() { impl_->finish(); }
std::vector<TrackRow> Tracker::take_rows() { return std::exchange(impl_->rows, {}); }
std::vector<Alert> Tracker::take_alerts() { return std::exchange(impl_->alerts, {}); }
const TrackerStats& Tracker::stats() const noexcept { return impl_->stats; }
std::size_t Tracker::live_tracks() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(impl_->tracks.begin(), impl_->tracks.end(), [](const Track& t) { return !t.dead; }));
}
const CommonFrame& Tracker::frame() const noexcept { return impl_->frame; }
Tracker::Bias Tracker::radar_bias(std::uint32_t sensor) const {
  return sensor < impl_->sensor_state.size() ? impl_->sensor_state[sensor].bias : Bias{};
}
double Tracker::clutter_density(std::uint32_t sensor, double range_m, double azimuth_deg, double elevation_deg) const {
  JRADS_ASSERT(sensor < impl_->sensors.size());
  return impl_->clutter_density(sensor, range_m, azimuth_deg, elevation_deg);
}
std::size_t Tracker::bytes_per_track() noexcept { return sizeof(Track) + EvidenceRecord::kMaxLog * sizeof(Evidence); }

}  // namespace jrads::picture
