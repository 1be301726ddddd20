#include "jrads/federation/national_node.hpp"

#include <chrono>
#include <limits>
#include <optional>
#include <thread>
#include <variant>

#include "jrads/core/log.hpp"
#include "jrads/federation/alert_payload.hpp"
#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/ingress.hpp"
#include "jrads/federation/national_picture.hpp"
#include "jrads/federation/track_update.hpp"

namespace jrads::federation {

security::ItemLabel control_label(const security::PartyTable& parties, const std::string& party) {
  security::ItemLabel l;
  l.level = security::Level::unclassified;
  l.originator = parties.index(party).value_or(0);
  l.categories = security::category_bit(security::Category::air_picture);
  l.rel = parties.all();
  return l;
}

struct NationalNode::Impl {
  NationalNodeParams params;
  DdsBus bus;
  std::optional<Egress> out;
  std::optional<Ingress> in;
  std::optional<NationalPicture> picture;
  std::vector<picture::SensorSite> sites;
  security::Bytes sites_payload;
  std::optional<SimTime> last_window;
  security::CategorySet centre_need = 0;
  std::uint64_t alerts_sent = 0;
  NationalNodeReport report;
  std::shared_ptr<spdlog::logger> log = logger("node");

  Impl(NationalNodeParams p, DdsBus b) : params(std::move(p)), bus(std::move(b)) {}

  // A window's (or the last) updates to the centre, then the mark.
  Result<void> send_updates(SimTime through) {
    const bool strip_sensors = (centre_need & security::category_bit(security::Category::sensors)) == 0;
    for (TrackUpdate& u : picture->take_updates()) {
      security::ItemLabel label = u.row.label;
      if (strip_sensors) {
        label = security::without_categories(label, security::category_bit(security::Category::sensors));
        u.sensors.clear();
      }
      const SimTime at = u.row.time;
      auto sent = out->send_to(params.centre, Topic::tracks, u.row.track_number, at, label, encode_track_update(u));
      if (!sent) return fail(sent.error());
      (*sent > 0 ? report.updates_sent : report.updates_refused) += 1;
    }
    // Its alerts, counted, so that the centre knows when it has them all.
    for (const picture::Alert& a : picture->take_alerts()) {
      auto sent = out->send_to(params.centre, Topic::alerts, a.track_number, a.time, a.label, encode_alert(a));
      if (!sent) return fail(sent.error());
      alerts_sent += static_cast<std::uint64_t>(*sent);
    }
    auto done = out->send_to(params.centre, Topic::tracks, 0, through,
                             control_label(params.parties, params.keys.record.party),
                             encode_tracks_done({through, alerts_sent}));
    if (!done) return fail(done.error());
    return {};
  }
};

NationalNode::NationalNode(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NationalNode::NationalNode(NationalNode&&) noexcept = default;
NationalNode& NationalNode::operator=(NationalNode&&) noexcept = default;
NationalNode::~NationalNode() = default;

Result<NationalNode> NationalNode::make(NationalNodeParams params) {
  const std::string& party = params.keys.record.party;
  const auto me = params.parties.index(party);
  if (!me) return fail(Errc::invalid_argument, "node " + params.keys.record.node + ": party " + party + " is not in the run");
  params.tracker.label_originator = *me;
  const auto find = [&](const std::string& node) {
    return std::find_if(params.peers.begin(), params.peers.end(), [&](const PeerNode& p) { return p.node == node; });
  };
  if (find(params.controller) == params.peers.end())
    return fail(Errc::invalid_argument, "the controller " + params.controller + " is not a peer");
  const auto centre = find(params.centre);
  if (centre == params.peers.end()) return fail(Errc::invalid_argument, "the centre " + params.centre + " is not a peer");
  if (auto ok = validate(params.links); !ok) return fail(ok.error());
  const security::CategorySet centre_need = centre->receiver.need_to_know;
  auto bus = DdsBus::open(params.domain, params.keys.record.node);
  if (!bus) return fail(bus.error());
  auto impl = std::make_unique<Impl>(std::move(params), std::move(*bus));
  Impl& s = *impl;
  s.centre_need = centre_need;
  s.out.emplace(s.bus, s.params.keys, s.params.parties, s.params.peers, s.params.agreement_in_force,
                security::ReleaseGate::OnDecision{}, sequence_base(s.params.start_unix_ms));
  std::vector<IngressPeer> in_peers;
  for (const PeerNode& p : s.params.peers) in_peers.push_back({p.node, p.key});
  s.in.emplace(s.bus, std::move(in_peers), s.params.keyring, [&s](const std::string& why) {
    ++s.report.samples_refused;
    s.log->warn("{}: refused {}", s.params.keys.record.node, why);
  });
  return NationalNode(std::move(impl));
}

Result<NationalNodeReport> NationalNode::run(const std::function<SimTime()>& clock,
                                             const std::function<std::int64_t()>& unix_now,
                                             const std::atomic<bool>& stop) {
  Impl& s = *impl_;
  const std::string& me = s.params.keys.record.node;
  std::vector<std::string> peer_ids;
  for (const PeerNode& p : s.params.peers) peer_ids.push_back(p.node);
  const SimTime start = clock();
  LinkMonitor links(peer_ids, s.params.links, start);
  Heartbeat hb{me, s.params.start_unix_ms, 0};
  SimTime next_beat = start, next_check = start, last_feed = start;
  const security::ItemLabel control = control_label(s.params.parties, s.params.keys.record.party);
  const auto note = [&](const std::vector<LinkChange>& changes) {
    for (const LinkChange& c : changes) {
      s.log->info("{}: link to {} {} -> {}{}: {}", me, c.node, to_string(c.from), to_string(c.to),
                  c.restarted ? " (restarted)" : "", c.reason);
      s.report.links.push_back(c);
    }
  };
  bool ended = false;
  while (!ended && !stop.load()) {
    const SimTime now = clock();
    if (now >= next_beat) {
      ++hb.beat;
      if (auto ok = s.out->send(Topic::heartbeats, 0, now, control, encode_heartbeat(hb)); !ok) return fail(ok.error());
      next_beat = now + SimTime::from_s(s.params.links.period_s);
    }
    note(hear_heartbeats(*s.in, links, clock(), unix_now(), [&](const std::string& why) { s.log->warn("{}: {}", me, why); }));
    if (now >= next_check) {
      note(links.check(now));
      next_check = now + SimTime::from_s(s.params.links.check_s);
    }
    bool fed = false;
    for (const OpenedSample& o : s.in->take(Topic::feed, unix_now())) {
      fed = true;
      if (o.header.sender != s.params.controller) {
        s.log->warn("{}: refused a feed sample from {}: not the controller", me, o.header.sender);
        continue;
      }
      auto m = decode_feed(o.payload, s.sites, s.params.parties);
      if (!m) {
        ++s.report.samples_refused;
        s.log->warn("{}: refused a feed sample: {}", me, m.error().message);
        continue;
      }
      if (auto* sites = std::get_if<FeedSites>(&*m)) {
        if (s.picture && o.payload == s.sites_payload) continue;  // sent again to a restarted node: the same
        s.sites = sites->sites;
        s.sites_payload = o.payload;
        s.picture.emplace(s.sites, s.params.tracker, s.params.keys.record.party);
        s.last_window.reset();
      } else if (auto* w = std::get_if<FeedWindow>(&*m)) {
        if (!s.picture) {
          s.log->warn("{}: a window before the sites: ignored", me);
          continue;
        }
        if (s.last_window && w->end <= *s.last_window) continue;  // sent again: done already
        s.last_window = w->end;
        ++s.report.windows;
        for (const picture::Report& r : w->reports) s.picture->add(r);
        s.report.reports += w->reports.size();
        if (auto ok = s.send_updates(w->end); !ok) return fail(ok.error());
      } else {
        if (s.picture) {
          s.picture->finish();
          if (auto ok = s.send_updates(SimTime::from_ns(std::numeric_limits<std::int64_t>::max())); !ok) return fail(ok.error());
        }
        ended = true;
      }
    }
    if (fed) last_feed = clock();
    if ((clock() - last_feed).s() > s.params.idle_timeout_s)
      return fail(Errc::io_error, me + ": no feed from " + s.params.controller + " for " +
                                      std::to_string(static_cast<int>(s.params.idle_timeout_s)) + " s");
    if (!fed) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  s.bus.flush(5.0);
  return s.report;
}

}  // namespace jrads::federation
