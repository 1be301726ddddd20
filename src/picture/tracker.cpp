#include "jrads/picture/tracker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "jrads/core/assignment.hpp"
#include "jrads/core/result.hpp"
#include "jrads/picture/jpda.hpp"
#include "tracker_impl.hpp"

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

using namespace detail;

namespace {

constexpr double kSupportMemory_s = 60.0;  // a sensor that saw a track this recently sets its revisit
constexpr double kSpoofRadarMemory_s = 30.0;

// Duplicates are looked for within this distance: further apart, two tracks are two aircraft.
constexpr double kMergeCell_m = 3000.0;

// Union-find over reports and tracks of one sensor group.
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

}  // namespace

GatedClusters detail::cluster_pairs(const std::vector<Pair>& pairs, int n) {
  std::vector<int> track_slot;  // local index per distinct track
  std::unordered_map<int, int> local;
  for (const Pair& p : pairs) {
    if (local.emplace(p.track, static_cast<int>(track_slot.size())).second) track_slot.push_back(p.track);
  }
  Clusters cl(n + static_cast<int>(track_slot.size()));
  for (const Pair& p : pairs) cl.unite(p.report, n + local[p.track]);
  GatedClusters out;
  out.root.resize(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) out.root[j] = cl.find(j);  // a report: roots are the lowest indices
  out.pairs_at.resize(static_cast<std::size_t>(n));
  for (int k = 0; k < static_cast<int>(pairs.size()); ++k) out.pairs_at[out.root[pairs[k].report]].push_back(k);
  return out;
}

ClusterMembers detail::members_of(const std::vector<Pair>& pairs, std::span<const int> ks) {
  ClusterMembers m;
  for (int k : ks) {
    m.reports.push_back(pairs[k].report);
    m.tracks.push_back(pairs[k].track);
  }
  std::sort(m.reports.begin(), m.reports.end());
  m.reports.erase(std::unique(m.reports.begin(), m.reports.end()), m.reports.end());
  std::sort(m.tracks.begin(), m.tracks.end());
  m.tracks.erase(std::unique(m.tracks.begin(), m.tracks.end()), m.tracks.end());
  return m;
}

Tracker::Impl::Impl(std::vector<SensorSite> s, const TrackerParams& p)
    : sensors(std::move(s)), params(p),
      frame(CommonFrame::centroid_of(sensors), sensors, params.adsb_min_vertical_sigma_m),
      sensor_state(sensors.size()) {
  JRADS_ASSERT(!sensors.empty());
  JRADS_ASSERT(params.slice_s > 0.0 && params.output_period_s >= params.slice_s);
  JRADS_ASSERT(params.jpda_min_clutter_density > 0.0 && params.jpda_clutter_memory_s > 0.0);
  JRADS_ASSERT(params.jpda_detection_probability > 0.0 && params.jpda_detection_probability < 1.0);
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

bool Tracker::Impl::heap_after(const Pending& a, const Pending& b) {
  if (a.report.time != b.report.time) return a.report.time > b.report.time;
  return a.seq > b.seq;
}

void Tracker::Impl::add(const Report& r) {
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

bool Tracker::Impl::buffered() const noexcept { return !fifo.empty() || !heap.empty(); }

bool Tracker::Impl::next_in_heap() const {
  return fifo.empty() || (!heap.empty() && heap_after(fifo.front(), heap.front()));
}

const Tracker::Impl::Pending& Tracker::Impl::next_buffered() const {
  return next_in_heap() ? heap.front() : fifo.front();
}

void Tracker::Impl::release_top() {
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

SimTime Tracker::Impl::slice_end_after(SimTime t) const {
  const std::int64_t d = slice_dt.ns();
  const std::int64_t q = t.ns() >= 0 ? t.ns() / d : (t.ns() - d + 1) / d;  // floor division
  return SimTime::from_ns((q + 1) * d);
}

void Tracker::Impl::finish() {
  while (buffered()) release_top();
  if (!slicing) return;
  // Close the last slice, then run on to the next output time so the last rows are written.
  do {
    close_slice();
  } while ((slice_end - slice_dt).ns() % output_dt.ns() != 0);
}

// Processes the reports of [slice_end - slice_dt, slice_end), then the end-of-slice work.
void Tracker::Impl::close_slice() {
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

// ---- association -------------------------------------------------------------------------

void Tracker::Impl::build_grid(SimTime at) {
  grid.clear();
  grid.reserve(tracks.size());
  for (int i = 0; i < static_cast<int>(tracks.size()); ++i) {
    if (!tracks[i].dead) grid.add(predicted_pos(tracks[i], at), i);
  }
  grid.sort();
}

// The prediction a report is gated against: the combined estimate moved by the model that
// currently dominates, so a turning track is gated where the turn takes it.
Gaussian Tracker::Impl::predict_for_gate(const Track& t, double dt) const {
  if (t.imm.mu[1] > 0.5) return imm_combined(imm_predict(t.imm, dt, params.imm));
  return predict_cv_position(t.est, dt, params.imm.motion);
}

// The gate test of one report against one track: cost d2 + ln det S, or nothing.
bool Tracker::Impl::gate(const Track& t, const Report& r, const Measurement& m, const Eigen::Vector3d& approx_pos,
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

void Tracker::Impl::process(SimTime t0, SimTime t1) {
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

void Tracker::Impl::learn_rotations() {
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

double Tracker::Impl::revisit_s(std::uint32_t sensor) const {
  if (sensors[sensor].kind == SensorKind::adsb) return params.adsb_revisit_s;
  const SensorState& st = sensor_state[sensor];
  if (st.period_s > 0.0) return st.period_s;
  return st.interval_s > 0.0 ? st.interval_s : params.default_revisit_s;
}

// A second estimate of a rotating sensor's period, for sensors that see too few aircraft for
// the sweep estimate: successive hits on one track are one period apart, or a few when the
// sensor missed it, so a shorter interval replaces the estimate and longer ones are ignored.
void Tracker::Impl::learn_interval(std::uint32_t sensor, double interval) {
  if (interval < 0.5 || interval > 120.0) return;
  double& est = sensor_state[sensor].interval_s;
  if (est <= 0.0 || interval < 0.7 * est) {
    est = interval;
  } else if (interval < 1.4 * est) {
    est += 0.1 * (interval - est);
  }
}

double Tracker::Impl::sensor_period_s(std::uint32_t sensor) const {
  const SensorState& st = sensor_state[sensor];
  return st.period_s > 0.0 ? st.period_s : st.interval_s;
}

// The slowest revisit among the sensors that have seen the track lately (IFF excluded).
double Tracker::Impl::track_revisit_s(const Track& t, SimTime now) const {
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
void Tracker::Impl::drop_duplicate_adsb() {
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

int Tracker::Impl::index_of_uid(std::uint64_t uid) const {
  // Tracks are kept in uid order (created in order, compacted stably): binary search.
  auto it = std::lower_bound(tracks.begin(), tracks.end(), uid, [](const Track& t, std::uint64_t u) { return t.uid < u; });
  if (it == tracks.end() || it->uid != uid || it->dead) return -1;
  return static_cast<int>(it - tracks.begin());
}

void Tracker::Impl::associate(std::span<const int> group, std::vector<Update>& updates, std::vector<int>& unassigned) {
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
        // It tells of the track and of what the receiver heard.
        alerts.push_back({r.time, AlertKind::adsb_spoofing, t.number, r.sensor, text,
                          security::combine(t.label, sensors[r.sensor].label, params.label_originator)});
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
void Tracker::Impl::solve_gnn(std::span<const int> group, const std::vector<Pair>& pairs, const std::vector<bool>& done,
                              std::vector<Update>& updates, std::vector<int>& unassigned) {
  const int n = static_cast<int>(group.size());
  const GatedClusters cl = cluster_pairs(pairs, n);
  for (int j = 0; j < n; ++j) {
    if (done[j]) continue;
    if (cl.root[j] != j) continue;  // solved with its cluster's root
    const auto& ks = cl.pairs_at[j];
    if (ks.empty()) {
      if (slice[group[j]].kind != SensorKind::iff) unassigned.push_back(group[j]);
      continue;
    }
    solve_cluster(group, pairs, ks, updates, unassigned);
  }
  // Reports whose cluster root is another report were handled with it; those that are roots
  // with no pairs were handled above.
}

void Tracker::Impl::solve_cluster(std::span<const int> group, const std::vector<Pair>& pairs, const std::vector<int>& ks,
                                  std::vector<Update>& updates, std::vector<int>& unassigned) {
  const auto [reps, cols] = members_of(pairs, ks);
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

// ---- updates -----------------------------------------------------------------------------------

SimTime Tracker::Impl::update_time(const Update& u) const {
  return u.pda >= 0 ? pda_updates[static_cast<std::size_t>(u.pda)].time : slice[u.report].time;
}

void Tracker::Impl::apply_updates(std::vector<Update>& updates) {
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
      for (int si : pu.reports) {
        ms.push_back(frame.measurement(slice[si]));
        note_source(t, slice[si].sensor);  // every weighted report moved the track
      }
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
    note_source(t, r.sensor);
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

void Tracker::Impl::start_track(const Report& r) {
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
  note_source(t, r.sensor);
  if (r.kind == SensorKind::adsb && r.has_icao) {
    t.has_icao = true;
    t.icao = r.icao;
    t.evidence.add({r.time, EvidenceKind::adsb, r.icao});
    icao_owner.emplace(r.icao, t.uid);
  }
  tracks.push_back(std::move(t));
  ++stats.tracks_started;
}

// ---- track management --------------------------------------------------------------------

// Each track's geodetic position at an output time, by track index: computed once, used for
// plausibility, identification and the output row (track indices hold until compact()).
void Tracker::Impl::locate_tracks(SimTime now) {
  geo_now.resize(tracks.size());
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (!tracks[i].dead) geo_now[i] = frame.geodetic_from_region(predicted_pos(tracks[i], now));
  }
}

// A track below the ground or above any air vehicle, or faster than any, has diverged
// (clutter confirmed with a wild elevation, say): it describes nothing and is dropped.
bool Tracker::Impl::plausible(const Track& t, std::size_t index) const {
  const double alt = geo_now[index].alt_m;
  return alt >= params.min_alt_m && alt <= params.max_alt_m && t.est.x.segment<3>(3).norm() <= params.max_plausible_speed_mps;
}

void Tracker::Impl::maintain(SimTime now) {
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

void Tracker::Impl::kill(Track& t) {
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
void Tracker::Impl::merge_duplicates(SimTime now) {
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
void Tracker::Impl::fold(Track& keep, Track& gone) {
  keep.evidence.merge(gone.evidence);
  for (std::uint32_t s : std::vector<std::uint32_t>(source_sets[gone.sources])) note_source(keep, s);
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

void Tracker::Impl::emit_rows(SimTime now) {
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
    const Eigen::Matrix3d rot = frame.rot_local_from_region(row.pos);
    row.vel_enu = frame.local_velocity(row.pos, g.x.segment<3>(3));
    // The rotation is block-diagonal: three 3x3 sandwiches, not a 6x6 one (a sixth of the
    // tracker's time otherwise); the diagonal blocks made exactly symmetric, as a track sample
    // carries the upper triangle.
    const Eigen::Matrix3d pp = rot * g.P.block<3, 3>(0, 0) * rot.transpose();
    const Eigen::Matrix3d pv = rot * g.P.block<3, 3>(0, 3) * rot.transpose();
    const Eigen::Matrix3d vv = rot * g.P.block<3, 3>(3, 3) * rot.transpose();
    row.cov.topLeftCorner<3, 3>() = 0.5 * (pp + pp.transpose());
    row.cov.topRightCorner<3, 3>() = pv;
    row.cov.bottomLeftCorner<3, 3>() = pv.transpose();
    row.cov.bottomRightCorner<3, 3>() = 0.5 * (vv + vv.transpose());
    row.sigma_pos_m = std::sqrt(std::max(0.0, g.P.block<3, 3>(0, 0).trace()));
    row.sigma_vel_mps = std::sqrt(std::max(0.0, g.P.block<3, 3>(3, 3).trace()));
    row.label = t.label;
    row.sources = t.sources;  // an index: Tracker::sources()
    rows.push_back(std::move(row));
  }
}

// Dead tracks are skipped everywhere, so they are removed only once they are a quarter of
// the list: a track is 2 kB, and moving all of them every slice cost more than tracking.
// Live tracks keep their relative order either way, so results do not depend on when.
void Tracker::Impl::compact() {
  if (dead_tracks == 0 || (dead_tracks * 4 < tracks.size() && dead_tracks < tracks.size())) return;
  std::erase_if(tracks, [](const Track& t) { return t.dead; });
  dead_tracks = 0;
}

Tracker::Tracker(std::vector<SensorSite> sensors, const TrackerParams& params)
    : impl_(std::make_unique<Impl>(std::move(sensors), params)) {}
Tracker::Tracker(Tracker&&) noexcept = default;
Tracker& Tracker::operator=(Tracker&&) noexcept = default;
Tracker::~Tracker() = default;

void Tracker::add(const Report& report) { impl_->add(report); }
void Tracker::finish() { impl_->finish(); }
std::vector<TrackRow> Tracker::take_rows() { return std::exchange(impl_->rows, {}); }
std::span<const std::uint32_t> Tracker::sources(std::uint32_t set) const { return impl_->source_sets.at(set); }
std::vector<Alert> Tracker::take_alerts() { return std::exchange(impl_->alerts, {}); }
const TrackerStats& Tracker::stats() const noexcept { return impl_->stats; }
std::size_t Tracker::live_tracks() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(impl_->tracks.begin(), impl_->tracks.end(), [](const Track& t) { return !t.dead; }));
}
const CommonFrame& Tracker::frame() const noexcept { return impl_->frame; }
const EvidenceRecord* Tracker::evidence(std::uint32_t track_number) const noexcept {
  if (track_number == 0) return nullptr;  // tentative tracks have no number yet
  for (const Track& t : impl_->tracks) {
    if (!t.dead && t.number == track_number) return &t.evidence;
  }
  return nullptr;
}
Tracker::Bias Tracker::radar_bias(std::uint32_t sensor) const {
  return sensor < impl_->sensor_state.size() ? impl_->sensor_state[sensor].bias : Bias{};
}
double Tracker::clutter_density(std::uint32_t sensor, double range_m, double azimuth_deg, double elevation_deg) const {
  JRADS_ASSERT(sensor < impl_->sensors.size());
  return impl_->clutter_density(sensor, range_m, azimuth_deg, elevation_deg);
}
std::size_t Tracker::bytes_per_track() noexcept { return sizeof(Track) + EvidenceRecord::kMaxLog * sizeof(Evidence); }

}  // namespace jrads::picture
