#include "jrads/node/command_post.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jrads::node {
namespace {

using command::Wcs;
using command::ZoneKind;
using engage::ThreatClass;
using picture::EvidenceKind;
using picture::Identity;
using ::testing::HasSubstr;

// --- the region --------------------------------------------------------------------------
// West to east along y = 0: KAL's fire unit and city at x = -30 km, MOR's at x = +30 km (60 km
// apart, so a medium-range unit never reaches the other's threats). Each party has a MEZ on
// its side; a no-fire area north of the KAL city; a safe corridor along y = -25 km.
const Geodetic kOrigin{44.0, 20.0, 0.0};
constexpr double kKm = 1000.0;
const Eigen::Vector3d kKalSite{-30 * kKm, 0, 0};
const Eigen::Vector3d kMorSite{30 * kKm, 0, 0};

SimTime at(double s) { return SimTime::from_s(s); }

std::vector<Geodetic> box_km(const LocalFrame& f, double x0, double y0, double x1, double y1) {
  std::vector<Geodetic> out;
  for (const auto& [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}) {
    out.push_back(f.geodetic_from_enu(Enu{x * kKm, y * kKm, 0.0}));
  }
  return out;
}

std::vector<command::ZoneParams> zones(const LocalFrame& f) {
  command::ZoneParams corridor{"COR-1", ZoneKind::safe_corridor, {}, {}, 4000.0, 0.0, 15000.0};
  corridor.centreline = {f.geodetic_from_enu(Enu{-70 * kKm, -25 * kKm, 0}), f.geodetic_from_enu(Enu{70 * kKm, -25 * kKm, 0})};
  return {
      {"MEZ-KAL", ZoneKind::missile_engagement_zone, box_km(f, -75, -35, -5, 35), {}, 0.0, -1000.0, 30000.0},
      {"MEZ-MOR", ZoneKind::missile_engagement_zone, box_km(f, 5, -35, 75, 35), {}, 0.0, -1000.0, 30000.0},
      {"NFA-1", ZoneKind::no_fire_area, box_km(f, -35, 10, -25, 36), {}, 0.0, -1000.0, 30000.0},
      corridor,
  };
}

command::ChainOfCommand chain() {
  using command::RoleKind;
  command::ChainOfCommand c;
  c.lead_party = "KAL";
  c.parties = {"KAL", "MOR"};
  c.units = {{"FU-KAL-1", "KAL"}, {"FU-MOR-1", "MOR"}};
  c.roles = {{"KAL-CINC", "KAL", RoleKind::coordinator, ""},
             {"MOR-ADC", "MOR", RoleKind::air_defence_commander, ""},
             {"KAL-FU1-CDR", "KAL", RoleKind::unit_commander, "FU-KAL-1"},
             {"KAL-FU1-OP", "KAL", RoleKind::fire_operator, "FU-KAL-1"},
             {"MOR-FU1-CDR", "MOR", RoleKind::unit_commander, "FU-MOR-1"},
             {"MOR-FU1-OP", "MOR", RoleKind::fire_operator, "FU-MOR-1"}};
  return c;
}

FireUnit unit(const std::string& id, const std::string& party, const Eigen::Vector3d& site, const std::string& mez) {
  FireUnit u;
  u.id = id;
  u.party = party;
  u.envelope = engage::notional_envelope(engage::FireUnitType::medium_range);  // 3-40 km, reaction 10 s
  u.envelope.pos_enu = site;
  u.mezs = {mez};
  return u;
}

CommandPostParams params() {
  CommandPostParams p;
  p.units = {unit("FU-KAL-1", "KAL", kKalSite, "MEZ-KAL"), unit("FU-MOR-1", "MOR", kMorSite, "MEZ-MOR")};
  p.assets = {{"KAL-CITY", kKalSite.head<2>(), 5000.0, 1.0}, {"MOR-BASE", kMorSite.head<2>(), 5000.0, 1.0}};
  p.default_operator = {"", 5.0, 0.0, OperatorPolicy::approve_hostile};  // every role decides after 5 s
  p.rules.kill_assessment_s = 5.0;
  return p;
}

command::AgreementState in_force() {
  command::AgreementState a;
  a.phase = command::AgreementPhase::in_force;
  a.in_force = true;
  return a;
}

// Everything make() takes, with defaults a test changes before building the post.
struct Inputs {
  LocalFrame region{kOrigin};
  CommandPostParams p = params();
  command::ChainOfCommand c = chain();
  std::vector<command::WcsSetting> wcs;
  Wcs default_wcs = Wcs::tight;
  command::AgreementState agreement = in_force();
  engage::LineOfSight los = [](const Eigen::Vector3d&, const Eigen::Vector3d&) { return true; };
  std::uint64_t seed = 20260615;

  [[nodiscard]] Result<CommandPost> make() const {
    auto authority = command::Authority::make(c);
    if (!authority) return fail(authority.error());
    auto airspace = command::Airspace::make(region.origin(), zones(region), wcs, default_wcs);
    if (!airspace) return fail(airspace.error());
    return CommandPost::make(p, std::move(*authority), std::move(*airspace), agreement, region, seed, los);
  }
};

// --- the picture -------------------------------------------------------------------------
// A track flying a straight line from `start_enu` at t = 0, as the picture would show it.
struct Flight {
  std::uint32_t number = 1;
  Identity identity = Identity::hostile;
  Eigen::Vector3d start_enu = Eigen::Vector3d::Zero();
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();
  const picture::EvidenceRecord* evidence = nullptr;
  picture::TrackStatus status = picture::TrackStatus::confirmed;

  [[nodiscard]] Eigen::Vector3d pos_at(SimTime t) const { return start_enu + vel_enu * t.s(); }
};

PictureTrack track_at(const LocalFrame& region, const Flight& f, SimTime t) {
  PictureTrack tr;
  tr.pos_enu = f.pos_at(t);
  tr.vel_enu = f.vel_enu;
  tr.row.time = t;
  tr.row.track_number = f.number;
  tr.row.status = f.status;
  tr.row.identity = f.identity;
  tr.row.pos = region.geodetic_from_enu(Enu::from(tr.pos_enu));
  // Rows carry velocity in the local ENU frame at the track (FORMATS), the post's input in the region frame.
  tr.row.vel_enu = rot_enu_from_ecef(tr.row.pos.lat_deg, tr.row.pos.lon_deg) * region.ecef_from_enu_vec(f.vel_enu);
  tr.evidence = f.evidence;
  return tr;
}

// A cruise-missile-like track: 240 m/s at 100 m, from 35 km west of the KAL unit straight at it.
Flight kal_missile(std::uint32_t number = 1, Identity id = Identity::hostile) {
  return {number, id, {-65 * kKm, 0, 100}, {240, 0, 0}, nullptr, picture::TrackStatus::confirmed};
}
// Its mirror image, 35 km east of the MOR unit.
Flight mor_missile(std::uint32_t number = 2, Identity id = Identity::hostile) {
  return {number, id, {65 * kKm, 0, 100}, {-240, 0, 0}, nullptr, picture::TrackStatus::confirmed};
}

// --- running the post --------------------------------------------------------------------
struct Log {
  std::vector<EngagementEvent> events;
  std::vector<Launch> launches;
  std::vector<Order> orders;
  std::vector<engage::Threat> threats;  // every planning cycle's

  [[nodiscard]] std::vector<EngagementEvent> of(EventKind kind, std::uint32_t track = 0) const {
    std::vector<EngagementEvent> out;
    for (const EngagementEvent& e : events) {
      if (e.kind == kind && (track == 0 || e.track == track)) out.push_back(e);
    }
    return out;
  }
  [[nodiscard]] std::size_t count(EventKind kind, std::uint32_t track = 0) const { return of(kind, track).size(); }
};

using PictureAt = std::function<std::vector<PictureTrack>(SimTime)>;

PictureAt flights(const LocalFrame& region, std::vector<Flight> fs) {
  return [&region, fs = std::move(fs)](SimTime t) {
    std::vector<PictureTrack> out;
    for (const Flight& f : fs) out.push_back(track_at(region, f, t));
    return out;
  };
}

// Steps the post every second over [from_s, to_s], adding what it decides to `log`.
void run(CommandPost& post, Log& log, int from_s, int to_s, const PictureAt& picture) {
  for (int s = from_s; s <= to_s; ++s) {
    const std::vector<PictureTrack> pic = picture(at(s));
    StepResult r = post.step(at(s), pic);
    for (EngagementEvent& e : r.events) log.events.push_back(std::move(e));
    for (Launch& l : r.launches) log.launches.push_back(l);
    for (Order& o : r.orders) log.orders.push_back(o);
    for (engage::Threat& t : r.threats) log.threats.push_back(t);
  }
}

bool has_rule(const EngagementEvent& e, std::string_view rule) {
  return std::find(e.rules.begin(), e.rules.end(), rule) != e.rules.end();
}
bool has_rule_prefix(const EngagementEvent& e, std::string_view prefix) {
  return std::any_of(e.rules.begin(), e.rules.end(), [&](const std::string& r) { return r.rfind(prefix, 0) == 0; });
}

UnitStatus status_of(const CommandPost& post, const std::string& id) {
  for (const UnitStatus& u : post.units()) {
    if (u.id == id) return u;
  }
  ADD_FAILURE() << "no unit " << id;
  return {};
}

// "time kind actor track unit" per event: the trace two runs are compared by.
std::vector<std::string> trace(const Log& log) {
  std::vector<std::string> out;
  for (const EngagementEvent& e : log.events) {
    out.push_back(std::to_string(e.time.ns()) + " " + to_string(e.kind) + " " + e.actor + " " + std::to_string(e.track) +
                  " " + e.unit + " " + e.outcome);
  }
  return out;
}

// Builds `name` from an Inputs, failing the test with make()'s message when it is refused.
#define MAKE_POST(setup, name)                                   \
  auto name##_made = (setup).make();                             \
  ASSERT_TRUE(name##_made) << name##_made.error().message;       \
  CommandPost& name = *name##_made

// --- the engagement cycle ----------------------------------------------------------------

// A hostile cruise missile in the envelope: the coordinator proposes, the unit commander
// approves and orders after the operator's delay, the fire operator launches after the
// reaction time, at an aim point on the track's path; the unit spends one round.
TEST(CommandPost, HostileCruiseMissileIsProposedApprovedOrderedAndLaunched) {
  Inputs s;
  s.p.operators = {{"KAL-FU1-CDR", 5.0, 0.0, OperatorPolicy::approve_hostile}};
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  Log log;
  run(post, log, 0, 14, flights(s.region, {f}));
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 8);
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 1);
  run(post, log, 15, 30, flights(s.region, {f}));

  ASSERT_EQ(log.count(EventKind::proposal), 1U);
  const EngagementEvent prop = log.of(EventKind::proposal)[0];
  EXPECT_EQ(prop.time, at(0));
  EXPECT_EQ(prop.actor, "KAL-CINC");
  EXPECT_EQ(prop.unit, "FU-KAL-1");
  EXPECT_EQ(prop.track, 1U);
  EXPECT_EQ(prop.threat, ThreatClass::cruise_missile);
  EXPECT_GT(prop.kill_probability, 0.05);

  ASSERT_EQ(log.count(EventKind::approval), 1U);
  ASSERT_EQ(log.count(EventKind::order), 1U);
  ASSERT_EQ(log.count(EventKind::launch), 1U);
  const EngagementEvent appr = log.of(EventKind::approval)[0], ord = log.of(EventKind::order)[0],
                        lau = log.of(EventKind::launch)[0];
  EXPECT_EQ(appr.time, at(5));
  EXPECT_EQ(appr.actor, "KAL-FU1-CDR");
  EXPECT_EQ(ord.time, at(5));
  EXPECT_EQ(ord.actor, "KAL-FU1-CDR");
  EXPECT_EQ(lau.time, at(15));  // 5 s decision + 10 s reaction
  EXPECT_EQ(lau.actor, "KAL-FU1-OP");
  EXPECT_EQ(appr.engagement, prop.engagement);
  EXPECT_EQ(lau.engagement, prop.engagement);
  EXPECT_EQ(log.count(EventKind::refusal) + log.count(EventKind::denial) + log.count(EventKind::cancelled), 0U);
  // The order for the unit's gate: what the order event says, with the zone it was given for.
  ASSERT_EQ(log.orders.size(), 1U);
  const Order& o = log.orders[0];
  EXPECT_EQ(o, (Order{ord.engagement, "FU-KAL-1", "KAL", 1, 1, "KAL-FU1-CDR", "", "MEZ-KAL", ThreatClass::cruise_missile,
                      at(5), ord.label}));

  ASSERT_EQ(log.launches.size(), 1U);
  const Launch& l = log.launches[0];
  EXPECT_EQ(l.unit, "FU-KAL-1");
  EXPECT_EQ(l.track, 1U);
  EXPECT_EQ(l.at, at(15));
  EXPECT_GT(l.intercept_at, l.at);
  // On the path: a missile-like track is predicted level in its own local vertical, which
  // departs from this straight region-frame flight by metres per kilometre away from the origin.
  EXPECT_LT((l.point_enu - f.pos_at(l.intercept_at)).norm(), 150.0);
  EXPECT_LT((l.point_enu - f.pos_at(l.intercept_at)).head<2>().norm(), 5.0);
  EXPECT_LT((l.track_pos_enu - f.pos_at(l.at)).norm(), 1.0);
  EXPECT_NEAR((l.point_enu - l.envelope.pos_enu).norm(), 1000.0 * (l.intercept_at - l.at).s(), 1.0);  // 1000 m/s fly-out
  EXPECT_EQ(l.envelope.pos_enu, kKalSite);
  EXPECT_GT(l.kill_probability, 0.0);

  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 7);
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 1);  // guiding until the assessment
  EXPECT_EQ(status_of(post, "FU-MOR-1").rounds_left, 8);
}

// Every event carries its track's label, without SENSORS (an event does not say which sensor
// saw the track), with ORDERS, originated by the acting party; a launch carries it to its outcome.
TEST(CommandPost, EventsCarryTheirTracksLabelWithOrders) {
  Inputs s;
  s.p.parties = security::PartyTable::make({"KAL", "MOR"}).value();
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  security::ItemLabel tl;  // KAL's and MOR's, SECRET, from sensors
  tl.level = security::Level::secret;
  tl.categories = security::category_bit(security::Category::air_picture) | security::category_bit(security::Category::sensors);
  tl.originator = 0;
  tl.rel = 0b10;
  const PictureAt labelled = [&](SimTime t) {
    std::vector<PictureTrack> out{track_at(s.region, f, t)};
    out[0].row.label = tl;
    return out;
  };
  Log log;
  run(post, log, 0, 30, labelled);
  ASSERT_EQ(log.launches.size(), 1U);
  // The track then leaves the picture: its assessment still tells of it, labelled as it was.
  run(post, log, 31, 400, [](SimTime) { return std::vector<PictureTrack>{}; });
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  for (const EngagementEvent& e : log.events) {
    EXPECT_EQ(e.label.level, security::Level::secret);
    EXPECT_EQ(e.label.categories, security::category_bit(security::Category::air_picture) |
                                      security::category_bit(security::Category::orders));
    EXPECT_EQ(security::holders(e.label, 0b11), 0b11u);
    EXPECT_EQ(s.p.parties.name(e.label.originator), e.actor_party.empty() ? e.unit_party : e.actor_party);
  }
  EXPECT_EQ(log.launches[0].label, log.of(EventKind::launch)[0].label);
  // Its threat assessments tell of the track, not of its sensors.
  ASSERT_FALSE(log.threats.empty());
  for (const engage::Threat& t : log.threats) EXPECT_EQ(t.label, engage::threat_label(tl));
  // The units' status: FIRE-UNIT-STATUS, SECRET, shared by both parties, each its own party's.
  for (const UnitStatus& u : post.units()) {
    EXPECT_EQ(u.label.level, security::Level::secret) << u.id;
    EXPECT_EQ(u.label.categories, security::category_bit(security::Category::fire_unit_status)) << u.id;
    EXPECT_EQ(u.label.rel, 0b11u) << u.id;
    EXPECT_EQ(s.p.parties.name(u.label.originator), u.party) << u.id;
  }
  EXPECT_FALSE(security::is_labelled(unit_status_label(s.p.parties, "XYZ")));
}

// What is derived from an unlabelled track stays unlabelled (refused at every gate): it never
// becomes a valid UNCLASSIFIED label by gaining ORDERS or INTELLIGENCE.
TEST(CommandPost, AnUnlabelledTracksEventsAndThreatsStayUnlabelled) {
  Inputs s;
  s.p.parties = security::PartyTable::make({"KAL", "MOR"}).value();
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 30, flights(s.region, {kal_missile()}));
  ASSERT_FALSE(log.events.empty());
  ASSERT_FALSE(log.threats.empty());
  for (const EngagementEvent& e : log.events) EXPECT_FALSE(security::is_labelled(e.label)) << to_string(e.kind);
  for (const engage::Threat& t : log.threats) EXPECT_FALSE(security::is_labelled(t.label));
}

// Kill assessment: a track that coasts after the intercept is assessed destroyed, and the
// post never proposes it again even though it stays in the picture.
TEST(CommandPost, CoastingAfterTheInterceptIsDestroyedAndNotEngagedAgain) {
  Inputs s;
  MAKE_POST(s, post);
  Flight f = kal_missile();
  Log log;
  run(post, log, 0, 15, flights(s.region, {f}));
  ASSERT_EQ(log.launches.size(), 1U);
  const SimTime hit = log.launches[0].intercept_at;
  const int hit_s = static_cast<int>(hit.s()) + 1;
  run(post, log, 16, hit_s - 1, flights(s.region, {f}));
  EXPECT_EQ(log.count(EventKind::assessment), 0U);
  f.status = picture::TrackStatus::coasting;  // the tracker lost it at the intercept
  run(post, log, hit_s, hit_s + 60, flights(s.region, {f}));

  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  const EngagementEvent a = log.of(EventKind::assessment)[0];
  EXPECT_EQ(a.outcome, "destroyed");
  EXPECT_GE(a.time, hit + at(5.0));  // kill_assessment_s after the intercept
  EXPECT_LE(a.time, hit + at(6.0));
  EXPECT_EQ(a.actor, "KAL-FU1-CDR");
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(log.launches.size(), 1U);
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 0);
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 7);
}

// A picture that stops showing anything new of the track after the launch (its last row stays,
// still "confirmed"): at the two-minute timeout the track is assessed destroyed — not
// "survived" on a stale row — and nothing is fired at a position extrapolated from it.
TEST(CommandPost, StalePictureAtTheTimeoutIsDestroyedAndNotEngagedAgain) {
  Inputs s;
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  Log log;
  run(post, log, 0, 15, flights(s.region, {f}));
  ASSERT_EQ(log.launches.size(), 1U);
  const std::vector<PictureTrack> frozen{track_at(s.region, f, at(15))};
  run(post, log, 16, 200, [&](SimTime) { return frozen; });
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  const EngagementEvent a = log.of(EventKind::assessment)[0];
  EXPECT_EQ(a.outcome, "destroyed");
  EXPECT_THAT(a.reasons, HasSubstr("nothing new"));
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(log.launches.size(), 1U);
}

// An assessment of "destroyed" is not for ever: a track updated again well after it (the
// tracker held the aircraft after all) is engaged again.
TEST(CommandPost, ATrackAssessedDestroyedButUpdatedAgainIsEngagedAgain) {
  Inputs s;
  MAKE_POST(s, post);
  Flight f = kal_missile();
  f.vel_enu = {120.0, 0.0, 0.0};  // slower: time for a second engagement
  Log log;
  run(post, log, 0, 15, flights(s.region, {f}));
  ASSERT_EQ(log.launches.size(), 1U);
  const int hit_s = static_cast<int>(log.launches[0].intercept_at.s()) + 1;
  run(post, log, 16, hit_s - 1, flights(s.region, {f}));
  Flight coasting = f;
  coasting.status = picture::TrackStatus::coasting;
  run(post, log, hit_s, hit_s + 10, flights(s.region, {coasting}));
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  ASSERT_EQ(log.of(EventKind::assessment)[0].outcome, "destroyed");
  const std::size_t proposals = log.count(EventKind::proposal);
  run(post, log, hit_s + 11, hit_s + 60, flights(s.region, {f}));  // confirmed again
  EXPECT_GT(log.count(EventKind::proposal), proposals);
}

// A track that leaves the picture after the intercept is assessed destroyed as well.
TEST(CommandPost, TrackDroppedAfterTheInterceptIsDestroyed) {
  Inputs s;
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  Log log;
  run(post, log, 0, 15, flights(s.region, {f}));
  ASSERT_EQ(log.launches.size(), 1U);
  const int hit_s = static_cast<int>(log.launches[0].intercept_at.s()) + 1;
  run(post, log, 16, hit_s - 1, flights(s.region, {f}));
  run(post, log, hit_s, hit_s + 30, [](SimTime) { return std::vector<PictureTrack>{}; });
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  EXPECT_EQ(log.of(EventKind::assessment)[0].outcome, "destroyed");
  EXPECT_EQ(log.of(EventKind::assessment)[0].track, 1U);
}

// The picture lags 8 s behind: the assessment waits until the rows reach kill_assessment_s
// past the intercept, and then sees the track coasting.
TEST(CommandPost, KillAssessmentWaitsForTheLaggingPicture) {
  Inputs s;
  MAKE_POST(s, post);
  const SimTime lag = at(8.0);
  const Flight f = kal_missile();
  SimTime hit = at(1e6);  // the track coasts from the intercept on, once it is known
  const PictureAt lagging = [&](SimTime t) {
    Flight g = f;
    if (t - lag >= hit) g.status = picture::TrackStatus::coasting;
    return std::vector<PictureTrack>{track_at(s.region, g, t - lag)};
  };
  Log log;
  run(post, log, 8, 30, lagging);
  ASSERT_EQ(log.launches.size(), 1U);
  hit = log.launches[0].intercept_at;
  run(post, log, 31, 100, lagging);
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  const EngagementEvent a = log.of(EventKind::assessment)[0];
  EXPECT_EQ(a.outcome, "destroyed");
  EXPECT_GE(a.time, hit + at(5.0) + lag);
  EXPECT_LE(a.time, hit + at(6.0) + lag);
}

// Shoot-look-shoot: a track still updated as confirmed after the intercept survived, and the
// post proposes it again after the assessment, and fires a second round.
TEST(CommandPost, TrackStillUpdatedSurvivesAndIsEngagedAgain) {
  Inputs s;
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  Log log;
  run(post, log, 0, 70, flights(s.region, {f}));  // first intercept ~40 s, second launch ~61 s

  ASSERT_GE(log.count(EventKind::assessment), 1U);
  const EngagementEvent a = log.of(EventKind::assessment)[0];
  EXPECT_EQ(a.outcome, "survived");
  ASSERT_EQ(log.launches.size(), 2U);
  EXPECT_GE(a.time, log.launches[0].intercept_at + at(5.0));
  const std::vector<EngagementEvent> props = log.of(EventKind::proposal, 1);
  ASSERT_EQ(props.size(), 2U);
  EXPECT_GE(props[1].time, a.time);
  EXPECT_NE(props[1].engagement, props[0].engagement);
  EXPECT_GT(log.launches[1].at, a.time);
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 6);
}

// A unit with one round fires it and, the track surviving, has nothing left to propose.
TEST(CommandPost, UnitOutOfRoundsIsNotProposedAgain) {
  Inputs s;
  s.p.units[0].rounds = 1;
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 70, flights(s.region, {kal_missile()}));
  ASSERT_EQ(log.count(EventKind::assessment), 1U);
  EXPECT_EQ(log.of(EventKind::assessment)[0].outcome, "survived");
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(log.launches.size(), 1U);
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 0);
}

// Shoot-look-shoot: no second proposal for a track while its first round is in flight and
// not yet assessed.
TEST(CommandPost, ShootLookShootWaitsForTheAssessmentBeforeTheNextProposal) {
  Inputs s;
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 44, flights(s.region, {kal_missile()}));
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(log.count(EventKind::assessment), 0U);
}

// --- the civil interlock -----------------------------------------------------------------

// A pending track with recent ADS-B heading at the city is never proposed nor launched at;
// the interlock's refusal is logged once while its rules stay the same, again when they
// change (an emergency squawk joins the ADS-B).
TEST(CommandPost, CivilEvidenceRefusesOnceWhileTheRulesStayTheSame) {
  Inputs s;
  s.default_wcs = Wcs::free;  // only the interlock stands between the track and a proposal
  MAKE_POST(s, post);
  picture::EvidenceRecord ev;
  ev.add({at(0), EvidenceKind::adsb, 0x4CA123});
  Flight f{7, Identity::pending, {-65 * kKm, 0, 3000}, {200, 0, 0}, &ev, picture::TrackStatus::confirmed};
  Log log;
  run(post, log, 0, 40, flights(s.region, {f}));
  ASSERT_EQ(log.count(EventKind::refusal, 7), 1U);
  const EngagementEvent r = log.of(EventKind::refusal, 7)[0];
  EXPECT_EQ(r.actor, "interlock");
  EXPECT_TRUE(r.unit.empty());
  EXPECT_EQ(r.rules, std::vector<std::string>{"interlock:civil_evidence"});
  EXPECT_THAT(r.reasons, HasSubstr("ADS-B"));

  ev.add({at(41), EvidenceKind::emergency_squawk, 7700});
  run(post, log, 41, 120, flights(s.region, {f}));
  ASSERT_EQ(log.count(EventKind::refusal, 7), 2U);
  const EngagementEvent r2 = log.of(EventKind::refusal, 7)[1];
  EXPECT_EQ(r2.rules.size(), 2U);
  EXPECT_THAT(r2.reasons, HasSubstr("emergency squawk"));

  EXPECT_EQ(log.count(EventKind::proposal), 0U);
  EXPECT_EQ(log.count(EventKind::launch), 0U);
  EXPECT_TRUE(log.launches.empty());
}

// Even a track identified hostile is interlocked while it has recent civil or friendly
// evidence (a spoofed or confused picture is never fired on), whichever kind it is.
TEST(CommandPost, HostileTrackWithRecentCivilOrFriendlyEvidenceIsInterlocked) {
  for (const EvidenceKind kind : {EvidenceKind::adsb, EvidenceKind::mode3, EvidenceKind::emergency_squawk,
                                  EvidenceKind::civil_flight_plan, EvidenceKind::mode5_valid,
                                  EvidenceKind::friendly_flight_plan}) {
    Inputs s;
    MAKE_POST(s, post);
    picture::EvidenceRecord ev;
    ev.add({at(0), kind, 1});
    Flight f = kal_missile();
    f.evidence = &ev;
    Log log;
    run(post, log, 0, 90, flights(s.region, {f}));
    ASSERT_EQ(log.count(EventKind::refusal), 1U) << picture::to_string(kind);
    EXPECT_TRUE(has_rule_prefix(log.of(EventKind::refusal)[0], "interlock:")) << picture::to_string(kind);
    EXPECT_EQ(log.count(EventKind::proposal), 0U) << picture::to_string(kind);
    EXPECT_TRUE(log.launches.empty()) << picture::to_string(kind);
  }
}

// A neutral track on a collision course with the city, weapons free: never proposed or
// launched at. (It is no threat to the evaluator at all, so nothing is refused either.)
TEST(CommandPost, NeutralTrackIsNeverEngaged) {
  Inputs s;
  s.default_wcs = Wcs::free;
  MAKE_POST(s, post);
  Flight f = kal_missile(3, Identity::neutral);
  Log log;
  run(post, log, 0, 120, flights(s.region, {f}));
  EXPECT_EQ(log.count(EventKind::proposal), 0U);
  EXPECT_TRUE(log.launches.empty());
  for (const EngagementEvent& e : log.of(EventKind::refusal)) EXPECT_TRUE(has_rule_prefix(e, "interlock:")) << e.reasons;
}

// A track engaged as hostile that gains civil evidence before launch is refused at launch by
// the interlock, and the unit keeps its round.
TEST(CommandPost, InterlockIsCheckedAgainAtLaunch) {
  Inputs s;
  MAKE_POST(s, post);
  picture::EvidenceRecord ev;
  Flight f = kal_missile();
  f.evidence = &ev;
  Log log;
  run(post, log, 0, 10, flights(s.region, {f}));
  ASSERT_EQ(log.count(EventKind::order), 1U);
  ev.add({at(11), EvidenceKind::mode3, 1200});
  run(post, log, 11, 20, flights(s.region, {f}));
  EXPECT_TRUE(log.launches.empty());
  const std::vector<EngagementEvent> refusals = log.of(EventKind::refusal);
  ASSERT_GE(refusals.size(), 1U);
  EXPECT_EQ(refusals[0].time, at(15));
  EXPECT_EQ(refusals[0].actor, "KAL-FU1-OP");
  EXPECT_TRUE(has_rule(refusals[0], "interlock:civil_evidence"));
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 8);
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 0);
}

// An airliner-like pending track in the safe corridor (northbound across it, towards the
// city) is interlocked by the corridor rule.
TEST(CommandPost, AirlinerInTheSafeCorridorIsInterlocked) {
  Inputs s;
  s.default_wcs = Wcs::free;
  MAKE_POST(s, post);
  const Flight f{9, Identity::pending, {-30 * kKm, -25 * kKm, 9000}, {0, 230, 0}, nullptr, picture::TrackStatus::confirmed};
  Log log;
  run(post, log, 0, 10, flights(s.region, {f}));
  ASSERT_EQ(log.count(EventKind::refusal, 9), 1U);
  EXPECT_EQ(log.of(EventKind::refusal, 9)[0].rules, std::vector<std::string>{"interlock:corridor_airliner"});
  EXPECT_EQ(log.count(EventKind::proposal), 0U);
}

// --- the ROE -----------------------------------------------------------------------------

// Weapons tight: a suspect missile is refused by the WCS rule (once), never proposed.
TEST(CommandPost, WeaponsTightRefusesASuspectTrack) {
  Inputs s;
  s.default_wcs = Wcs::tight;
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 60, flights(s.region, {kal_missile(4, Identity::suspect)}));
  EXPECT_EQ(log.count(EventKind::proposal), 0U);
  ASSERT_EQ(log.count(EventKind::refusal, 4), 1U);
  const EngagementEvent r = log.of(EventKind::refusal, 4)[0];
  EXPECT_EQ(r.actor, "roe");
  EXPECT_EQ(r.unit, "FU-KAL-1");
  EXPECT_TRUE(has_rule(r, "roe:weapons_control_status"));
  EXPECT_THAT(r.reasons, HasSubstr("not hostile"));
}

// A hostile track inside a no-fire area is refused by the no-fire-area rule.
TEST(CommandPost, NoFireAreaRefusesATrackInside) {
  Inputs s;
  MAKE_POST(s, post);
  // From 33 km north of the city, southbound: in NFA-1 (y 10..36 km) for the first ~95 s.
  const Flight f{5, Identity::hostile, {-30 * kKm, 33 * kKm, 100}, {0, -240, 0}, nullptr, picture::TrackStatus::confirmed};
  Log log;
  run(post, log, 0, 60, flights(s.region, {f}));
  EXPECT_EQ(log.count(EventKind::proposal), 0U);
  ASSERT_GE(log.count(EventKind::refusal, 5), 1U);
  const EngagementEvent r = log.of(EventKind::refusal, 5)[0];
  EXPECT_EQ(r.actor, "roe");
  EXPECT_TRUE(has_rule(r, "roe:no_fire_area"));
  EXPECT_FALSE(has_rule(r, "roe:weapons_control_status"));
}

// --- operator policy ---------------------------------------------------------------------

// An operator who denies: a denial after the delay, no order or launch; the channel and the
// reserved round are released, and the same pair is not proposed again for a minute.
TEST(CommandPost, DenialReleasesTheUnit) {
  Inputs s;
  s.p.operators = {{"KAL-FU1-CDR", 5.0, 0.0, OperatorPolicy::deny}};
  MAKE_POST(s, post);
  const Flight f = kal_missile();
  Log log;
  run(post, log, 0, 4, flights(s.region, {f}));
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 1);
  run(post, log, 5, 5, flights(s.region, {f}));
  ASSERT_EQ(log.count(EventKind::denial), 1U);
  const EngagementEvent d = log.of(EventKind::denial)[0];
  EXPECT_EQ(d.time, at(5));
  EXPECT_EQ(d.actor, "KAL-FU1-CDR");
  EXPECT_THAT(d.reasons, HasSubstr("deny"));
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 0);
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 8);

  run(post, log, 6, 40, flights(s.region, {f}));
  EXPECT_EQ(log.count(EventKind::order), 0U);
  EXPECT_EQ(log.count(EventKind::launch), 0U);
  EXPECT_TRUE(log.launches.empty());
  // The approver said no: the same pair is not put to it again for a minute while the track's
  // identity stays the same (no proposal every cycle).
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(status_of(post, "FU-KAL-1").rounds_left, 8);
}

// approve_hostile denies a suspect track that the ROE (weapons free) allowed.
TEST(CommandPost, ApproveHostileDeniesASuspectTrack) {
  Inputs s;
  s.default_wcs = Wcs::free;
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 20, flights(s.region, {kal_missile(1, Identity::suspect)}));
  ASSERT_GE(log.count(EventKind::proposal), 1U);
  ASSERT_GE(log.count(EventKind::denial), 1U);
  EXPECT_THAT(log.of(EventKind::denial)[0].reasons, HasSubstr("suspect"));
  EXPECT_TRUE(log.launches.empty());
}

// The track leaves the picture while the operator decides: the engagement is cancelled and
// the unit released.
TEST(CommandPost, TrackLostBeforeTheDecisionIsCancelled) {
  Inputs s;
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 3, flights(s.region, {kal_missile()}));
  ASSERT_EQ(log.count(EventKind::proposal), 1U);
  run(post, log, 4, 20, [](SimTime) { return std::vector<PictureTrack>{}; });
  ASSERT_EQ(log.count(EventKind::cancelled), 1U);
  EXPECT_EQ(log.of(EventKind::cancelled)[0].time, at(5));
  EXPECT_EQ(log.count(EventKind::approval), 0U);
  EXPECT_TRUE(log.launches.empty());
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 0);
}

// --- automatic engagement ----------------------------------------------------------------

AutoEngagement kal_auto(const std::string& zone, ThreatClass threat = ThreatClass::cruise_missile) {
  return {"FU-KAL-1", "KAL-FU1-CDR", zone, threat, at(0), at(3600)};
}

// Automatic engagement for cruise missiles in the MEZ: approved by "auto" with the proposal,
// launched after the reaction time only, with no human approval.
TEST(CommandPost, AutomaticEngagementApprovesAtOnce) {
  Inputs s;
  s.p.auto_engagements = {kal_auto("MEZ-KAL")};
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 15, flights(s.region, {kal_missile()}));
  ASSERT_EQ(log.count(EventKind::proposal), 1U);
  ASSERT_EQ(log.count(EventKind::approval), 1U);
  const EngagementEvent p = log.of(EventKind::proposal)[0], a = log.of(EventKind::approval)[0];
  EXPECT_EQ(a.actor, "auto");
  EXPECT_EQ(a.time, p.time);
  EXPECT_EQ(a.engagement, p.engagement);
  EXPECT_THAT(a.reasons, HasSubstr("KAL-FU1-CDR"));
  ASSERT_EQ(log.count(EventKind::order), 1U);  // the delegated order is on the record too
  EXPECT_EQ(log.of(EventKind::order)[0].actor, "auto");
  ASSERT_EQ(log.orders.size(), 1U);  // and goes to the unit's gate with who delegated it, and where
  EXPECT_EQ(log.orders[0].by, "auto");
  EXPECT_EQ(log.orders[0].delegated_by, "KAL-FU1-CDR");
  EXPECT_EQ(log.orders[0].zone, "MEZ-KAL");
  EXPECT_EQ(log.orders[0].engagement, p.engagement);
  EXPECT_EQ(log.of(EventKind::order)[0].time, p.time);
  ASSERT_EQ(log.launches.size(), 1U);
  EXPECT_EQ(log.launches[0].at, p.time + at(10.0));  // the reaction time, no decision delay
  EXPECT_EQ(log.of(EventKind::launch)[0].actor, "KAL-FU1-OP");
}

// Never automatic for a track that is not identified hostile (weapons free so the ROE lets a
// suspect through): it waits for the unit commander's decision.
TEST(CommandPost, AutomaticEngagementNeverForADoubtfulIdentity) {
  Inputs s;
  s.default_wcs = Wcs::free;
  s.p.auto_engagements = {kal_auto("MEZ-KAL")};
  s.p.operators = {{"KAL-FU1-CDR", 5.0, 0.0, OperatorPolicy::approve}};
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 20, flights(s.region, {kal_missile(1, Identity::suspect)}));
  ASSERT_GE(log.count(EventKind::approval), 1U);
  for (const EngagementEvent& a : log.of(EventKind::approval)) EXPECT_NE(a.actor, "auto");
  const EngagementEvent a = log.of(EventKind::approval)[0];
  EXPECT_EQ(a.actor, "KAL-FU1-CDR");
  EXPECT_EQ(a.time, log.of(EventKind::proposal)[0].time + at(5.0));
}

// Automatic engagement is for its own zone and threat class only.
TEST(CommandPost, AutomaticEngagementOnlyInItsZoneAndForItsClass) {
  for (const AutoEngagement& a : {kal_auto("MEZ-MOR"), kal_auto("MEZ-KAL", ThreatClass::drone)}) {
    Inputs s;
    s.p.auto_engagements = {a};
    MAKE_POST(s, post);
    Log log;
    run(post, log, 0, 10, flights(s.region, {kal_missile()}));
    ASSERT_EQ(log.count(EventKind::approval), 1U) << a.zone;
    EXPECT_EQ(log.of(EventKind::approval)[0].actor, "KAL-FU1-CDR") << a.zone;
  }
}

// --- delegation to the coordinator -------------------------------------------------------

// With a delegation of FU-MOR-1 to the coordinator for cruise missiles in MEZ-MOR, KAL-CINC
// approves and orders the MOR unit; without it (or for another class), MOR's unit commander does.
TEST(CommandPost, DelegationMakesTheCoordinatorTheApprover) {
  const auto approver = [](std::vector<command::Delegation> delegations) {
    Inputs s;
    s.c.delegations = std::move(delegations);
    auto made = s.make();
    EXPECT_TRUE(made) << made.error().message;
    if (!made) return std::pair<EngagementEvent, EngagementEvent>{};
    Log log;
    run(*made, log, 0, 20, flights(s.region, {mor_missile()}));
    EXPECT_EQ(log.count(EventKind::approval), 1U);
    EXPECT_EQ(log.count(EventKind::order), 1U);
    EXPECT_EQ(log.launches.size(), 1U);
    if (log.count(EventKind::approval) == 0 || log.count(EventKind::order) == 0) return std::pair<EngagementEvent, EngagementEvent>{};
    EXPECT_EQ(log.of(EventKind::proposal)[0].unit, "FU-MOR-1");
    EXPECT_EQ(log.of(EventKind::launch)[0].actor, "MOR-FU1-OP");
    return std::pair{log.of(EventKind::approval)[0], log.of(EventKind::order)[0]};
  };
  const command::Delegation cm{"FU-MOR-1", "MOR-FU1-CDR", "MEZ-MOR", at(0), at(3600), ThreatClass::cruise_missile};
  command::Delegation drones = cm;
  drones.threat = ThreatClass::drone;

  const auto [delegated, delegated_order] = approver({cm});
  EXPECT_EQ(delegated.actor, "KAL-CINC");
  EXPECT_EQ(delegated.actor_party, "KAL");
  EXPECT_EQ(delegated.unit_party, "MOR");
  EXPECT_EQ(delegated_order.actor, "KAL-CINC");

  const auto [own, own_order] = approver({});
  EXPECT_EQ(own.actor, "MOR-FU1-CDR");
  EXPECT_EQ(own_order.actor, "MOR-FU1-CDR");

  EXPECT_EQ(approver({drones}).first.actor, "MOR-FU1-CDR");
}

// --- try_order ---------------------------------------------------------------------------

// No role can order a neutral track engaged, whatever its authority: every order is refused
// by the interlock (the coordinator, delegated FU-MOR-1, and each unit's own chain included).
TEST(CommandPost, TryOrderOfACivilTrackIsAlwaysRefused) {
  Inputs s;
  s.default_wcs = Wcs::free;
  s.c.delegations = {{"FU-MOR-1", "MOR-FU1-CDR", "MEZ-MOR", at(0), at(3600), ThreatClass::any}};
  MAKE_POST(s, post);
  const std::vector<std::pair<std::string, PictureTrack>> cases = {
      {"FU-KAL-1", track_at(s.region, kal_missile(3, Identity::neutral), at(20))},
      {"FU-MOR-1", track_at(s.region, mor_missile(4, Identity::neutral), at(20))}};
  for (const auto& [unit_id, civil] : cases) {
    for (const char* actor : {"KAL-CINC", "MOR-ADC", "KAL-FU1-CDR", "MOR-FU1-CDR", "KAL-FU1-OP", "MOR-FU1-OP"}) {
      const std::vector<EngagementEvent> ev = post.try_order(at(20), actor, unit_id, civil);
      ASSERT_EQ(ev.size(), 1U) << actor << " " << unit_id;
      EXPECT_EQ(ev[0].kind, EventKind::refusal) << actor << " " << unit_id;
      EXPECT_TRUE(has_rule(ev[0], "interlock:identity")) << actor << " " << unit_id;
      EXPECT_EQ(ev[0].actor, actor);
    }
  }
  // The delegated coordinator has the authority; the interlock (and the ROE) still refuse.
  const EngagementEvent delegated = post.try_order(at(20), "KAL-CINC", "FU-MOR-1", cases[1].second).at(0);
  EXPECT_FALSE(has_rule(delegated, "authority"));
  EXPECT_TRUE(has_rule(delegated, "interlock:identity"));
}

// A hostile track: roles outside the unit's chain (and its operator) are refused by
// authority; its commander and its party's head may order it.
TEST(CommandPost, TryOrderChecksAuthority) {
  Inputs s;
  MAKE_POST(s, post);
  const PictureTrack hostile = track_at(s.region, kal_missile(), at(20));
  for (const char* actor : {"MOR-ADC", "MOR-FU1-CDR", "KAL-FU1-OP", "NOBODY"}) {
    const std::vector<EngagementEvent> ev = post.try_order(at(20), actor, "FU-KAL-1", hostile);
    ASSERT_EQ(ev.size(), 1U) << actor;
    EXPECT_EQ(ev[0].kind, EventKind::refusal) << actor;
    EXPECT_EQ(ev[0].rules, std::vector<std::string>{"authority"}) << actor;
  }
  for (const char* actor : {"KAL-FU1-CDR", "KAL-CINC"}) {
    const std::vector<EngagementEvent> ev = post.try_order(at(20), actor, "FU-KAL-1", hostile);
    ASSERT_EQ(ev.size(), 1U) << actor;
    EXPECT_EQ(ev[0].kind, EventKind::order) << actor << ": " << ev[0].reasons;
    EXPECT_TRUE(ev[0].rules.empty()) << actor;
    EXPECT_EQ(ev[0].unit, "FU-KAL-1");
    EXPECT_EQ(ev[0].track, 1U);
  }
  // The coordinator cannot order the MOR unit without a delegation.
  const PictureTrack mor = track_at(s.region, mor_missile(), at(20));
  EXPECT_TRUE(has_rule(post.try_order(at(20), "KAL-CINC", "FU-MOR-1", mor).at(0), "authority"));
  EXPECT_EQ(post.try_order(at(20), "MOR-FU1-CDR", "FU-MOR-1", mor).at(0).kind, EventKind::order);
  EXPECT_TRUE(post.try_order(at(20), "KAL-FU1-CDR", "FU-NONE", hostile).empty());
}

// try_order refuses an order the unit cannot carry out (no intercept) and one for a target in
// a no-fire area, even from the unit's own commander.
TEST(CommandPost, TryOrderRefusesAnInfeasibleOrRestrictedTarget) {
  Inputs s;
  MAKE_POST(s, post);
  const Flight far{6, Identity::hostile, {-300 * kKm, 0, 100}, {240, 0, 0}, nullptr, picture::TrackStatus::confirmed};
  const std::vector<EngagementEvent> out = post.try_order(at(0), "KAL-FU1-CDR", "FU-KAL-1", track_at(s.region, far, at(0)));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, EventKind::refusal);
  EXPECT_TRUE(has_rule(out[0], "feasibility"));
  const Flight nfa{5, Identity::hostile, {-30 * kKm, 33 * kKm, 100}, {0, -240, 0}, nullptr, picture::TrackStatus::confirmed};
  const std::vector<EngagementEvent> in = post.try_order(at(0), "KAL-FU1-CDR", "FU-KAL-1", track_at(s.region, nfa, at(0)));
  ASSERT_EQ(in.size(), 1U);
  EXPECT_EQ(in[0].kind, EventKind::refusal);
  EXPECT_TRUE(has_rule(in[0], "roe:no_fire_area"));
}

// try_order applies the ROE too, and changes nothing: the post still plans as before.
TEST(CommandPost, TryOrderChecksTheRoeAndChangesNothing) {
  Inputs s;
  MAKE_POST(s, post);
  const PictureTrack suspect = track_at(s.region, kal_missile(1, Identity::suspect), at(0));
  const std::vector<EngagementEvent> ev = post.try_order(at(0), "KAL-FU1-CDR", "FU-KAL-1", suspect);
  ASSERT_EQ(ev.size(), 1U);
  EXPECT_EQ(ev[0].kind, EventKind::refusal);
  EXPECT_TRUE(has_rule(ev[0], "roe:weapons_control_status"));
  (void)post.try_order(at(0), "KAL-FU1-CDR", "FU-KAL-1", track_at(s.region, kal_missile(), at(0)));
  EXPECT_EQ(status_of(post, "FU-KAL-1").channels_busy, 0);
  Log log;
  run(post, log, 0, 15, flights(s.region, {kal_missile()}));
  EXPECT_EQ(log.count(EventKind::proposal), 1U);
  EXPECT_EQ(log.launches.size(), 1U);
}

// --- feasibility -------------------------------------------------------------------------

// A ridge hides everything west of x = -48 km from the site: the post waits until the
// intercept point is in sight, and never aims beyond the ridge.
TEST(CommandPost, LineOfSightDelaysTheEngagement) {
  const auto first_launch = [](const engage::LineOfSight& los) {
    Inputs s;
    s.los = los;
    auto made = s.make();
    EXPECT_TRUE(made);
    Log log;
    if (made) run(*made, log, 0, 60, flights(s.region, {kal_missile()}));
    EXPECT_FALSE(log.launches.empty());
    return log.launches.empty() ? Launch{} : log.launches[0];
  };
  const Launch clear = first_launch([](const Eigen::Vector3d&, const Eigen::Vector3d&) { return true; });
  const Launch ridge = first_launch([](const Eigen::Vector3d&, const Eigen::Vector3d& to) { return to.x() >= -48 * kKm; });
  EXPECT_LT(clear.point_enu.x(), -48 * kKm);  // the ridge matters for this geometry
  EXPECT_GE(ridge.point_enu.x(), -48 * kKm);
  EXPECT_GT(ridge.at, clear.at);
}

// A unit with a linked sensor only engages where the intercept point is in the sensor's cover.
TEST(CommandPost, LinkedSensorLimitsTheIntercept) {
  Inputs s;
  s.p.units[0].linked_sensors = {{"RADAR-KAL", kKalSite, 20 * kKm}};
  MAKE_POST(s, post);
  Log log;
  run(post, log, 0, 60, flights(s.region, {kal_missile()}));
  ASSERT_FALSE(log.launches.empty());
  EXPECT_LE((log.launches[0].point_enu - kKalSite).norm(), 20 * kKm);
}

// --- make() ------------------------------------------------------------------------------

// Bad inputs are refused with Errc::invalid_argument and a message naming what is wrong.
TEST(CommandPost, MakeRejectsInvalidParams) {
  struct Case {
    const char* name;
    std::function<void(Inputs&)> spoil;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"no units", [](Inputs& s) { s.p.units.clear(); }, "no fire units"},
      {"duplicate id", [](Inputs& s) { s.p.units[1].id = "FU-KAL-1", s.p.units[1].party = "KAL"; }, "FU-KAL-1: duplicate id"},
      {"unknown unit", [](Inputs& s) { s.p.units[1].id = "FU-X"; }, "FU-X: unknown to the chain of command"},
      {"party mismatch", [](Inputs& s) { s.p.units[0].party = "MOR"; }, "FU-KAL-1: of party MOR here but KAL"},
      {"cycle too short", [](Inputs& s) { s.p.rules.cycle_s = 0.4; }, "cycle_s"},
      {"cycle too long", [](Inputs& s) { s.p.rules.cycle_s = 61.0; }, "cycle_s"},
      {"cycle NaN", [](Inputs& s) { s.p.rules.cycle_s = std::nan(""); }, "cycle_s"},
      {"auto for aircraft", [](Inputs& s) { s.p.auto_engagements = {kal_auto("MEZ-KAL", ThreatClass::aircraft)}; },
       "automatic engagement of FU-KAL-1"},
      {"auto for any", [](Inputs& s) { s.p.auto_engagements = {kal_auto("MEZ-KAL", ThreatClass::any)}; },
       "automatic engagement of FU-KAL-1"},
      {"auto unknown unit", [](Inputs& s) { s.p.auto_engagements = {{"FU-Y", "KAL-FU1-CDR", "MEZ-KAL", ThreatClass::cruise_missile, at(0), at(10)}}; }, "FU-Y"},
      {"operator delay", [](Inputs& s) { s.p.operators = {{"KAL-FU1-CDR", 601.0, 0.0, OperatorPolicy::approve}}; }, "KAL-FU1-CDR: decision_delay_s"},
      {"default jitter", [](Inputs& s) { s.p.default_operator.delay_jitter_s = -1.0; }, "default operator: delay_jitter_s"},
      {"negative rounds", [](Inputs& s) { s.p.units[0].rounds = -1; }, "FU-KAL-1: rounds"},
      {"bad envelope", [](Inputs& s) { s.p.units[0].envelope.max_range_m = 1000.0; }, "FU-KAL-1: fire unit envelope"},
      {"assessment", [](Inputs& s) { s.p.rules.kill_assessment_s = 0.5; }, "kill_assessment_s"},
      {"rounds per target", [](Inputs& s) { s.p.rules.max_rounds_per_target = 0; }, "max_rounds_per_target"},
      {"interlock window", [](Inputs& s) { s.p.interlock.civil_evidence_window_s = 10.0; }, "interlock"},
  };
  for (const Case& c : cases) {
    Inputs s;
    c.spoil(s);
    const Result<CommandPost> made = s.make();
    ASSERT_FALSE(made) << c.name;
    EXPECT_EQ(made.error().code, Errc::invalid_argument) << c.name;
    EXPECT_THAT(made.error().message, HasSubstr(c.message)) << c.name;
  }
  Inputs ok;
  EXPECT_TRUE(ok.make());
}

// --- determinism -------------------------------------------------------------------------

// The same inputs and seed give the same decisions at the same times, operators' jitter and
// all; another seed draws other delays.
TEST(CommandPost, SameInputsGiveTheSameEvents) {
  const auto run_with = [](std::uint64_t seed) {
    Inputs s;
    s.seed = seed;
    s.p.default_operator = {"", 3.0, 4.0, OperatorPolicy::approve_hostile};
    s.p.units[0].channels = 1;
    s.c.delegations = {{"FU-MOR-1", "MOR-FU1-CDR", "MEZ-MOR", at(0), at(3600), ThreatClass::cruise_missile}};
    auto made = s.make();
    EXPECT_TRUE(made);
    Log log;
    Flight second = kal_missile(3);
    second.start_enu += Eigen::Vector3d(-8 * kKm, 4 * kKm, 0);
    if (made) run(*made, log, 0, 150, flights(s.region, {kal_missile(), mor_missile(), second}));
    return log;
  };
  const Log a = run_with(7), b = run_with(7), c = run_with(8);
  ASSERT_GE(a.count(EventKind::launch), 3U);
  EXPECT_GE(a.count(EventKind::assessment), 2U);
  EXPECT_EQ(trace(a), trace(b));
  ASSERT_EQ(a.launches.size(), b.launches.size());
  for (std::size_t k = 0; k < a.launches.size(); ++k) {
    EXPECT_EQ(a.launches[k].at, b.launches[k].at);
    EXPECT_EQ(a.launches[k].point_enu, b.launches[k].point_enu);
  }
  EXPECT_NE(trace(a), trace(c));
}

}  // namespace
}  // namespace jrads::node
