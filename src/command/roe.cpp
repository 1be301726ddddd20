#include "jrads/command/roe.hpp"

#include <algorithm>

namespace jrads::command {

namespace {

using picture::Identity;

std::string join_ids(const std::vector<std::string>& ids) {
  std::string s;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (k) s += ", ";
    s += ids[k];
  }
  return s;
}

// Ids of the zones of a kind that contain the point.
std::vector<std::string> zones_of(const Airspace& a, ZoneKind kind, const Position3& p) {
  std::vector<std::string> out;
  for (const Zone* z : a.zones_at(p.pos, p.alt_m)) {
    if (z->kind == kind) out.push_back(z->id);
  }
  return out;
}

// Ids of the zones of a kind that hold the target or the intercept point, each once.
std::vector<std::string> zones_of_either(const Airspace& a, ZoneKind kind, const RoeCase& c) {
  std::vector<std::string> hit = zones_of(a, kind, c.target);
  for (const std::string& z : zones_of(a, kind, c.intercept)) {
    if (std::find(hit.begin(), hit.end(), z) == hit.end()) hit.push_back(z);
  }
  return hit;
}

}  // namespace

RoeDecision check_roe(const RoeCase& c, const Airspace& a) {
  RoeDecision d;
  {
    const Airspace::WcsAt w = a.wcs_at(c.unit_party, c.intercept.pos, c.intercept.alt_m);
    RoeRule r{"weapons_control_status", true, ""};
    const std::string status = std::string("weapons ") + to_string(w.wcs) + " (" + w.because + ") for " + c.unit_party;
    const std::string id = picture::to_string(c.identity);
    switch (w.wcs) {
      case Wcs::hold:
        r.passed = false;
        r.text = status + ": no fire";
        break;
      case Wcs::tight:
        r.passed = c.identity == Identity::hostile;
        r.text = status + (r.passed ? ": the target is hostile" : ": the target is " + id + ", not hostile");
        break;
      case Wcs::free:
        r.passed = c.identity != Identity::friend_ && c.identity != Identity::assumed_friend && c.identity != Identity::neutral;
        r.text = status + (r.passed ? ": the target is " + id : ": the target is " + id + ", which is never fired at");
        break;
    }
    d.rules.push_back(std::move(r));
  }
  {
    const std::vector<std::string> hit = zones_of_either(a, ZoneKind::no_fire_area, c);
    d.rules.push_back({"no_fire_area", hit.empty(),
                       hit.empty() ? "target and intercept point outside every no-fire area"
                                   : "target or intercept point in no-fire area " + join_ids(hit)});
  }
  {
    const std::vector<std::string> hit = zones_of_either(a, ZoneKind::safe_corridor, c);
    d.rules.push_back({"safe_corridor", hit.empty(),
                       hit.empty() ? "target and intercept point outside every safe corridor"
                                   : "target or intercept point in safe corridor " + join_ids(hit)});
  }
  {
    RoeRule r{"missile_engagement_zone", true, "the unit has no assigned missile engagement zone"};
    if (!c.unit_mezs.empty()) {
      const std::vector<std::string> in = zones_of(a, ZoneKind::missile_engagement_zone, c.intercept);
      const auto inside = std::find_first_of(c.unit_mezs.begin(), c.unit_mezs.end(), in.begin(), in.end());
      r.passed = inside != c.unit_mezs.end();
      r.text = r.passed ? "intercept point inside the unit's zone " + *inside
                        : "intercept point outside the unit's zones " + join_ids(c.unit_mezs);
    }
    d.rules.push_back(std::move(r));
  }
  {
    std::vector<std::string> blocked;
    for (const std::string& fez : zones_of(a, ZoneKind::fighter_engagement_zone, c.intercept)) {
      const Zone* z = a.zone(fez);
      const bool friendly_inside = std::any_of(c.friendly_aircraft.begin(), c.friendly_aircraft.end(),
                                               [&](const Position3& f) { return a.contains(*z, f.pos, f.alt_m); });
      if (friendly_inside) blocked.push_back(fez);
    }
    d.rules.push_back({"fighter_engagement_zone", blocked.empty(),
                       blocked.empty() ? "no friendly fighters in a fighter engagement zone at the intercept point"
                                       : "friendly aircraft in fighter engagement zone " + join_ids(blocked)});
  }
  d.allowed = std::all_of(d.rules.begin(), d.rules.end(), [](const RoeRule& r) { return r.passed; });
  return d;
}

}  // namespace jrads::command
