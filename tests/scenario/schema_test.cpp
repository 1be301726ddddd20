// The scenario schema: every section's checks, each error asserted with its message, line,
// column and key path. Appended sections start at line 7 (after test::minimal_yaml).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/scenario/agreement.hpp"
#include "jrads/scenario/identification.hpp"

#include "scenario/scenario_fixture.hpp"

namespace jrads::scenario {
namespace {

using test::all_errors;
using test::expect_error;
using test::minimal_yaml;
using test::parse;
using test::parse_with_minimal;

const Scenario& ok(const ParseOutcome& out) {
  EXPECT_TRUE(out.errors.empty()) << all_errors(out);
  static const Scenario empty;
  return out.scenario ? *out.scenario : empty;
}

// --- top level ------------------------------------------------------------------------------------

TEST(Schema, DefaultsOfAMinimalScenario) {
  const auto out = parse(minimal_yaml);
  const Scenario& s = ok(out);
  EXPECT_TRUE(std::holds_alternative<world::FlatTerrainParams>(s.terrain));
  EXPECT_DOUBLE_EQ(s.world.duration_s, 600.0);
  EXPECT_DOUBLE_EQ(s.world.truth_step_s, 1.0);
  EXPECT_EQ(s.agreement.term_years, 5);
  EXPECT_TRUE(s.agreement.automatic_renewal);
  EXPECT_EQ(s.agreement.notice_months, 6);
  ASSERT_EQ(s.parties.size(), 2U);
  EXPECT_EQ(s.parties[0].role, PartyRole::coordinating);
  EXPECT_TRUE(s.parties[1].host);
}

TEST(Schema, ZeroDurationIsRejected) {
  const auto out = parse("name: x\nduration_s: 0\n");
  expect_error(out, "duration_s", Errc::invalid_argument, 2, 13, "allowed: (0, 604800]");
}

TEST(Schema, ScenarioDateMustBeACalendarDay) {
  const auto out = parse_with_minimal("date: 2026-02-29\n");
  expect_error(out, "date", Errc::invalid_argument, 7, 7, "expected a calendar date YYYY-MM-DD");
  EXPECT_EQ(ok(parse_with_minimal("date: 2028-02-29\n")).date, "2028-02-29");
}

// --- parties and agreement ---------------------------------------------------------------------------

TEST(Schema, AtLeastTwoParties) {
  const auto out = parse(
      "name: x\nduration_s: 5\n"
      "parties:\n"
      "  - {id: A, name: Alpha, role: coordinating, host: true}\n"
      "agreement: {signature_date: 2025-01-31}\n");
  expect_error(out, "parties", Errc::invalid_argument, 4, 3, "at least 2 parties, got 1");
}

TEST(Schema, ExactlyOneCoordinatingParty) {
  const auto out = parse(
      "name: x\nduration_s: 5\n"
      "parties:\n"
      "  - {id: A, name: Alpha, role: coordinating}\n"
      "  - {id: B, name: Beta, role: coordinating, host: true}\n"
      "agreement: {signature_date: 2025-01-31}\n");
  expect_error(out, "parties", Errc::invalid_argument, 4, 3,
               "exactly one party must have role 'coordinating' (Article 6), found 2: A and B");
}

TEST(Schema, ExactlyOneHost) {
  const auto out = parse(
      "name: x\nduration_s: 5\n"
      "parties:\n"
      "  - {id: A, name: Alpha, role: coordinating}\n"
      "  - {id: B, name: Beta, role: directing}\n"
      "agreement: {signature_date: 2025-01-31}\n");
  expect_error(out, "parties", Errc::invalid_argument, 4, 3, "exactly one party must be the host (host: true), found 0");
}

TEST(Schema, PartyRoleTypoIsSuggested) {
  const auto out = parse(
      "name: x\nduration_s: 5\n"
      "parties:\n"
      "  - {id: A, name: Alpha, role: cordinating}\n"
      "  - {id: B, name: Beta, role: directing, host: true}\n"
      "agreement: {signature_date: 2025-01-31}\n");
  expect_error(out, "parties[0].role", Errc::invalid_argument, 4, 32,
               "'cordinating' is not allowed here; expected one of coordinating or directing (did you mean "
               "'coordinating'?)");
}

TEST(Schema, PartyNeedsIdNameAndRole) {
  const auto out = parse(
      "name: x\nduration_s: 5\n"
      "parties:\n"
      "  - {commander: someone}\n"
      "  - {id: B, name: Beta, role: directing, host: true}\n"
      "agreement: {signature_date: 2025-01-31}\n");
  expect_error(out, "parties[0].id", Errc::missing_key, 4, 5, "missing required key 'id'");
  expect_error(out, "parties[0].name", Errc::missing_key, 4, 5, "missing required key 'name'");
  expect_error(out, "parties[0].role", Errc::missing_key, 4, 5, "missing required key 'role'");
}

TEST(Schema, BadDatesAreRejected) {
  for (const char* date : {"2025-02-29", "2025-13-01", "2025-04-31", "25-01-01", "yesterday", "2025-1-01",
                           "1899-12-31", "2025-00-10", "2025-01-01T00:00:00Z", "2025/01/01"}) {
    const auto out = parse(
        "name: x\nduration_s: 5\n"
        "parties:\n"
        "  - {id: A, name: Alpha, role: coordinating}\n"
        "  - {id: B, name: Beta, role: directing, host: true}\n"
        "agreement:\n"
        "  signature_date: " +
        std::string(date) + "\n");
    expect_error(out, "agreement.signature_date", Errc::invalid_argument, 7, 19, "expected a calendar date YYYY-MM-DD");
  }
  for (const char* date : {"2024-02-29", "2000-02-29", "2025-12-31"}) {
    std::string text(minimal_yaml);
    text.replace(text.find("2025-01-31"), 10, date);
    EXPECT_TRUE(parse(text).errors.empty()) << date;
  }
  std::string text(minimal_yaml);
  text.replace(text.find("2025-01-31"), 10, "1900-02-29");
  EXPECT_FALSE(parse(text).errors.empty());
}

TEST(Schema, NoticeMustFitInTheTerm) {
  std::string text(minimal_yaml);
  text.replace(text.find("{signature_date: 2025-01-31}"), 28,
               "{signature_date: 2025-01-31, term_years: 1, notice_months: 12}");
  const auto out = parse(text);
  expect_error(out, "agreement.notice_months", Errc::invalid_argument, 6, 71, "allowed: [0, 11]");
}

// --- sites and polygons ---------------------------------------------------------------------------------

TEST(Schema, PlotAreaIsComputedOnTheEllipsoid) {
  const auto out = parse_with_minimal(
      "sites:\n"
      "  - id: base\n"
      "    kind: air_base\n"
      "    plot: [[44.3000, 19.6000], [44.3000, 19.6031], [44.3018, 19.6031], [44.3018, 19.6000]]\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.sites.size(), 1U);
  EXPECT_NEAR(s.sites[0].plot_area_m2, 50000.0, 1000.0);
  // Without a position the site stands at the plot's centre.
  EXPECT_NEAR(s.sites[0].position.lat_deg, 44.3009, 1e-9);
  EXPECT_NEAR(s.sites[0].position.lon_deg, 19.60155, 1e-9);
  EXPECT_EQ(s.sites[0].name, "base");
  EXPECT_EQ(s.sites[0].kind, SiteKind::air_base);
}

TEST(Schema, SelfIntersectingPlotIsRejected) {
  const auto out = parse_with_minimal(
      "sites:\n"
      "  - id: base\n"
      "    plot: [[44.3000, 19.6000], [44.3018, 19.6031], [44.3000, 19.6031], [44.3018, 19.6000]]\n");
  expect_error(out, "sites[0].plot", Errc::invalid_argument, 9, 11,
               "the plot is not a simple polygon: edges 0-1 and 2-3 cross or touch");
}

TEST(Schema, HostileOriginAreasReachTheIdentificationContext) {
  const auto out = parse_with_minimal(
      "hostile_origin_areas:\n"
      "  - id: NORTH\n"
      "    name: Beyond the northern border\n"
      "    polygon: [[45.5, 16.5], [45.5, 23.5], [47.0, 23.5], [47.0, 16.5]]\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.hostile_origin_areas.size(), 1U);
  EXPECT_EQ(s.hostile_origin_areas[0].name, "Beyond the northern border");
  const picture::IdentificationContext ctx = identification_context(s);
  ASSERT_EQ(ctx.hostile_origins.size(), 1U);
  EXPECT_EQ(ctx.hostile_origins[0].id, "NORTH");
  ASSERT_EQ(ctx.hostile_origins[0].polygon.size(), 4U);
  EXPECT_DOUBLE_EQ(ctx.hostile_origins[0].polygon[2].lat_deg, 47.0);
  EXPECT_DOUBLE_EQ(ctx.hostile_origins[0].polygon[2].lon_deg, 23.5);
}

TEST(Schema, SelfIntersectingHostileOriginAreaIsRejected) {
  const auto out = parse_with_minimal(
      "hostile_origin_areas:\n"
      "  - id: N\n"
      "    polygon: [[45.5, 16.5], [47.0, 23.5], [45.5, 23.5], [47.0, 16.5]]\n");
  expect_error(out, "hostile_origin_areas[0].polygon", Errc::invalid_argument, 9, 14,
               "the polygon is not simple: edges 0-1 and 2-3 cross or touch");
}

TEST(Schema, HostileOriginAreaNeedsAPolygon) {
  const auto out = parse_with_minimal("hostile_origin_areas:\n  - {id: N}\n");
  expect_error(out, "hostile_origin_areas[0].polygon", Errc::missing_key, 8, 5, "missing required key 'polygon'");
}

std::string with_agreement(std::string_view agreement) {
  std::string text(test::minimal_yaml);
  const auto pos = text.find("agreement:");
  text.replace(pos, text.find('\n', pos) - pos, agreement);
  return text;
}

TEST(Schema, NoticesOfTerminationReachTheAgreementState) {
  // Signed 2025-01-31, 5 years, 6 months' notice: the first term ends on 2030-01-31.
  const auto renewed = parse_with_minimal("date: 2030-03-14\n");
  ASSERT_TRUE(renewed.scenario);
  const command::AgreementState second = command::agreement_state(
      agreement_terms(*renewed.scenario), termination_notices(*renewed.scenario), *scenario_day(*renewed.scenario));
  EXPECT_TRUE(second.in_force);
  EXPECT_EQ(second.term, 2);
  const auto ended = parse(with_agreement("agreement: {signature_date: 2025-01-31, notices: [{party: B, date: 2029-07-31}]}") +
                           "date: 2030-01-31\n");
  ASSERT_TRUE(ended.scenario) << test::all_errors(ended);
  ASSERT_EQ(ended.scenario->agreement.notices.size(), 1U);
  EXPECT_EQ(ended.scenario->agreement.notices[0].party, "B");
  const command::AgreementState st = command::agreement_state(
      agreement_terms(*ended.scenario), termination_notices(*ended.scenario), *scenario_day(*ended.scenario));
  EXPECT_EQ(st.phase, command::AgreementPhase::ended);
  EXPECT_NE(summary(*ended.scenario).find("on 2030-01-31: ended on 2030-01-31: B gave notice on 2029-07-31"),
            std::string::npos)
      << summary(*ended.scenario);
}

// The agreement's classification equivalence: each party's own words on the common scale.
TEST(Schema, ClassificationEquivalenceIsReadAndChecked) {
  const auto ok = parse(with_agreement(
      "agreement: {signature_date: 2025-01-31, classification_equivalence: [{party: A, name: TAJNO, level: secret}, "
      "{party: B, name: SKRIVNO, level: secret}, {party: B, name: STROGO SKRIVNO, level: top_secret}]}"));
  ASSERT_TRUE(ok.scenario) << test::all_errors(ok);
  ASSERT_EQ(ok.scenario->agreement.classification_equivalence.size(), 3U);
  const security::EquivalenceTable t = classification_table(*ok.scenario);
  EXPECT_EQ(t.common("B", "STROGO SKRIVNO").value(), security::Level::top_secret);
  EXPECT_EQ(t.national("A", security::Level::secret).value(), "TAJNO");
  EXPECT_FALSE(t.national("A", security::Level::top_secret).has_value());

  const auto unknown_party = parse(with_agreement(
      "agreement: {signature_date: 2025-01-31, classification_equivalence: [{party: Q, name: TAJNO, level: secret}]}"));
  expect_error(unknown_party, "agreement.classification_equivalence[0].party", Errc::dangling_ref, 6, 78, "Q");
  const auto bad_level = parse(with_agreement(
      "agreement: {signature_date: 2025-01-31, classification_equivalence: [{party: A, name: TAJNO, level: cosmic}]}"));
  expect_error(bad_level, "agreement.classification_equivalence[0].level", Errc::invalid_argument, 6, 101, "top_secret");
  const auto missing = parse(with_agreement(
      "agreement: {signature_date: 2025-01-31, classification_equivalence: [{party: A, level: secret}]}"));
  EXPECT_NE(test::all_errors(missing).find("name"), std::string::npos) << test::all_errors(missing);
  const auto twice = parse(with_agreement(
      "agreement: {signature_date: 2025-01-31, classification_equivalence: [{party: A, name: TAJNO, level: secret}, "
      "{party: A, name: TAJNO2, level: secret}]}"));
  ASSERT_FALSE(twice.errors.empty());
  EXPECT_EQ(twice.errors[0].where.path, "agreement.classification_equivalence");
  EXPECT_NE(twice.errors[0].message.find("A"), std::string::npos) << twice.errors[0].message;
}

TEST(Schema, BadNoticesOfTerminationAreRejected) {
  const auto out = parse(with_agreement(
      "agreement: {signature_date: 2025-03-14, notices: [{party: C, date: 2029-09-14}, {party: A, date: 2029-02-30}, "
      "{date: 2029-01-01}]}"));
  expect_error(out, "agreement.notices[0].party", Errc::dangling_ref, 0, 0, "'C' is not a defined party");
  expect_error(out, "agreement.notices[1].date", Errc::invalid_argument, 0, 0, "expected a calendar date");
  expect_error(out, "agreement.notices[2].party", Errc::missing_key, 0, 0, "the party giving notice");
}

// Parties A (coordinating) and B (directing), two sites, a unit each, a chain and an airspace.
constexpr std::string_view kChain =
    "sites:\n"
    "  - {id: sa, position: [44.3, 19.6]}\n"
    "  - {id: sb, position: [44.4, 21.9]}\n"
    "fire_units:\n"
    "  - {id: FU-A, party: A, site: sa}\n"
    "  - {id: FU-B, party: B, site: sb}\n"
    "airways:\n"
    "  - {id: W1, points: [[45, 17], [45, 23]]}\n"
    "airspace:\n"
    "  default_wcs: tight\n"
    "  zones:\n"
    "    - {id: MEZ-B, kind: missile_engagement_zone, polygon: [[44.2, 21.7], [44.2, 22.1], [44.6, 22.1], [44.6, 21.7]]}\n"
    "    - {id: COR-W1, kind: safe_corridor, airway: W1, half_width_m: 10000, min_alt_m: 7000, max_alt_m: 13000}\n"
    "  weapons_control:\n"
    "    - {zone: MEZ-B, party: B, status: free}\n"
    "roles:\n"
    "  - {id: A-CINC, party: A, kind: coordinator}\n"
    "  - {id: B-ADC, party: B, kind: air_defence_commander}\n"
    "  - {id: FU-A-CDR, party: A, kind: unit_commander, unit: FU-A}\n"
    "  - {id: FU-B-CDR, party: B, kind: unit_commander, unit: FU-B}\n"
    "  - {id: FU-B-OP, party: B, kind: fire_operator, unit: FU-B}\n"
    "delegations:\n"
    "  - {unit: FU-B, by: FU-B-CDR, zone: MEZ-B, from_s: 0, until_s: 500, threat: cruise_missile}\n";

TEST(Schema, ChainOfCommandAndAirspaceParse) {
  const auto out = parse_with_minimal(kChain);
  const Scenario& s = ok(out);
  ASSERT_EQ(s.roles.size(), 5U);
  EXPECT_EQ(s.roles[0].kind, command::RoleKind::coordinator);
  EXPECT_EQ(s.roles[4].unit, "FU-B");
  ASSERT_EQ(s.zones.size(), 2U);
  EXPECT_EQ(s.zones[1].kind, command::ZoneKind::safe_corridor);
  EXPECT_EQ(s.zones[1].centreline.size(), 2U);  // the airway's points
  EXPECT_DOUBLE_EQ(s.zones[1].half_width_m, 10000.0);
  ASSERT_EQ(s.weapons_control.size(), 1U);
  EXPECT_EQ(s.weapons_control[0].wcs, command::Wcs::free);
  ASSERT_EQ(s.delegations.size(), 1U);
  EXPECT_EQ(s.delegations[0].threat, command::ThreatClass::cruise_missile);
  EXPECT_EQ(s.delegations[0].until, SimTime::from_s(500));
}

std::string chain_with(std::string_view from, std::string_view to) {
  std::string text(kChain);
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  return text;
}

TEST(Schema, BadChainsAndZonesAreRejectedWithAClearMessage) {
  // An unknown role.
  auto out = parse_with_minimal(chain_with("by: FU-B-CDR", "by: FU-C-CDR"));
  expect_error(out, "delegations[0].by", Errc::dangling_ref, 0, 0, "'FU-C-CDR' is not a defined role");
  // A zone that crosses itself.
  out = parse_with_minimal(chain_with("[[44.2, 21.7], [44.2, 22.1], [44.6, 22.1], [44.6, 21.7]]",
                                      "[[44.2, 21.7], [44.6, 22.1], [44.2, 22.1], [44.6, 21.7]]"));
  expect_error(out, "airspace.zones[0]", Errc::invalid_argument, 0, 0,
               "zone 'MEZ-B': edges 0-1 and 2-3 cross or touch; the polygon must be simple");
  // Delegation of the other party's unit by the wrong commander.
  out = parse_with_minimal(chain_with("{unit: FU-B, by: FU-B-CDR", "{unit: FU-B, by: FU-A-CDR"));
  expect_error(out, "roles", Errc::invalid_argument, 0, 0,
               "given by FU-A-CDR (fire unit commander, A), who does not command FU-B (B)");
  // A unit role of the other party.
  out = parse_with_minimal(chain_with("{id: FU-B-OP, party: B", "{id: FU-B-OP, party: A"));
  expect_error(out, "roles", Errc::invalid_argument, 0, 0, "FU-B-OP of A cannot serve fire unit FU-B of the other party B");
  // A coordinator of the directing party.
  out = parse_with_minimal(chain_with("{id: A-CINC, party: A", "{id: A-CINC, party: B"));
  expect_error(out, "roles", Errc::invalid_argument, 0, 0, "must belong to the lead party A");
  // Unknown words and misplaced keys.
  out = parse_with_minimal(chain_with("kind: fire_operator", "kind: gunner"));
  expect_error(out, "roles[4].kind", Errc::invalid_argument, 0, 0, "coordinator, air_defence_commander, unit_commander or fire_operator");
  out = parse_with_minimal(chain_with("airway: W1, half_width_m: 10000", "polygon: [[45, 17], [45, 18], [46, 18]], half_width_m: 10000"));
  expect_error(out, "airspace.zones[1].polygon", Errc::invalid_argument, 0, 0, "a safe corridor has a centreline, not a polygon");
  out = parse_with_minimal(chain_with("{zone: MEZ-B, party: B, status: free}", "{zone: MEZ-X, status: free}"));
  expect_error(out, "airspace.weapons_control[0].zone", Errc::dangling_ref, 0, 0, "'MEZ-X' is not a defined zone");
  out = parse_with_minimal(chain_with("until_s: 500", "until_s: 0"));
  expect_error(out, "delegations[0].until_s", Errc::invalid_argument, 0, 0, "until_s must be after from_s");
  out = parse_with_minimal(chain_with("half_width_m: 10000", "half_width_m: 0"));
  expect_error(out, "airspace.zones[1].half_width_m", Errc::invalid_argument, 0, 0, "");
}

TEST(Schema, PlotNeedsThreeVertices) {
  const auto out = parse_with_minimal("sites:\n  - {id: s, plot: [[44.3, 19.6], [44.31, 19.6]]}\n");
  expect_error(out, "sites[0].plot", Errc::invalid_argument, 8, 19, "a plot needs 3 to 1001 points, got 2");
}

TEST(Schema, PlotMustLieNearTheSitePosition) {
  const auto out = parse_with_minimal(
      "sites:\n  - {id: s, position: [45.0, 20.0], plot: [[44.3, 19.6], [44.3, 19.61], [44.31, 19.61]]}\n");
  expect_error(out, "sites[0].plot", Errc::invalid_argument, 8, 43, "km from the site position; at most 20 km");
}

TEST(Schema, SiteNeedsAPositionOrAPlot) {
  const auto out = parse_with_minimal("sites:\n  - {id: s, kind: mountain}\n");
  expect_error(out, "sites[0].position", Errc::missing_key, 8, 5, "a site needs 'position'");
}

TEST(Schema, PositionsAcceptBothForms) {
  const auto out = parse_with_minimal(
      "sites:\n  - {id: s1, position: [45.5, 20.25]}\n  - {id: s2, position: {lat_deg: -45, lon_deg: -170}}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.sites.size(), 2U);
  EXPECT_DOUBLE_EQ(s.sites[0].position.lon_deg, 20.25);
  EXPECT_DOUBLE_EQ(s.sites[1].position.lat_deg, -45.0);
}

TEST(Schema, PositionsAreRangeChecked) {
  const auto out = parse_with_minimal("sites:\n  - {id: s1, position: [95, 20]}\n  - {id: s2, position: [1, 2, 3]}\n");
  expect_error(out, "sites[0].position[0]", Errc::invalid_argument, 8, 25, "allowed: [-90, 90]");
  expect_error(out, "sites[1].position", Errc::invalid_argument, 9, 24, "got a sequence of 3 items");
}

// --- ids and references -----------------------------------------------------------------------------

TEST(Schema, DuplicateIdsAcrossSectionsAreRejected) {
  const auto out = parse_with_minimal(
      "sites:\n"
      "  - {id: S1, position: [45, 20]}\n"
      "sensors:\n"
      "  - {id: S1, type: adsb_receiver, party: A, site: S1}\n");
  expect_error(out, "sensors[0].id", Errc::duplicate_id, 10, 10,
               "id 'S1' is already used by the site at sites[0].id (line 8)");
}

TEST(Schema, PartyIdsShareTheNamespace) {
  const auto out = parse_with_minimal("defended_assets:\n  - {id: A, position: [45, 20]}\n");
  expect_error(out, "defended_assets[0].id", Errc::duplicate_id, 8, 10, "already used by the party at parties[0].id");
}

TEST(Schema, DanglingReferencesNameTheNearestId) {
  const auto out = parse_with_minimal(
      "sites:\n"
      "  - {id: base_main, position: [45, 20]}\n"
      "sensors:\n"
      "  - {id: R1, type: radar, party: C, site: base_mian}\n");
  expect_error(out, "sensors[0].party", Errc::dangling_ref, 10, 34, "'C' is not a defined party; defined: A, B");
  expect_error(out, "sensors[0].site", Errc::dangling_ref, 10, 43,
               "'base_mian' is not a defined site; did you mean 'base_main'?");
}

TEST(Schema, ReferenceToAnIdOfAnotherKindSaysSo) {
  const auto out = parse_with_minimal(
      "sites:\n  - {id: S1, position: [45, 20]}\nfire_units:\n  - {id: FU1, party: S1, site: S1}\n");
  expect_error(out, "fire_units[0].party", Errc::dangling_ref, 10, 22, "(it is the id of a site)");
}

TEST(Schema, InvalidIdCharacters) {
  const auto out = parse_with_minimal("sites:\n  - {id: \"a b\", position: [45, 20]}\n");
  expect_error(out, "sites[0].id", Errc::invalid_argument, 8, 10, "outside A-Z a-z 0-9 _ - .");
}

// --- terrain ------------------------------------------------------------------------------------------

TEST(Schema, SyntheticTerrainIsRead) {
  const auto out = parse_with_minimal(
      "terrain:\n"
      "  type: synthetic\n"
      "  seed: 9\n"
      "  south_lat_deg: 44\n"
      "  north_lat_deg: 45\n"
      "  west_lon_deg: 19\n"
      "  east_lon_deg: 20.5\n"
      "  resolution_m: 1000\n"
      "  ridges: [{axis: [[44.5, 19], [44.5, 20.5]], peak_min_m: 3000, peak_max_m: 4000}]\n"
      "  valleys: [{from: [44.9, 19.7], to: [44.1, 19.7], floor_m: 400}]\n");
  const Scenario& s = ok(out);
  const auto* t = std::get_if<world::SyntheticTerrainParams>(&s.terrain);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->seed, 9U);
  ASSERT_EQ(t->ridges.size(), 1U);
  EXPECT_DOUBLE_EQ(t->ridges[0].peak_max_m, 4000.0);
  EXPECT_DOUBLE_EQ(t->ridges[0].half_width_m, 30000.0);
  ASSERT_EQ(t->valleys.size(), 1U);
  EXPECT_DOUBLE_EQ(t->valleys[0].floor_m, 400.0);
}

TEST(Schema, TerrainBoundsAndGridSizeAreChecked) {
  const auto out = parse_with_minimal(
      "terrain:\n"
      "  type: synthetic\n"
      "  south_lat_deg: 45\n"
      "  north_lat_deg: 44\n"
      "  west_lon_deg: 19\n"
      "  east_lon_deg: 20\n");
  expect_error(out, "terrain.north_lat_deg", Errc::invalid_argument, 10, 18, "must be greater than south_lat_deg");
  const auto big = parse_with_minimal(
      "terrain: {type: synthetic, south_lat_deg: 30, north_lat_deg: 49, west_lon_deg: 0, east_lon_deg: 19, "
      "resolution_m: 100}\n");
  expect_error(big, "terrain.resolution_m", Errc::invalid_argument, 7, 115, "cells; at most 16000000 allowed");
}

TEST(Schema, RidgePeaksMustBeOrdered) {
  const auto out = parse_with_minimal(
      "terrain:\n"
      "  type: synthetic\n"
      "  south_lat_deg: 44\n  north_lat_deg: 45\n  west_lon_deg: 19\n  east_lon_deg: 20\n"
      "  ridges:\n"
      "    - axis: [[44.5, 19], [44.5, 20]]\n"
      "      peak_min_m: 5000\n"
      "      peak_max_m: 4000\n");
  expect_error(out, "terrain.ridges[0].peak_max_m", Errc::invalid_argument, 16, 19, "must not be below peak_min_m");
}

TEST(Schema, TerrainTypeIsRequiredAndSuggested) {
  expect_error(parse_with_minimal("terrain: {height_m: 5}\n"), "terrain.type", Errc::missing_key, 7, 10,
               "missing required key 'type' (flat, synthetic or dem)");
  expect_error(parse_with_minimal("terrain: {type: synthetc}\n"), "terrain.type", Errc::invalid_argument, 7, 17,
               "did you mean 'synthetic'?");
  expect_error(parse_with_minimal("terrain: {type: flat, path: x.tif}\n"), "terrain.path", Errc::unknown_key, 7, 23,
               "unknown key 'path' in a flat terrain");
}

TEST(Schema, DemPathIsResolvedAgainstTheBaseDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "jrads_schema_dem";
  std::filesystem::create_directories(dir / "dem");
  std::ofstream(dir / "dem" / "tile.hgt") << "x";
  const std::string text = std::string(minimal_yaml) + "terrain: {type: dem, path: dem/tile.hgt}\n";
  const auto out = parse_scenario(text, "test.yaml", dir.string());
  const Scenario& s = ok(out);
  const auto* dem = std::get_if<world::DemTerrainParams>(&s.terrain);
  ASSERT_NE(dem, nullptr);
  EXPECT_EQ(dem->path, (dir / "dem" / "tile.hgt").string());
  const auto missing = parse_scenario(std::string(minimal_yaml) + "terrain: {type: dem, path: dem/none.tif}\n",
                                      "test.yaml", dir.string());
  expect_error(missing, "terrain.path", Errc::io_error, 7, 28, "no such file");
  std::filesystem::remove_all(dir);
}

TEST(Schema, AdsbJitterMustBeBelowTheInterval) {
  expect_error(parse_with_minimal("adsb: {mean_interval_s: 1, jitter_s: 1}\n"), "adsb.jitter_s", Errc::invalid_argument,
               7, 38, "must be less than mean_interval_s");
}

// --- sensors --------------------------------------------------------------------------------------------

constexpr std::string_view sites_yaml =
    "sites:\n"
    "  - {id: S1, position: [45, 20]}\n"
    "sensors:\n";  // lines 7-9; sensors start at line 10

TEST(Schema, RadarIsReadWithDefaults) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - {id: R1, type: radar, party: A, site: S1, band: X, scan_period_s: 4,\n"
                                      "     registration: {azimuth_bias_deg: 0.5}}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.sensors.size(), 1U);
  const auto* r = std::get_if<sensors::RadarParams>(&s.sensors[0]);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "R1");
  EXPECT_EQ(r->party, "A");
  EXPECT_EQ(r->band, "X");
  EXPECT_DOUBLE_EQ(r->scan_period_s, 4.0);
  EXPECT_DOUBLE_EQ(r->antenna.lat_deg, 45.0);
  EXPECT_DOUBLE_EQ(r->antenna.height_agl_m, 10.0);
  EXPECT_DOUBLE_EQ(r->reference_range_m, 100000.0);
  EXPECT_DOUBLE_EQ(r->registration.azimuth_bias_deg, 0.5);
}

// Each sensor's reports carry a label: SECRET and shared with every party unless the
// scenario says otherwise; need-to-know AIR-PICTURE and SENSORS; originated by its party.
TEST(Schema, SensorReportLabelsHaveDefaultsAndAreChecked) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - {id: R1, type: radar, party: A, site: S1}\n"
                                      "  - {id: R2, type: radar, party: B, site: S1, classification: confidential,\n"
                                      "     releasable_to: []}\n"
                                      "  - {id: I1, type: iff, party: B, site: S1, releasable_to: [A]}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.sensors.size(), 3U);
  const auto& r1 = std::get<sensors::RadarParams>(s.sensors[0]).label;
  EXPECT_EQ(r1.level, security::Level::secret);
  EXPECT_EQ(r1.originator, 0);
  EXPECT_EQ(r1.rel, 0b11u);
  EXPECT_EQ(r1.categories, security::category_bit(security::Category::air_picture) |
                               security::category_bit(security::Category::sensors));
  const auto& r2 = std::get<sensors::RadarParams>(s.sensors[1]).label;
  EXPECT_EQ(r2.level, security::Level::confidential);
  EXPECT_EQ(r2.originator, 1);
  EXPECT_EQ(r2.rel, 0u);  // B's alone
  const auto& i1 = std::get<sensors::IffParams>(s.sensors[2]).label;
  EXPECT_EQ(i1.rel, 0b01u);
  const auto bad_level = parse_with_minimal(std::string(sites_yaml) +
                                            "  - {id: R1, type: radar, party: A, site: S1, classification: cosmic}\n");
  ASSERT_NE(test::error_at(bad_level, "sensors[0].classification"), nullptr) << test::all_errors(bad_level);
  const auto bad_party = parse_with_minimal(std::string(sites_yaml) +
                                            "  - {id: R1, type: radar, party: A, site: S1, releasable_to: [C]}\n");
  ASSERT_NE(test::error_at(bad_party, "sensors[0].releasable_to[0]"), nullptr) << test::all_errors(bad_party);
}

TEST(Schema, SensorTypeIsRequired) {
  const auto out = parse_with_minimal(std::string(sites_yaml) + "  - {id: R1, party: A, site: S1}\n");
  expect_error(out, "sensors[0].type", Errc::missing_key, 10, 5, "missing required key 'type' (radar, iff or adsb_receiver)");
  const auto typo = parse_with_minimal(std::string(sites_yaml) + "  - {id: R1, type: rader, party: A, site: S1}\n");
  expect_error(typo, "sensors[0].type", Errc::invalid_argument, 10, 20, "did you mean 'radar'?");
}

TEST(Schema, KeysOfAnotherSensorTypeAreUnknown) {
  const auto out = parse_with_minimal(std::string(sites_yaml) + "  - {id: I1, type: iff, party: A, site: S1, band: S}\n");
  expect_error(out, "sensors[0].band", Errc::unknown_key, 10, 45, "unknown key 'band' in an IFF interrogator; it applies to sensors of type: radar");
}

TEST(Schema, SensorNeedsExactlyOnePlace) {
  const auto both = parse_with_minimal(std::string(sites_yaml) +
                                       "  - {id: R1, type: radar, party: A, site: S1, position: [45, 20]}\n");
  expect_error(both, "sensors[0].position", Errc::invalid_argument, 10, 57, "give only one of site or position");
  const auto none = parse_with_minimal(std::string(sites_yaml) + "  - {id: R1, type: radar, party: A}\n");
  expect_error(none, "sensors[0].site", Errc::missing_key, 10, 5, "needs 'site'");
}

TEST(Schema, RadarRangesAreChecked) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - id: R1\n"
                                      "    type: radar\n"
                                      "    party: A\n"
                                      "    site: S1\n"
                                      "    scan_period_s: -3\n"
                                      "    reference_pd: 1\n"
                                      "    min_range_m: 5000\n"
                                      "    max_range_m: 4000\n"
                                      "    min_elevation_deg: 10\n"
                                      "    max_elevation_deg: 5\n"
                                      "    band: Q\n"
                                      "    start_azimuth_deg: 360\n");
  expect_error(out, "sensors[0].scan_period_s", Errc::invalid_argument, 14, 20, "allowed: [0.001, 600]");
  expect_error(out, "sensors[0].reference_pd", Errc::invalid_argument, 15, 19, "allowed: (0, 1)");
  expect_error(out, "sensors[0].min_range_m", Errc::invalid_argument, 16, 18, "must be less than max_range_m");
  expect_error(out, "sensors[0].max_elevation_deg", Errc::invalid_argument, 19, 24, "must be less than max_elevation_deg");
  expect_error(out, "sensors[0].band", Errc::invalid_argument, 20, 11, "expected one of HF, VHF, UHF, L, S, C, X, Ku, K or Ka");
  expect_error(out, "sensors[0].start_azimuth_deg", Errc::invalid_argument, 21, 24, "allowed: [0, 360)");
}

TEST(Schema, ReferencePdMustExceedPfaAndScansLastAMillisecond) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - {id: R1, type: radar, party: A, site: S1, pfa: 0.1, reference_pd: 0.05}\n"
                                      "  - {id: R2, type: radar, party: A, site: S1, scan_period_s: 1e-10}\n"
                                      "  - {id: I1, type: iff, party: A, site: S1, scan_period_s: 0.0001}\n");
  expect_error(out, "sensors[0].reference_pd", Errc::invalid_argument, 10, 71, "must be greater than pfa (0.1)");
  expect_error(out, "sensors[1].scan_period_s", Errc::invalid_argument, 11, 62, "allowed: [0.001, 600]");
  expect_error(out, "sensors[2].scan_period_s", Errc::invalid_argument, 12, 60, "allowed: [0.001, 600]");
}

TEST(Schema, TruthStepIsAMultipleOfTheMotionStep) {
  const auto bad = parse_with_minimal("truth_step_s: 0.1\n");
  expect_error(bad, "truth_step_s", Errc::invalid_argument, 7, 15, "must be a multiple of the 0.25 s motion step");
  const auto good = parse_with_minimal("truth_step_s: 0.75\n");
  ASSERT_TRUE(good.errors.empty()) << test::all_errors(good);
  EXPECT_DOUBLE_EQ(good.scenario->world.truth_step_s, 0.75);
}

TEST(Schema, RegistrationUnknownKey) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - {id: R1, type: radar, party: A, site: S1, registration: {azimuth_bias: 1}}\n");
  expect_error(out, "sensors[0].registration.azimuth_bias", Errc::unknown_key, 10, 62, "did you mean 'azimuth_bias_deg'?");
}

TEST(Schema, IffAndAdsbReceiversAreRead) {
  const auto out = parse_with_minimal(std::string(sites_yaml) +
                                      "  - {id: I1, type: iff, party: A, site: S1, p_miss: 0.1}\n"
                                      "  - {id: X1, type: adsb_receiver, party: B, position: [44, 19], p_receive: 0.9}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.sensors.size(), 2U);
  EXPECT_DOUBLE_EQ(std::get<sensors::IffParams>(s.sensors[0]).p_miss, 0.1);
  EXPECT_DOUBLE_EQ(std::get<sensors::AdsbReceiverParams>(s.sensors[1]).p_receive, 0.9);
  EXPECT_EQ(std::get<sensors::AdsbReceiverParams>(s.sensors[1]).party, "B");
}

// --- traffic ------------------------------------------------------------------------------------------

constexpr std::string_view airway_yaml =
    "airways:\n"
    "  - {id: W1, points: [[45, 19], [45.5, 20], [46, 21]]}\n"
    "flights:\n";  // lines 7-9; flights start at line 10

TEST(Schema, FlightsExpandAlongTheirAirway) {
  const auto out = parse_with_minimal(
      std::string(airway_yaml) +
      "  - {callsign: ABC123, airway: W1, flight_level: 350, speed_mps: 240, start_time_s: 60, icao: 3c65a1, "
      "squawk: 2471}\n"
      "  - {callsign: ABC124, id: F2, airway: W1, reverse: true, alt_m: 11000, icao: 3C65A2, adsb_out: false}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.world.platforms.size(), 2U);
  const auto& f1 = s.world.platforms[0];
  EXPECT_EQ(f1.id, "ABC123");
  EXPECT_EQ(f1.category, world::Category::civil);
  EXPECT_EQ(f1.kind, world::PlatformKind::airliner);
  ASSERT_EQ(f1.route.size(), 3U);
  EXPECT_NEAR(*f1.route[0].alt_m, 35000 * 0.3048, 1e-9);
  EXPECT_DOUBLE_EQ(f1.route[2].lon_deg, 21.0);
  EXPECT_DOUBLE_EQ(f1.route[1].speed_mps, 240.0);
  EXPECT_DOUBLE_EQ(f1.start_time_s, 60.0);
  EXPECT_EQ(*f1.transponder.icao, 0x3C65A1U);
  EXPECT_EQ(*f1.transponder.squawk, 2471);
  EXPECT_TRUE(f1.transponder.adsb_out);
  EXPECT_DOUBLE_EQ(f1.rcs_dbsm, 20.0);
  const auto& f2 = s.world.platforms[1];
  EXPECT_EQ(f2.id, "F2");
  EXPECT_DOUBLE_EQ(f2.route[0].lon_deg, 21.0);
  EXPECT_DOUBLE_EQ(*f2.route[0].alt_m, 11000.0);
  EXPECT_DOUBLE_EQ(f2.route[0].speed_mps, 230.0);
  EXPECT_FALSE(f2.transponder.adsb_out);
  EXPECT_FALSE(f2.transponder.squawk.has_value());
}

TEST(Schema, BadIcaoAndSquawk) {
  const auto out = parse_with_minimal(std::string(airway_yaml) +
                                      "  - {callsign: A1, airway: W1, flight_level: 350, icao: 3C65A, squawk: 2481}\n"
                                      "  - {callsign: A2, airway: W1, flight_level: 350, icao: 3C65AG, squawk: 12345}\n"
                                      "  - {callsign: A3, airway: W1, flight_level: 350, icao: 000000, squawk: [1]}\n");
  expect_error(out, "flights[0].icao", Errc::invalid_argument, 10, 57, "expected an ICAO 24-bit address as 6 hex digits");
  expect_error(out, "flights[0].squawk", Errc::invalid_argument, 10, 72, "4 octal digits");
  expect_error(out, "flights[1].icao", Errc::invalid_argument, 11, 57, "got '3C65AG'");
  expect_error(out, "flights[1].squawk", Errc::invalid_argument, 11, 73, "got '12345'");
  expect_error(out, "flights[2].icao", Errc::invalid_argument, 12, 57, "000000 is not assignable");
  expect_error(out, "flights[2].squawk", Errc::invalid_argument, 12, 73, "got a sequence");
}

TEST(Schema, DuplicateIcaoIsRejected) {
  const auto out = parse_with_minimal(std::string(airway_yaml) +
                                      "  - {callsign: A1, airway: W1, flight_level: 350, icao: 3C65A1}\n"
                                      "  - {callsign: A2, airway: W1, flight_level: 370, icao: 3c65a1}\n");
  expect_error(out, "flights[1].icao", Errc::duplicate_id, 11, 57, "ICAO address 3C65A1 is already used by flights[0].icao");
}

TEST(Schema, FlightChecks) {
  const auto out = parse_with_minimal(std::string(airway_yaml) +
                                      "  - {callsign: A1, airway: W2, flight_level: 350, icao: 3C65A1}\n"
                                      "  - {callsign: A2, airway: W1, flight_level: 350, alt_m: 10000, icao: 3C65A2}\n"
                                      "  - {callsign: A3, airway: W1, icao: 3C65A3}\n"
                                      "  - {callsign: A4, airway: W1, flight_level: 350, icao: 3C65A4, start_time_s: 600}\n"
                                      "  - {callsign: a5, airway: W1, flight_level: 350, icao: 3C65A5, kind: fighter}\n");
  expect_error(out, "flights[0].airway", Errc::dangling_ref, 10, 28, "'W2' is not a defined airway; did you mean 'W1'?");
  expect_error(out, "flights[1].alt_m", Errc::invalid_argument, 11, 58, "give only one of flight_level or alt_m");
  expect_error(out, "flights[2].flight_level", Errc::missing_key, 12, 5, "a flight needs 'flight_level'");
  expect_error(out, "flights[3].start_time_s", Errc::invalid_argument, 13, 79,
               "start time 600 s is not before the end of the scenario (duration_s = 600)");
  expect_error(out, "flights[4].callsign", Errc::invalid_argument, 14, 16, "upper-case letters and digits");
  expect_error(out, "flights[4].kind", Errc::invalid_argument, 14, 71,
               "expected one of airliner, business_jet, light_aircraft, transport or helicopter");
}

TEST(Schema, AirwayLegsNeedALength) {
  const auto out = parse_with_minimal("airways:\n  - {id: W1, points: [[45, 19], [45, 19]]}\n");
  expect_error(out, "airways[0].points", Errc::invalid_argument, 8, 22, "points 0 and 1 coincide");
}

TEST(Schema, PlatformIsReadWithKindDefaults) {
  const auto out = parse_with_minimal(
      "platforms:\n"
      "  - id: D1\n"
      "    category: hostile\n"
      "    kind: drone\n"
      "    start_time_s: 10\n"
      "    agl_m: 150\n"
      "    route:\n"
      "      - [45.0, 20.0]\n"
      "      - {lat_deg: 44.5, lon_deg: 20.0, alt_m: 900, speed_mps: 30}\n"
      "    transponder: {icao: ABCDEF, adsb_out: true, mode5_equipped: false}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.world.platforms.size(), 1U);
  const auto& p = s.world.platforms[0];
  EXPECT_EQ(p.category, world::Category::hostile);
  EXPECT_DOUBLE_EQ(p.rcs_dbsm, -15.0);
  EXPECT_EQ(p.swerling, 3);
  EXPECT_DOUBLE_EQ(p.performance.max_turn_rate_dps, 10.0);
  ASSERT_EQ(p.route.size(), 2U);
  EXPECT_FALSE(p.route[0].alt_m.has_value());
  EXPECT_DOUBLE_EQ(*p.route[0].agl_m, 150.0);
  EXPECT_DOUBLE_EQ(p.route[0].speed_mps, 40.0);
  EXPECT_DOUBLE_EQ(*p.route[1].alt_m, 900.0);
  EXPECT_FALSE(p.route[1].agl_m.has_value());
  EXPECT_DOUBLE_EQ(p.route[1].speed_mps, 30.0);
  EXPECT_TRUE(p.transponder.adsb_out);
}

TEST(Schema, PlatformChecks) {
  const auto out = parse_with_minimal(
      "platforms:\n"
      "  - {id: P1, category: friend, kind: fighter, route: [[45, 20], [45, 21]]}\n"
      "  - {id: P2, category: friend, kind: fighter, alt_m: 5000, route: [[45, 20]]}\n"
      "  - {id: P3, category: friend, kind: fighter, alt_m: 5000, agl_m: 100, route: [[45, 20], [45, 21]]}\n"
      "  - {id: P4, category: civil, kind: airliner, alt_m: 5000, route: [[45, 20], [45, 21]], swerling: 2}\n"
      "  - {id: P5, category: civil, kind: airliner, alt_m: 5000, route: [[45, 20], [45, 21]], spoof: {icao: 3C65A1}}\n"
      "  - {id: P6, category: friend, kind: fighter, alt_m: 5000, route: [[45, 20], [45, 21]], transponder: {adsb_out: "
      "true}}\n"
      "  - {id: P7, category: frend, kind: jet, alt_m: 5000, route: [[45, 20], [45, 20]]}\n");
  expect_error(out, "platforms[0].route[0]", Errc::missing_key, 8, 55, "takes its height from the platform's 'alt_m' or 'agl_m'");
  expect_error(out, "platforms[1].route", Errc::invalid_argument, 9, 67, "a route needs at least 2 waypoints, got 1");
  expect_error(out, "platforms[2].agl_m", Errc::invalid_argument, 10, 67, "give only one of alt_m or agl_m");
  expect_error(out, "platforms[3].swerling", Errc::invalid_argument, 11, 99, "Swerling case 2 is not modelled; allowed: 0, 1 or 3");
  expect_error(out, "platforms[4].spoof", Errc::invalid_argument, 12, 96, "only a hostile platform may spoof ADS-B");
  expect_error(out, "platforms[5].transponder.adsb_out", Errc::missing_key, 13, 113, "ADS-B out needs the transponder's 'icao'");
  expect_error(out, "platforms[6].category", Errc::invalid_argument, 14, 24, "did you mean 'friend'?");
  expect_error(out, "platforms[6].kind", Errc::invalid_argument, 14, 37, "expected one of airliner");
  expect_error(out, "platforms[6].route[1]", Errc::invalid_argument, 14, 73, "same place as the one before");
}

TEST(Schema, WaypointMapChecks) {
  const auto out = parse_with_minimal(
      "platforms:\n"
      "  - id: P1\n"
      "    category: hostile\n"
      "    kind: cruise_missile\n"
      "    route:\n"
      "      - {lat_deg: 45, lon_deg: 20, alt_m: 100, agl_m: 50}\n"
      "      - {lat_deg: 45, lon: 21, agl_m: 50}\n"
      "      - {lat_deg: 45, lon_deg: 22}\n"
      "      - {lat_deg: 45, lon_deg: 23, agl_m: 0}\n");
  expect_error(out, "platforms[0].route[0].agl_m", Errc::invalid_argument, 12, 55, "give only one of alt_m or agl_m");
  expect_error(out, "platforms[0].route[1].lon", Errc::unknown_key, 13, 23, "did you mean 'lon_deg'?");
  expect_error(out, "platforms[0].route[1].lon_deg", Errc::missing_key, 13, 9, "missing required key 'lon_deg'");
  expect_error(out, "platforms[0].route[2].alt_m", Errc::missing_key, 14, 9, "a waypoint needs 'alt_m' or 'agl_m'");
  expect_error(out, "platforms[0].route[3].agl_m", Errc::invalid_argument, 15, 43, "allowed: (0, 30000]");
}

TEST(Schema, RaidsGroupHostilesWithACommonStart) {
  const auto out = parse_with_minimal(
      "raids:\n"
      "  - id: R1\n"
      "    start_time_s: 100\n"
      "    platforms:\n"
      "      - {id: H1, kind: cruise_missile, agl_m: 80, route: [[46, 20], [45, 20]]}\n"
      "      - {id: H2, kind: fighter, start_offset_s: 50, alt_m: 9000, route: [[46, 20], [45, 20]],\n"
      "         spoof: {icao: 3C65A1, offset_east_m: 10000}}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.world.platforms.size(), 2U);
  EXPECT_EQ(s.world.platforms[0].category, world::Category::hostile);
  EXPECT_DOUBLE_EQ(s.world.platforms[0].start_time_s, 100.0);
  EXPECT_DOUBLE_EQ(s.world.platforms[1].start_time_s, 150.0);
  ASSERT_TRUE(s.world.platforms[1].spoof.has_value());
  EXPECT_EQ(s.world.platforms[1].spoof->icao, 0x3C65A1U);
  EXPECT_DOUBLE_EQ(s.world.platforms[1].spoof->offset_east_m, 10000.0);
}

TEST(Schema, RaidChecks) {
  const auto out = parse_with_minimal(
      "raids:\n"
      "  - id: R1\n"
      "    start_time_s: 500\n"
      "    platforms:\n"
      "      - {id: H1, kind: drone, agl_m: 80, start_offset_s: 100, route: [[46, 20], [45, 20]]}\n"
      "      - {id: H2, category: friend, kind: drone, agl_m: 80, route: [[46, 20], [45, 20]]}\n"
      "      - {id: H3, kind: drone, agl_m: 80, start_time_s: 5, route: [[46, 20], [45, 20]]}\n"
      "  - id: R2\n"
      "    platforms: []\n");
  expect_error(out, "raids[0].platforms[0].start_offset_s", Errc::invalid_argument, 11, 58,
               "start time 600 s is not before the end of the scenario");
  expect_error(out, "raids[0].platforms[1].category", Errc::invalid_argument, 12, 28, "every platform of a raid is hostile");
  expect_error(out, "raids[0].platforms[2].start_time_s", Errc::unknown_key, 13, 42,
               "a raid's platforms start at the raid's start_time_s; use start_offset_s");
  expect_error(out, "raids[1].start_time_s", Errc::missing_key, 14, 5, "missing required key 'start_time_s'");
  expect_error(out, "raids[1].platforms", Errc::invalid_argument, 15, 16, "a raid needs at least one platform");
}

// --- assets and fire units ------------------------------------------------------------------------------

TEST(Schema, DefendedAssetsAndFireUnits) {
  const auto out = parse_with_minimal(
      "sites:\n  - {id: S1, position: [45, 20]}\n"
      "defended_assets:\n  - {id: D1, site: S1, priority: 2}\n"
      "fire_units:\n  - {id: FU1, party: A, site: S1, type: short_range, missiles: 6, max_range_m: 10000, notes: [anything, {goes: here}]}\n");
  const Scenario& s = ok(out);
  ASSERT_EQ(s.world.defended_assets.size(), 1U);
  EXPECT_EQ(s.world.defended_assets[0].name, "D1");
  EXPECT_EQ(s.world.defended_assets[0].priority, 2);
  EXPECT_DOUBLE_EQ(s.world.defended_assets[0].radius_m, 5000.0);
  ASSERT_EQ(s.fire_units.size(), 1U);
  EXPECT_EQ(s.fire_units[0].site, "S1");
  EXPECT_EQ(s.fire_units[0].party, "A");
  // The type's notional envelope, with the overrides given.
  EXPECT_EQ(s.fire_units[0].envelope.type, engage::FireUnitType::short_range);
  EXPECT_DOUBLE_EQ(s.fire_units[0].envelope.max_range_m, 10000.0);
  EXPECT_DOUBLE_EQ(s.fire_units[0].envelope.min_range_m, engage::notional_envelope(engage::FireUnitType::short_range).min_range_m);
  EXPECT_EQ(s.fire_units[0].missiles, 6);
  EXPECT_EQ(s.fire_units[0].channels, 2);
}

TEST(Schema, BadFireUnitEnvelopesAreRejected) {
  const std::string head = "sites:\n  - {id: S1, position: [45, 20]}\nfire_units:\n";
  auto out = parse_with_minimal(head + "  - {id: FU1, party: A, site: S1, type: medium}\n");
  expect_error(out, "fire_units[0].type", Errc::invalid_argument, 0, 0, "long_range, medium_range, short_range or point_defence");
  out = parse_with_minimal(head + "  - {id: FU1, party: A, site: S1, type: short_range, min_range_m: 20000}\n");
  expect_error(out, "fire_units[0]", Errc::invalid_argument, 0, 0, "0 <= min_range_m < max_range_m");
  out = parse_with_minimal(head + "  - {id: FU1, party: A, site: S1, min_altitude_m: 9000, max_altitude_m: 8000}\n");
  expect_error(out, "fire_units[0]", Errc::invalid_argument, 0, 0, "min_alt_m must be below max_alt_m");
  out = parse_with_minimal(head + "  - {id: FU1, party: A, site: S1, interceptor_speed_mps: 0}\n");
  expect_error(out, "fire_units[0].interceptor_speed_mps", Errc::invalid_argument, 0, 0, "");
  out = parse_with_minimal(head + "  - {id: FU1, party: A, site: S1, missiles: -1}\n");
  expect_error(out, "fire_units[0].missiles", Errc::invalid_argument, 0, 0, "");
}

TEST(Schema, FireUnitUnknownKeyAndPriorityRange) {
  const auto out = parse_with_minimal(
      "sites:\n  - {id: S1, position: [45, 20]}\n"
      "defended_assets:\n  - {id: D1, site: S1, priority: 11}\n"
      "fire_units:\n  - {id: FU1, party: A, site: S1, missles: 8}\n");
  expect_error(out, "defended_assets[0].priority", Errc::invalid_argument, 10, 34, "allowed: [1, 10]");
  expect_error(out, "fire_units[0].missles", Errc::unknown_key, 12, 35, "did you mean 'missiles'?");
}


// --- the closed engagement loop: fire unit links, doctrine, operators, automatic engagement -----------

// Parties A (coordinating) and B (directing). The sections that refer to roles and zones come
// before them in the file: references resolve whatever the order of the sections.
constexpr std::string_view kLoop =
    "sites:\n"
    "  - {id: sa, position: [44.3, 19.6]}\n"
    "  - {id: sb, position: [44.4, 21.9]}\n"
    "sensors:\n"
    "  - {id: RA, type: radar, party: A, site: sa}\n"
    "  - {id: RB, type: radar, party: B, site: sb}\n"
    "  - {id: IB, type: iff, party: B, site: sb}\n"
    "  - {id: XB, type: adsb_receiver, party: B, site: sb}\n"
    "fire_units:\n"
    "  - {id: FU-A, party: A, site: sa, mezs: [MEZ-A], linked_sensors: [RA, RB], ready_from_s: 30}\n"
    "  - {id: FU-B, party: B, site: sb, mezs: [MEZ-B, MEZ-A]}\n"
    "engagement: {cycle_s: 4, shoot_look_shoot: false, kill_assessment_s: 30, max_rounds_per_target: 3}\n"
    "operators:\n"
    "  - {role: FU-A-CDR, decision_delay_s: 8, delay_jitter_s: 4, policy: approve}\n"
    "  - {role: B-ADC, decision_delay_s: 0, delay_jitter_s: 600, policy: deny}\n"
    "  - {role: FU-B-CDR}\n"
    "auto_engagements:\n"
    "  - {unit: FU-B, by: FU-B-CDR, zone: MEZ-B, threat: drone, from_s: 60, until_s: 500}\n"
    "  - {unit: FU-B, by: B-ADC, zone: CA, threat: cruise_missile}\n"
    "  - {unit: FU-A, by: A-CINC, zone: MEZ-A, threat: ballistic_missile}\n"
    "roles:\n"
    "  - {id: A-CINC, party: A, kind: coordinator}\n"
    "  - {id: B-ADC, party: B, kind: air_defence_commander}\n"
    "  - {id: FU-A-CDR, party: A, kind: unit_commander, unit: FU-A}\n"
    "  - {id: FU-B-CDR, party: B, kind: unit_commander, unit: FU-B}\n"
    "  - {id: FU-B-OP, party: B, kind: fire_operator, unit: FU-B}\n"
    "airspace:\n"
    "  zones:\n"
    "    - {id: MEZ-A, kind: missile_engagement_zone, polygon: [[44.2, 19.5], [44.2, 19.7], [44.4, 19.7], [44.4, 19.5]]}\n"
    "    - {id: MEZ-B, kind: missile_engagement_zone, polygon: [[44.2, 21.7], [44.2, 22.1], [44.6, 22.1], [44.6, 21.7]]}\n"
    "    - {id: NFA-B, kind: no_fire_area, polygon: [[44.3, 21.8], [44.3, 21.9], [44.4, 21.9], [44.4, 21.8]]}\n"
    "    - {id: COR, kind: safe_corridor, centreline: [[45, 17], [45, 23]], half_width_m: 10000}\n"
    "    - {id: CA, kind: control_area, polygon: [[44.0, 19.0], [44.0, 22.5], [44.8, 22.5], [44.8, 19.0]]}\n";

// The full text (test::minimal_yaml first) with the first `from` in kLoop replaced by `to`.
std::string loop_with(std::string_view from, std::string_view to) {
  std::string text(kLoop);
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return std::string(test::minimal_yaml) + text;
}

struct Place {
  int line = 0;
  int column = 0;
};
// The 1-based line and column of the first occurrence of needle in text, moved on by offset
// characters (to point past a key at its value).
Place place_of(std::string_view text, std::string_view needle, std::size_t offset = 0) {
  const auto pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << needle;
  if (pos == std::string::npos) return {};
  const std::size_t at = pos + offset;
  const auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  Place p;
  p.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  p.column = static_cast<int>(line_start == std::string_view::npos ? at + 1 : at - line_start);
  return p;
}

// Parses the variant and expects one error at path, at the place of needle (+ offset).
void expect_loop_error(std::string_view from, std::string_view to, std::string_view path, Errc code,
                       std::string_view needle, std::size_t offset, std::string_view message) {
  const std::string text = loop_with(from, to);
  const Place at = place_of(text, needle, offset);
  SCOPED_TRACE(std::string(to));
  expect_error(parse(text), path, code, at.line, at.column, message);
}

TEST(Schema, ClosedLoopKeysAreRead) {
  const auto out = parse(loop_with("", ""));
  const Scenario& s = ok(out);
  ASSERT_EQ(s.fire_units.size(), 2U);
  EXPECT_EQ(s.fire_units[0].mezs, std::vector<std::string>{"MEZ-A"});
  // A radar of the other party may give fire-control data too.
  EXPECT_EQ(s.fire_units[0].linked_sensors, (std::vector<std::string>{"RA", "RB"}));
  EXPECT_DOUBLE_EQ(s.fire_units[0].ready_from_s, 30.0);
  EXPECT_EQ(s.fire_units[1].mezs, (std::vector<std::string>{"MEZ-B", "MEZ-A"}));
  EXPECT_TRUE(s.fire_units[1].linked_sensors.empty());
  EXPECT_DOUBLE_EQ(s.fire_units[1].ready_from_s, 0.0);

  EXPECT_DOUBLE_EQ(s.engagement.cycle_s, 4.0);
  EXPECT_FALSE(s.engagement.shoot_look_shoot);
  EXPECT_DOUBLE_EQ(s.engagement.kill_assessment_s, 30.0);
  EXPECT_EQ(s.engagement.max_rounds_per_target, 3);

  ASSERT_EQ(s.operators.size(), 3U);
  EXPECT_EQ(s.operators[0].role, "FU-A-CDR");
  EXPECT_DOUBLE_EQ(s.operators[0].decision_delay_s, 8.0);
  EXPECT_DOUBLE_EQ(s.operators[0].delay_jitter_s, 4.0);
  EXPECT_EQ(s.operators[0].policy, node::OperatorPolicy::approve);
  EXPECT_EQ(s.operators[1].role, "B-ADC");
  EXPECT_DOUBLE_EQ(s.operators[1].decision_delay_s, 0.0);
  EXPECT_DOUBLE_EQ(s.operators[1].delay_jitter_s, 600.0);
  EXPECT_EQ(s.operators[1].policy, node::OperatorPolicy::deny);
  // Defaults of node::OperatorParams.
  const node::OperatorParams defaults;
  EXPECT_EQ(s.operators[2].role, "FU-B-CDR");
  EXPECT_DOUBLE_EQ(s.operators[2].decision_delay_s, defaults.decision_delay_s);
  EXPECT_DOUBLE_EQ(s.operators[2].delay_jitter_s, defaults.delay_jitter_s);
  EXPECT_EQ(s.operators[2].policy, node::OperatorPolicy::approve_hostile);

  ASSERT_EQ(s.auto_engagements.size(), 3U);
  const node::AutoEngagement& a0 = s.auto_engagements[0];
  EXPECT_EQ(a0.unit, "FU-B");
  EXPECT_EQ(a0.by, "FU-B-CDR");
  EXPECT_EQ(a0.zone, "MEZ-B");
  EXPECT_EQ(a0.threat, engage::ThreatClass::drone);
  EXPECT_EQ(a0.from, SimTime::from_s(60));
  EXPECT_EQ(a0.until, SimTime::from_s(500));
  // Delegated by the party's chain head, in a control area, for the whole run by default.
  const node::AutoEngagement& a1 = s.auto_engagements[1];
  EXPECT_EQ(a1.by, "B-ADC");
  EXPECT_EQ(a1.zone, "CA");
  EXPECT_EQ(a1.threat, engage::ThreatClass::cruise_missile);
  EXPECT_EQ(a1.from, SimTime::from_s(0));
  EXPECT_EQ(a1.until, SimTime::from_s(600));  // duration_s of test::minimal_yaml
  // The coordinator heads the coordinating party's chain.
  const node::AutoEngagement& a2 = s.auto_engagements[2];
  EXPECT_EQ(a2.unit, "FU-A");
  EXPECT_EQ(a2.by, "A-CINC");
  EXPECT_EQ(a2.threat, engage::ThreatClass::ballistic_missile);
}

TEST(Schema, ClosedLoopDefaultsWhenAbsent) {
  const node::EngagementRules rules;
  for (const std::string& text : {std::string(minimal_yaml) + std::string(kChain),
                                  std::string(minimal_yaml) + std::string(kChain) + "engagement: {}\noperators:\nauto_engagements: []\n"}) {
    const auto out = parse(text);
    const Scenario& s = ok(out);
    EXPECT_TRUE(s.operators.empty());
    EXPECT_TRUE(s.auto_engagements.empty());
    EXPECT_DOUBLE_EQ(s.engagement.cycle_s, rules.cycle_s);
    EXPECT_EQ(s.engagement.shoot_look_shoot, rules.shoot_look_shoot);
    EXPECT_DOUBLE_EQ(s.engagement.kill_assessment_s, rules.kill_assessment_s);
    EXPECT_EQ(s.engagement.max_rounds_per_target, rules.max_rounds_per_target);
    ASSERT_EQ(s.fire_units.size(), 2U);
    for (const FireUnit& f : s.fire_units) {
      EXPECT_TRUE(f.mezs.empty()) << f.id;
      EXPECT_TRUE(f.linked_sensors.empty()) << f.id;
      EXPECT_DOUBLE_EQ(f.ready_from_s, 0.0) << f.id;
    }
  }
  // The documented defaults.
  EXPECT_DOUBLE_EQ(rules.cycle_s, 2.0);
  EXPECT_TRUE(rules.shoot_look_shoot);
  EXPECT_DOUBLE_EQ(rules.kill_assessment_s, 20.0);
  EXPECT_EQ(rules.max_rounds_per_target, 2);
}

TEST(Schema, FireUnitMezsMustBeKnownEngagementZonesListedOnce) {
  expect_loop_error("mezs: [MEZ-A]", "mezs: [MEZ-X]", "fire_units[0].mezs[0]", Errc::dangling_ref, "MEZ-X]", 0,
                    "'MEZ-X' is not a defined zone; did you mean 'MEZ-A'?");
  expect_loop_error("mezs: [MEZ-A]", "mezs: [NFA-B]", "fire_units[0].mezs[0]", Errc::invalid_argument, "NFA-B]", 0,
                    "'NFA-B' is a no_fire_area, not a missile_engagement_zone");
  expect_loop_error("mezs: [MEZ-A]", "mezs: [CA]", "fire_units[0].mezs[0]", Errc::invalid_argument, "CA]", 0,
                    "'CA' is a control_area, not a missile_engagement_zone");
  expect_loop_error("mezs: [MEZ-B, MEZ-A]", "mezs: [MEZ-B, MEZ-B]", "fire_units[1].mezs[1]", Errc::duplicate_id,
                    "MEZ-B, MEZ-B", 7, "'MEZ-B' is listed twice (first at fire_units[1].mezs[0])");
  expect_loop_error("mezs: [MEZ-A]", "mezs: MEZ-A", "fire_units[0].mezs", Errc::invalid_argument, "mezs: MEZ-A", 6,
                    "expected a sequence of missile engagement zone ids, got the string 'MEZ-A'");
  expect_loop_error("mezs: [MEZ-A]", "mezs: [sa]", "fire_units[0].mezs[0]", Errc::dangling_ref, "sa]", 0,
                    "(it is the id of a site)");
  // Without an airspace there is no zone to name.
  const std::string full = loop_with("", "");
  const auto out = parse(full.substr(0, full.find("airspace:")));
  expect_error(out, "fire_units[0].mezs[0]", Errc::dangling_ref, 0, 0, "'MEZ-A' is not a defined zone; none is defined");
}

TEST(Schema, FireUnitLinkedSensorsMustBeRadarsListedOnce) {
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [RA, RX]", "fire_units[0].linked_sensors[1]",
                    Errc::dangling_ref, "RX]", 0, "'RX' is not a defined sensor");
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [IB]", "fire_units[0].linked_sensors[0]",
                    Errc::invalid_argument, "IB]", 0,
                    "'IB' is an IFF interrogator, not a radar; only a radar gives a fire unit fire-control data");
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [RA, XB]", "fire_units[0].linked_sensors[1]",
                    Errc::invalid_argument, "XB]", 0, "'XB' is an ADS-B receiver, not a radar");
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [RA, RA]", "fire_units[0].linked_sensors[1]",
                    Errc::duplicate_id, "RA, RA]", 4, "'RA' is listed twice (first at fire_units[0].linked_sensors[0])");
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [FU-A]", "fire_units[0].linked_sensors[0]",
                    Errc::dangling_ref, "FU-A]", 0, "'FU-A' is not a defined sensor (it is the id of a fire unit)");
  expect_loop_error("linked_sensors: [RA, RB]", "linked_sensors: [[RA]]", "fire_units[0].linked_sensors[0]",
                    Errc::invalid_argument, "[RA]]", 0, "expected the id of a sensor, got a sequence");
  // The key it supersedes.
  expect_loop_error("linked_sensors: [RA, RB]", "sensor: RA", "fire_units[0].sensor", Errc::unknown_key, "sensor: RA", 0,
                    "it is superseded by 'linked_sensors', a list of radar ids");
}

TEST(Schema, FireUnitReadyTimeIsFiniteAndNotNegative) {
  expect_loop_error("ready_from_s: 30", "ready_from_s: -1", "fire_units[0].ready_from_s", Errc::invalid_argument,
                    "ready_from_s: -1", 14, "value -1 is out of range; allowed: [0, 1000000000]");
  expect_loop_error("ready_from_s: 30", "ready_from_s: .inf", "fire_units[0].ready_from_s", Errc::invalid_argument,
                    "ready_from_s: .inf", 14, "expected a finite number");
  expect_loop_error("ready_from_s: 30", "ready_from_s: .nan", "fire_units[0].ready_from_s", Errc::invalid_argument,
                    "ready_from_s: .nan", 14, "expected a finite number");
  expect_loop_error("ready_from_s: 30", "ready_from_s: soon", "fire_units[0].ready_from_s", Errc::invalid_argument,
                    "ready_from_s: soon", 14, "expected a number in [0, 1000000000]");
}

TEST(Schema, EngagementRulesAreRangeChecked) {
  const std::string_view rules = "engagement: {cycle_s: 4, shoot_look_shoot: false, kill_assessment_s: 30, max_rounds_per_target: 3}";
  expect_loop_error(rules, "engagement: {cycle_s: 0.25}", "engagement.cycle_s", Errc::invalid_argument, "0.25", 0,
                    "value 0.25 is out of range; allowed: [0.5, 60]");
  expect_loop_error(rules, "engagement: {cycle_s: 61}", "engagement.cycle_s", Errc::invalid_argument, "61}", 0,
                    "allowed: [0.5, 60]");
  expect_loop_error(rules, "engagement: {kill_assessment_s: 0.5}", "engagement.kill_assessment_s", Errc::invalid_argument,
                    "0.5}", 0, "allowed: [1, 300]");
  expect_loop_error(rules, "engagement: {kill_assessment_s: 301}", "engagement.kill_assessment_s", Errc::invalid_argument,
                    "301}", 0, "allowed: [1, 300]");
  expect_loop_error(rules, "engagement: {max_rounds_per_target: 0}", "engagement.max_rounds_per_target",
                    Errc::invalid_argument, "max_rounds_per_target: 0}", 23, "allowed: [1, 10]");
  expect_loop_error(rules, "engagement: {max_rounds_per_target: 11}", "engagement.max_rounds_per_target",
                    Errc::invalid_argument, "11}", 0, "allowed: [1, 10]");
  expect_loop_error(rules, "engagement: {max_rounds_per_target: 1.5}", "engagement.max_rounds_per_target",
                    Errc::invalid_argument, "1.5}", 0, "expected an integer in [1, 10]");
  expect_loop_error(rules, "engagement: {shoot_look_shoot: yes}", "engagement.shoot_look_shoot", Errc::invalid_argument,
                    "yes}", 0, "expected true or false");
  expect_loop_error(rules, "engagement: {cycle_s: .nan}", "engagement.cycle_s", Errc::invalid_argument, ".nan}", 0,
                    "expected a finite number");
  expect_loop_error(rules, "engagement: {cycle: 2}", "engagement.cycle", Errc::unknown_key, "cycle: 2", 0,
                    "unknown key 'cycle' in the engagement rules; did you mean 'cycle_s'?");
  expect_loop_error(rules, "engagement: [2]", "engagement", Errc::invalid_argument, "[2]", 0,
                    "expected a mapping (the engagement rules)");
}

TEST(Schema, OperatorsNameEachKnownRoleOnce) {
  const std::string_view first = "{role: FU-A-CDR, decision_delay_s: 8, delay_jitter_s: 4, policy: approve}";
  expect_loop_error("{role: FU-A-CDR,", "{role: FU-X-CDR,", "operators[0].role", Errc::dangling_ref, "FU-X-CDR", 0,
                    "'FU-X-CDR' is not a defined role; did you mean");
  expect_loop_error("{role: FU-B-CDR}", "{role: FU-A-CDR}", "operators[2].role", Errc::duplicate_id, "{role: FU-A-CDR}", 7,
                    "role 'FU-A-CDR' already has an operator at operators[0].role (line 20); each role has at most one");
  expect_loop_error("{role: FU-B-CDR}", "{role: MEZ-A}", "operators[2].role", Errc::dangling_ref, "role: MEZ-A", 6,
                    "'MEZ-A' is not a defined role (it is the id of a zone)");
  expect_loop_error("{role: FU-B-CDR}", "{decision_delay_s: 5}", "operators[2].role", Errc::missing_key,
                    "{decision_delay_s: 5}", 0, "missing required key 'role'");
  expect_loop_error(first, "{role: FU-A-CDR, decision_delay_s: 601}", "operators[0].decision_delay_s",
                    Errc::invalid_argument, "601}", 0, "value 601 is out of range; allowed: [0, 600]");
  expect_loop_error(first, "{role: FU-A-CDR, decision_delay_s: -1}", "operators[0].decision_delay_s",
                    Errc::invalid_argument, "-1}", 0, "allowed: [0, 600]");
  expect_loop_error(first, "{role: FU-A-CDR, delay_jitter_s: .inf}", "operators[0].delay_jitter_s",
                    Errc::invalid_argument, ".inf}", 0, "expected a finite number in [0, 600]");
  expect_loop_error(first, "{role: FU-A-CDR, delay_jitter_s: 600.5}", "operators[0].delay_jitter_s",
                    Errc::invalid_argument, "600.5}", 0, "allowed: [0, 600]");
  expect_loop_error(first, "{role: FU-A-CDR, policy: approve_all}", "operators[0].policy", Errc::invalid_argument,
                    "approve_all}", 0, "'approve_all' is not allowed here; expected one of approve, approve_hostile or deny");
  expect_loop_error(first, "{role: FU-A-CDR, delay_s: 3}", "operators[0].delay_s", Errc::unknown_key, "delay_s: 3", 0,
                    "unknown key 'delay_s' in an operator");
}

TEST(Schema, AutomaticEngagementIsDelegatedOnlyByTheUnitsOwnChain) {
  const std::string_view row = "{unit: FU-B, by: FU-B-CDR,";
  // Another unit's commander, of the other party.
  expect_loop_error(row, "{unit: FU-B, by: FU-A-CDR,", "auto_engagements[0].by", Errc::invalid_argument,
                    "by: FU-A-CDR", 4,
                    "FU-A-CDR commands FU-A, not FU-B: only FU-B's commander or B's air defence commander (B-ADC) may "
                    "delegate its automatic engagement");
  // The coordinator heads the coordinating party's chain only.
  expect_loop_error(row, "{unit: FU-B, by: A-CINC,", "auto_engagements[0].by", Errc::invalid_argument, "by: A-CINC,", 4,
                    "A-CINC (coordinator) heads the chain of command of A, and FU-B belongs to B: only FU-B's commander "
                    "or B's air defence commander (B-ADC) may delegate");
  // The other party's chain head.
  expect_loop_error("{unit: FU-A, by: A-CINC,", "{unit: FU-A, by: B-ADC,", "auto_engagements[2].by",
                    Errc::invalid_argument, "by: B-ADC, zone: MEZ-A", 4,
                    "B-ADC (air defence commander) heads the chain of command of B, and FU-A belongs to A: only FU-A's "
                    "commander or A's chain head (the coordinator A-CINC) may delegate its automatic engagement");
  // An operator, even of the unit itself.
  expect_loop_error(row, "{unit: FU-B, by: FU-B-OP,", "auto_engagements[0].by", Errc::invalid_argument, "by: FU-B-OP", 4,
                    "FU-B-OP is a fire unit operator of FU-B, not a commander: only FU-B's commander");
  // Unknown names.
  expect_loop_error(row, "{unit: FU-B, by: FU-C-CDR,", "auto_engagements[0].by", Errc::dangling_ref, "FU-C-CDR", 0,
                    "'FU-C-CDR' is not a defined role");
  expect_loop_error(row, "{unit: FU-C, by: FU-B-CDR,", "auto_engagements[0].unit", Errc::dangling_ref, "FU-C,", 0,
                    "'FU-C' is not a defined fire unit");
  expect_loop_error(row, "{unit: RB, by: FU-B-CDR,", "auto_engagements[0].unit", Errc::dangling_ref, "unit: RB", 6,
                    "'RB' is not a defined fire unit (it is the id of a sensor)");
  expect_loop_error(row, "{by: FU-B-CDR,", "auto_engagements[0].unit", Errc::missing_key, "{by: FU-B-CDR,", 0,
                    "missing required key 'unit'");
  expect_loop_error(row, "{unit: FU-B,", "auto_engagements[0].by", Errc::missing_key, "{unit: FU-B, zone: MEZ-B", 0,
                    "missing required key 'by'");
}

TEST(Schema, AutomaticEngagementZoneThreatAndWindowAreChecked) {
  const std::string_view row = "zone: MEZ-B, threat: drone, from_s: 60, until_s: 500}";
  expect_loop_error(row, "zone: NFA-B, threat: drone}", "auto_engagements[0].zone", Errc::invalid_argument, "NFA-B, threat",
                    0, "'NFA-B' is a no_fire_area, where nothing may be engaged; allowed: a missile_engagement_zone, "
                       "fighter_engagement_zone or control_area");
  expect_loop_error(row, "zone: COR, threat: drone}", "auto_engagements[0].zone", Errc::invalid_argument, "COR, threat", 0,
                    "'COR' is a safe_corridor, where nothing may be engaged");
  expect_loop_error(row, "zone: MEZ-C, threat: drone}", "auto_engagements[0].zone", Errc::dangling_ref, "MEZ-C", 0,
                    "'MEZ-C' is not a defined zone");
  expect_loop_error(row, "threat: drone}", "auto_engagements[0].zone", Errc::missing_key, "{unit: FU-B, by: FU-B-CDR, threat", 0,
                    "missing required key 'zone'");
  for (const std::string word : {"aircraft", "any"}) {
    const std::string to = "zone: MEZ-B, threat: " + word + "}";
    std::string message(1, '\'');
    message += word;
    message += "' may not be engaged automatically: manned aircraft and unspecified classes (any) always need a human "
               "decision; allowed: cruise_missile, drone or ballistic_missile";
    expect_loop_error(row, to, "auto_engagements[0].threat", Errc::invalid_argument, to, 21, message);
  }
  expect_loop_error(row, "zone: MEZ-B, threat: missile}", "auto_engagements[0].threat", Errc::invalid_argument,
                    "missile}", 0, "'missile' is not allowed here; expected one of cruise_missile, drone or ballistic_missile");
  expect_loop_error(row, "zone: MEZ-B}", "auto_engagements[0].threat", Errc::missing_key, "{unit: FU-B, by: FU-B-CDR, zone: MEZ-B}",
                    0, "missing required key 'threat' (cruise_missile, drone or ballistic_missile)");
  // The window [from_s, until_s).
  expect_loop_error(row, "zone: MEZ-B, threat: drone, from_s: 500, until_s: 500}", "auto_engagements[0].until_s",
                    Errc::invalid_argument, "until_s: 500}", 9,
                    "until_s (500) must be after from_s (500): the window [from_s, until_s) is empty");
  expect_loop_error(row, "zone: MEZ-B, threat: drone, from_s: 600}", "auto_engagements[0].from_s", Errc::invalid_argument,
                    "from_s: 600}", 8, "from_s (600) must be before until_s, which defaults to duration_s (600)");
  expect_loop_error(row, "zone: MEZ-B, threat: drone, until_s: .nan}", "auto_engagements[0].until_s",
                    Errc::invalid_argument, ".nan}", 0, "expected a finite number in [0, 604800]");
  expect_loop_error(row, "zone: MEZ-B, threat: drone, from_s: -5}", "auto_engagements[0].from_s", Errc::invalid_argument,
                    "-5}", 0, "value -5 is out of range; allowed: [0, 604800]");
  expect_loop_error(row, "zone: MEZ-B, threat: drone, until_s: 1e9}", "auto_engagements[0].until_s",
                    Errc::invalid_argument, "1e9}", 0, "allowed: [0, 604800]");
  expect_loop_error(row, "zone: MEZ-B, threat: drone, window: 5}", "auto_engagements[0].window", Errc::unknown_key,
                    "window: 5", 0, "unknown key 'window' in an automatic engagement");
  const auto out = parse_with_minimal(std::string(kChain) + "auto_engagements: FU-B\n");
  expect_error(out, "auto_engagements", Errc::invalid_argument, 30, 19,
               "expected a sequence of automatic engagements, got the string 'FU-B'");
}

TEST(Schema, ClosedLoopErrorsAreAllReported) {
  // Every problem in one file, each at its own key path.
  std::string text = loop_with("mezs: [MEZ-A], linked_sensors: [RA, RB]", "mezs: [NFA-B], linked_sensors: [IB]");
  text.replace(text.find("policy: deny"), 12, "policy: maybe");
  text.replace(text.find("threat: ballistic_missile"), 25, "threat: aircraft");
  const auto out = parse(text);
  EXPECT_FALSE(out.scenario.has_value());
  EXPECT_EQ(out.errors.size(), 4U) << all_errors(out);
  for (const char* path : {"fire_units[0].mezs[0]", "fire_units[0].linked_sensors[0]", "operators[1].policy",
                           "auto_engagements[2].threat"}) {
    EXPECT_NE(test::error_at(out, path), nullptr) << path << "\n" << all_errors(out);
  }
}

}  // namespace
}  // namespace jrads::scenario
