#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "jrads/scenario/agreement.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {
namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// "KAL 3, MOR 4"
std::string per_party(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [party, n] : counts) {
    if (!out.empty()) out += ", ";
    out += party + " " + std::to_string(n);
  }
  return out;
}

const char* role_text(PartyRole r) { return r == PartyRole::coordinating ? "coordinating" : "directing"; }

const char* site_kind_text(SiteKind k) {
  switch (k) {
    case SiteKind::air_base: return "air base";
    case SiteKind::mountain: return "mountain";
    case SiteKind::other: return "other";
  }
  return "other";
}

}  // namespace

std::string summary(const Scenario& s) {
  std::string out;
  out += "Scenario: " + s.name + " (seed " + std::to_string(s.seed) + ", " + fmt("%.0f", s.duration_s) + " s";
  if (!s.date.empty()) out += ", " + s.date;
  out += ")\n";

  out += "Parties:";
  for (const auto& p : s.parties) {
    out += "\n  " + p.id + "  " + p.name + ": " + role_text(p.role);
    if (p.host) out += ", host";
    if (!p.commander.empty()) out += " (" + p.commander + ")";
  }
  out += "\n";
  const Agreement& a = s.agreement;
  out += "Agreement: signed " + a.signature_date + ", " + std::to_string(a.term_years) + "-year term, " +
         (a.automatic_renewal ? "renewed automatically" : "no automatic renewal") + ", " +
         std::to_string(a.notice_months) + " months notice\n";
  for (const TerminationNotice& n : a.notices) out += "  notice of termination by " + n.party + " on " + n.date + "\n";
  if (const auto day = scenario_day(s)) {
    const command::AgreementState st = command::agreement_state(agreement_terms(s), termination_notices(s), *day);
    out += "  on " + s.date + ": " + st.reason + "\n";
  }
  if (!a.classification_equivalence.empty()) {
    // One line: each party's word for SECRET, say, shows the table is there and whose it is.
    out += "  classification equivalence:";
    std::vector<std::string> parties;
    for (const security::NationalLevel& nl : a.classification_equivalence) {
      if (std::find(parties.begin(), parties.end(), nl.party) == parties.end()) parties.push_back(nl.party);
    }
    const security::EquivalenceTable table = classification_table(s);
    for (const std::string& p : parties) {
      int levels = 0;
      for (const security::NationalLevel& nl : a.classification_equivalence) levels += nl.party == p ? 1 : 0;
      const auto secret = table.national(p, security::Level::secret);
      out += " " + p + " " + std::to_string(levels) + " levels" + (secret ? " (SECRET = " + *secret + ")" : "") + ";";
    }
    out.back() = '\n';
  }

  out += "Sites:";
  if (s.sites.empty()) out += " none";
  for (const auto& site : s.sites) {
    out += "\n  " + site.id + "  " + site_kind_text(site.kind) + fmt(" at %.4f", site.position.lat_deg) +
           fmt(", %.4f", site.position.lon_deg);
    if (!site.plot.empty()) out += fmt(", plot %.2f ha", site.plot_area_m2 / 10000.0);
  }
  out += "\n";

  out += "Terrain: ";
  if (const auto* flat = std::get_if<world::FlatTerrainParams>(&s.terrain)) {
    out += fmt("flat at %.0f m\n", flat->height_m);
  } else if (const auto* syn = std::get_if<world::SyntheticTerrainParams>(&s.terrain)) {
    out += "synthetic" + fmt(" %.2f..", syn->south_lat_deg) + fmt("%.2f N,", syn->north_lat_deg) +
           fmt(" %.2f..", syn->west_lon_deg) + fmt("%.2f E, ", syn->east_lon_deg) +
           fmt("%.0f m grid, ", syn->resolution_m) + std::to_string(syn->ridges.size()) + " ridge(s), " +
           std::to_string(syn->valleys.size()) + " valley(s)\n";
  } else {
    out += "DEM " + std::get<world::DemTerrainParams>(s.terrain).path + "\n";
  }

  std::map<std::string, int> radars, iffs, adsbs;
  for (const auto& sensor : s.sensors) {
    if (const auto* r = std::get_if<sensors::RadarParams>(&sensor)) ++radars[r->party];
    if (const auto* r = std::get_if<sensors::IffParams>(&sensor)) ++iffs[r->party];
    if (const auto* r = std::get_if<sensors::AdsbReceiverParams>(&sensor)) ++adsbs[r->party];
  }
  const auto total = [](const std::map<std::string, int>& m) {
    int n = 0;
    for (const auto& [_, k] : m) n += k;
    return n;
  };
  out += "Sensors: " + std::to_string(s.sensors.size()) + "\n";
  out += "  radar          " + std::to_string(total(radars)) + (radars.empty() ? "" : " (" + per_party(radars) + ")") + "\n";
  out += "  IFF            " + std::to_string(total(iffs)) + (iffs.empty() ? "" : " (" + per_party(iffs) + ")") + "\n";
  out += "  ADS-B receiver " + std::to_string(total(adsbs)) + (adsbs.empty() ? "" : " (" + per_party(adsbs) + ")") + "\n";

  out += "Defended assets: " + std::to_string(s.world.defended_assets.size()) + "\n";
  out += "Hostile origin areas: " + std::to_string(s.hostile_origin_areas.size()) + "\n";
  out += "Chain of command: " + std::to_string(s.roles.size()) + " roles, " + std::to_string(s.delegations.size()) +
         " delegations, " + std::to_string(s.operators.size()) + " operators, " +
         std::to_string(s.auto_engagements.size()) + " automatic engagements\n";
  out += "Airspace: " + std::to_string(s.zones.size()) + " zones, weapons " + command::to_string(s.default_wcs) +
         " by default, " + std::to_string(s.weapons_control.size()) + " settings\n";
  std::map<std::string, std::map<std::string, int>> by_category;
  std::map<std::string, int> category_total;
  for (const auto& p : s.world.platforms) {
    ++by_category[world::to_string(p.category)][world::to_string(p.kind)];
    ++category_total[world::to_string(p.category)];
  }
  out += "Platforms: " + std::to_string(s.world.platforms.size()) + "\n";
  for (const char* c : {"civil", "friend", "hostile"}) {
    if (category_total.count(c) == 0) continue;
    std::string kinds;
    for (const auto& [kind, n] : by_category[c]) kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    out += std::string("  ") + c + std::string(15 - std::string(c).size(), ' ') + std::to_string(category_total[c]) +
           " (" + kinds + ")\n";
  }
  if (!s.fire_units.empty()) {
    // One line per party, in the order the parties are listed: "  KAL  FU-KAL-1 medium_range, ..."
    const node::EngagementRules& e = s.engagement;
    out += "Fire units: " + std::to_string(s.fire_units.size()) + fmt(" (cycle %g s, ", e.cycle_s) +
           (e.shoot_look_shoot ? "shoot-look-shoot" : "no shoot-look-shoot") + fmt(", kill assessment %g s, ", e.kill_assessment_s) +
           "at most " + std::to_string(e.max_rounds_per_target) +
           (e.max_rounds_per_target == 1 ? " round" : " rounds") + " per target)\n";
    std::vector<std::string> parties;
    for (const auto& p : s.parties) parties.push_back(p.id);
    for (const auto& f : s.fire_units) {
      if (std::find(parties.begin(), parties.end(), f.party) == parties.end()) parties.push_back(f.party);
    }
    for (const std::string& party : parties) {
      std::string units;
      for (const auto& f : s.fire_units) {
        if (f.party != party) continue;
        units += (units.empty() ? "" : ", ") + f.id + " " + engage::to_string(f.envelope.type);
        if (f.ready_from_s > 0.0) units += fmt(" (ready at %g s)", f.ready_from_s);
      }
      if (!units.empty()) out += "  " + party + "  " + units + "\n";
    }
  }
  out += "Duration: " + fmt("%.0f s", s.duration_s) + fmt(" (%.1f h)\n", s.duration_s / 3600.0);
  return out;
}

}  // namespace jrads::scenario
