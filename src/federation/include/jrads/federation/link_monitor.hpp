#pragma once
// Heartbeats and the state of each link (docs/FEDERATION.md "Links"): every node sends a
// heartbeat each period on jrads/heartbeats; a node not heard from for `loss_after` is down.
// With the defaults (1 s period, down after 2.5 s of silence, checked each 0.25 s), a lost
// link or node is seen within 2.75 s: inside the 3 s the issue asks. A heartbeat with a new
// epoch means the node restarted: it must be resynchronised (snapshot and catch-up).
//
// Time is passed in (a monotonic clock in a node, simulation time in tests), so every
// transition is reproducible.
//
//   LinkMonitor links({"KAL-C2", "MOR-C2"}, LinkParams{}, now);
//   links.heard(hb, now);
//   for (const LinkChange& c : links.check(now)) log(c);
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/security/crypto.hpp"

namespace jrads::federation {

enum class LinkState : std::uint8_t { unknown, up, down };
[[nodiscard]] const char* to_string(LinkState s) noexcept;

// One link as a node sees it: the peer and its state.
struct PeerLink {
  std::string node;
  LinkState state = LinkState::unknown;
  friend bool operator==(const PeerLink&, const PeerLink&) = default;
};

// The payload of a heartbeat sample (inside the sealed envelope). It carries the sender's view
// of its own links, so that a link lost anywhere is shown to every node that hears the sender.
struct Heartbeat {
  std::string node;         // the sender, as in the envelope header
  std::uint64_t epoch = 0;  // >= 1, new at each start of the node
  std::uint64_t beat = 0;   // >= 1, counts up within an epoch
  std::vector<PeerLink> links;  // the sender's links, by node id, at most kMaxHeartbeatLinks
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};
inline constexpr std::size_t kMaxHeartbeatLinks = 32;
// "JRADS-HB-2 <node> <epoch> <beat>[ <peer>=<up|down|unknown>]..." (decimal, no leading zeros;
// peers in strictly increasing order, never the sender); decode accepts exactly that and names
// what is wrong otherwise.
[[nodiscard]] security::Bytes encode_heartbeat(const Heartbeat& hb);
[[nodiscard]] Result<Heartbeat> decode_heartbeat(security::ByteView payload);

struct LinkParams {
  double period_s = 1.0;      // how often a node sends its heartbeat
  double loss_after_s = 2.5;  // silence after which a link is down (> period)
  double check_s = 0.25;      // how often check() is called, for the detection bound
};
// Errc::invalid_argument naming the field: not positive, or loss_after <= period.
[[nodiscard]] Result<void> validate(const LinkParams& p);
// The longest a loss can go unseen: loss_after + check.
[[nodiscard]] double detection_bound_s(const LinkParams& p) noexcept;

struct LinkChange {
  std::string node;
  LinkState from = LinkState::unknown, to = LinkState::unknown;
  bool restarted = false;  // up again with a new epoch: resynchronise
  SimTime at;
  std::string reason;      // "no heartbeat for 2.6 s", "heartbeat after 4.0 s of silence", ...
};

// A change in what a peer says of its own links (its heartbeat's view): `reporter` says its
// link to `node` went from `from` to `to`. Heard at `at`.
struct ReportedChange {
  std::string reporter, node;
  LinkState from = LinkState::unknown, to = LinkState::unknown;
  SimTime at;
  friend bool operator==(const ReportedChange&, const ReportedChange&) = default;
};

class LinkMonitor {
 public:
  // The nodes expected from `start` (others are ignored and counted); one not heard from by
  // start + loss_after goes down as a lost one would. Requires valid params.
  LinkMonitor(std::vector<std::string> nodes, const LinkParams& params, SimTime start);

  // A heartbeat opened from `hb.node` at `now`. An older epoch, or a beat not above the last
  // of its epoch, is a replay or reordering and is ignored (counted). Returns the change it
  // makes at once (unknown or down -> up, or a restart), if any. What the heartbeat says of
  // the sender's own links is compared with what it said before: take_reported() gives the
  // changes (a link it stops naming is taken as unknown; a restarted sender starts afresh).
  std::vector<LinkChange> heard(const Heartbeat& hb, SimTime now);
  // Links silent for loss_after_s go down (up or never heard). `now` must not go backwards.
  std::vector<LinkChange> check(SimTime now);
  // What the peers said of their links since the last call, in the order heard.
  std::vector<ReportedChange> take_reported();

  [[nodiscard]] LinkState state(std::string_view node) const;
  // Every expected link, by node id: what this node's heartbeats tell the others.
  [[nodiscard]] std::vector<PeerLink> view() const;
  [[nodiscard]] std::uint64_t ignored() const noexcept { return ignored_; }

 private:
  struct Peer {
    LinkState state = LinkState::unknown;
    std::uint64_t epoch = 0, beat = 0;
    SimTime last;
    std::map<std::string, LinkState, std::less<>> says;  // its own links, as its heartbeats tell
  };
  LinkParams params_;
  std::map<std::string, Peer, std::less<>> peers_;
  std::vector<ReportedChange> reported_;
  std::uint64_t ignored_ = 0;
};

}  // namespace jrads::federation
