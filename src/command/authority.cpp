#include "jrads/command/authority.hpp"

#include <algorithm>
#include <set>

namespace jrads::command {

const char* to_string(RoleKind k) noexcept {
  switch (k) {
    case RoleKind::coordinator: return "coordinator";
    case RoleKind::air_defence_commander: return "air defence commander";
    case RoleKind::unit_commander: return "fire unit commander";
    case RoleKind::fire_operator: return "fire unit operator";
  }
  return "?";
}

const char* to_string(Action a) noexcept {
  switch (a) {
    case Action::propose_assignment: return "propose_assignment";
    case Action::set_weapons_control_status: return "set_weapons_control_status";
    case Action::approve_engagement: return "approve_engagement";
    case Action::deny_engagement: return "deny_engagement";
    case Action::order_engagement: return "order_engagement";
    case Action::launch: return "launch";
  }
  return "?";
}

namespace {

std::string describe(const Role& r) {
  std::string s = r.id;
  s += " (";
  s += to_string(r.kind);
  s += ", ";
  s += r.party;
  s += ")";
  return s;
}

std::string describe(const FireUnitRef& u) {
  std::string s = u.id;
  s += " (";
  s += u.party;
  s += ")";
  return s;
}

std::string agreement_text(const AgreementState& a) {
  std::string s = "the agreement is ";
  s += a.phase == AgreementPhase::not_yet_in_force ? "not yet in force" : "no longer in force";
  s += ": joint coordination ";
  s += a.phase == AgreementPhase::not_yet_in_force ? "has not begun" : "has ended";
  return s;
}

Decision allow(std::string why) { return {true, {std::move(why)}}; }
Decision refuse(std::vector<std::string> why) { return {false, std::move(why)}; }

}  // namespace

Result<Authority> Authority::make(ChainOfCommand c) {
  auto bad = [](Errc code, std::string what) { return fail(code, "chain of command: " + what); };
  std::set<std::string> parties;
  for (const std::string& p : c.parties) {
    if (p.empty() || !parties.insert(p).second) return bad(Errc::duplicate_id, "party '" + p + "' is empty or given twice");
  }
  if (parties.count(c.lead_party) == 0) return bad(Errc::dangling_ref, "the lead party '" + c.lead_party + "' is not a party");
  std::set<std::string> unit_ids;
  for (const FireUnitRef& u : c.units) {
    if (u.id.empty() || !unit_ids.insert(u.id).second) return bad(Errc::duplicate_id, "fire unit '" + u.id + "' is empty or given twice");
    if (parties.count(u.party) == 0) return bad(Errc::dangling_ref, "fire unit " + u.id + " belongs to unknown party '" + u.party + "'");
  }
  std::set<std::string> role_ids;
  int coordinators = 0;
  std::set<std::string> headed;
  for (const Role& r : c.roles) {
    if (r.id.empty() || !role_ids.insert(r.id).second) return bad(Errc::duplicate_id, "role '" + r.id + "' is empty or given twice");
    if (parties.count(r.party) == 0) return bad(Errc::dangling_ref, "role " + r.id + " belongs to unknown party '" + r.party + "'");
    switch (r.kind) {
      case RoleKind::coordinator:
        ++coordinators;
        if (r.party != c.lead_party) {
          return bad(Errc::invalid_argument, "the coordinator " + r.id + " must belong to the lead party " + c.lead_party +
                                                 ", not " + r.party);
        }
        break;
      case RoleKind::air_defence_commander:
        if (r.party == c.lead_party) {
          return bad(Errc::invalid_argument, "the lead party's chain is headed by the coordinator; " + r.id +
                                                 " cannot be its air defence commander");
        }
        if (!headed.insert(r.party).second) {
          return bad(Errc::duplicate_id, "party " + r.party + " has two air defence commanders (" + r.id + " and another)");
        }
        break;
      case RoleKind::unit_commander:
      case RoleKind::fire_operator: {
        const auto u = std::find_if(c.units.begin(), c.units.end(), [&](const FireUnitRef& f) { return f.id == r.unit; });
        if (u == c.units.end()) return bad(Errc::dangling_ref, "role " + r.id + " names unknown fire unit '" + r.unit + "'");
        if (u->party != r.party) {
          return bad(Errc::invalid_argument, "role " + r.id + " of " + r.party + " cannot serve fire unit " + u->id +
                                                 " of the other party " + u->party);
        }
        break;
      }
    }
  }
  if (coordinators != 1) {
    return bad(Errc::invalid_argument, "exactly one coordinator is needed, found " + std::to_string(coordinators));
  }
  for (const std::string& p : c.parties) {
    if (p != c.lead_party && headed.count(p) == 0) {
      return bad(Errc::invalid_argument, "party " + p + " has no air defence commander to direct its forces");
    }
  }
  Authority a(std::move(c));
  for (std::size_t k = 0; k < a.chain_.delegations.size(); ++k) {
    const Delegation& d = a.chain_.delegations[k];
    const std::string where = "delegation " + std::to_string(k) + " (unit " + d.unit + ")";
    const FireUnitRef* u = a.unit(d.unit);
    if (u == nullptr) return bad(Errc::dangling_ref, where + ": unknown fire unit");
    const Role* by = a.role(d.by);
    if (by == nullptr) return bad(Errc::dangling_ref, where + ": unknown role '" + d.by + "'");
    const bool commands = a.heads_party(*by, u->party) || (by->kind == RoleKind::unit_commander && by->unit == u->id);
    if (!commands) {
      return bad(Errc::invalid_argument, where + ": given by " + describe(*by) + ", who does not command " + describe(*u) +
                                             "; only its own commander or its party's chain head may delegate it");
    }
    if (d.zone.empty()) return bad(Errc::invalid_argument, where + ": names no zone");
    if (!(d.from < d.until)) return bad(Errc::invalid_argument, where + ": its time window is empty (from >= until)");
  }
  return a;
}

const Role* Authority::role(const std::string& id) const noexcept {
  const auto it = std::find_if(chain_.roles.begin(), chain_.roles.end(), [&](const Role& r) { return r.id == id; });
  return it == chain_.roles.end() ? nullptr : &*it;
}

const FireUnitRef* Authority::unit(const std::string& id) const noexcept {
  const auto it = std::find_if(chain_.units.begin(), chain_.units.end(), [&](const FireUnitRef& u) { return u.id == id; });
  return it == chain_.units.end() ? nullptr : &*it;
}

bool Authority::heads_party(const Role& r, const std::string& party) const noexcept {
  return r.party == party && (r.kind == RoleKind::coordinator || r.kind == RoleKind::air_defence_commander);
}

Decision Authority::accepts_order(const std::string& unit_id, const std::string& from, SimTime at, const std::string& zone,
                                  ThreatClass threat, const AgreementState& agreement) const {
  const FireUnitRef* u = unit(unit_id);
  const Role* r = role(from);
  if (u == nullptr) return refuse({"unknown fire unit '" + unit_id + "'"});
  if (r == nullptr) return refuse({"unknown role '" + from + "'"});
  if (heads_party(*r, u->party)) return allow(describe(*r) + " heads the chain of command of " + describe(*u));
  if (r->kind == RoleKind::unit_commander && r->unit == u->id) return allow(describe(*r) + " commands " + describe(*u));
  std::vector<std::string> why{describe(*r) + " is not in the chain of command of " + describe(*u)};
  if (r->kind != RoleKind::coordinator) return refuse(std::move(why));
  if (!agreement.in_force) {
    why.push_back(agreement_text(agreement));
    return refuse(std::move(why));
  }
  bool any = false;
  for (const Delegation& d : chain_.delegations) {
    if (d.unit != u->id) continue;
    any = true;
    std::vector<std::string> misses;
    if (!(d.from <= at && at < d.until)) misses.push_back("outside its time window");
    if (zone.empty() || d.zone != zone) misses.push_back("for zone " + d.zone + ", the threat is " + (zone.empty() ? "in no zone" : "in " + zone));
    if (d.threat != ThreatClass::any && d.threat != threat) {
      misses.push_back(std::string("for ") + to_string(d.threat) + ", the threat is " + to_string(threat));
    }
    if (misses.empty()) return allow(describe(*u) + "'s commander " + d.by + " delegated orders to the coordinator for zone " + d.zone);
    std::string text = "the delegation by " + d.by + " does not cover this: ";
    for (std::size_t k = 0; k < misses.size(); ++k) text += (k ? "; " : "") + misses[k];
    why.push_back(std::move(text));
  }
  if (!any) why.push_back(describe(*u) + " has delegated nothing to the coordinator");
  return refuse(std::move(why));
}

Decision Authority::check(const Request& q, const AgreementState& agreement) const {
  const Role* r = role(q.actor);
  if (r == nullptr) return refuse({"unknown role '" + q.actor + "'"});
  const bool regional = q.action == Action::set_weapons_control_status && q.unit.empty();
  const FireUnitRef* u = regional ? nullptr : unit(q.unit);
  if (!regional && u == nullptr) return refuse({"unknown fire unit '" + q.unit + "'"});

  switch (q.action) {
    case Action::propose_assignment: {
      if (heads_party(*r, u->party)) return allow(describe(*r) + " heads the chain of command of " + describe(*u));
      if (r->kind != RoleKind::coordinator) {
        return refuse({describe(*r) + " may not propose for " + describe(*u) +
                       ": only the coordinator (across parties) and a party's chain head (for its own forces) propose"});
      }
      if (!agreement.in_force) return refuse({"the coordinator may not propose for " + describe(*u), agreement_text(agreement)});
      return allow("the coordinator proposes assignments across both parties (agreement in force)");
    }
    case Action::set_weapons_control_status: {
      if (regional) {
        if (r->kind != RoleKind::coordinator) {
          return refuse({describe(*r) + " may not set the regional weapons control status: only the coordinator does"});
        }
        if (!agreement.in_force) return refuse({"no regional weapons control status", agreement_text(agreement)});
        return allow("the coordinator sets the regional weapons control status (agreement in force)");
      }
      if (heads_party(*r, u->party)) return allow(describe(*r) + " heads the chain of command of " + describe(*u));
      if (r->kind == RoleKind::coordinator) {
        if (!agreement.in_force) return refuse({"the coordinator may not set the status of " + describe(*u), agreement_text(agreement)});
        return allow("the coordinator sets weapons control status across both parties (agreement in force)");
      }
      return refuse({describe(*r) + " may not set the weapons control status of " + describe(*u) +
                     ": only the coordinator and the unit's party's chain head do"});
    }
    case Action::approve_engagement:
    case Action::deny_engagement:
    case Action::order_engagement: {
      if (r->kind == RoleKind::fire_operator) {
        return refuse({describe(*r) + " operates a unit; approving, denying and ordering belong to its commanders"});
      }
      return accepts_order(u->id, r->id, q.at, q.zone, q.threat, agreement);
    }
    case Action::launch: {
      if ((r->kind == RoleKind::fire_operator || r->kind == RoleKind::unit_commander) && r->unit == u->id) {
        return allow(describe(*r) + " serves " + describe(*u));
      }
      return refuse({describe(*r) + " may not launch from " + describe(*u) + ": only its own operator or commander does"});
    }
  }
  return refuse({"unknown action"});
}

}  // namespace jrads::command
