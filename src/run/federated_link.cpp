#include "federated_link_impl.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "jrads/core/log.hpp"
#include "jrads/core/csv_format.hpp"
#include "jrads/federation/alert_payload.hpp"
#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/egress.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/ingress.hpp"
#include "jrads/federation/link_monitor.hpp"
#include "jrads/federation/national_node.hpp"
#include "jrads/federation/order_payload.hpp"
#include "jrads/federation/picture_batch.hpp"
#include "jrads/security/keys.hpp"

namespace jrads::run {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

SimTime mono_now() {
  return SimTime::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

}  // namespace

struct FederatedLink::Impl {
  FederationOptions options;
  security::PartyTable parties;
  security::Keyring keyring;
  security::NodeKeys controller_keys, centre_keys;
  std::optional<federation::DdsBus> controller_bus, centre_bus;
  std::optional<federation::Egress> feed_out, centre_out;
  std::optional<federation::Ingress> feed_in, centre_in;
  std::map<std::string, std::deque<federation::TrackUpdate>> pending;  // by sending node
  std::map<std::string, federation::TracksDone> done;                 // each node's latest mark
  std::map<std::string, std::vector<picture::Alert>> alerts;          // by sending node
  std::map<std::string, std::uint64_t> alerts_in;                     // received, in all
  std::vector<picture::SensorSite> site_table;                        // the run's; sent again to a restarted node
  struct LastWindow {
    SimTime end;
    std::vector<std::string> lines;
    security::ItemLabel label;
  };
  std::map<std::string, LastWindow> last_window;                      // by party
  std::map<std::string, bool> resyncing;                              // by party: sites not yet confirmed
  std::map<std::string, bool> restarted;                              // by party: since its last collect
  std::map<std::string, bool> abandoned;                              // by party: did not resynchronise
  std::map<std::string, SimTime> sent_through;                        // by party: the last window (or end) it was sent
  std::uint64_t beat = 0;
  Clock::time_point next_beat = Clock::now();
  std::optional<federation::LinkMonitor> links;       // the centre's view of the national nodes
  std::optional<federation::LinkMonitor> feed_links;  // the controller's (the feed's domain)
  std::vector<federation::LinkChange> changes_;  // not yet taken
  // The exercise's cuts, and what was seen of each.
  struct CutSeen {
    std::string node;
    std::uint64_t window = 0, windows = 0;
    Clock::time_point at;
    double loss_seen_s = -1.0;      // from the cut to the centre's "down"; -1: not within 5 s
    double snapshot_s = -1.0;       // from the restore to the node's snapshot mark; -1: none within 5 s
    std::uint64_t snapshots_before = 0;
    bool restored = false, checked = false;
    std::uint64_t node_tracks = 0, centre_tracks = 0;
    TrackCheck check;
  };
  std::vector<CutSeen> cuts_seen;
  std::map<std::string, std::size_t> cut_open;  // by party: its cut being restored, not yet checked
  std::uint64_t marks_checked = 0, marks_disagreeing = 0;
  std::map<std::string, security::CategorySet> picture_need;  // by national node: its need-to-know for the picture
  std::uint64_t picture_sent = 0, picture_refused = 0;        // regional rows to the nodes
  std::uint64_t orders_sent = 0, orders_refused = 0;          // to the units' national nodes
  std::uint64_t picture_unsendable = 0;                       // rows the nodes would refuse: left out
  std::set<std::uint32_t> unsendable_told;                    // their tracks, logged once each
  std::uint64_t epoch = static_cast<std::uint64_t>(  // this process's start, Unix ms: new at each run
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::shared_ptr<spdlog::logger> log = logger("run");

  const std::string& node_of(const std::string& party) const { return options.nationals.at(party); }

  // A node came back as a new process: the sites go to it again (with the windows, until it
  // answers); its marks and alert count start afresh, and what its old process sent last is
  // dropped (those tracks are orphans now).
  void resync(const std::string& node) {
    for (const auto& [party, n] : options.nationals) {
      if (n != node) continue;
      resyncing[party] = true;
      abandoned[party] = false;
      restarted[party] = true;
    }
    done.erase(node);
    alerts_in.erase(node);
    pending.erase(node);
    alerts.erase(node);
  }

  // Both participants' heartbeats once a second, so the national nodes see their links up;
  // theirs taken, and both views of the links checked, at every call.
  Result<void> pulse() {
    if (Clock::now() >= next_beat) {
      next_beat = Clock::now() + std::chrono::seconds(1);
      ++beat;
      for (auto* pair : {&*feed_out, &*centre_out}) {
        const std::string& node = pair == &*feed_out ? options.controller : options.centre;
        const std::string& party = (pair == &*feed_out ? controller_keys : centre_keys).record.party;
        const federation::Heartbeat hb{node, epoch, beat, (pair == &*feed_out ? *feed_links : *links).view()};
        auto ok = pair->send(federation::Topic::heartbeats, 0, mono_now(), federation::control_label(parties, party),
                             federation::encode_heartbeat(hb));
        if (!ok) return fail(ok.error());
      }
    }
    note(federation::hear_heartbeats(*centre_in, *links, mono_now(), unix_now(), [&](const std::string& why) {
      log->warn("{}: {}", options.centre, why);
    }));
    note(links->check(mono_now()));
    note_feed(federation::hear_heartbeats(*feed_in, *feed_links, mono_now(), unix_now(), [&](const std::string& why) {
      log->warn("{}: {}", options.controller, why);
    }));
    note_feed(feed_links->check(mono_now()));
    for (auto* monitor : {&*links, &*feed_links})
      for (const federation::ReportedChange& r : monitor->take_reported())
        log->info("{}: {} reports its link to {} {} -> {}", monitor == &*links ? options.centre : options.controller,
                  r.reporter, r.node, federation::to_string(r.from), federation::to_string(r.to));
    return {};
  }

  // The centre's links: the picture follows them (take_link_changes).
  void note(const std::vector<federation::LinkChange>& changes) {
    // Shown to every node at once: the next pulse's heartbeats carry the change.
    if (!changes.empty()) next_beat = Clock::now();
    changes_.insert(changes_.end(), changes.begin(), changes.end());
    for (const federation::LinkChange& c : changes) {
      log->info("{}: link to {} {} -> {}{}: {}", options.centre, c.node, federation::to_string(c.from),
                federation::to_string(c.to), c.restarted ? " (restarted)" : "", c.reason);
      if (c.to != federation::LinkState::down) continue;
      for (CutSeen& cut : cuts_seen)
        if (cut.node == c.node && !cut.restored && cut.loss_seen_s < 0.0)
          cut.loss_seen_s = std::chrono::duration<double>(Clock::now() - cut.at).count();
    }
  }

  // The controller's links: a node lost here is not fed; one restarted is resynchronised.
  void note_feed(const std::vector<federation::LinkChange>& changes) {
    if (!changes.empty()) next_beat = Clock::now();
    for (const federation::LinkChange& c : changes) {
      log->info("{}: link to {} {} -> {}{}: {}", options.controller, c.node, federation::to_string(c.from),
                federation::to_string(c.to), c.restarted ? " (restarted)" : "", c.reason);
      // At once, not at the next window: a window may go to the new process before that.
      if (c.restarted) resync(c.node);
    }
  }

  // Pulses until `done` or `timeout_s`; whether it was done.
  Result<bool> wait_until(double timeout_s, const std::function<bool()>& met) {
    const auto until = Clock::now() + std::chrono::duration<double>(timeout_s);
    while (!met()) {
      if (Clock::now() > until) return false;
      if (auto ok = pulse(); !ok) return fail(ok.error());
      drain();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  Result<void> send_link(const std::string& party, bool cut) {
    auto ok = feed_out->send_to(node_of(party), federation::Topic::feed, 0, SimTime{},
                                federation::control_label(parties, controller_keys.record.party),
                                federation::encode_feed_link({cut}));
    if (!ok) return fail(ok.error());
    return {};
  }

  // The run's sensor table to the party's node.
  Result<void> send_sites(const std::string& party) {
    auto ok = feed_out->send_to(node_of(party), federation::Topic::feed, 0, SimTime{},
                                federation::control_label(parties, controller_keys.record.party),
                                federation::encode_feed_sites(site_table, parties));
    if (!ok) return fail(ok.error());
    if (*ok == 0) return fail(Errc::invalid_argument, "the sensor sites were not released to " + node_of(party));
    return {};
  }

  void drain() {
    for (federation::OpenedSample& s : centre_in->take(federation::Topic::alerts, unix_now())) {
      auto a = federation::decode_alert(s.payload, site_table.size());
      auto label = security::from_label(s.label, parties);
      ++alerts_in[s.header.sender];  // counted even when refused: the mark counts what was sent
      if (!a || !label) {
        log->warn("{}: refused an alert from {}: {}", options.centre, s.header.sender,
                  !a ? a.error().message : label.error().message);
        continue;
      }
      a->label = *label;
      alerts[s.header.sender].push_back(std::move(*a));
    }
    for (federation::OpenedSample& s : centre_in->take(federation::Topic::tracks, unix_now())) {
      if (s.header.stream == 0) {
        auto t = federation::decode_tracks_done(s.payload);
        if (!t) {
          log->warn("{}: refused a mark from {}: {}", options.centre, s.header.sender, t.error().message);
          continue;
        }
        done[s.header.sender] = *t;
        continue;
      }
      auto u = federation::decode_track_update(s.payload);
      if (!u) {
        log->warn("{}: refused a track update from {}: {}", options.centre, s.header.sender, u.error().message);
        continue;
      }
      auto label = security::from_label(s.label, parties);
      if (!label) {
        log->warn("{}: refused a track update from {}: {}", options.centre, s.header.sender, label.error().message);
        continue;
      }
      u->row.label = *label;
      pending[s.header.sender].push_back(std::move(*u));
    }
  }
};

FederatedLink::FederatedLink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FederatedLink::~FederatedLink() = default;

Result<std::unique_ptr<FederatedLink>> FederatedLink::open(const FederationOptions& options,
                                                           const security::PartyTable& parties,
                                                           bool agreement_in_force) {
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;
  s.options = options;
  s.parties = parties;
  auto ring = security::Keyring::load(options.keys);
  if (!ring) return fail(ring.error());
  s.keyring = std::move(*ring);
  auto ck = security::load_node(options.keys, options.controller);
  if (!ck) return fail(ck.error());
  auto rk = security::load_node(options.keys, options.centre);
  if (!rk) return fail(rk.error());
  s.controller_keys = std::move(*ck);
  s.centre_keys = std::move(*rk);
  if (options.feed_domain == options.domain)
    return fail(Errc::invalid_argument, "the feed and the federation share DDS domain " + std::to_string(options.domain));
  auto cb = federation::DdsBus::open(options.feed_domain, options.controller);
  if (!cb) return fail(cb.error());
  auto rb = federation::DdsBus::open(options.domain, options.centre);
  if (!rb) return fail(rb.error());
  s.controller_bus.emplace(std::move(*cb));
  s.centre_bus.emplace(std::move(*rb));
  std::vector<federation::PeerNode> feed_peers, centre_peers;
  std::vector<federation::IngressPeer> in_peers, feed_in_peers;
  for (const auto& [party, node] : options.nationals) {
    const security::PublicKeyRecord* rec = s.keyring.current(node);
    if (rec == nullptr) return fail(Errc::missing_key, "no public key of node " + node + " in " + options.keys.string());
    security::Receiver r;
    r.party = party;
    r.clearance = security::Level::secret;
    r.need_to_know = security::kAllCategories;  // its own sensors' reports and control samples
    auto kc = s.controller_keys.agreement.shared_key(rec->agree_public);
    auto kr = s.centre_keys.agreement.shared_key(rec->agree_public);
    if (!kc || !kr) return fail(Errc::invalid_argument, "no pair key with node " + node);
    feed_peers.push_back({node, r, *kc});
    // The regional picture goes down to it as to its party's files (release_export.hpp): the
    // lead's node may know which sensors saw a track, another party's may not.
    security::Receiver down = r;
    if (party != s.centre_keys.record.party)
      down.need_to_know &= ~security::category_bit(security::Category::sensors);
    s.picture_need[node] = down.need_to_know;
    centre_peers.push_back({node, down, *kr});
    in_peers.push_back({node, *kr});
    feed_in_peers.push_back({node, *kc});
  }
  s.feed_out.emplace(*s.controller_bus, s.controller_keys, parties, feed_peers, agreement_in_force,
                     security::ReleaseGate::OnDecision{});
  s.centre_out.emplace(*s.centre_bus, s.centre_keys, parties, centre_peers, agreement_in_force,
                       security::ReleaseGate::OnDecision{});
  s.centre_in.emplace(*s.centre_bus, std::move(in_peers), s.keyring, [&s](const std::string& why) {
    s.log->warn("{}: refused {}", s.options.centre, why);
  });
  s.feed_in.emplace(*s.controller_bus, std::move(feed_in_peers), s.keyring, [&s](const std::string& why) {
    s.log->warn("{}: refused {}", s.options.controller, why);
  });
  std::vector<std::string> national_nodes;
  for (const auto& [party, node] : options.nationals) national_nodes.push_back(node);
  s.links.emplace(national_nodes, federation::LinkParams{}, mono_now());
  s.feed_links.emplace(national_nodes, federation::LinkParams{}, mono_now());
  // Discovery: each national node's feed reader, and its tracks writer and reader, by name (a
  // count could be made up by someone else's, a test's tap say).
  const auto has = [](const std::vector<std::string>& nodes, const std::string& node) {
    return std::find(nodes.begin(), nodes.end(), node) != nodes.end();
  };
  const auto joined = [&] {
    const auto feed = s.controller_bus->matched_reader_nodes(federation::Topic::feed);
    const auto from = s.centre_bus->matched_writer_nodes(federation::Topic::tracks);
    const auto to = s.centre_bus->matched_reader_nodes(federation::Topic::tracks);
    return std::all_of(national_nodes.begin(), national_nodes.end(),
                       [&](const std::string& n) { return has(feed, n) && has(from, n) && has(to, n); });
  };
  const auto deadline = Clock::now() + std::chrono::duration<double>(options.answer_timeout_s);
  while (!joined()) {
    if (Clock::now() > deadline)
      return fail(Errc::io_error, "the national nodes did not join DDS domain " + std::to_string(options.domain) +
                                      " within " + std::to_string(static_cast<int>(options.answer_timeout_s)) + " s");
    if (auto ok = s.pulse(); !ok) return fail(ok.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::unique_ptr<FederatedLink>(new FederatedLink(std::move(impl)));
}

Result<void> FederatedLink::send_sites(const std::string& party, std::span<const picture::SensorSite> sites) {
  impl_->site_table.assign(sites.begin(), sites.end());
  return impl_->send_sites(party);
}

Result<void> FederatedLink::send_window(const std::string& party, SimTime end, std::span<const std::string> lines,
                                        const security::ItemLabel& label) {
  Impl& s = *impl_;
  if (auto ok = s.pulse(); !ok) return ok;
  // Nothing to a node the controller has lost: its reader may still be matched (until its
  // lease ends), and a reliable writer would block on what that reader never acknowledges. A
  // node cut off from the centre is still fed: its sensors are its own.
  if (s.feed_links->state(s.node_of(party)) == federation::LinkState::down || s.abandoned[party]) return {};
  auto ok = s.feed_out->send_to(s.node_of(party), federation::Topic::feed, 0, end, label,
                                federation::encode_feed_window(end, lines));
  if (!ok) return fail(ok.error());
  s.last_window[party] = {end, std::vector<std::string>(lines.begin(), lines.end()), label};
  s.sent_through[party] = end;
  if (*ok == 0) return fail(Errc::invalid_argument, "a window of reports was not released to " + s.node_of(party));
  return {};
}

Result<void> FederatedLink::send_end(const std::string& party) {
  Impl& s = *impl_;
  if (s.feed_links->state(s.node_of(party)) == federation::LinkState::down) return {};
  auto ok = s.feed_out->send_to(s.node_of(party), federation::Topic::feed, 0, SimTime{},
                                federation::control_label(s.parties, s.controller_keys.record.party),
                                federation::encode_feed_end());
  if (!ok) return fail(ok.error());
  s.sent_through[party] = SimTime::from_ns(std::numeric_limits<std::int64_t>::max());
  return {};
}

Result<FederatedLink::Collected> FederatedLink::collect(const std::string& party, SimTime through) {
  Impl& s = *impl_;
  const std::string& node = s.node_of(party);
  const auto deadline = Clock::now() + std::chrono::duration<double>(s.options.answer_timeout_s);
  bool lost = false;
  auto next_resend = Clock::now();
  const auto resync_deadline = Clock::now() + std::chrono::seconds(5);
  // Not waited for: a node given up, or one that was down when this window went out.
  const auto sent = s.sent_through.find(party);
  if (s.abandoned[party] || sent == s.sent_through.end() || sent->second < through) {
    Collected none;
    none.lost = true;
    none.restarted = std::exchange(s.restarted[party], false);
    return none;
  }
  for (;;) {
    if (s.resyncing[party] && Clock::now() > resync_deadline) {
      // Fail-safe, never stalled: the run goes on without this node's picture.
      s.log->warn("{}: {} did not resynchronise within 5 s; its picture is left out for the rest of the run",
                  s.options.centre, node);
      s.abandoned[party] = true;
      lost = true;
      break;
    }
    // A restarted node may have joined after the sites were sent (the feed is volatile): the
    // sites and the window again, until it answers (it ignores a window it has done).
    if (s.resyncing[party] && Clock::now() >= next_resend && s.last_window.count(party) != 0) {
      next_resend = Clock::now() + std::chrono::milliseconds(200);
      if (auto ok = s.send_sites(party); !ok) return fail(ok.error());
      const Impl::LastWindow w = s.last_window.at(party);
      if (auto ok = send_window(party, w.end, w.lines, w.label); !ok) return fail(ok.error());
    }
    s.drain();
    const auto d = s.done.find(node);
    if (d != s.done.end() && d->second.through >= through && s.alerts_in[node] >= d->second.alerts) {
      s.resyncing[party] = false;
      break;
    }
    // Fail-safe, never stalled: a node whose link is down is not waited for.
    if (s.links->state(node) == federation::LinkState::down) {
      lost = true;
      break;
    }
    if (Clock::now() > deadline)
      return fail(Errc::io_error, "national node " + node + " sent no tracks through t=" + std::to_string(through.s()) +
                                      " s within " + std::to_string(static_cast<int>(s.options.answer_timeout_s)) + " s");
    if (auto ok = s.pulse(); !ok) return fail(ok.error());
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::deque<federation::TrackUpdate>& q = s.pending[node];
  Collected out;
  out.updates.assign(std::make_move_iterator(q.begin()), std::make_move_iterator(q.end()));
  q.clear();
  out.alerts = std::move(s.alerts[node]);
  s.alerts[node].clear();
  out.lost = lost;
  out.restarted = std::exchange(s.restarted[party], false);
  if (!lost) {
    out.mark = s.done.at(node);
    out.resynced = s.cut_open.count(party) != 0;
  }
  return out;
}

Result<void> FederatedLink::send_orders(std::span<const node::Order> orders) {
  Impl& s = *impl_;
  for (const node::Order& o : orders) {
    const auto node = s.options.nationals.find(o.unit_party);
    if (node == s.options.nationals.end()) continue;  // a party without a node of its own
    auto sent = s.centre_out->send_to(node->second, federation::Topic::orders, 0, o.at, o.label,
                                      federation::encode_order(o));
    if (!sent) return fail(sent.error());
    ++(*sent > 0 ? s.orders_sent : s.orders_refused);
  }
  return {};
}

Result<void> FederatedLink::send_picture(SimTime time, std::span<const federation::TrackUpdate> rows) {
  Impl& s = *impl_;
  const security::CategorySet sensors = security::category_bit(security::Category::sensors);
  const security::PartyIndex lead = s.parties.index(s.centre_keys.record.party).value_or(0);
  // A row the nodes' decoder would refuse (a coasting track predicted below -1000 m, say) is
  // left out, not sent to spoil its whole part; each such track is logged once.
  std::vector<bool> sendable(rows.size(), true);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto back = federation::decode_track_update(federation::encode_track_update(rows[i]));
    if (back) continue;
    sendable[i] = false;
    ++s.picture_unsendable;
    if (s.unsendable_told.insert(rows[i].row.track_number).second)
      s.log->warn("{}: regional track {} is left out of the picture sent down: {}", s.options.centre,
                  rows[i].row.track_number, back.error().message);
  }
  for (const auto& [party, node] : s.options.nationals) {
    // Nothing to a node whose link is down: a reliable writer would only queue it.
    if (s.links->state(node) == federation::LinkState::down) continue;
    const bool strip = (s.picture_need.at(node) & sensors) == 0;
    std::vector<federation::PictureRow> released;
    std::vector<security::ItemLabel> labels;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!sendable[i]) continue;
      const federation::TrackUpdate& row = rows[i];
      security::ItemLabel label = strip ? security::without_categories(row.row.label, sensors) : row.row.label;
      if (!s.centre_out->releasable(node, label, time)) {
        ++s.picture_refused;
        continue;
      }
      federation::PictureRow r{security::to_label(label, s.parties, time), row};
      if (strip) r.update.sensors.clear();
      released.push_back(std::move(r));
      labels.push_back(label);
    }
    s.picture_sent += released.size();
    std::size_t first = 0;
    for (const federation::PictureBatch& part : federation::split_picture(time, std::move(released))) {
      // The part's label combines its rows' (each releasable, so the combination is too).
      security::ItemLabel label = federation::control_label(s.parties, s.centre_keys.record.party);
      for (std::size_t i = first; i < first + part.rows.size(); ++i)
        label = i == first ? labels[i] : security::combine(label, labels[i], lead);
      first += part.rows.size();
      auto ok = s.centre_out->send_to(node, federation::Topic::tracks, 0, time, label,
                                      federation::encode_picture_batch(part));
      if (!ok) return fail(ok.error());
      if (*ok == 0) return fail(Errc::invalid_argument, "a part of the regional picture was not released to " + node);
    }
  }
  return {};
}

Result<std::vector<std::string>> FederatedLink::before_window(std::uint64_t index) {
  Impl& s = *impl_;
  std::vector<std::string> cut_now;
  for (const LinkCut& cut : s.options.cuts) {
    if (cut.from == index) {
      const std::string& node = s.node_of(cut.party);
      Impl::CutSeen seen;
      seen.node = node;
      seen.window = cut.from;
      seen.windows = cut.windows;
      seen.at = Clock::now();
      const auto d = s.done.find(node);
      seen.snapshots_before = d == s.done.end() ? 0 : d->second.snapshots;
      s.cuts_seen.push_back(seen);
      s.log->info("{}: cut the federation link of {} for {} windows (deaf and mute)", s.options.controller, node,
                  cut.windows);
      if (auto ok = s.send_link(cut.party, true); !ok) return fail(ok.error());
      cut_now.push_back(cut.party);
    }
    if (cut.from + cut.windows != index) continue;
    const std::string& node = s.node_of(cut.party);
    auto it = std::find_if(s.cuts_seen.rbegin(), s.cuts_seen.rend(), [&](const Impl::CutSeen& c) { return c.node == node; });
    if (it == s.cuts_seen.rend() || it->restored) continue;
    Impl::CutSeen& seen = *it;
    // Both ends must have seen the loss: the centre's down, and the bound for the node's.
    const double bound = federation::detection_bound_s(federation::LinkParams{}) + 0.5;
    auto ok = s.wait_until(5.0, [&] {
      return s.links->state(node) == federation::LinkState::down &&
             std::chrono::duration<double>(Clock::now() - seen.at).count() >= bound;
    });
    if (!ok) return fail(ok.error());
    if (!*ok) s.log->warn("{}: the centre did not see {}'s link down within 5 s", s.options.controller, node);
    if (auto sent = s.send_link(cut.party, false); !sent) return fail(sent.error());
    seen.restored = true;
    const auto restored_at = Clock::now();
    const SimTime through = s.sent_through.count(cut.party) != 0 ? s.sent_through.at(cut.party) : SimTime{};
    auto snap = s.wait_until(5.0, [&] {
      const auto d = s.done.find(node);
      return s.links->state(node) == federation::LinkState::up && d != s.done.end() &&
             d->second.snapshots > seen.snapshots_before && d->second.through >= through;
    });
    if (!snap) return fail(snap.error());
    if (*snap) {
      seen.snapshot_s = std::chrono::duration<double>(Clock::now() - restored_at).count();
      s.cut_open[cut.party] = static_cast<std::size_t>(&seen - s.cuts_seen.data());
    } else {
      s.log->warn("{}: no snapshot from {} within 5 s of restoring its link", s.options.controller, node);
    }
    s.log->info("{}: restored {}'s link: loss seen by the centre after {:.2f} s, snapshot after {:.2f} s",
                s.options.controller, node, seen.loss_seen_s, seen.snapshot_s);
  }
  return cut_now;
}

void FederatedLink::check_tracks(const std::string& party, const std::optional<federation::TracksDone>& mark,
                                 bool resynced, const TrackCheck& t) {
  Impl& s = *impl_;
  const std::size_t held = t.held;
  if (!mark || mark->through == SimTime::from_ns(std::numeric_limits<std::int64_t>::max())) return;
  const auto open = s.cut_open.find(party);
  if (resynced && open != s.cut_open.end()) {
    Impl::CutSeen& seen = s.cuts_seen[open->second];
    seen.checked = true;
    seen.node_tracks = mark->live;
    seen.centre_tracks = held;
    seen.check = t;
    s.log->info("{}: {} resynchronised: it holds {} tracks, the centre {}; of its {} live ones {} kept their regional "
                "number, {} changed it, {} are missing",
                s.options.centre, seen.node, mark->live, held, t.live, t.kept, t.renumbered, t.missing);
    s.cut_open.erase(open);
    return;
  }
  ++s.marks_checked;
  if (held != mark->live) {
    ++s.marks_disagreeing;
    s.log->warn("{}: {} holds {} tracks through t={} s, the centre {} of them", s.options.centre, s.node_of(party),
                mark->live, mark->through.s(), held);
  }
}

Result<void> FederatedLink::write_report(const std::filesystem::path& path) const {
  const Impl& s = *impl_;
  nlohmann::json j;
  j["domain"] = s.options.domain;
  j["feed_domain"] = s.options.feed_domain;
  j["refused"] = s.centre_in->refused() + s.feed_in->refused();
  std::uint64_t lost = 0, duplicated = 0, renumbered = 0, unchecked = 0, unseen = 0;
  double slowest = 0.0;
  j["cuts"] = nlohmann::json::array();
  for (const Impl::CutSeen& c : s.cuts_seen) {
    // Lost: a live track of the node the centre does not hold (or fewer held than it has);
    // duplicated: more held than it has.
    const std::uint64_t l = std::max<std::uint64_t>(c.check.missing, c.node_tracks > c.centre_tracks ? c.node_tracks - c.centre_tracks : 0);
    const std::uint64_t d = c.centre_tracks > c.node_tracks ? c.centre_tracks - c.node_tracks : 0;
    if (c.checked) {
      lost += l;
      duplicated += d;
      renumbered += c.check.renumbered;
    } else {
      ++unchecked;
    }
    if (c.loss_seen_s < 0.0) {
      ++unseen;
    } else {
      slowest = std::max(slowest, c.loss_seen_s);
    }
    j["cuts"].push_back({{"node", c.node}, {"window", c.window}, {"windows", c.windows},
                         {"loss_seen_s", c.loss_seen_s}, {"snapshot_s", c.snapshot_s}, {"checked", c.checked},
                         {"node_tracks", c.node_tracks}, {"centre_tracks", c.centre_tracks},
                         {"updated_tracks", c.check.live}, {"kept_number", c.check.kept},
                         {"renumbered", c.check.renumbered}, {"lost", l}, {"duplicated", d}});
  }
  j["resynchronisations"] = {{"cuts", s.cuts_seen.size()}, {"unchecked", unchecked},
                             {"tracks_lost", lost}, {"tracks_duplicated", duplicated}, {"tracks_renumbered", renumbered},
                             {"slowest_loss_seen_s", slowest}, {"losses_unseen", unseen}};
  j["marks"] = {{"checked", s.marks_checked}, {"disagreeing", s.marks_disagreeing}};
  j["regional_picture_down"] = {{"rows_released", s.picture_sent},
                                {"rows_refused", s.picture_refused},
                                {"rows_unsendable", s.picture_unsendable}};
  j["orders_down"] = {{"released", s.orders_sent}, {"refused", s.orders_refused}};
  auto f = OutputFile::open(path);
  if (!f) return fail(f.error());
  f->buffer() += j.dump(2) + "\n";
  return f->commit();
}

std::uint64_t FederatedLink::refused() const { return impl_->centre_in->refused(); }

std::vector<federation::LinkChange> FederatedLink::take_link_changes() {
  if (auto ok = impl_->pulse(); !ok) impl_->log->warn("{}: {}", impl_->options.centre, ok.error().message);
  return std::exchange(impl_->changes_, {});
}

std::string FederatedLink::party_of(const std::string& node) const {
  for (const auto& [party, n] : impl_->options.nationals)
    if (n == node) return party;
  return {};
}

}  // namespace jrads::run
