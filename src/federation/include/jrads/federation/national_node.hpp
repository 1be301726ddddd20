#pragma once
// A national node as a process (`jrads node --config` with role national): the exercise
// controller's feed of its own sensors' reports in (on the feed's DDS domain), its picture's
// track updates out to the regional centre (on the federation's), heartbeats with every peer,
// and each link's changes logged.
//
//   NationalNode node = NationalNode::make(params).value();
//   Result<NationalNodeReport> r = node.run(clock, stop);   // until the controller's end
//
// Every sample it sends goes through the egress (release gate, then sealed for the peer); every
// sample it takes through the ingress (opened, new, in order); a refused one is logged with its
// reason. The updates of each window are followed by a "tracks done" mark, so the centre knows
// when it has all of them (the run is stepped by the controller's windows, not by the clock).
//
// Fail-safe under a cut link: the exercise may cut the node's federation link (Cyclone's deaf
// and mute, FeedLink); its sensors' feed goes on. While its link to the centre is down the node
// keeps its own picture and sends the centre no tracks (its alerts wait); when the link comes
// back it sends a snapshot: every live track, and an end for each track the centre was last
// told of that has gone since. Its marks tell the centre how many tracks it holds, so that the
// centre can check that it lost and duplicated none.
//
// The centre sends the regional picture back down: after each fusion, the regional rows the
// release gate lets this node have (picture_batch.hpp). The node keeps the latest fusion's, and
// writes every row to picture_out. After the controller's end it waits (at most 10 s) for the
// centre's last, empty picture at the end.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/federation/egress.hpp"
#include "jrads/federation/link_monitor.hpp"
#include "jrads/node/fire_unit_gate.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/security/keys.hpp"

namespace jrads::federation {

struct NationalNodeParams {
  std::uint32_t domain = 0;       // the federation's DDS domain: the centre
  std::uint32_t feed_domain = 1;  // the feed's: the exercise controller (must differ)
  security::NodeKeys keys;      // this node's; keys.record.party is its party
  security::Keyring keyring;    // every peer's public key record
  security::PartyTable parties;
  picture::TrackerParams tracker;  // its label originator is set to this node's party
  std::string controller;          // the exercise controller's node id: the feed's sender
  std::string centre;              // the regional centre's node id: where the tracks go
  std::vector<PeerNode> peers;     // the controller and the centre at least (receivers, pair keys)
  bool agreement_in_force = true;
  LinkParams links;
  // When this process started, Unix ms (>= 1): its heartbeats' epoch, new at each restart, and
  // its egress's first sequence number (sequence_base), so replays stay refused across restarts.
  std::uint64_t start_unix_ms = 1;
  double idle_timeout_s = 60.0;    // no feed for this long (wall clock): give up
  // Where it writes the regional picture the centre sends it (tracks.csv, FORMATS); empty: not.
  std::filesystem::path picture_out;
  // Its party's fire units' gate: it holds the orders the centre sends them (jrads/orders),
  // each once. Empty: the node takes no orders (a sample on the topic is refused).
  std::optional<node::FireUnitGate> gate;
};

struct NationalNodeReport {
  std::uint64_t windows = 0, reports = 0, updates_sent = 0, updates_refused = 0;
  std::uint64_t samples_refused = 0;  // by the ingress
  std::uint64_t cuts = 0;             // the exercise cut its federation link this many times
  std::uint64_t snapshots = 0;        // sent to the centre when the link came back
  // The regional picture from the centre: rows and fusions taken, and fusions whose rows did
  // not all arrive (0 unless rows were lost).
  std::uint64_t picture_rows = 0, picture_fusions = 0, picture_short = 0;
  std::vector<LinkChange> links;      // every change, in order
  std::vector<ReportedChange> reported;  // what its peers said of their own links, every change
  node::GateCounts orders;               // its units' gate: orders held, repeated, refused
};

class NationalNode {
 public:
  // Errc::invalid_argument: this node's party not in the table, the controller or the centre
  // not among the peers, one domain for both; DDS's error when a participant cannot be made.
  [[nodiscard]] static Result<NationalNode> make(NationalNodeParams params);
  NationalNode(NationalNode&&) noexcept;
  NationalNode& operator=(NationalNode&&) noexcept;
  ~NationalNode();

  // Serves until the controller's end message (then finishes its picture and sends the last
  // updates), `stop`, or idle_timeout_s without any feed. `clock`: monotonic time, for the
  // heartbeats and links; `unix_now`: wall time in Unix seconds, for the keys' validity.
  [[nodiscard]] Result<NationalNodeReport> run(const std::function<SimTime()>& clock,
                                               const std::function<std::int64_t()>& unix_now,
                                               const std::atomic<bool>& stop);

 private:
  struct Impl;
  explicit NationalNode(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The label of a node's control samples (heartbeats, marks): they tell only that the node is
// alive and where it is in the run. UNCLASSIFIED, releasable to every party, AIR-PICTURE.
[[nodiscard]] security::ItemLabel control_label(const security::PartyTable& parties, const std::string& party);

}  // namespace jrads::federation
