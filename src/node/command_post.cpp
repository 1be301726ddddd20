#include "jrads/node/command_post.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "jrads/command/roe.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/engage/wta.hpp"

namespace jrads::node {

const char* to_string(EventKind k) noexcept {
  switch (k) {
    case EventKind::proposal: return "proposal";
    case EventKind::approval: return "approval";
    case EventKind::denial: return "denial";
    case EventKind::refusal: return "refusal";
    case EventKind::order: return "order";
    case EventKind::launch: return "launch";
    case EventKind::assessment: return "assessment";
    case EventKind::cancelled: return "cancelled";
  }
  return "?";
}

namespace {

using command::Action;
using command::RoleKind;
using engage::ThreatClass;
using picture::Identity;

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const std::string& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s;
}

std::string fmt(const char* format, double a, double b = 0.0, double c = 0.0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

Result<void> bad(const std::string& what) { return fail(Errc::invalid_argument, what); }

constexpr double kMaxPictureAgeS = 60.0;         // rows older than this are no picture to fire on
constexpr double kReproposeAfterDenialS = 60.0;  // a denied pair is not proposed again sooner (same identity)

// A track where the post believes it is now: the latest row extrapolated in a straight line.
struct TrackNow {
  const PictureTrack* track = nullptr;
  Eigen::Vector3d pos_enu = Eigen::Vector3d::Zero();
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();
  Geodetic pos;
  command::Position3 where;  // airspace plane and height
  ThreatClass threat = ThreatClass::aircraft;
};

TrackNow gone_track(const PictureTrack& gone) {
  TrackNow n;
  n.track = &gone;
  return n;
}

enum class Stage : std::uint8_t { deciding, launching, in_flight };

struct Engagement {
  std::uint64_t id = 0;
  int unit = 0;
  std::uint32_t track = 0;
  int rounds = 1;
  Stage stage = Stage::deciding;
  SimTime due;               // decision, launch, or kill assessment time
  SimTime intercept_at;
  std::string approver;      // role id, or "auto"
  std::string auto_by;       // automatic: the delegating role
  std::string auto_zone;
  ThreatClass threat = ThreatClass::aircraft;
  Identity identity = Identity::pending;  // at the latest stage
  security::ItemLabel track_label;        // likewise: what an event tells of a track that has left
  bool needs_hostile = false;             // approved on a hostile identity (automatic, approve_hostile)
  double value = 0.0;
  double pk = 0.0;
};

struct UnitState {
  int rounds_left = 0;
  int rounds_reserved = 0;
  int channels_busy = 0;
};

}  // namespace

struct CommandPost::Impl {
  CommandPostParams p;
  command::Authority authority;
  command::Airspace airspace;
  command::AgreementState agreement;
  LocalFrame region;
  Rng rng;
  engage::LineOfSight los;
  engage::ThreatEvaluator evaluator;
  std::vector<UnitState> state;
  std::vector<Engagement> engagements;  // active, in id order
  std::uint64_t next_id = 1;
  SimTime next_cycle;
  bool started = false;
  SimTime last_now;
  std::string coordinator;                                       // role id (may be empty)
  std::map<std::pair<std::uint32_t, std::string>, std::string> last_refusal;  // (track, unit) -> rules logged
  std::map<std::uint32_t, SimTime> destroyed;                    // tracks assessed destroyed: when (picture time)
  struct Denial {
    SimTime at;
    Identity identity = Identity::pending;
  };
  std::map<std::pair<std::uint32_t, int>, Denial> denied;       // (track, unit): the last denial
  std::map<std::string, RngStream> operator_rng;

  Impl(CommandPostParams params, command::Authority auth, command::Airspace air, command::AgreementState agr,
       const LocalFrame& frame, std::uint64_t seed, engage::LineOfSight line)
      : p(std::move(params)),
        authority(std::move(auth)),
        airspace(std::move(air)),
        agreement(std::move(agr)),
        region(frame),
        rng(seed),
        los(std::move(line)),
        evaluator(p.assets, p.threat) {
    for (const FireUnit& u : p.units) state.push_back({u.rounds, 0, 0});
    for (const command::Role& r : authority.chain().roles) {
      if (r.kind == RoleKind::coordinator) coordinator = r.id;
    }
  }

  // --- the picture -------------------------------------------------------------------------
  TrackNow now_of(const PictureTrack& t, SimTime now) const {
    TrackNow n;
    n.track = &t;
    const double dt_s = std::max(0.0, (now - t.row.time).s());
    const double speed = std::hypot(t.vel_enu.x(), t.vel_enu.y());
    n.threat = engage::threat_class_of(picture::classify_profile(speed, t.row.pos.alt_m, p.identity));
    n.vel_enu = t.vel_enu;
    // Cruise missiles and drones follow the terrain: their climb or dive of the moment says
    // nothing of where they will be in a minute, so they are predicted level — level where
    // they are (the local vertical), not in the region frame, whose z is no height.
    if (n.threat == ThreatClass::cruise_missile || n.threat == ThreatClass::drone) {
      const Eigen::Vector3d v_local(t.row.vel_enu.x(), t.row.vel_enu.y(), 0.0);
      n.vel_enu = region.enu_from_ecef_vec(rot_enu_from_ecef(t.row.pos.lat_deg, t.row.pos.lon_deg).transpose() * v_local);
    }
    n.pos_enu = t.pos_enu + n.vel_enu * dt_s;
    n.pos = region.geodetic_from_enu(Enu::from(n.pos_enu));
    n.where = {airspace.plane_from_geodetic(n.pos), n.pos.alt_m};
    return n;
  }

  command::Position3 where_of(const Eigen::Vector3d& pos_enu) const {
    const Geodetic g = region.geodetic_from_enu(Enu::from(pos_enu));
    return {airspace.plane_from_geodetic(g), g.alt_m};
  }

  command::TrackFacts facts_of(const TrackNow& n) const {
    command::TrackFacts f;
    f.track_number = n.track->row.track_number;
    f.identity = n.track->row.identity;
    f.evidence = n.track->evidence;
    f.pos = n.where.pos;
    f.alt_m = n.where.alt_m;
    f.speed_mps = std::hypot(n.vel_enu.x(), n.vel_enu.y());
    f.climb_mps = n.vel_enu.z();
    return f;
  }

  // --- roles -------------------------------------------------------------------------------
  const command::Role* role(const std::string& id) const {
    for (const command::Role& r : authority.chain().roles) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
  std::string party_head(const std::string& party) const {
    for (const command::Role& r : authority.chain().roles) {
      if (r.party == party && (r.kind == RoleKind::coordinator || r.kind == RoleKind::air_defence_commander)) return r.id;
    }
    return {};
  }
  std::string unit_role(const FireUnit& u, RoleKind kind) const {
    for (const command::Role& r : authority.chain().roles) {
      if (r.kind == kind && r.unit == u.id) return r.id;
    }
    return {};
  }
  std::string party_of(const std::string& role_id) const {
    const command::Role* r = role(role_id);
    return r == nullptr ? std::string() : r->party;
  }
  const OperatorParams& operator_of(const std::string& role_id) const {
    for (const OperatorParams& o : p.operators) {
      if (o.role == role_id) return o;
    }
    return p.default_operator;
  }
  double decision_delay_s(const std::string& role_id) {
    const OperatorParams& o = operator_of(role_id);
    auto it = operator_rng.find(role_id);
    if (it == operator_rng.end()) it = operator_rng.emplace(role_id, rng.stream("operator/" + role_id)).first;
    return o.decision_delay_s + (o.delay_jitter_s > 0.0 ? it->second.uniform(0.0, o.delay_jitter_s) : 0.0);
  }

  // The zones holding the threat, in definition order.
  std::vector<std::string> zones_of(const TrackNow& n) const {
    std::vector<std::string> ids;
    for (const command::Zone* z : airspace.zones_at(n.where.pos, n.where.alt_m)) ids.push_back(z->id);
    return ids;
  }

  const AutoEngagement* automatic(const FireUnit& u, const TrackNow& n, SimTime now) const {
    if (n.track->row.identity != Identity::hostile) return nullptr;  // never on a doubtful identity
    for (const AutoEngagement& a : p.auto_engagements) {
      if (a.unit != u.id || a.threat != n.threat || now < a.from || !(now < a.until)) continue;
      const command::Zone* z = airspace.zone(a.zone);
      if (z == nullptr || !airspace.contains(*z, n.where.pos, n.where.alt_m)) continue;
      // The delegating role must be one whose order the unit takes (its own chain).
      if (authority.accepts_order(u.id, a.by, now, a.zone, n.threat, agreement).allowed) return &a;
    }
    return nullptr;
  }

  // Who decides a proposal for unit u: the coordinator where the unit's commander delegated
  // that for the threat's zone and class; else the unit's commander, else its chain head.
  std::string approver_for(const FireUnit& u, const TrackNow& n, SimTime now, std::string* zone) const {
    if (!coordinator.empty() && party_of(coordinator) != u.party) {
      for (const std::string& z : zones_of(n)) {
        if (authority.accepts_order(u.id, coordinator, now, z, n.threat, agreement).allowed) {
          *zone = z;
          return coordinator;
        }
      }
    }
    zone->clear();
    const std::string cdr = unit_role(u, RoleKind::unit_commander);
    return cdr.empty() ? party_head(u.party) : cdr;
  }

  // The zone a request by `actor` should name: the first holding the threat that the unit
  // accepts the actor's order for (delegations are per zone), else the first at all.
  std::string request_zone(const FireUnit& u, const std::string& actor, const TrackNow& n, SimTime now) const {
    const std::vector<std::string> zones = zones_of(n);
    for (const std::string& z : zones) {
      if (authority.accepts_order(u.id, actor, now, z, n.threat, agreement).allowed) return z;
    }
    return zones.empty() ? std::string() : zones.front();
  }

  // --- checks ------------------------------------------------------------------------------
  std::vector<command::Position3> friendlies(std::span<const TrackNow> tracks) const {
    std::vector<command::Position3> out;
    for (const TrackNow& t : tracks) {
      const Identity id = t.track->row.identity;
      if (id == Identity::friend_ || id == Identity::assumed_friend) out.push_back(t.where);
    }
    return out;
  }

  struct Verdict {
    bool allowed = true;
    std::vector<std::string> rules, reasons;
  };
  Verdict interlock(const TrackNow& n, SimTime now) const {
    const command::InterlockDecision d = command::civil_interlock(facts_of(n), airspace, now, p.interlock);
    Verdict v;
    v.allowed = !d.refused;
    for (const std::string& r : d.rules) v.rules.push_back("interlock:" + r);
    v.reasons = d.reasons;
    return v;
  }
  Verdict roe(const FireUnit& u, const TrackNow& n, const Eigen::Vector3d& intercept_enu,
              const std::vector<command::Position3>& friends) const {
    command::RoeCase c;
    c.unit_party = u.party;
    c.unit_mezs = u.mezs;
    c.identity = n.track->row.identity;
    c.target = n.where;
    c.intercept = where_of(intercept_enu);
    c.friendly_aircraft = friends;
    const command::RoeDecision d = command::check_roe(c, airspace);
    Verdict v;
    v.allowed = d.allowed;
    for (const command::RoeRule& r : d.rules) {
      if (r.passed) continue;
      v.rules.push_back("roe:" + r.rule);
      v.reasons.push_back(r.text);
    }
    return v;
  }

  // The intercept if the unit launched after `delay_s` plus its reaction time, or nothing
  // when the envelope, the line of sight or the linked sensors rule it out.
  std::optional<engage::Intercept> intercept(const FireUnit& u, const TrackNow& n, double delay_s,
                                             bool include_reaction) const {
    engage::FireUnitEnvelope env = u.envelope;
    if (!include_reaction) env.reaction_time_s = 0.0;
    engage::Intercept i = engage::predict_intercept(env, n.pos_enu, n.vel_enu, delay_s, los);
    if (!i.feasible) return std::nullopt;
    if (!u.linked_sensors.empty()) {
      const bool covered = std::any_of(u.linked_sensors.begin(), u.linked_sensors.end(), [&](const LinkedSensor& s) {
        return (i.point_enu - s.pos_enu).norm() <= s.max_range_m && (!los || los(s.pos_enu, i.point_enu));
      });
      if (!covered) return std::nullopt;
    }
    return i;
  }

  double pk_of(const FireUnit& u, const TrackNow& n, const engage::Intercept& i) const {
    return engage::kill_probability(u.envelope.type, n.threat, engage::geometry_of(u.envelope, i, n.vel_enu), p.kill);
  }

  // --- events ------------------------------------------------------------------------------
  EngagementEvent event(SimTime t, EventKind kind, const Engagement* e, const TrackNow& n, const FireUnit* u,
                        const std::string& actor) const {
    EngagementEvent ev;
    ev.time = t;
    ev.kind = kind;
    ev.engagement = e != nullptr ? e->id : 0;
    ev.track = n.track->row.track_number;
    if (u != nullptr) {
      ev.unit = u->id;
      ev.unit_party = u->party;
    }
    ev.actor = actor;
    ev.actor_party = party_of(actor);
    ev.threat = n.threat;
    ev.identity = n.track->row.identity;
    if (e != nullptr) {
      ev.threat_value = e->value;
      ev.kill_probability = e->pk;
    }
    ev.label = event_label(n.track != nullptr ? &n.track->row.label : nullptr, ev.actor_party, ev.unit_party);
    return ev;
  }

  security::ItemLabel event_label(const security::ItemLabel* track, const std::string& actor_party,
                                  const std::string& unit_party) const {
    const auto who = p.parties.index(!actor_party.empty() ? actor_party : unit_party);
    const security::PartyIndex originator = who.value_or(0);
    security::ItemLabel orders;
    orders.categories = security::category_bit(security::Category::orders);
    orders.originator = originator;
    orders.rel_alliance = true;  // narrows nothing in combine()
    if (track == nullptr) {
      orders.rel_alliance = false;
      return orders;
    }
    // It tells of the track, not of which sensors saw it.
    if (!security::is_labelled(*track)) return *track;  // refused at every gate, as its track
    security::ItemLabel told = *track;
    told.categories &= ~security::category_bit(security::Category::sensors);
    return security::combine(told, orders, originator);
  }

  // Logs a refusal made while planning, once per change of its rules for (track, unit).
  void refuse_once(SimTime now, const TrackNow& n, const FireUnit* u, const std::string& actor, const Verdict& v,
                   double value, StepResult& out) {
    const auto key = std::make_pair(n.track->row.track_number, u != nullptr ? u->id : std::string());
    const std::string rules = join(v.rules);
    auto it = last_refusal.find(key);
    if (it != last_refusal.end() && it->second == rules) return;
    last_refusal[key] = rules;
    EngagementEvent ev = event(now, EventKind::refusal, nullptr, n, u, actor);
    ev.threat_value = value;
    ev.rules = v.rules;
    ev.reasons = join(v.reasons);
    out.events.push_back(std::move(ev));
  }

  Order order_of(const Engagement& e, const EngagementEvent& ev, const std::string& zone) const {
    const FireUnit& u = p.units[e.unit];
    return {e.id, u.id, u.party, e.track, e.rounds, e.approver, e.auto_by, zone, ev.threat, ev.time, ev.label};
  }

  void release(Engagement& e) {
    UnitState& s = state[e.unit];
    s.channels_busy -= 1;
    if (e.stage != Stage::in_flight) s.rounds_reserved -= e.rounds;
  }

  const PictureTrack* find(std::span<const PictureTrack> picture, std::uint32_t number) const {
    for (const PictureTrack& t : picture) {
      if (t.row.track_number == number) return &t;
    }
    return nullptr;
  }

  // --- the stages --------------------------------------------------------------------------
  // Returns false when the engagement is over.
  bool decide(Engagement& e, const PictureTrack* t, std::span<const TrackNow> all, StepResult& out) {
    const FireUnit& u = p.units[e.unit];
    if (t == nullptr) return cancel(e, "track " + std::to_string(e.track) + " left the picture before the decision", out);
    const TrackNow n = now_of(*t, e.due);
    e.identity = n.track->row.identity;
    e.track_label = n.track->row.label;
    const std::vector<command::Position3> friends = friendlies(all);
    Verdict v = interlock(n, e.due);
    const std::optional<engage::Intercept> i = intercept(u, n, 0.0, true);
    if (v.allowed && i) v = roe(u, n, i->point_enu, friends);
    if (!v.allowed) return refuse(e, n, e.approver, v, out);
    if (!i) return cancel(e, "no intercept of track " + std::to_string(e.track) + " any more", out);
    const std::string zone = request_zone(u, e.approver, n, e.due);
    {  // automatic engagements never wait for a decision
      const command::Decision may =
          authority.check({e.approver, Action::approve_engagement, u.id, e.due, zone, n.threat}, agreement);
      if (!may.allowed) return refuse(e, n, e.approver, {false, {"authority"}, may.reasons}, out);
      const OperatorParams& op = operator_of(e.approver);
      const bool yes = op.policy == OperatorPolicy::approve ||
                       (op.policy == OperatorPolicy::approve_hostile && n.track->row.identity == Identity::hostile);
      EngagementEvent ev = event(e.due, yes ? EventKind::approval : EventKind::denial, &e, n, &u, e.approver);
      ev.reasons = std::string("operator policy ") + to_string(op.policy) + ", track identified " +
                   picture::to_string(n.track->row.identity);
      out.events.push_back(std::move(ev));
      if (!yes) {
        denied[{e.track, e.unit}] = {e.due, n.track->row.identity};
        release(e);
        return false;
      }
      e.needs_hostile = op.policy == OperatorPolicy::approve_hostile;
      const command::Decision order =
          authority.check({e.approver, Action::order_engagement, u.id, e.due, zone, n.threat}, agreement);
      if (!order.allowed) return refuse(e, n, e.approver, {false, {"authority"}, order.reasons}, out);
      EngagementEvent o = event(e.due, EventKind::order, &e, n, &u, e.approver);
      o.reasons = join(order.reasons);
      out.orders.push_back(order_of(e, o, zone));
      out.events.push_back(std::move(o));
    }
    e.stage = Stage::launching;
    e.due = e.due + SimTime::from_s(u.envelope.reaction_time_s);
    return true;
  }

  bool launch(Engagement& e, const PictureTrack* t, std::span<const TrackNow> all, StepResult& out) {
    const FireUnit& u = p.units[e.unit];
    if (t == nullptr) return cancel(e, "track " + std::to_string(e.track) + " left the picture before launch", out);
    if (t->row.status != picture::TrackStatus::confirmed) {
      return cancel(e, "track " + std::to_string(e.track) + " is coasting: no fire-control quality at launch", out);
    }
    const TrackNow n = now_of(*t, e.due);
    e.identity = n.track->row.identity;
    e.track_label = n.track->row.label;
    Verdict v = interlock(n, e.due);
    const std::optional<engage::Intercept> i = intercept(u, n, 0.0, false);
    if (v.allowed && i) v = roe(u, n, i->point_enu, friendlies(all));
    std::string op = unit_role(u, RoleKind::fire_operator);
    if (op.empty()) op = unit_role(u, RoleKind::unit_commander);
    if (!v.allowed) return refuse(e, n, op, v, out);
    // An approval given for a hostile track (automatic, or by an approve_hostile operator)
    // does not cover one the picture no longer calls hostile, or — automatic — one that has
    // left the delegated zone or window.
    if (e.needs_hostile && n.track->row.identity != Identity::hostile) {
      return cancel(e, "track " + std::to_string(e.track) + " is no longer identified hostile (" +
                           picture::to_string(n.track->row.identity) + "): the approval does not cover it", out);
    }
    if (e.approver == "auto" && automatic(u, n, e.due) == nullptr) {
      return cancel(e, "the automatic engagement no longer covers track " + std::to_string(e.track) + " (zone, window or class)", out);
    }
    // Shoot-look-shoot: rounds planned together on one track that are not fired together wait
    // for the look — a second round would otherwise chase a target the first one has killed.
    if (p.rules.shoot_look_shoot &&
        std::any_of(engagements.begin(), engagements.end(), [&](const Engagement& other) {
          return other.id != e.id && other.track == e.track && other.stage == Stage::in_flight;
        })) {
      return cancel(e, "another interceptor is already on track " + std::to_string(e.track) + ": look before shooting again", out);
    }
    if (!i) return cancel(e, "no intercept of track " + std::to_string(e.track) + " at launch time", out);
    const command::Decision may = authority.check({op, Action::launch, u.id, e.due, "", n.threat}, agreement);
    if (!may.allowed) return refuse(e, n, op, {false, {"authority"}, may.reasons}, out);
    e.pk = pk_of(u, n, *i);
    e.intercept_at = e.due + SimTime::from_s(i->fly_out_s);
    for (int r = 0; r < e.rounds; ++r) {
      EngagementEvent ev = event(e.due, EventKind::launch, &e, n, &u, op);
      ev.reasons = fmt("intercept predicted in %.0f s at %.1f km, notional Pk %.2f", i->fly_out_s, i->range_m / 1000.0, e.pk);
      if (e.approver == "auto") ev.reasons += "; automatic engagement delegated by " + e.auto_by + " in " + e.auto_zone;
      out.events.push_back(std::move(ev));
      Launch l;
      l.label = out.events.back().label;
      l.engagement = e.id;
      l.unit = u.id;
      l.unit_party = u.party;
      l.envelope = u.envelope;
      l.track = e.track;
      l.threat = n.threat;
      l.identity = n.track->row.identity;
      l.threat_value = e.value;
      l.at = e.due;
      l.intercept_at = e.intercept_at;
      l.point_enu = i->point_enu;
      l.track_pos_enu = n.pos_enu;
      l.kill_probability = e.pk;
      out.launches.push_back(l);
    }
    UnitState& s = state[e.unit];
    s.rounds_left -= e.rounds;
    s.rounds_reserved -= e.rounds;
    e.stage = Stage::in_flight;
    e.due = e.intercept_at + SimTime::from_s(p.rules.kill_assessment_s);
    return true;
  }

  // Kill assessment: due once the picture reaches kill_assessment_s past the intercept (its
  // rows lag the world), or two minutes later whatever the picture says.
  bool assess(Engagement& e, const PictureTrack* t, SimTime now, StepResult& out) {
    const SimTime look = e.intercept_at + SimTime::from_s(p.rules.kill_assessment_s);
    const bool timeout = now >= look + SimTime::from_s(120.0);
    if (t != nullptr && t->row.time < look && !timeout) return true;  // the picture has not caught up yet
    const FireUnit& u = p.units[e.unit];
    // Gone, coasting, or (at the timeout) not updated by the picture since the look.
    const bool stale = t != nullptr && t->row.time < look;
    const bool killed = t == nullptr || t->row.status == picture::TrackStatus::coasting || stale;
    PictureTrack gone;
    gone.row.track_number = e.track;
    gone.row.label = e.track_label;
    const TrackNow n = t != nullptr ? now_of(*t, now) : gone_track(gone);
    EngagementEvent ev = event(now, EventKind::assessment, &e, n, &u, e.approver == "auto" ? e.auto_by : e.approver);
    ev.actor_party = party_of(ev.actor);
    if (t == nullptr) {  // the last known view of the track
      ev.threat = e.threat;
      ev.identity = e.identity;
    }
    ev.outcome = killed ? "destroyed" : "survived";
    ev.reasons = t == nullptr ? "track " + std::to_string(e.track) + " left the picture after the intercept"
                 : stale      ? "the picture has shown nothing new of track " + std::to_string(e.track) + " since the intercept"
                 : killed     ? "track " + std::to_string(e.track) + " has not been updated since the intercept"
                              : "track " + std::to_string(e.track) + " is still updated after the intercept";
    if (!killed && p.rules.shoot_look_shoot) ev.reasons += ": it may be engaged again";
    out.events.push_back(std::move(ev));
    if (killed) destroyed[e.track] = t != nullptr ? t->row.time : now;
    release(e);
    return false;
  }

  bool refuse(Engagement& e, const TrackNow& n, const std::string& actor, const Verdict& v, StepResult& out) {
    last_refusal[{e.track, p.units[e.unit].id}] = join(v.rules);  // planning need not log it again
    EngagementEvent ev = event(e.due, EventKind::refusal, &e, n, &p.units[e.unit], actor);
    ev.rules = v.rules;
    ev.reasons = join(v.reasons);
    out.events.push_back(std::move(ev));
    release(e);
    return false;
  }

  bool cancel(Engagement& e, const std::string& why, StepResult& out) {
    PictureTrack gone;
    gone.row.track_number = e.track;
    gone.row.label = e.track_label;
    EngagementEvent ev = event(e.due, EventKind::cancelled, &e, gone_track(gone), &p.units[e.unit], e.approver);
    ev.threat = e.threat;
    ev.identity = e.identity;
    ev.reasons = why;
    out.events.push_back(std::move(ev));
    release(e);
    return false;
  }

  // --- planning ----------------------------------------------------------------------------
  void plan(SimTime now, std::span<const TrackNow> all, StepResult& out) {
    std::vector<engage::TrackState> states;
    states.reserve(all.size());
    for (const TrackNow& n : all)
      states.push_back({n.track->row.track_number, n.track->row.identity, n.pos_enu, n.vel_enu, n.track->row.label});
    const std::vector<engage::Threat> threats = evaluator.update(now, states);
    out.threats = threats;
    const std::vector<command::Position3> friends = friendlies(all);
    const std::string proposer_default = agreement.in_force ? coordinator : std::string();

    struct Pair {
      int unit = 0, target = 0;
      double pk = 0.0;
      std::string approver, zone;
    };
    std::vector<Pair> pairs;
    std::vector<const engage::Threat*> targets;
    std::vector<const TrackNow*> target_tracks;
    for (const engage::Threat& th : threats) {
      if (std::any_of(engagements.begin(), engagements.end(), [&](const Engagement& e) { return e.track == th.track; })) continue;
      const auto it = std::find_if(all.begin(), all.end(), [&](const TrackNow& n) { return n.track->row.track_number == th.track; });
      if (it == all.end()) continue;
      const TrackNow& n = *it;
      if (n.track->row.status != picture::TrackStatus::confirmed) continue;  // no fire-control quality
      if ((now - n.track->row.time).s() > kMaxPictureAgeS) continue;         // a stalled picture
      if (const auto d = destroyed.find(th.track); d != destroyed.end()) {
        // Assessed destroyed, yet updated again since: the assessment was wrong.
        if (!(n.track->row.time > d->second + SimTime::from_s(p.rules.kill_assessment_s))) continue;
        destroyed.erase(d);
      }
      const Verdict iv = interlock(n, now);
      if (!iv.allowed) {
        refuse_once(now, n, nullptr, "interlock", iv, th.value, out);
        continue;
      }
      const int target = static_cast<int>(targets.size());
      bool any = false;
      for (int ui = 0; ui < static_cast<int>(p.units.size()); ++ui) {
        const FireUnit& u = p.units[ui];
        const UnitState& s = state[ui];
        if (now < u.ready_from || s.rounds_left - s.rounds_reserved <= 0 || s.channels_busy >= u.channels) continue;
        if (const auto d = denied.find({th.track, ui});
            d != denied.end() && d->second.identity == n.track->row.identity && (now - d->second.at).s() < kReproposeAfterDenialS) {
          continue;  // the approver said no; ask again only after a while or a new identity
        }
        std::string zone;
        const AutoEngagement* a = automatic(u, n, now);
        const std::string approver = a != nullptr ? std::string("auto") : approver_for(u, n, now, &zone);
        const OperatorParams& op = operator_of(approver);
        const double delay_s = a != nullptr ? 0.0 : op.decision_delay_s + 0.5 * op.delay_jitter_s;
        const std::optional<engage::Intercept> i = intercept(u, n, delay_s, true);
        if (!i) continue;
        const double pk = pk_of(u, n, *i);
        if (pk < p.min_kill_probability) continue;
        const Verdict rv = roe(u, n, i->point_enu, friends);
        if (!rv.allowed) {
          refuse_once(now, n, &u, "roe", rv, th.value, out);
          continue;
        }
        pairs.push_back({ui, target, pk, approver, a != nullptr ? a->zone : zone});
        any = true;
      }
      if (any) {
        targets.push_back(&th);
        target_tracks.push_back(&n);
      }
    }
    if (pairs.empty()) return;

    // The assignment over the units and targets that have a pair.
    std::vector<int> units_used;
    for (const Pair& pr : pairs) {
      if (std::find(units_used.begin(), units_used.end(), pr.unit) == units_used.end()) units_used.push_back(pr.unit);
    }
    std::sort(units_used.begin(), units_used.end());
    engage::WtaProblem pb;
    pb.n_units = static_cast<int>(units_used.size());
    pb.n_targets = static_cast<int>(targets.size());
    for (const engage::Threat* th : targets) pb.value.push_back(th->value);
    pb.p_kill.assign(static_cast<std::size_t>(pb.n_units) * pb.n_targets, 0.0);
    for (const Pair& pr : pairs) {
      const int row = static_cast<int>(std::lower_bound(units_used.begin(), units_used.end(), pr.unit) - units_used.begin());
      pb.p_kill[static_cast<std::size_t>(row) * pb.n_targets + pr.target] = pr.pk;
    }
    for (int ui : units_used) {
      const UnitState& s = state[ui];
      const int free_channels = p.units[ui].channels - s.channels_busy;
      pb.channels.push_back(free_channels);
      pb.rounds.push_back(std::min(s.rounds_left - s.rounds_reserved,
                                   free_channels * (p.rules.shoot_look_shoot ? 1 : p.rules.max_rounds_per_target)));
    }
    pb.options.shoot_look_shoot = p.rules.shoot_look_shoot;
    pb.options.max_rounds_per_target = p.rules.max_rounds_per_target;
    const bool small = static_cast<int>(pairs.size()) <= p.exact_max_pairs;
    engage::WtaExactParams exact;
    exact.max_nodes = 200'000;
    const Result<engage::WtaSolution> plan = small ? engage::solve_wta_exact(pb, exact) : engage::solve_wta_heuristic(pb);
    JRADS_ASSERT(plan.has_value());  // the problem is built valid

    for (const engage::WtaEngagement& w : plan->engagements) {
      const int ui = units_used[w.unit];
      const FireUnit& u = p.units[ui];
      const TrackNow& n = *target_tracks[w.target];
      const engage::Threat& th = *targets[w.target];
      const Pair& pr = *std::find_if(pairs.begin(), pairs.end(),
                                     [&](const Pair& q) { return q.unit == ui && q.target == w.target; });
      Engagement e;
      e.id = next_id++;
      e.unit = ui;
      e.track = th.track;
      e.rounds = w.rounds;
      e.threat = n.threat;
      e.value = th.value;
      e.identity = n.track->row.identity;
      e.track_label = n.track->row.label;
      e.pk = pr.pk;
      e.approver = pr.approver;
      std::string proposer = proposer_default.empty() ? party_head(u.party) : proposer_default;
      const command::Decision may =
          authority.check({proposer, Action::propose_assignment, u.id, now, pr.zone, n.threat}, agreement);
      if (!may.allowed) proposer = party_head(u.party);  // the coordinator cannot: the unit's own chain proposes
      EngagementEvent ev = event(now, EventKind::proposal, &e, n, &u, proposer);
      ev.reasons = "threat rank " + std::to_string(th.rank) + fmt(" value %.3f", th.value) + " to " + th.asset +
                   fmt(" (time to go %.0f s); notional Pk %.2f", th.time_to_go_s, pr.pk) + "; decided by " + pr.approver;
      out.events.push_back(std::move(ev));
      UnitState& s = state[ui];
      s.channels_busy += 1;
      s.rounds_reserved += e.rounds;
      if (pr.approver == "auto") {
        const AutoEngagement* a = automatic(u, n, now);
        JRADS_ASSERT(a != nullptr);
        e.auto_by = a->by;
        e.auto_zone = a->zone;
        e.needs_hostile = true;
        EngagementEvent ap = event(now, EventKind::approval, &e, n, &u, "auto");
        ap.reasons = "automatic engagement delegated by " + a->by + " for " + engage::to_string(a->threat) + " in " + a->zone;
        out.events.push_back(ap);
        EngagementEvent order = ap;
        order.kind = EventKind::order;
        out.orders.push_back(order_of(e, order, a->zone));
        out.events.push_back(std::move(order));
        e.stage = Stage::launching;
        e.due = now + SimTime::from_s(u.envelope.reaction_time_s);
      } else {
        e.stage = Stage::deciding;
        e.due = now + SimTime::from_s(decision_delay_s(pr.approver));
      }
      engagements.push_back(std::move(e));
    }
  }

  StepResult step(SimTime now, std::span<const PictureTrack> picture) {
    JRADS_ASSERT(!started || now >= last_now);
    if (!started) {
      const double c = p.rules.cycle_s;
      next_cycle = SimTime::from_s(std::ceil(now.s() / c) * c);
      started = true;
    }
    last_now = now;
    StepResult out;
    std::vector<TrackNow> all;
    all.reserve(picture.size());
    for (const PictureTrack& t : picture) all.push_back(now_of(t, now));

    // Due stages in time order (ties: engagement id); a stage may make another due at once.
    for (;;) {
      Engagement* next = nullptr;
      for (Engagement& e : engagements) {
        if (e.due <= now && (next == nullptr || e.due < next->due)) next = &e;
      }
      if (next == nullptr) break;
      const PictureTrack* t = find(picture, next->track);
      bool alive = true;
      switch (next->stage) {
        case Stage::deciding: alive = decide(*next, t, all, out); break;
        case Stage::launching: alive = launch(*next, t, all, out); break;
        case Stage::in_flight: alive = assess(*next, t, now, out); if (alive) next->due = now + SimTime::from_s(1.0); break;
      }
      if (!alive) {
        const std::uint64_t id = next->id;
        engagements.erase(std::find_if(engagements.begin(), engagements.end(), [&](const Engagement& e) { return e.id == id; }));
      }
    }
    if (now >= next_cycle) {
      plan(now, all, out);
      while (next_cycle <= now) next_cycle += SimTime::from_s(p.rules.cycle_s);
    }
    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const EngagementEvent& a, const EngagementEvent& b) { return a.time < b.time; });
    std::stable_sort(out.orders.begin(), out.orders.end(), [](const Order& a, const Order& b) { return a.at < b.at; });
    return out;
  }

  std::vector<EngagementEvent> try_order(SimTime now, const std::string& actor, const std::string& unit_id,
                                         const PictureTrack& t) const {
    std::vector<EngagementEvent> out;
    const auto it = std::find_if(p.units.begin(), p.units.end(), [&](const FireUnit& u) { return u.id == unit_id; });
    if (it == p.units.end()) return out;
    const FireUnit& u = *it;
    const TrackNow n = now_of(t, now);
    Verdict all_reasons;
    all_reasons.allowed = true;
    const std::string zone = request_zone(u, actor, n, now);
    const command::Decision may = authority.check({actor, Action::order_engagement, u.id, now, zone, n.threat}, agreement);
    if (!may.allowed) {
      all_reasons.allowed = false;
      all_reasons.rules.emplace_back("authority");
      all_reasons.reasons.insert(all_reasons.reasons.end(), may.reasons.begin(), may.reasons.end());
    }
    const Verdict iv = interlock(n, now);
    if (!iv.allowed) {
      all_reasons.allowed = false;
      all_reasons.rules.insert(all_reasons.rules.end(), iv.rules.begin(), iv.rules.end());
      all_reasons.reasons.insert(all_reasons.reasons.end(), iv.reasons.begin(), iv.reasons.end());
    }
    // Without an intercept the unit cannot carry the order out; the ROE are then judged with
    // the target where it is.
    const std::optional<engage::Intercept> i = intercept(u, n, 0.0, true);
    if (!i) {
      all_reasons.allowed = false;
      all_reasons.rules.emplace_back("feasibility");
      all_reasons.reasons.push_back(u.id + " has no intercept of track " + std::to_string(t.row.track_number) +
                                    " (envelope, line of sight or linked sensors)");
    }
    const Verdict rv = roe(u, n, i ? i->point_enu : n.pos_enu, {});
    if (!rv.allowed) {
      all_reasons.allowed = false;
      all_reasons.rules.insert(all_reasons.rules.end(), rv.rules.begin(), rv.rules.end());
      all_reasons.reasons.insert(all_reasons.reasons.end(), rv.reasons.begin(), rv.reasons.end());
    }
    EngagementEvent ev = event(now, all_reasons.allowed ? EventKind::order : EventKind::refusal, nullptr, n, &u, actor);
    ev.rules = all_reasons.rules;
    ev.reasons = all_reasons.allowed ? join(may.reasons) : join(all_reasons.reasons);
    out.push_back(std::move(ev));
    return out;
  }
};

namespace {

Result<void> validate_params(const CommandPostParams& p, const command::Authority& authority) {
  if (p.units.empty()) return bad("the command post has no fire units");
  for (std::size_t k = 0; k < p.units.size(); ++k) {
    const FireUnit& u = p.units[k];
    const std::string where = "fire unit " + (u.id.empty() ? std::to_string(k) : u.id);
    if (u.id.empty()) return bad(where + ": empty id");
    for (std::size_t j = 0; j < k; ++j) {
      if (p.units[j].id == u.id) return bad(where + ": duplicate id");
    }
    const auto& refs = authority.chain().units;
    const auto ref = std::find_if(refs.begin(), refs.end(), [&](const command::FireUnitRef& r) { return r.id == u.id; });
    if (ref == refs.end()) return bad(where + ": unknown to the chain of command");
    if (ref->party != u.party) return bad(where + ": of party " + u.party + " here but " + ref->party + " in the chain of command");
    if (auto v = engage::validate(u.envelope); !v) return bad(where + ": " + v.error().message);
    if (u.rounds < 0 || u.rounds > engage::kMaxUnitRounds) return bad(where + ": rounds outside [0, 1000]");
    if (u.channels < 0 || u.channels > engage::kMaxUnitChannels) return bad(where + ": channels outside [0, 1000]");
    for (const LinkedSensor& s : u.linked_sensors) {
      if (!(s.max_range_m > 0.0) || !std::isfinite(s.max_range_m)) return bad(where + ": linked sensor " + s.id + " has no range");
    }
  }
  const auto check_op = [](const OperatorParams& o, const std::string& where) -> Result<void> {
    if (!(o.decision_delay_s >= 0.0 && o.decision_delay_s <= 600.0)) return bad(where + ": decision_delay_s outside [0, 600]");
    if (!(o.delay_jitter_s >= 0.0 && o.delay_jitter_s <= 600.0)) return bad(where + ": delay_jitter_s outside [0, 600]");
    return {};
  };
  for (const OperatorParams& o : p.operators) {
    if (auto v = check_op(o, "operator " + o.role); !v) return v;
  }
  if (auto v = check_op(p.default_operator, "default operator"); !v) return v;
  const EngagementRules& r = p.rules;
  if (!(r.cycle_s >= 0.5 && r.cycle_s <= 60.0)) return bad("engagement cycle_s outside [0.5, 60]");
  if (!(r.kill_assessment_s >= 1.0 && r.kill_assessment_s <= 300.0)) return bad("engagement kill_assessment_s outside [1, 300]");
  if (r.max_rounds_per_target < 1 || r.max_rounds_per_target > 10) return bad("engagement max_rounds_per_target outside [1, 10]");
  if (auto v = command::validate(p.interlock); !v) return bad("interlock: " + v.error().message);
  if (auto v = engage::validate(p.kill); !v) return bad("kill probability: " + v.error().message);
  for (const AutoEngagement& a : p.auto_engagements) {
    if (std::none_of(p.units.begin(), p.units.end(), [&](const FireUnit& u) { return u.id == a.unit; })) {
      return bad("automatic engagement for unknown fire unit " + a.unit);
    }
    if (a.threat == ThreatClass::any || a.threat == ThreatClass::aircraft) {
      return bad("automatic engagement of " + a.unit + ": only for cruise missiles, drones or ballistic missiles");
    }
    const auto& roles = authority.chain().roles;
    const auto by = std::find_if(roles.begin(), roles.end(), [&](const command::Role& role) { return role.id == a.by; });
    const auto unit = std::find_if(p.units.begin(), p.units.end(), [&](const FireUnit& u) { return u.id == a.unit; });
    const bool commands = by != roles.end() &&
                          ((by->kind == RoleKind::unit_commander && by->unit == a.unit) ||
                           (by->party == unit->party &&
                            (by->kind == RoleKind::coordinator || by->kind == RoleKind::air_defence_commander)));
    if (!commands) {
      return bad("automatic engagement of " + a.unit + ": delegated by " + a.by +
                 ", who is neither its commander nor its party's chain head");
    }
  }
  if (!(p.min_kill_probability >= 0.0 && p.min_kill_probability <= 1.0)) return bad("min_kill_probability outside [0, 1]");
  return {};
}

}  // namespace

Result<CommandPost> CommandPost::make(CommandPostParams params, command::Authority authority, command::Airspace airspace,
                                      command::AgreementState agreement, const LocalFrame& region, std::uint64_t seed,
                                      engage::LineOfSight los) {
  if (auto v = validate_params(params, authority); !v) return fail(v.error().code, v.error().message);
  return CommandPost(std::make_unique<Impl>(std::move(params), std::move(authority), std::move(airspace),
                                            std::move(agreement), region, seed, std::move(los)));
}

CommandPost::CommandPost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CommandPost::CommandPost(CommandPost&&) noexcept = default;
CommandPost& CommandPost::operator=(CommandPost&&) noexcept = default;
CommandPost::~CommandPost() = default;

StepResult CommandPost::step(SimTime now, std::span<const PictureTrack> picture) { return impl_->step(now, picture); }

std::vector<EngagementEvent> CommandPost::try_order(SimTime now, const std::string& actor, const std::string& unit,
                                                    const PictureTrack& track) const {
  return impl_->try_order(now, actor, unit, track);
}

security::ItemLabel unit_status_label(const security::PartyTable& parties, const std::string& party) {
  security::ItemLabel l;
  const auto who = parties.index(party);
  if (!who) return l;  // a party outside the table: unlabelled, so refused everywhere
  l.level = security::Level::secret;
  l.categories = security::category_bit(security::Category::fire_unit_status);
  l.originator = *who;
  l.rel = parties.all();
  return l;
}

std::vector<UnitStatus> CommandPost::units() const {
  std::vector<UnitStatus> out;
  for (std::size_t k = 0; k < impl_->p.units.size(); ++k) {
    const FireUnit& u = impl_->p.units[k];
    out.push_back({u.id, u.party, impl_->state[k].rounds_left, impl_->state[k].channels_busy,
                   unit_status_label(impl_->p.parties, u.party)});
  }
  return out;
}

}  // namespace jrads::node
