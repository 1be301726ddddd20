#include "jrads/picture/track_fuser.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include "jrads/core/assignment.hpp"
#include "jrads/picture/measurement.hpp"

namespace jrads::picture {
namespace {

Matrix6d inverse_spd(const Matrix6d& m) noexcept { return m.llt().solve(Matrix6d::Identity()); }

// The most protective identity first: a disagreement between nodes never makes a track more
// engageable than its most cautious node holds it.
int protective_rank(Identity id) noexcept {
  switch (id) {
    case Identity::friend_: return 0;
    case Identity::assumed_friend: return 1;
    case Identity::neutral: return 2;
    case Identity::hostile: return 3;
    case Identity::suspect: return 4;
    case Identity::unknown: return 5;
    case Identity::pending: return 6;
  }
  return 6;
}

Matrix6d block_rotation(const Eigen::Matrix3d& r) noexcept {
  Matrix6d t = Matrix6d::Zero();
  t.topLeftCorner<3, 3>() = r;
  t.bottomRightCorner<3, 3>() = r;
  return t;
}

using Key = std::uint64_t;  // (source << 32) | national track number: map order is by source
Key key_of(std::uint32_t source, std::uint32_t number) noexcept {
  return (static_cast<Key>(source) << 32) | number;
}

// Union-find over gated pairs: association is solved per connected cluster, so its cost grows
// with the clusters' sizes, not with the whole picture's.
struct Clusters {
  std::vector<std::size_t> parent;
  explicit Clusters(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];  // path halving
    return i;
  }
  void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

Estimate6 covariance_intersection(const Estimate6& a, const Estimate6& b) noexcept {
  const Matrix6d ya = inverse_spd(a.P), yb = inverse_spd(b.P);
  // log det(w Ya + (1 - w) Yb) = log det Yb + sum_i log(1 + w l_i), l_i the generalised
  // eigenvalues of (Ya - Yb, Yb): one 6x6 eigenproblem, then a scalar concave maximum whose
  // derivative sum_i l_i / (1 + w l_i) decreases in w, found by bisection.
  const Eigen::GeneralizedSelfAdjointEigenSolver<Matrix6d> ges(ya - yb, yb, Eigen::EigenvaluesOnly);
  const Vector6d l = ges.eigenvalues();
  const auto slope = [&](double w) { return (l.array() / (1.0 + w * l.array())).sum(); };
  const double s0 = slope(0.0), s1 = slope(1.0);
  double w = 0.5;  // flat (the same information): the two are averaged
  if (std::abs(s0) < 1e-12 && std::abs(s1) < 1e-12) {
    w = 0.5;
  } else if (s0 <= 0.0) {
    w = 0.0;
  } else if (s1 >= 0.0) {
    w = 1.0;
  } else {
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 40; ++i) {  // 2^-40: far below what the estimates can tell apart
      w = 0.5 * (lo + hi);
      (slope(w) > 0.0 ? lo : hi) = w;
    }
    w = 0.5 * (lo + hi);
  }
  const Matrix6d y = w * ya + (1.0 - w) * yb;
  Estimate6 out;
  out.P = inverse_spd(y);
  out.P = 0.5 * (out.P + out.P.transpose());
  out.x = out.P * (w * ya * a.x + (1.0 - w) * yb * b.x);
  return out;
}

double distance_d2(const Estimate6& a, const Estimate6& b) noexcept {
  const Vector6d d = a.x - b.x;
  const Eigen::LLT<Matrix6d> llt(a.P + b.P);
  if (llt.info() != Eigen::Success) return std::numeric_limits<double>::infinity();
  return d.dot(llt.solve(d));
}

struct TrackFuser::Impl {
  struct Member {
    std::uint32_t source = 0;
    TrackRow row;
    std::uint32_t regional = 0;  // 0: not bound
    std::uint64_t joined = 0;    // when it was bound (the newest leaves first)
    int split_count = 0;
    Estimate6 est;               // in the region frame, at the last fusion
  };
  struct Regional {
    std::vector<Key> members;  // ascending: by source
    Estimate6 est;
  };

  FusionParams params;
  CommonFrame frame;
  std::map<Key, Member> members;
  std::map<std::uint32_t, Regional> regionals;
  std::vector<std::uint32_t> down;  // sources whose link is down, ascending
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> merge_counts;  // (older, younger)
  std::uint32_t next_number = 1;
  std::uint64_t next_join = 1;
  FusionStats stats;

  Impl(const Geodetic& origin, const FusionParams& p) : params(p), frame(origin, {}) {}

  // An orphan (a restarted source's track from before its restart) is held as a down source's.
  bool is_down(std::uint32_t source) const {
    return (source & kOrphanBit) != 0 || std::binary_search(down.begin(), down.end(), source);
  }

  Estimate6 in_region(const TrackRow& row, double dt_s) const {
    const Eigen::Matrix3d local_from_region = frame.rot_local_from_region(row.pos);
    const Matrix6d t = block_rotation(local_from_region);
    Gaussian g;
    g.x.head<3>() = frame.region().enu_from_geodetic(row.pos).vec();
    g.x.segment<3>(3) = local_from_region.transpose() * row.vel_enu;
    g.x(6) = 0.0;
    g.P = StateCov::Zero();
    g.P.topLeftCorner<6, 6>() = t.transpose() * row.cov * t;
    g.P(6, 6) = 1e-6;
    if (dt_s > 0.0) g = predict_cv(g, dt_s, params.motion);
    Estimate6 e;
    e.x = g.x.head<6>();
    e.P = g.P.topLeftCorner<6, 6>();
    return e;
  }

  Estimate6 fused_of(const Regional& r, Key except = ~Key{0}) const {
    Estimate6 out;
    bool first = true;
    for (Key k : r.members) {
      if (k == except) continue;
      const Estimate6& e = members.at(k).est;
      out = first ? e : covariance_intersection(out, e);
      first = false;
    }
    return out;
  }

  void bind(Key k, std::uint32_t number) {
    Member& m = members.at(k);
    Regional& r = regionals[number];
    m.regional = number;
    m.joined = next_join++;
    m.split_count = 0;
    r.members.insert(std::upper_bound(r.members.begin(), r.members.end(), k), k);
    // The source's own orphan in this track is what it held before its restart: taken over.
    if ((m.source & kOrphanBit) == 0) {
      const std::uint32_t orphan = m.source | kOrphanBit;
      for (auto it = r.members.begin(); it != r.members.end();) {
        if (static_cast<std::uint32_t>(*it >> 32) != orphan) {
          ++it;
          continue;
        }
        members.erase(*it);
        it = r.members.erase(it);
        ++stats.resynced;
      }
    }
    r.est = fused_of(r);
  }

  void unbind(Key k) {
    Member& m = members.at(k);
    if (m.regional == 0) return;
    auto it = regionals.find(m.regional);
    m.regional = 0;
    m.split_count = 0;
    if (it == regionals.end()) return;
    std::erase(it->second.members, k);
    if (it->second.members.empty()) {
      regionals.erase(it);
      ++stats.regional_ended;
    } else {
      it->second.est = fused_of(it->second);
    }
  }

  bool has_source(const Regional& r, std::uint32_t source) const {
    return std::any_of(r.members.begin(), r.members.end(),
                       [&](Key k) { return static_cast<std::uint32_t>(k >> 32) == source; });
  }

  static bool disjoint(const Regional& a, const Regional& b) {
    std::size_t i = 0, j = 0;
    while (i < a.members.size() && j < b.members.size()) {
      const auto sa = a.members[i] >> 32, sb = b.members[j] >> 32;
      if (sa == sb) return false;
      if (sa < sb) ++i;
      else ++j;
    }
    return true;
  }

  void drop_and_predict(SimTime now) {
    for (auto it = members.begin(); it != members.end();) {
      Member& m = it->second;
      const double age_s = (now - m.row.time).s();
      if (age_s > (is_down(m.source) ? params.hold_s : params.stale_s)) {
        unbind(it->first);
        ++stats.dropped;
        it = members.erase(it);
        continue;
      }
      m.est = in_region(m.row, age_s);
      ++it;
    }
    for (auto& [number, r] : regionals) r.est = fused_of(r);
  }

  // A member that disagrees with the rest of its regional track leaves it. Only members whose
  // sources are up judge and are judged: a held member's estimate is a prediction from before
  // its link went down, which can neither prove a live member wrong nor be proved wrong itself
  // (so a cut link does not split, and renumber, the tracks it holds).
  void split() {
    std::vector<Key> leaving, live;
    Regional rest;  // a track's live members but one (reused: this runs at every fusion)
    for (auto& [number, r] : regionals) {
      live.clear();
      for (Key k : r.members) {
        if (is_down(static_cast<std::uint32_t>(k >> 32))) {
          members.at(k).split_count = 0;
        } else {
          live.push_back(k);
        }
      }
      if (live.size() < 2) continue;
      Key worst = 0;
      double worst_d2 = -1.0;
      for (Key k : live) {
        Member& m = members.at(k);
        rest.members.clear();
        for (Key o : live)
          if (o != k) rest.members.push_back(o);
        const double d2 = distance_d2(m.est, fused_of(rest));
        m.split_count = d2 > params.split_d2 ? m.split_count + 1 : 0;
        if (m.split_count < params.split_checks) continue;
        if (d2 > worst_d2 || (d2 == worst_d2 && m.joined > members.at(worst).joined)) {
          worst = k;
          worst_d2 = d2;
        }
      }
      if (worst_d2 < 0.0) continue;
      // Two members disagree symmetrically: the newer one leaves.
      if (live.size() == 2) worst = members.at(live[0]).joined > members.at(live[1]).joined ? live[0] : live[1];
      leaving.push_back(worst);
    }
    for (Key k : leaving) {
      unbind(k);
      ++stats.splits;
    }
  }

  // Every unbound national track joins a regional track holding none of its source, or
  // starts one; sources in order, so one source's new tracks can be joined by the next's.
  void associate() {
    std::map<std::uint32_t, std::vector<Key>> unbound;
    for (const auto& [k, m] : members)
      if (m.regional == 0) unbound[m.source].push_back(k);
    for (const auto& [source, keys] : unbound) {
      // Candidates sorted by east, searched within a window no gated pair can exceed.
      std::vector<std::pair<double, std::uint32_t>> by_east;
      double max_var_e = 0.0;
      for (const auto& [number, r] : regionals) {
        if (has_source(r, source)) continue;
        by_east.emplace_back(r.est.x(0), number);
        max_var_e = std::max(max_var_e, r.est.P(0, 0));
      }
      std::sort(by_east.begin(), by_east.end());
      struct Pair {
        int row;
        std::uint32_t number;
        double d2;
      };
      std::vector<Pair> pairs;
      for (int i = 0; i < static_cast<int>(keys.size()); ++i) {
        const Estimate6& e = members.at(keys[static_cast<std::size_t>(i)]).est;
        const double w = std::sqrt(params.gate_d2 * (e.P(0, 0) + max_var_e));
        auto it = std::lower_bound(by_east.begin(), by_east.end(), std::make_pair(e.x(0) - w, std::uint32_t{0}));
        for (; it != by_east.end() && it->first <= e.x(0) + w; ++it) {
          const double d2 = distance_d2(e, regionals.at(it->second).est);
          if (d2 < params.gate_d2) pairs.push_back({i, it->second, d2});
        }
      }
      // Clusters of rows joined through shared candidates; each solved exactly.
      const int n = static_cast<int>(keys.size());
      Clusters clusters(keys.size());
      std::map<std::uint32_t, int> first_row_of;
      for (const Pair& p : pairs) {
        auto [it, fresh] = first_row_of.emplace(p.number, p.row);
        if (!fresh) clusters.join(static_cast<std::size_t>(p.row), static_cast<std::size_t>(it->second));
      }
      std::map<std::size_t, std::vector<int>> rows_of;
      std::map<std::size_t, std::vector<const Pair*>> pairs_of;
      for (int i = 0; i < n; ++i) rows_of[clusters.find(static_cast<std::size_t>(i))].push_back(i);
      for (const Pair& p : pairs) pairs_of[clusters.find(static_cast<std::size_t>(p.row))].push_back(&p);
      std::vector<std::uint32_t> chosen(static_cast<std::size_t>(n), 0);
      for (const auto& [root, cluster_pairs] : pairs_of) {
        const std::vector<int>& rows = rows_of.at(root);
        std::vector<std::uint32_t> cols;
        for (const Pair* p : cluster_pairs) cols.push_back(p->number);
        std::sort(cols.begin(), cols.end());
        cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
        const int nr = static_cast<int>(rows.size()), nc = static_cast<int>(cols.size());
        // A dummy column per row: staying unassociated costs the gate.
        std::vector<double> cost(static_cast<std::size_t>(nr * (nc + nr)), kForbidden);
        std::map<int, int> local_row;
        for (int r = 0; r < nr; ++r) {
          local_row[rows[static_cast<std::size_t>(r)]] = r;
          cost[static_cast<std::size_t>(r * (nc + nr) + nc + r)] = params.gate_d2;
        }
        for (const Pair* p : cluster_pairs) {
          const int c = static_cast<int>(std::lower_bound(cols.begin(), cols.end(), p->number) - cols.begin());
          cost[static_cast<std::size_t>(local_row.at(p->row) * (nc + nr) + c)] = p->d2;
        }
        const Result<Assignment> a = solve_assignment(cost, nr, nc + nr);
        if (!a) continue;  // cannot happen: the dummy columns make it feasible
        for (int r = 0; r < nr; ++r) {
          const int c = a->row_to_col[static_cast<std::size_t>(r)];
          if (c >= 0 && c < nc) chosen[static_cast<std::size_t>(rows[static_cast<std::size_t>(r)])] = cols[static_cast<std::size_t>(c)];
        }
      }
      for (int i = 0; i < n; ++i) {
        const Key k = keys[static_cast<std::size_t>(i)];
        if (chosen[static_cast<std::size_t>(i)] != 0) {
          bind(k, chosen[static_cast<std::size_t>(i)]);
          ++stats.associated;
        } else {
          bind(k, next_number++);
          ++stats.regional_started;
        }
      }
    }
  }

  void merge() {
    std::vector<std::pair<double, std::uint32_t>> by_east;
    double max_var_e = 0.0;
    for (const auto& [number, r] : regionals) {
      by_east.emplace_back(r.est.x(0), number);
      max_var_e = std::max(max_var_e, r.est.P(0, 0));
    }
    std::sort(by_east.begin(), by_east.end());
    const double w = std::sqrt(params.merge_d2 * 2.0 * max_var_e);
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> counts;
    for (std::size_t i = 0; i < by_east.size(); ++i) {
      const Regional& a = regionals.at(by_east[i].second);
      for (std::size_t j = i + 1; j < by_east.size() && by_east[j].first - by_east[i].first <= w; ++j) {
        const Regional& b = regionals.at(by_east[j].second);
        if (!disjoint(a, b) || distance_d2(a.est, b.est) >= params.merge_d2) continue;
        const auto key = std::minmax(by_east[i].second, by_east[j].second);
        auto it = merge_counts.find(key);
        counts[key] = (it == merge_counts.end() ? 0 : it->second) + 1;
      }
    }
    merge_counts = std::move(counts);
    std::vector<std::uint32_t> consumed;
    for (auto it = merge_counts.begin(); it != merge_counts.end();) {
      const auto [older, younger] = it->first;
      const bool gone = std::find(consumed.begin(), consumed.end(), older) != consumed.end() ||
                        std::find(consumed.begin(), consumed.end(), younger) != consumed.end();
      if (it->second < params.merge_checks || gone) {
        ++it;
        continue;
      }
      const Regional& a = regionals.at(older);
      const Regional& b = regionals.at(younger);
      if (!disjoint(a, b)) {  // an earlier merge this fusion gave `older` a source of `younger`
        ++it;
        continue;
      }
      const std::vector<Key> moving = b.members;
      for (Key k : moving) {
        unbind(k);
        bind(k, older);
      }
      --stats.regional_ended;  // unbinding emptied it: that is a merge, not an end
      ++stats.merges;
      consumed.push_back(younger);
      consumed.push_back(older);
      it = merge_counts.erase(it);
    }
  }

  TrackRow row_of(std::uint32_t number, const Regional& r, SimTime now) const {
    TrackRow row;
    row.time = now;
    row.track_number = number;
    row.status = TrackStatus::coasting;
    bool first = true;
    for (Key k : r.members) {
      const Member& m = members.at(k);
      if (m.row.status == TrackStatus::confirmed && !is_down(m.source)) row.status = TrackStatus::confirmed;
      if (first || protective_rank(m.row.identity) < protective_rank(row.identity)) row.identity = m.row.identity;
      row.label = first ? combine(m.row.label, m.row.label, params.label_originator)
                        : combine(row.label, m.row.label, params.label_originator);
      first = false;
    }
    row.pos = frame.geodetic_from_region(r.est.x.head<3>());
    const Eigen::Matrix3d local_from_region = frame.rot_local_from_region(row.pos);
    const Matrix6d t = block_rotation(local_from_region);
    row.vel_enu = local_from_region * r.est.x.segment<3>(3);
    row.cov = t * r.est.P * t.transpose();
    row.sigma_pos_m = std::sqrt(std::max(0.0, r.est.P.topLeftCorner<3, 3>().trace()));
    row.sigma_vel_mps = std::sqrt(std::max(0.0, r.est.P.bottomRightCorner<3, 3>().trace()));
    row.sources = 0;
    return row;
  }
};

TrackFuser::TrackFuser(const Geodetic& region_origin, const FusionParams& params)
    : impl_(std::make_unique<Impl>(region_origin, params)) {}
TrackFuser::TrackFuser(TrackFuser&&) noexcept = default;
TrackFuser& TrackFuser::operator=(TrackFuser&&) noexcept = default;
TrackFuser::~TrackFuser() = default;

void TrackFuser::add(std::uint32_t source, const TrackRow& row) {
  if (row.status == TrackStatus::tentative) return;
  ++impl_->stats.rows;
  auto [it, fresh] = impl_->members.try_emplace(key_of(source, row.track_number));
  if (fresh) {
    it->second.source = source;
    it->second.row = row;
  } else if (row.time >= it->second.row.time) {
    it->second.row = row;
  }
}

void TrackFuser::end(std::uint32_t source, std::uint32_t track_number) {
  const auto it = impl_->members.find(key_of(source, track_number));
  if (it == impl_->members.end()) return;
  impl_->unbind(it->first);
  ++impl_->stats.dropped;
  impl_->members.erase(it);
}

void TrackFuser::restart_source(std::uint32_t source) {
  Impl& s = *impl_;
  const std::uint32_t orphan = source | kOrphanBit;
  // A second restart before the first's orphans were taken over: those are dropped.
  for (auto it = s.members.lower_bound(key_of(orphan, 0)); it != s.members.end() && (it->first >> 32) == orphan;) {
    const Key k = it->first;
    ++it;
    s.unbind(k);
    s.members.erase(k);
    ++s.stats.dropped;
  }
  std::vector<Key> keys;
  for (auto it = s.members.lower_bound(key_of(source, 0)); it != s.members.end() && (it->first >> 32) == source; ++it)
    keys.push_back(it->first);
  for (const Key k : keys) {
    Impl::Member m = std::move(s.members.at(k));
    s.members.erase(k);
    const Key ok = key_of(orphan, static_cast<std::uint32_t>(k));
    m.source = orphan;
    if (m.regional != 0) {
      std::vector<Key>& list = s.regionals.at(m.regional).members;
      std::erase(list, k);
      list.insert(std::upper_bound(list.begin(), list.end(), ok), ok);
    }
    s.members.emplace(ok, std::move(m));
  }
}

void TrackFuser::set_source_up(std::uint32_t source, bool up) {
  auto& down = impl_->down;
  const auto it = std::lower_bound(down.begin(), down.end(), source);
  const bool listed = it != down.end() && *it == source;
  if (up && listed) down.erase(it);
  if (!up && !listed) down.insert(it, source);
}

std::vector<TrackRow> TrackFuser::fuse(SimTime now) {
  Impl& s = *impl_;
  s.drop_and_predict(now);
  s.split();
  s.associate();
  s.merge();
  std::vector<TrackRow> out;
  out.reserve(s.regionals.size());
  for (const auto& [number, r] : s.regionals) out.push_back(s.row_of(number, r, now));
  return out;
}

std::vector<FusedMember> TrackFuser::members(std::uint32_t regional_number) const {
  std::vector<FusedMember> out;
  const auto it = impl_->regionals.find(regional_number);
  if (it == impl_->regionals.end()) return out;
  for (Key k : it->second.members) out.push_back({static_cast<std::uint32_t>(k >> 32), static_cast<std::uint32_t>(k)});
  return out;
}

std::uint32_t TrackFuser::regional_of(std::uint32_t source, std::uint32_t track_number) const {
  const auto it = impl_->members.find(key_of(source, track_number));
  return it == impl_->members.end() ? 0 : it->second.regional;
}

std::size_t TrackFuser::tracks_of(std::uint32_t source) const {
  std::size_t n = 0;
  const auto& m = impl_->members;
  for (auto it = m.lower_bound(key_of(source, 0)); it != m.end() && (it->first >> 32) == source; ++it)
    if (it->second.regional != 0) ++n;
  return n;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> TrackFuser::bindings(std::uint32_t source) const {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  const auto& m = impl_->members;
  for (auto it = m.lower_bound(key_of(source, 0)); it != m.end() && (it->first >> 32) == source; ++it)
    if (it->second.regional != 0) out.emplace_back(static_cast<std::uint32_t>(it->first & 0xFFFFFFFFu), it->second.regional);
  return out;
}

const FusionStats& TrackFuser::stats() const noexcept { return impl_->stats; }

}  // namespace jrads::picture
