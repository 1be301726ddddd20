#include "jrads/node/fire_unit_gate.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace jrads::node {
namespace {

using command::Action;
using command::RoleKind;
using picture::Identity;

GateDecision refuse(std::string rule, std::string reason) { return {false, false, "unit:" + std::move(rule), std::move(reason)}; }

std::string engagement_name(std::uint64_t id) { return "engagement " + std::to_string(id); }

}  // namespace

struct FireUnitGate::Impl {
  std::vector<FireUnit> units;
  std::vector<AutoEngagement> autos;
  command::Authority authority;
  command::AgreementState agreement;
  struct Held {
    Order order;
    int fired = 0;
  };
  std::map<std::uint64_t, Held> held;    // by engagement: orders not yet carried out
  std::map<std::uint64_t, Order> done;   // carried out or ended: a repeat is a duplicate
  std::map<std::string, int> rounds;     // by unit: left
  GateCounts counts;

  Impl(std::vector<FireUnit> u, std::vector<AutoEngagement> a, command::Authority auth, command::AgreementState agr)
      : units(std::move(u)), autos(std::move(a)), authority(std::move(auth)), agreement(std::move(agr)) {
    for (const FireUnit& f : units) rounds[f.id] = f.rounds;
  }

  const FireUnit* unit(const std::string& id) const {
    const auto it = std::find_if(units.begin(), units.end(), [&](const FireUnit& f) { return f.id == id; });
    return it == units.end() ? nullptr : &*it;
  }

  std::string launcher(const FireUnit& u) const {
    std::string cdr;
    for (const command::Role& r : authority.chain().roles) {
      if (r.unit != u.id) continue;
      if (r.kind == RoleKind::fire_operator) return r.id;
      if (r.kind == RoleKind::unit_commander && cdr.empty()) cdr = r.id;
    }
    return cdr;
  }

  // Whether the unit takes this order: the role's authority, or a delegation of automatic
  // engagement by the unit's own chain that covers it.
  GateDecision authorised(const Order& o) const {
    if (o.by == "auto") {
      for (const AutoEngagement& a : autos) {
        if (a.unit != o.unit || a.by != o.delegated_by || a.zone != o.zone || a.threat != o.threat) continue;
        if (o.at < a.from || !(o.at < a.until)) continue;
        if (authority.accepts_order(o.unit, a.by, o.at, a.zone, o.threat, agreement).allowed) return {true, false, "", ""};
      }
      return refuse("authority", "no automatic engagement of " + o.unit + " delegated by " +
                                     (o.delegated_by.empty() ? std::string("anyone") : o.delegated_by) + " covers " +
                                     engage::to_string(o.threat) + " in " + (o.zone.empty() ? std::string("no zone") : o.zone) +
                                     " at " + std::to_string(o.at.s()) + " s");
    }
    const command::Decision d = authority.check({o.by, Action::order_engagement, o.unit, o.at, o.zone, o.threat}, agreement);
    if (d.allowed) return {true, false, "", ""};
    std::string why = o.unit + " takes no order from " + o.by;
    for (const std::string& r : d.reasons) why += "; " + r;
    return refuse("authority", why);
  }

  GateDecision order(const Order& o) {
    const auto known = [&]() -> const Order* {
      if (const auto h = held.find(o.engagement); h != held.end()) return &h->second.order;
      if (const auto d = done.find(o.engagement); d != done.end()) return &d->second;
      return nullptr;
    }();
    if (known != nullptr) {
      if (*known == o) {
        ++counts.orders_duplicated;
        return {true, true, "", engagement_name(o.engagement) + ": the same order again: nothing changes"};
      }
      ++counts.orders_refused;
      return refuse("conflict", engagement_name(o.engagement) + ": another order under it is already known");
    }
    GateDecision d = check_order(o);
    if (!d.allowed) {
      ++counts.orders_refused;
      return d;
    }
    held.emplace(o.engagement, Held{o, 0});
    ++counts.orders_held;
    return d;
  }

  GateDecision check_order(const Order& o) const {
    const FireUnit* u = unit(o.unit);
    if (u == nullptr) return refuse("unknown_unit", o.unit + " is not a unit of this node");
    if (o.unit_party != u->party) return refuse("unknown_unit", o.unit + " is " + u->party + "'s, not " + o.unit_party + "'s");
    if (o.engagement == 0) return refuse("malformed", "an order without an engagement");
    if (o.rounds < 1 || o.rounds > u->rounds)
      return refuse("rounds", engagement_name(o.engagement) + ": " + std::to_string(o.rounds) + " rounds ordered, " +
                                  o.unit + " carries " + std::to_string(u->rounds));
    return authorised(o);
  }

  GateDecision fire(const Launch& l) {
    GateDecision d = check_fire(l);
    if (!d.allowed) {
      ++counts.launches_refused;
      return d;
    }
    Held& h = held.at(l.engagement);
    ++h.fired;
    --rounds[l.unit];
    ++counts.rounds_fired;
    if (h.fired == h.order.rounds) {  // carried out: a resent order is now a duplicate
      done.emplace(l.engagement, h.order);
      held.erase(l.engagement);
    }
    return d;
  }

  GateDecision check_fire(const Launch& l) const {
    const FireUnit* u = unit(l.unit);
    if (u == nullptr) return refuse("unknown_unit", l.unit + " is not a unit of this node");
    const auto h = held.find(l.engagement);
    if (h == held.end()) {
      return refuse("no_order", done.contains(l.engagement)
                                    ? engagement_name(l.engagement) + " is over: its order was carried out or ended"
                                    : l.unit + " holds no order for " + engagement_name(l.engagement));
    }
    const Order& o = h->second.order;
    if (o.unit != l.unit || o.track != l.track)
      return refuse("no_order", engagement_name(l.engagement) + " orders " + o.unit + " at track " + std::to_string(o.track) +
                                    ", not " + l.unit + " at track " + std::to_string(l.track));
    if (l.at < o.at) return refuse("no_order", engagement_name(l.engagement) + ": a launch before its order");
    if (rounds.at(l.unit) <= 0) return refuse("rounds", l.unit + " has no round left");
    const Identity id = l.identity;
    if (id == Identity::neutral || id == Identity::friend_ || id == Identity::assumed_friend)
      return refuse("identity", "track " + std::to_string(l.track) + " is identified " + picture::to_string(id) +
                                    ": the unit never fires at it");
    const std::string op = launcher(*u);
    const command::Decision may = authority.check({op, Action::launch, u->id, l.at, "", l.threat}, agreement);
    if (!may.allowed) {
      std::string why = (op.empty() ? std::string("no role") : op) + " may not launch " + u->id;
      for (const std::string& r : may.reasons) why += "; " + r;
      return refuse("authority", why);
    }
    return {true, false, "", ""};
  }

  void end(std::uint64_t engagement) {
    const auto h = held.find(engagement);
    if (h == held.end()) return;
    done.emplace(engagement, h->second.order);
    held.erase(h);
  }
};

Result<FireUnitGate> FireUnitGate::make(std::vector<FireUnit> units, std::vector<AutoEngagement> autos,
                                        command::Authority authority, command::AgreementState agreement) {
  if (units.empty()) return fail(Errc::invalid_argument, "fire unit gate: no units");
  std::set<std::string> ids;
  for (const FireUnit& u : units) {
    if (!ids.insert(u.id).second) return fail(Errc::invalid_argument, "fire unit gate: duplicate unit " + u.id);
    const auto& refs = authority.chain().units;
    const auto ref = std::find_if(refs.begin(), refs.end(), [&](const command::FireUnitRef& r) { return r.id == u.id; });
    if (ref == refs.end()) return fail(Errc::invalid_argument, "fire unit gate: " + u.id + " is unknown to the chain of command");
    if (ref->party != u.party)
      return fail(Errc::invalid_argument, "fire unit gate: " + u.id + " is " + ref->party + "'s in the chain of command");
  }
  return FireUnitGate(std::make_unique<Impl>(std::move(units), std::move(autos), std::move(authority), std::move(agreement)));
}

FireUnitGate::FireUnitGate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FireUnitGate::FireUnitGate(FireUnitGate&&) noexcept = default;
FireUnitGate& FireUnitGate::operator=(FireUnitGate&&) noexcept = default;
FireUnitGate::~FireUnitGate() = default;

GateDecision FireUnitGate::order(const Order& o) { return impl_->order(o); }
GateDecision FireUnitGate::fire(const Launch& l) { return impl_->fire(l); }
void FireUnitGate::end(std::uint64_t engagement) { impl_->end(engagement); }
bool FireUnitGate::guards(const std::string& unit) const { return impl_->unit(unit) != nullptr; }
int FireUnitGate::rounds_left(const std::string& unit) const {
  const auto it = impl_->rounds.find(unit);
  return it == impl_->rounds.end() ? -1 : it->second;
}
GateCounts FireUnitGate::counts() const { return impl_->counts; }

}  // namespace jrads::node
