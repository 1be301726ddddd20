// jrads node --config NODE.yaml: one node of a federated run, in its own process.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>

#include "commands.hpp"
#include "jrads/core/log.hpp"
#include "jrads/federation/national_node.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/scenario/node_config.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/security/keys.hpp"
#include "wall_clock.hpp"

namespace jrads::app {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }

int fail_with(const Error& e) {
  std::fprintf(stderr, "%s\n", e.to_string().c_str());
  return 1;
}

}  // namespace

int node(const NodeRun& run) {
  const scenario::NodeConfigOutcome cfg = scenario::load_node_config(run.config_path);
  if (!cfg.config) {
    for (const Error& e : cfg.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    return 1;
  }
  const scenario::NodeConfig& c = *cfg.config;
  if (c.role != scenario::NodeRole::national) {
    std::fprintf(stderr, "%s: role %s: only national nodes run as their own process yet; the regional centre and the "
                         "exercise controller run inside jrads run --federated\n",
                 run.config_path.c_str(), scenario::to_string(c.role));
    return 2;
  }
  scenario::ParseOutcome parsed = c.scenario.empty()
                                      ? scenario::parse_scenario(scenario::default_scenario_yaml(), "<default scenario>")
                                      : scenario::load_scenario(c.scenario);
  if (!parsed.scenario) {
    for (const Error& e : parsed.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    return 1;
  }
  auto terrain = world::make_terrain(parsed.scenario->terrain);
  if (!terrain) return fail_with(terrain.error());
  auto input = run::input_from_scenario(*parsed.scenario, std::move(*terrain));
  if (!input) return fail_with(input.error());
  auto keys = security::load_node(c.keys, c.node);
  if (!keys) return fail_with(keys.error());
  if (keys->record.party != c.party)
    return fail_with(make_error(Errc::invalid_argument, c.node + ": its key is of party " + keys->record.party +
                                                            ", the configuration says " + c.party));
  auto ring = security::Keyring::load(c.keys);
  if (!ring) return fail_with(ring.error());
  federation::NationalNodeParams p;
  p.domain = c.domain;
  p.feed_domain = c.feed_domain;
  p.picture_out = c.picture_out;
  p.parties = input->parties;
  p.tracker = input->tracker;
  p.agreement_in_force = input->agreement.in_force;
  p.start_unix_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  for (const scenario::PeerConfig& peer : c.peers) {
    const security::PublicKeyRecord* rec = ring->current(peer.node);
    if (rec == nullptr) return fail_with(make_error(Errc::missing_key, "no public key of peer " + peer.node + " in " + c.keys.string()));
    auto pair = keys->agreement.shared_key(rec->agree_public);
    if (!pair) return fail_with(pair.error());
    p.peers.push_back({peer.node, peer.receiver, *pair});
    if (peer.role == scenario::NodeRole::controller && p.controller.empty()) p.controller = peer.node;
    if (peer.role == scenario::NodeRole::regional && p.centre.empty()) p.centre = peer.node;
  }
  // Its party's fire units, behind their gate (the run's command post orders them).
  std::vector<node::FireUnit> units;
  for (const run::UnitSite& u : input->units)
    if (u.unit.party == c.party) units.push_back(u.unit);
  if (!units.empty()) {
    auto authority = command::Authority::make(input->chain);
    if (!authority) return fail_with(authority.error());
    auto gate = node::FireUnitGate::make(std::move(units), input->post.auto_engagements, std::move(*authority),
                                         input->agreement);
    if (!gate) return fail_with(gate.error());
    p.gate.emplace(std::move(*gate));
  }
  p.keys = std::move(*keys);
  p.keyring = std::move(*ring);
  auto made = federation::NationalNode::make(std::move(p));
  if (!made) return fail_with(made.error());
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  const auto clock = [] {
    return SimTime::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count());
  };
  auto report = made->run(clock, wall_clock_unix_s, g_stop);
  if (!report) return fail_with(report.error());
  std::printf("%s: %llu windows, %llu reports, %llu track updates sent (%llu refused by the gate), %llu samples "
              "refused, %llu orders held (%llu repeated, %llu refused), %zu link changes (%zu reported by peers), %llu links cut, %llu snapshots, %llu regional rows in %llu fusions (%llu short)\n",
              c.node.c_str(), static_cast<unsigned long long>(report->windows),
              static_cast<unsigned long long>(report->reports), static_cast<unsigned long long>(report->updates_sent),
              static_cast<unsigned long long>(report->updates_refused),
              static_cast<unsigned long long>(report->samples_refused),
              static_cast<unsigned long long>(report->orders.orders_held),
              static_cast<unsigned long long>(report->orders.orders_duplicated),
              static_cast<unsigned long long>(report->orders.orders_refused), report->links.size(),
              report->reported.size(), static_cast<unsigned long long>(report->cuts), static_cast<unsigned long long>(report->snapshots),
              static_cast<unsigned long long>(report->picture_rows), static_cast<unsigned long long>(report->picture_fusions),
              static_cast<unsigned long long>(report->picture_short));
  return g_stop.load() ? 3 : 0;
}

}  // namespace jrads::app
