// Tracker::Impl (tracker_impl.hpp): identification. IFF replies, interrogator rotations,
// flight-plan correlation, kinematic profiles and threats, origins, the identity decision.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "jrads/core/assignment.hpp"
#include "jrads/core/polygon.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"
#include "tracker_impl.hpp"

namespace jrads::picture {

using namespace detail;

namespace {

constexpr double kIffClearMargin = 8.0;     // -2 ln(likelihood ratio) a reply's best track must win by
constexpr double kProfileMaxSigmaVel_mps = 60.0;  // speed-based profiles need a horizontal velocity this good

// Whether a point is inside a polygon with straight edges in latitude and longitude (as a
// scenario draws a border along a parallel): core's planar test on (lon, lat) as (x, y); a
// point exactly on the border is not inside. The antimeridian is not handled.
bool inside_latlon_polygon(const std::vector<Geodetic>& poly, const Geodetic& p) {
  std::vector<Point2> ring;
  ring.reserve(poly.size());
  for (const Geodetic& v : poly) ring.push_back({v.lon_deg, v.lat_deg});
  return locate_point(ring, {p.lon_deg, p.lat_deg}, 0.0) == PointLocation::inside;
}

}  // namespace

// Where a track is confirmed is its origin, as far as the picture knows.
void Tracker::Impl::note_origin(Track& t) {
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

// IFF replies give identity evidence to the track they gate with; they do not move tracks.
void Tracker::Impl::associate_iff(std::span<const int> group) {
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

// When an interrogator completes a rotation, every confirmed track within its reach that gave
// it no reply during that rotation gains a "no reply" piece of evidence.
void Tracker::Impl::iff_rotations(SimTime now) {
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

// Whether the track's code or address and position match a filed flight plan.
void Tracker::Impl::match_flight_plans(Track& t, const Eigen::Vector2d& pos, SimTime now) {
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

double Tracker::Impl::distance_to_route(const std::vector<Eigen::Vector2d>& route, const Eigen::Vector2d& p) {
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
bool Tracker::Impl::threatens_asset(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel) const {
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
void Tracker::Impl::correlate_plans_by_position(SimTime now) {
  const double t = now.s();
  const double cos_tol = std::cos(params.identity.plan_heading_tolerance_deg * units::pi / 180.0);
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
int Tracker::Impl::severity(Identity id) noexcept {
  switch (id) {
    case Identity::suspect: return 1;
    case Identity::hostile: return 2;
    default: return 0;
  }
}

void Tracker::Impl::update_identities(SimTime now) {
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
      // It tells of the track, not of which sensors saw it.
      alerts.push_back({now, AlertKind::identity_conflict, t.number, 0, text,
                        security::without_categories(t.label, security::category_bit(security::Category::sensors))});
    }
  }
}

}  // namespace jrads::picture
