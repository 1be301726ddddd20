#include "jrads/federation/national_node.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <thread>
#include <variant>

#include "jrads/core/log.hpp"
#include "jrads/federation/alert_payload.hpp"
#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/ingress.hpp"
#include "jrads/federation/national_picture.hpp"
#include "jrads/federation/order_payload.hpp"
#include "jrads/federation/picture_batch.hpp"
#include "jrads/federation/track_update.hpp"
#include "jrads/picture/track_csv.hpp"

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
  DdsBus bus;       // the federation's domain: the centre
  DdsBus feed_bus;  // the feed's domain: the exercise controller
  std::optional<Egress> out, feed_out;
  std::optional<Ingress> in, feed_in;
  std::optional<NationalPicture> picture;
  std::vector<picture::SensorSite> sites;
  security::Bytes sites_payload;
  std::optional<SimTime> last_window;
  security::CategorySet centre_need = 0;
  std::uint64_t alerts_sent = 0;
  std::map<std::uint32_t, TrackUpdate> told;  // the live tracks the centre was last sent, by number
  std::vector<picture::Alert> held_alerts;    // taken while the link to the centre was down
  bool snapshot_due = false;                  // the link to the centre came back
  std::optional<picture::TrackCsvWriter> picture_out;         // the regional picture received
  std::map<std::uint32_t, picture::TrackRow> regional;        // its latest fusion's rows, by regional number
  std::uint64_t regional_rows = 0;                            // rows of that fusion come so far
  std::optional<SimTime> regional_through;                    // the latest fusion complete
  NationalNodeReport report;
  std::shared_ptr<spdlog::logger> log = logger("node");

  Impl(NationalNodeParams p, DdsBus b, DdsBus f) : params(std::move(p)), bus(std::move(b)), feed_bus(std::move(f)) {}

  // One update to the centre: its sensors stripped where SENSORS may not go.
  Result<void> send_update(TrackUpdate u) {
    if (u.ended) {
      told.erase(u.row.track_number);
    } else {
      told[u.row.track_number] = u;
    }
    security::ItemLabel label = u.row.label;
    if ((centre_need & security::category_bit(security::Category::sensors)) == 0) {
      label = security::without_categories(label, security::category_bit(security::Category::sensors));
      u.sensors.clear();
    }
    auto sent = out->send_to(params.centre, Topic::tracks, u.row.track_number, u.row.time, label, encode_track_update(u));
    if (!sent) return fail(sent.error());
    (*sent > 0 ? report.updates_sent : report.updates_refused) += 1;
    return {};
  }

  // The mark: every update through `through` is sent.
  Result<void> send_mark(SimTime through) {
    const TracksDone d{through, alerts_sent, report.snapshots, picture ? picture->live().size() : 0};
    auto done = out->send_to(params.centre, Topic::tracks, 0, through, control_label(params.parties, params.keys.record.party),
                             encode_tracks_done(d));
    if (!done) return fail(done.error());
    return {};
  }

  // A window's (or the last) updates to the centre, then the mark. While the link to the centre
  // is down, the picture goes on but nothing of it is sent (a reliable writer would only queue
  // it, and a snapshot replaces it when the link is back); the alerts wait.
  Result<void> send_updates(SimTime through, bool centre_down) {
    std::vector<TrackUpdate> updates = picture->take_updates();
    for (picture::Alert& a : picture->take_alerts()) held_alerts.push_back(std::move(a));
    if (centre_down) return send_mark(through);
    for (TrackUpdate& u : updates)
      if (auto ok = send_update(std::move(u)); !ok) return ok;
    // Its alerts, counted, so that the centre knows when it has them all.
    for (const picture::Alert& a : held_alerts) {
      auto sent = out->send_to(params.centre, Topic::alerts, a.track_number, a.time, a.label, encode_alert(a));
      if (!sent) return fail(sent.error());
      alerts_sent += static_cast<std::uint64_t>(*sent);
    }
    held_alerts.clear();
    return send_mark(through);
  }

  // The link to the centre is back: every live track, an end for each one the centre was last
  // told of that has gone, the alerts that waited, and a mark counting this snapshot.
  Result<void> send_snapshot() {
    snapshot_due = false;
    ++report.snapshots;
    const SimTime through = last_window.value_or(SimTime{});
    std::vector<std::uint32_t> gone;
    for (const auto& [number, u] : told)
      if (picture->live().count(number) == 0) gone.push_back(number);
    // Ended at the latest emission (every live row is of it), as take_updates() would have said.
    SimTime latest;
    if (!picture->live().empty()) latest = picture->live().begin()->second.row.time;
    for (std::uint32_t number : gone) {
      TrackUpdate u = told.at(number);
      u.ended = true;
      u.row.time = std::max(u.row.time, latest);
      if (auto ok = send_update(std::move(u)); !ok) return ok;
    }
    for (const auto& [number, u] : picture->live())
      if (auto ok = send_update(u); !ok) return ok;
    log->info("{}: snapshot {} to {}: {} live tracks, {} ended while the link was down", params.keys.record.node,
              report.snapshots, params.centre, picture->live().size(), gone.size());
    return send_updates(through, false);  // nothing new in the picture: the waiting alerts, and the mark
  }

  // The centre's orders to this party's units, each to their gate: held once, a repeat (a
  // resend after a lost link) changes nothing, and what the gate refuses is logged.
  void take_orders(std::int64_t now_unix_s) {
    const std::string& me = params.keys.record.node;
    for (const OpenedSample& o : in->take(Topic::orders, now_unix_s)) {
      auto order = decode_order(o.payload);
      auto label = security::from_label(o.label, params.parties);
      if (o.header.sender != params.centre || !params.gate || !order || !label) {
        ++report.samples_refused;
        log->warn("{}: refused an order from {}: {}", me, o.header.sender,
                  o.header.sender != params.centre ? std::string("not the centre")
                  : !params.gate                  ? std::string("this node has no fire units")
                  : !order                        ? order.error().message
                                                  : label.error().message);
        continue;
      }
      order->label = *label;
      const node::GateDecision d = params.gate->order(*order);
      if (!d.allowed) {
        log->warn("{}: {} refused the order of engagement {}: {} ({})", me, order->unit, order->engagement, d.reason, d.rule);
      } else if (d.duplicate) {
        log->info("{}: {}", me, d.reason);
      } else {
        log->info("{}: {} holds the order of engagement {}: track {}, {} round{}, from {}", me, order->unit,
                  order->engagement, order->track, order->rounds, order->rounds == 1 ? "" : "s", order->by);
      }
      report.orders = params.gate->counts();
    }
  }

  // The regional picture the centre sent since the last call: rows kept (a newer fusion's
  // replace the older ones) and written; each fusion's rows counted against its total.
  void take_picture(std::int64_t now_unix_s) {
    const std::string& me = params.keys.record.node;
    for (const OpenedSample& o : in->take(Topic::tracks, now_unix_s)) {
      if (o.header.sender != params.centre || o.header.stream != 0) {
        log->warn("{}: refused a track sample from {}: not the centre's picture", me, o.header.sender);
        continue;
      }
      auto b = decode_picture_batch(o.payload);
      if (!b) {
        ++report.samples_refused;
        log->warn("{}: refused a part of the regional picture: {}", me, b.error().message);
        continue;
      }
      if (b->part == 0) {
        regional.clear();
        regional_rows = 0;
      }
      for (PictureRow& r : b->rows) {
        auto label = security::from_label(r.label, params.parties);
        if (!label) {
          ++report.samples_refused;
          log->warn("{}: refused a regional track: {}", me, label.error().message);
          continue;
        }
        r.update.row.label = *label;
        ++report.picture_rows;
        ++regional_rows;
        if (picture_out) picture_out->write(std::span(&r.update.row, 1));
        regional[r.update.row.track_number] = std::move(r.update.row);
      }
      if (b->part + 1 < b->parts) continue;
      ++report.picture_fusions;
      if (regional_rows != b->total) {
        ++report.picture_short;
        log->warn("{}: the regional picture at t={} s: {} rows came of {}", me, b->time.s(), regional_rows, b->total);
      }
      regional_through = b->time;
    }
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
  if (params.feed_domain == params.domain)
    return fail(Errc::invalid_argument, "the feed and the federation share DDS domain " + std::to_string(params.domain));
  const security::CategorySet centre_need = centre->receiver.need_to_know;
  auto bus = DdsBus::open(params.domain, params.keys.record.node);
  if (!bus) return fail(bus.error());
  auto feed_bus = DdsBus::open(params.feed_domain, params.keys.record.node);
  if (!feed_bus) return fail(feed_bus.error());
  auto impl = std::make_unique<Impl>(std::move(params), std::move(*bus), std::move(*feed_bus));
  Impl& s = *impl;
  s.centre_need = centre_need;
  // The controller on the feed's domain, every other peer on the federation's.
  std::vector<PeerNode> peers, feed_peers;
  std::vector<IngressPeer> in_peers, feed_in_peers;
  for (const PeerNode& p : s.params.peers) {
    const bool feed = p.node == s.params.controller;
    (feed ? feed_peers : peers).push_back(p);
    (feed ? feed_in_peers : in_peers).push_back({p.node, p.key});
  }
  const auto refused = [&s](const std::string& why) {
    ++s.report.samples_refused;
    s.log->warn("{}: refused {}", s.params.keys.record.node, why);
  };
  s.out.emplace(s.bus, s.params.keys, s.params.parties, std::move(peers), s.params.agreement_in_force,
                security::ReleaseGate::OnDecision{}, sequence_base(s.params.start_unix_ms));
  s.feed_out.emplace(s.feed_bus, s.params.keys, s.params.parties, std::move(feed_peers), s.params.agreement_in_force,
                     security::ReleaseGate::OnDecision{}, sequence_base(s.params.start_unix_ms));
  s.in.emplace(s.bus, std::move(in_peers), s.params.keyring, refused);
  s.feed_in.emplace(s.feed_bus, std::move(feed_in_peers), s.params.keyring, refused);
  if (!s.params.picture_out.empty()) {
    auto w = picture::TrackCsvWriter::open(s.params.picture_out);
    if (!w) return fail(w.error());
    s.picture_out.emplace(std::move(*w));
  }
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
  Heartbeat hb{me, s.params.start_unix_ms, 0, {}};
  SimTime next_beat = start, next_check = start, last_feed = start;
  const security::ItemLabel control = control_label(s.params.parties, s.params.keys.record.party);
  const auto note = [&](const std::vector<LinkChange>& changes) {
    // A change goes out at once in this node's next heartbeat, so the others see it too.
    if (!changes.empty()) next_beat = clock();
    for (const LinkChange& c : changes) {
      s.log->info("{}: link to {} {} -> {}{}: {}", me, c.node, to_string(c.from), to_string(c.to),
                  c.restarted ? " (restarted)" : "", c.reason);
      s.report.links.push_back(c);
      // Back after a loss, or a new centre: it must be told everything again.
      if (c.node == s.params.centre && c.to == LinkState::up && (c.from == LinkState::down || c.restarted))
        s.snapshot_due = true;
    }
  };
  bool ended = false;
  SimTime end_wait;  // after the controller's end: until then for the centre's last picture
  const SimTime kLast = SimTime::from_ns(std::numeric_limits<std::int64_t>::max());
  while (!stop.load() && !(ended && ((s.regional_through && *s.regional_through == kLast) || clock() > end_wait))) {
    const SimTime now = clock();
    if (now >= next_beat) {
      ++hb.beat;
      hb.links = links.view();
      for (Egress* e : {&*s.out, &*s.feed_out})
        if (auto ok = e->send(Topic::heartbeats, 0, now, control, encode_heartbeat(hb)); !ok) return fail(ok.error());
      next_beat = now + SimTime::from_s(s.params.links.period_s);
    }
    const auto refused = [&](const std::string& why) { s.log->warn("{}: {}", me, why); };
    note(hear_heartbeats(*s.in, links, clock(), unix_now(), refused));
    note(hear_heartbeats(*s.feed_in, links, clock(), unix_now(), refused));
    if (now >= next_check) {
      note(links.check(now));
      next_check = now + SimTime::from_s(s.params.links.check_s);
    }
    for (ReportedChange& r : links.take_reported()) {
      s.log->info("{}: {} reports its link to {} {} -> {}", me, r.reporter, r.node, to_string(r.from), to_string(r.to));
      s.report.reported.push_back(std::move(r));
    }
    s.take_picture(unix_now());
    s.take_orders(unix_now());
    const bool centre_down = links.state(s.params.centre) == LinkState::down;
    if (s.snapshot_due && !centre_down && s.picture)
      if (auto ok = s.send_snapshot(); !ok) return fail(ok.error());
    bool fed = false;
    for (const OpenedSample& o : s.feed_in->take(Topic::feed, unix_now())) {
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
        if (auto ok = s.send_updates(w->end, centre_down); !ok) return fail(ok.error());
      } else if (auto* l = std::get_if<FeedLink>(&*m)) {
        // The exercise's fault: this process's federation domain deaf and mute, or restored.
        if (auto ok = s.bus.set_cut(l->cut); !ok) return fail(ok.error());
        if (l->cut) ++s.report.cuts;
        s.log->info("{}: the exercise {} its federation link", me, l->cut ? "cut" : "restored");
      } else if (!ended) {
        if (s.picture) {
          s.picture->finish();
          if (auto ok = s.send_updates(kLast, centre_down); !ok) return fail(ok.error());
        }
        ended = true;
        end_wait = clock() + SimTime::from_s(10.0);
      }
    }
    if (fed) last_feed = clock();
    if (!ended && (clock() - last_feed).s() > s.params.idle_timeout_s)
      return fail(Errc::io_error, me + ": no feed from " + s.params.controller + " for " +
                                      std::to_string(static_cast<int>(s.params.idle_timeout_s)) + " s");
    if (!fed) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  if (ended && !(s.regional_through && *s.regional_through == kLast))
    s.log->warn("{}: the centre's last regional picture did not come within 10 s", me);
  if (s.picture_out)
    if (auto ok = s.picture_out->commit(); !ok) return fail(ok.error());
  s.bus.flush(5.0);
  s.feed_bus.flush(1.0);
  return s.report;
}

}  // namespace jrads::federation
