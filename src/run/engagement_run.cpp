#include "jrads/run/engagement_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>
#include <variant>

#include "jrads/core/csv_format.hpp"
#include "jrads/core/log.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/engage/kill_probability.hpp"
#include "jrads/node/fire_unit_gate.hpp"
#include "jrads/picture/csv_reader.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/run/log_egress.hpp"
#include "jrads/run/release_export.hpp"
#include "jrads/run/run_audit.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/scenario/agreement.hpp"
#include "jrads/scenario/identification.hpp"
#include "jrads/sim/csv_output.hpp"
#include "line_of_sight_impl.hpp"
#include "picture_chain_impl.hpp"

namespace jrads::run {

namespace {

constexpr double kLauncherHeightM = 5.0;  // antenna and launcher above the ground (notional)

engage::ThreatClass true_class(world::PlatformKind k) noexcept {
  switch (k) {
    case world::PlatformKind::cruise_missile: return engage::ThreatClass::cruise_missile;
    case world::PlatformKind::drone: return engage::ThreatClass::drone;
    default: return engage::ThreatClass::aircraft;
  }
}

std::optional<double> radar_range_m(const std::vector<sensors::SensorParams>& all, const std::string& id) {
  for (const auto& p : all) {
    if (const auto* r = std::get_if<sensors::RadarParams>(&p); r != nullptr && r->id == id) return r->max_range_m;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(PictureMode m) noexcept {
  return m == PictureMode::regional ? "regional" : "central";
}

Result<RunInput> input_from_scenario(const scenario::Scenario& s, world::ElevationGrid terrain) {
  RunInput in;
  for (const scenario::FireUnit& f : s.fire_units) {
    const auto site = std::find_if(s.sites.begin(), s.sites.end(), [&](const scenario::Site& x) { return x.id == f.site; });
    if (site == s.sites.end()) return fail(Errc::dangling_ref, "fire unit " + f.id + ": unknown site " + f.site);
    UnitSite u;
    u.unit.id = f.id;
    u.unit.party = f.party;
    u.unit.envelope = f.envelope;
    u.unit.rounds = f.missiles;
    u.unit.channels = f.channels;
    u.unit.mezs = f.mezs;
    u.unit.ready_from = SimTime::from_s(f.ready_from_s);
    const double ground = terrain.height_m(site->position.lat_deg, site->position.lon_deg);
    u.site = {site->position.lat_deg, site->position.lon_deg, ground + kLauncherHeightM};
    u.linked_sensor_ids = f.linked_sensors;
    for (const std::string& id : f.linked_sensors) {
      if (!radar_range_m(s.sensors, id)) return fail(Errc::dangling_ref, "fire unit " + f.id + ": linked sensor " + id + " is no radar");
    }
    in.units.push_back(std::move(u));
  }
  for (const world::DefendedAssetParams& a : s.world.defended_assets) {
    in.assets.push_back({a.id, {a.lat_deg, a.lon_deg, terrain.height_m(a.lat_deg, a.lon_deg)}, a.radius_m,
                         1.0 / std::max(1, a.priority)});
  }
  in.chain = scenario::chain_of_command(s);
  // The parties in scenario order: the bits of every item's label (the scenario's sensor
  // labels were made in this order).
  std::vector<std::string> party_ids;
  for (const scenario::Party& p : s.parties) party_ids.push_back(p.id);
  auto parties = security::PartyTable::make(party_ids);
  if (!parties) return fail(Errc::invalid_argument, "parties: " + parties.error().message +
                                                        " (security labels allow 2 to 8 upper-case letters or digits)");
  in.parties = std::move(*parties);
  in.post.parties = in.parties;
  if (const auto lead = in.parties.index(in.chain.lead_party)) in.tracker.label_originator = *lead;
  in.zones = s.zones;
  in.wcs = s.weapons_control;
  in.default_wcs = s.default_wcs;
  if (const auto day = scenario::scenario_day(s)) {
    const auto notices = scenario::termination_notices(s);
    in.agreement = command::agreement_state(scenario::agreement_terms(s), notices, *day);
  } else {
    in.agreement.phase = command::AgreementPhase::in_force;
    in.agreement.in_force = true;
    in.agreement.reason = "the scenario names no day: the agreement is taken as in force";
  }
  in.tracker.context = scenario::identification_context(s);
  in.post.rules = s.engagement;
  in.post.operators = s.operators;
  in.post.auto_engagements = s.auto_engagements;
  in.post.identity = in.tracker.identity;
  in.sim.world = s.world;
  in.sim.world.duration_s = s.duration_s;
  in.sim.terrain = std::move(terrain);
  in.sim.sensors = s.sensors;
  in.sim.adsb = s.adsb;
  return in;
}

namespace {

// An interceptor in flight, with what truth says it was aimed at.
struct Interceptor {
  node::Launch launch;
  int round = 0;            // within its engagement's salvo
  std::int32_t aimed = -1;  // platform nearest to the track at launch, or -1
  bool civil = false, friendly = false;  // counted as civil engaged / fratricide already
};

class ClosedLoop final : public sim::SimulationSink {
 public:
  // `in` outlives the run; its simulation part has been handed to the simulation loop.
  ClosedLoop(RunInput& in, std::vector<sensors::SensorParams> sensors, double duration_s, const RunOptions& options,
             picture::TrackCsvWriter& tracks, FederatedLink* link)
      : in_(in),
        link_(link),
        sim_sensors_(std::move(sensors)),
        duration_s_(duration_s),
        seed_(options.seed),
        picture_mode_(options.picture),
        inspect_(options.inspect),
        rng_(options.seed),
        tracks_(tracks),
        release_(options.release_keys.has_value()),
        log_(in.parties, options.log_reader.empty() ? in.chain.lead_party : options.log_reader, in.agreement.in_force,
             logger("run")) {}

  void on_start(const std::vector<sensors::SensorInfo>& infos, const world::World& world) override {
    world_ = &world;
    std::string text;
    sim::append_sensors_csv(text, infos);
    auto sites = picture::parse_sensors_csv(text, "sensors.csv");
    JRADS_ASSERT(sites.has_value());  // our own rows
    sites_ = std::move(*sites);
    // sensors.csv has no labels: each site gets its sensor's.
    for (std::size_t i = 0; i < sites_.size(); ++i) sites_[i].label = infos[i].label;
    if (release_) export_.emplace(in_.parties, in_.chain.lead_party, in_.agreement.in_force, sites_);
    for (const auto& i : infos) sensor_ids_.push_back(i.id);
    chain_.emplace(sites_, in_.tracker, picture_mode_, in_.parties, link_);
    if (auto ok = chain_->start(); !ok) return fail_with(ok.error().message);
    const LocalFrame& region = chain_->frame().region();

    node::CommandPostParams post = in_.post;
    for (const UnitSite& us : in_.units) {
      node::FireUnit u = us.unit;
      u.envelope.pos_enu = region.enu_from_geodetic(us.site).vec();
      for (const std::string& id : us.linked_sensor_ids) {
        const auto at = std::find(sensor_ids_.begin(), sensor_ids_.end(), id);
        const std::optional<double> range = radar_range_m(sim_sensors_, id);
        if (at == sensor_ids_.end() || !range) {
          fail_with("fire unit " + u.id + ": linked sensor " + id + " is not a radar of the run");
          return;
        }
        u.linked_sensors.push_back(
            {id, chain_->frame().sensor_position(static_cast<std::uint32_t>(at - sensor_ids_.begin())), *range});
      }
      post.units.push_back(std::move(u));
    }
    for (const AssetSite& a : in_.assets) {
      const Eigen::Vector3d c = region.enu_from_geodetic(a.centre).vec();
      post.assets.push_back({a.id, c.head<2>(), a.radius_m, a.value});
      assets_.push_back({a.id, c.head<2>(), a.radius_m});
    }
    auto airspace = command::Airspace::make(region.origin(), in_.zones, in_.wcs, in_.default_wcs);
    if (!airspace) return fail_with("airspace: " + airspace.error().message);
    auto authority = command::Authority::make(in_.chain);
    if (!authority) return fail_with("chain of command: " + authority.error().message);
    // Each party's units behind their own gate, as at that party's national node.
    std::map<std::string, std::vector<node::FireUnit>> by_party;
    for (const node::FireUnit& u : post.units) by_party[u.party].push_back(u);
    for (auto& [party, units] : by_party) {
      auto gate = node::FireUnitGate::make(std::move(units), post.auto_engagements, *authority, in_.agreement);
      if (!gate) return fail_with(gate.error().message);
      gates_.emplace(party, std::move(*gate));
    }
    const world::ElevationGrid* terrain = &world.terrain();
    los_ = TerrainLineOfSight(region, terrain);
    auto post_made = node::CommandPost::make(std::move(post), std::move(*authority), std::move(*airspace), in_.agreement,
                                             region, seed_, [this](const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
                                               return los_.clear(a, b);
                                             });
    if (!post_made) return fail_with("command post: " + post_made.error().message);
    post_.emplace(std::move(*post_made));
    note_units(SimTime{});
    platforms_ = world.params().platforms;
    const auto& platforms = platforms_;
    first_detection_.assign(platforms.size(), std::nullopt);
    first_launch_.assign(platforms.size(), std::nullopt);
    hit_.assign(platforms.size(), false);
    for (const auto& p : platforms) {
      if (p.category == world::Category::hostile && p.start_time_s < duration_s_) ++result_.threats;
    }
  }

  void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) override {
    if (failed()) return;
    const LocalFrame& region = chain_->frame().region();
    for (const auto& [i, st] : samples) {
      const world::PlatformParams& p = world_->platform(i);
      if (p.category != world::Category::hostile || hit_[i.value()]) continue;
      const Eigen::Vector2d pos = region.enu_from_ecef(st.pos_ecef).vec().head<2>();
      for (const AssetArea& a : assets_) {
        if ((pos - a.centre).norm() <= a.radius_m) {
          result_.assets_hit.push_back({a.id, p.id, t.s()});
          hit_[i.value()] = true;
          break;
        }
      }
    }
  }

  void on_detections(std::span<const sensors::Detection> detections) override {
    if (failed()) return;
    std::string line;
    for (const sensors::Detection& d : detections) {
      if (d.truth_index >= 0 && !first_detection_[static_cast<std::size_t>(d.truth_index)]) {
        first_detection_[static_cast<std::size_t>(d.truth_index)] = d.time;
      }
      line.clear();
      sim::append_detection_row(line, d, sensor_ids_);
      line.pop_back();  // the newline
      auto report = picture::parse_detection_line(line, sites_, "detections.csv", ++detection_line_);
      JRADS_ASSERT(report.has_value());  // our own rows
      chain_->add(*report, line);
    }
  }

  void on_finish() override {
    los_ = TerrainLineOfSight();  // the world and its terrain go with the simulation loop
    world_ = nullptr;
    if (failed()) return;
    if (auto ok = chain_->finish(); !ok) return fail_with(ok.error().message);
    auto rows = chain_->take_rows(PictureChain::kEnd);
    if (!rows) return fail_with(rows.error().message);
    emit_tracks(*rows);
    take_alerts();
  }

  [[nodiscard]] bool failed() const override { return !error_.empty(); }

  // The one way track rows leave the picture: tracks.csv, and each party's release through the
  // gate (the test EveryRowLeavesThroughTheReleaseGate counts them).
  void emit_tracks(const std::vector<picture::TrackRow>& rows) {
    tracks_.write(rows);
    if (export_) export_->tracks(rows, [this](std::uint32_t set) { return chain_->sources(set); });
  }

  // Interceptors meeting their aim point within [t0, t1): the end game, before the sensors
  // observe the window.
  void before_observe(SimTime t0, SimTime t1, world::World& world) {
    if (failed()) return;
    // In time order (ties: engagement, round): an earlier meeting may kill what a later one seeks.
    const auto due = std::stable_partition(flying_.begin(), flying_.end(),
                                           [&](const Interceptor& i) { return i.launch.intercept_at >= t1; });
    std::vector<Interceptor> now(std::make_move_iterator(due), std::make_move_iterator(flying_.end()));
    flying_.erase(due, flying_.end());
    std::sort(now.begin(), now.end(), [](const Interceptor& a, const Interceptor& b) {
      return std::tie(a.launch.intercept_at, a.launch.engagement, a.round) <
             std::tie(b.launch.intercept_at, b.launch.engagement, b.round);
    });
    // A round due before this window (a fly-out shorter than the loop's second) meets at its start.
    for (Interceptor& i : now) end_game(i, std::max(i.launch.intercept_at, t0), world);
  }

  // The picture's latest rows go to the command post; its launches into the air.
  void after_window(SimTime t1, const world::World& world) {
    if (failed()) return;
    auto taken = chain_->take_rows(t1);
    if (!taken) return fail_with(taken.error().message);
    std::vector<picture::TrackRow> rows = std::move(*taken);
    emit_tracks(rows);
    take_alerts();
    if (!rows.empty()) {
      const SimTime latest = rows.back().time;
      picture_.clear();
      const picture::CommonFrame& frame = chain_->frame();
      for (const picture::TrackRow& r : rows) {
        if (r.time != latest) continue;
        node::PictureTrack t;
        t.row = r;
        t.pos_enu = frame.region().enu_from_geodetic(r.pos).vec();
        // FORMATS velocities are in the local ENU frame at the track: into the region frame.
        const Eigen::Matrix3d ecef_from_local = rot_enu_from_ecef(r.pos.lat_deg, r.pos.lon_deg).transpose();
        t.vel_enu = frame.region().enu_from_ecef_vec(ecef_from_local * r.vel_enu);
        picture_.push_back(t);
      }
    }
    // A track the tracker has since deleted is no picture (and has no evidence to check).
    for (node::PictureTrack& t : picture_) t.evidence = chain_->evidence(t.row.track_number);
    std::erase_if(picture_, [](const node::PictureTrack& t) { return t.evidence == nullptr; });
    node::StepResult step = post_->step(t1, picture_);
    for (const node::EngagementEvent& e : step.events) record(e, world);
    guard(step, world);
    for (const engage::Threat& th : step.threats) threats_.push_back({t1, th});
    note_units(t1);
    if (inspect_) inspect_(t1, *post_, picture_, world);
    std::map<std::uint64_t, int> rounds;
    for (const node::Launch& l : step.launches) {
      Interceptor i;
      i.launch = l;
      i.round = ++rounds[l.engagement];
      // What the launch is aimed at by truth: the platform under the track's estimate (none: the
      // track is false or its platform has gone).
      i.aimed = nearest_platform(world, l.at, l.track_pos_enu, in_.interceptor.basket_m);
      ++result_.rounds_used;
      count_category(i, i.aimed);
      if (i.aimed >= 0) {
        const world::PlatformParams& p = world.platform(PlatformIndex(static_cast<std::uint32_t>(i.aimed)));
        if (p.category == world::Category::hostile) {
          auto& first = first_launch_[static_cast<std::size_t>(i.aimed)];
          if (!first) first = l.at;
        }
      }
      engagement_aimed_[l.engagement] = i.aimed;
      flying_.push_back(std::move(i));
    }
  }

  Result<RunResult> finish(std::vector<EventRow>& rows) {
    if (failed()) return fail(Errc::invalid_argument, error_);
    rows = std::move(rows_);
    std::stable_sort(rows.begin(), rows.end(), [](const EventRow& a, const EventRow& b) { return a.time < b.time; });
    const auto& platforms = platforms_;  // the world itself has gone with the simulation loop
    double sum = 0.0;
    for (std::size_t i = 0; i < platforms.size(); ++i) {
      if (platforms[i].category != world::Category::hostile) continue;
      if (killed_.count(static_cast<std::int32_t>(i)) != 0) ++result_.killed;
      if (hit_[i]) ++result_.leakers;
      if (first_launch_[i] && first_detection_[i]) {
        const double dt = (*first_launch_[i] - *first_detection_[i]).s();
        ++result_.engaged_threats;
        sum += dt;
        result_.detect_to_engage_max_s = std::max(result_.detect_to_engage_max_s, dt);
      }
    }
    if (result_.engaged_threats > 0) result_.detect_to_engage_mean_s = sum / result_.engaged_threats;
    result_.in_flight_at_end = static_cast<int>(flying_.size());
    for (const EventRow& r : rows) ++result_.events[r.event];
    result_.units = post_->units();
    for (const auto& [party, gate] : gates_) {
      const node::GateCounts c = gate.counts();
      result_.gate_orders += c.orders_held;
      result_.gate_orders_duplicated += c.orders_duplicated;
      result_.gate_orders_refused += c.orders_refused;
      result_.gate_rounds_fired += c.rounds_fired;
      result_.gate_launches_refused += c.launches_refused;
    }
    return result_;
  }

  // The new alerts: kept for alerts.csv, and logged for the log's reader (log_egress.hpp).
  void take_alerts() {
    for (auto& a : chain_->take_alerts()) {
      log_.alert(a);
      alerts_.push_back(std::move(a));
    }
  }

  // Each unit's status when it differs from the last noted (all of them the first time).
  void note_units(SimTime t) {
    std::vector<node::UnitStatus> now = post_->units();
    for (std::size_t k = 0; k < now.size(); ++k) {
      if (k >= last_units_.size() || now[k] != last_units_[k]) units_.push_back({t, now[k]});
    }
    last_units_ = std::move(now);
  }

  [[nodiscard]] const std::vector<picture::Alert>& alerts() const { return alerts_; }
  [[nodiscard]] const std::vector<ThreatRow>& threats() const { return threats_; }
  [[nodiscard]] const std::vector<UnitRow>& units() const { return units_; }
  [[nodiscard]] const LogEgress& log() const { return log_; }
  [[nodiscard]] const std::vector<picture::SensorSite>& sites() const { return sites_; }
  [[nodiscard]] std::optional<ReleaseExport>& release_export() { return export_; }

 private:
  struct AssetArea {
    std::string id;
    Eigen::Vector2d centre;
    double radius_m = 0.0;
  };


  void fail_with(std::string message) { error_ = std::move(message); }

  // The live platform nearest a region point at time t, within max_m; -1 when none.
  std::int32_t nearest_platform(const world::World& world, SimTime t, const Eigen::Vector3d& pos_enu, double max_m) const {
    const Eigen::Vector3d p_ecef = chain_->frame().region().ecef_from_enu(Enu::from(pos_enu)).vec();
    std::int32_t best = -1;
    double best_m = max_m;
    for (std::uint32_t i = 0; i < world.platform_count(); ++i) {
      const auto st = world.state_at(PlatformIndex(i), t);
      if (!st) continue;
      const double d = (st->pos_ecef.vec() - p_ecef).norm();
      if (d <= best_m) {
        best_m = d;
        best = static_cast<std::int32_t>(i);
      }
    }
    return best;
  }

  void end_game(Interceptor& icp, SimTime t, world::World& world) {
    const node::Launch& l = icp.launch;
    EventRow row;
    row.time = t;
    row.event = "outcome";
    row.engagement = l.engagement;
    row.track = l.track;
    row.unit = l.unit;
    row.unit_party = l.unit_party;
    row.threat_class = engage::to_string(l.threat);
    row.identity = picture::to_string(l.identity);
    row.threat_value = l.threat_value;
    row.kill_probability = l.kill_probability;  // a miss keeps the planned one
    row.label = l.label;                        // what the world did to it is as classified as the launch
    const std::int32_t met = nearest_platform(world, t, l.point_enu, in_.interceptor.basket_m);
    count_category(icp, met);
    char buf[200];
    if (met < 0) {
      row.outcome = "missed";
      std::snprintf(buf, sizeof buf, "no platform within %.0f m of the aim point", in_.interceptor.basket_m);
      row.reasons = buf;
      ++result_.misses;
      rows_.push_back(std::move(row));
      return;
    }
    const PlatformIndex pi(static_cast<std::uint32_t>(met));
    const world::PlatformParams& p = world.platform(pi);
    const auto st = world.state_at(pi, t);
    const LocalFrame& region = chain_->frame().region();
    const Eigen::Vector3d pos = region.enu_from_ecef(st->pos_ecef).vec();
    const Eigen::Vector3d vel = region.enu_from_ecef_vec(st->vel_ecef);
    engage::Intercept at;
    at.feasible = true;
    at.point_enu = pos;
    at.range_m = (pos - l.envelope.pos_enu).norm();
    const engage::ThreatClass cls = true_class(p.kind);
    const double pk = engage::kill_probability(l.envelope.type, cls, engage::geometry_of(l.envelope, at, vel), in_.post.kill);
    RngStream draw = rng_.stream("interceptor/" + std::to_string(l.engagement) + "/" + std::to_string(icp.round));
    const double u = draw.uniform();
    row.truth_id = p.id;
    row.kill_probability = pk;
    if (u < pk) {
      world.destroy(pi, t);
      killed_.insert(met);
      row.outcome = "killed";
    } else {
      row.outcome = "survived";
      ++result_.misses;
    }
    std::snprintf(buf, sizeof buf, "met %s %.0f m from the aim point; notional Pk %.2f against a %s; draw %.3f", p.id.c_str(),
                  (pos - l.point_enu).norm(), pk, engage::to_string(cls), u);
    row.reasons = buf;
    rows_.push_back(std::move(row));
  }

  // Counts a launch as civil engaged or fratricide once per category: by its aim at launch,
  // and again only for a different category its end game meets.
  void count_category(Interceptor& icp, std::int32_t platform) {
    if (platform < 0) return;
    const world::Category c = platforms_[static_cast<std::size_t>(platform)].category;
    if (c == world::Category::civil && !icp.civil) {
      icp.civil = true;
      ++result_.civil_engaged;
    }
    if (c == world::Category::friendly && !icp.friendly) {
      icp.friendly = true;
      ++result_.fratricide;
    }
  }

  // The orders go to their units' gates, and a launch flies only when its unit's gate lets it
  // (a refusal is recorded with the unit's rule); an engagement that is over is ended there.
  void guard(node::StepResult& step, const world::World& world) {
    const auto gate_of = [&](const std::string& party) -> node::FireUnitGate& { return gates_.at(party); };
    // Federated: each order also goes down to its unit's national node, whose gate holds it.
    if (link_ != nullptr && !step.orders.empty())
      if (auto ok = link_->send_orders(step.orders); !ok) return fail_with(ok.error().message);
    // A gate's refusal, on the record as the unit's.
    const auto refused = [&](const node::GateDecision& d, std::uint64_t engagement, std::uint32_t track,
                             const std::string& unit, const std::string& party, SimTime at, engage::ThreatClass threat,
                             picture::Identity identity, const security::ItemLabel& label) {
      node::EngagementEvent ev;
      ev.time = at;
      ev.kind = node::EventKind::refusal;
      ev.engagement = engagement;
      ev.track = track;
      ev.unit = ev.actor = unit;
      ev.unit_party = ev.actor_party = party;
      ev.threat = threat;
      ev.identity = identity;
      ev.rules = {d.rule};
      ev.reasons = d.reason;
      ev.label = label;
      record(ev, world);
    };
    for (const node::Order& o : step.orders) {
      const node::GateDecision d = gate_of(o.unit_party).order(o);
      if (!d.allowed)
        refused(d, o.engagement, o.track, o.unit, o.unit_party, o.at, o.threat, picture::Identity::pending, o.label);
    }
    std::erase_if(step.launches, [&](const node::Launch& l) {
      const node::GateDecision d = gate_of(l.unit_party).fire(l);
      if (d.allowed) return false;
      refused(d, l.engagement, l.track, l.unit, l.unit_party, l.at, l.threat, l.identity, l.label);
      return true;
    });
    for (const node::EngagementEvent& e : step.events) {
      const bool over = e.kind == node::EventKind::cancelled || e.kind == node::EventKind::denial ||
                        e.kind == node::EventKind::assessment || (e.kind == node::EventKind::refusal && e.engagement != 0);
      if (over && !e.unit_party.empty()) gate_of(e.unit_party).end(e.engagement);
    }
  }

  void record(const node::EngagementEvent& e, const world::World& world) {
    EventRow row = event_row(e);
    if (e.kind == node::EventKind::refusal) {
      for (const std::string& r : e.rules) ++result_.refusals_by_rule[r];
    }
    if (e.kind == node::EventKind::assessment) {
      const bool said_killed = e.outcome == "destroyed";
      (said_killed ? result_.assessed_destroyed : result_.assessed_survived) += 1;
      // Right when the platform the engagement was aimed at is gone by then (destroyed, or no
      // platform was under the track at launch) exactly when the picture says destroyed.
      const auto aimed = engagement_aimed_.find(e.engagement);
      bool gone = true;
      if (aimed != engagement_aimed_.end() && aimed->second >= 0) {
        const auto at = world.destroyed_at(PlatformIndex(static_cast<std::uint32_t>(aimed->second)));
        gone = at.has_value() && *at <= e.time;
      }
      if (said_killed != gone) ++result_.assessment_wrong;
    }
    rows_.push_back(std::move(row));
  }

 private:
  RunInput& in_;
  FederatedLink* link_ = nullptr;
  std::vector<sensors::SensorParams> sim_sensors_;
  double duration_s_ = 0.0;
  std::uint64_t seed_ = 0;
  PictureMode picture_mode_ = PictureMode::central;
  decltype(RunOptions::inspect) inspect_;
  Rng rng_;
  picture::TrackCsvWriter& tracks_;
  const world::World* world_ = nullptr;  // during the simulation loop only
  std::vector<world::PlatformParams> platforms_;
  std::vector<picture::SensorSite> sites_;
  std::vector<std::string> sensor_ids_;
  std::optional<PictureChain> chain_;
  std::optional<node::CommandPost> post_;
  std::map<std::string, node::FireUnitGate> gates_;  // by party: its units' own guard
  bool release_ = false;
  std::optional<ReleaseExport> export_;
  LogEgress log_;
  TerrainLineOfSight los_;
  std::vector<AssetArea> assets_;
  std::vector<node::PictureTrack> picture_;
  std::vector<Interceptor> flying_;
  std::vector<EventRow> rows_;
  std::vector<picture::Alert> alerts_;
  std::vector<ThreatRow> threats_;
  std::vector<UnitRow> units_;
  std::vector<node::UnitStatus> last_units_;
  std::vector<std::optional<SimTime>> first_detection_, first_launch_;
  std::vector<bool> hit_;
  std::set<std::int32_t> killed_;
  std::map<std::uint64_t, std::int32_t> engagement_aimed_;
  int detection_line_ = 1;  // the header
  std::string error_;
  RunResult result_;
};

}  // namespace

Result<RunResult> run_engagements(RunInput input, const RunOptions& options, const std::filesystem::path& out_dir) {
  if (!options.log_reader.empty() && !input.parties.index(options.log_reader))
    return fail(Errc::invalid_argument, "log reader '" + options.log_reader + "' is not a party of the scenario");
  auto csv = sim::CsvOutput::open(out_dir);
  if (!csv) return fail(csv.error());
  auto tracks = picture::TrackCsvWriter::open(out_dir / "tracks.csv");
  if (!tracks) return fail(tracks.error());
  std::vector<sensors::SensorParams> sensors_copy = input.sim.sensors;
  const double duration_s = input.sim.world.duration_s;
  sim::SimulationInput sim_input = std::move(input.sim);
  std::unique_ptr<FederatedLink> link;
  if (options.federation) {
    auto opened = FederatedLink::open(*options.federation, input.parties, input.agreement.in_force);
    if (!opened) return fail(opened.error());
    link = std::move(*opened);
  }
  ClosedLoop loop(input, std::move(sensors_copy), duration_s, options, *tracks, link.get());

  sim::SimulationOptions so;
  so.seed = options.seed;
  so.window_s = 1.0;  // the loop closes every second (the world and sensors do not depend on the window; the post's decisions do)
  so.progress = options.progress;
  so.before_observe = [&loop](SimTime t0, SimTime t1, world::World& w) { loop.before_observe(t0, t1, w); };
  so.after_window = [&loop](SimTime t1, const world::World& w) { loop.after_window(t1, w); };
  std::vector<sim::SimulationSink*> sinks{csv->get(), &loop};
  sinks.insert(sinks.end(), options.extra_sinks.begin(), options.extra_sinks.end());
  sim::run_simulation(std::move(sim_input), so, sinks);

  std::vector<EventRow> rows;
  auto result = loop.finish(rows);
  if (!result) return result;
  if (auto ok = (*csv)->commit(); !ok) return fail(ok.error());
  if (auto ok = tracks->commit(); !ok) return fail(ok.error());
  if (auto ok = picture::write_alerts_csv(out_dir / "alerts.csv", loop.alerts(), loop.sites()); !ok) return fail(ok.error());
  if (auto ok = write_engagements_csv(out_dir / "engagements.csv", rows); !ok) return fail(ok.error());
  if (auto ok = write_rows_csv(out_dir / "threats.csv", kThreatsHeader, std::span(loop.threats()), append_threat_row); !ok)
    return fail(ok.error());
  if (auto ok = write_rows_csv(out_dir / "units.csv", kUnitsHeader, std::span(loop.units()), append_unit_row); !ok)
    return fail(ok.error());
  std::vector<std::filesystem::path> released_files;
  std::vector<ReleaseRecord> release_decisions;
  std::vector<ReleaseTally> release_tallies;
  if (auto& ex = loop.release_export(); ex && options.release_keys) {
    ex->events(rows);
    ex->threats(loop.threats());
    ex->alerts(loop.alerts());
    ex->units(loop.units());
    auto files = ex->write(out_dir, *options.release_keys);
    if (!files) return fail(files.error());
    released_files = std::move(*files);
    release_decisions = ex->decisions();
    release_tallies = ex->tallies();
  }
  release_decisions.insert(release_decisions.end(), loop.log().decisions().begin(), loop.log().decisions().end());
  release_tallies.push_back(loop.log().tally());
  for (const ReleaseTally& t : release_tallies)
    result->releases.push_back({t.receiver, t.party, t.counts.decisions, t.counts.allowed, t.counts.refused,
                                t.counts.stripped});
  if (auto ok = write_summary_json(out_dir / "summary.json", *result, options.seed); !ok) return fail(ok.error());
  if (link && !options.federation->report.empty())
    if (auto ok = link->write_report(options.federation->report); !ok) return fail(ok.error());
  if (options.audit) {
    std::vector<std::filesystem::path> outputs;
    for (const char* f : {"sensors.csv", "truth.csv", "detections.csv", "detections_truth.csv", "tracks.csv",
                          "alerts.csv", "engagements.csv", "threats.csv", "units.csv", "summary.json"})
      outputs.push_back(out_dir / f);
    outputs.insert(outputs.end(), released_files.begin(), released_files.end());
    auto audit = write_run_audit(out_dir / "audit.log", "run-" + std::to_string(options.seed), *options.audit, rows,
                                 input.chain.parties, input.agreement.in_force, input.chain.lead_party, outputs,
                                 release_decisions, release_tallies, &input.parties);
    if (!audit) return fail(audit.error());
    result->audit_records = audit->records;
    result->audit_checkpoints = audit->checkpoints;
  }
  return result;
}

}  // namespace jrads::run
