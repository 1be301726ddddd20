#pragma once
// The bus as an egress (docs/SECURITY.md "The egresses"): an item goes to each peer node only
// through the release gate, for that peer, and only sealed for it. Nodes publish through this
// class alone; what reaches DdsBus::publish from it has been released and sealed.
//
//   Egress out(bus, keys, parties, peers, in_force, on_decision);
//   out.send(Topic::tracks, track_number, now, row.label, payload);  // to every peer that may have it
//
// The payload is opaque here, so the policy is refuse: a payload the peer has no need to know
// in part must be sanitised by its codec first, and sent with the label of what is left.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/federation/dds_bus.hpp"
#include "jrads/security/release_gate.hpp"

namespace jrads::federation {

struct PeerNode {
  std::string node;            // node id
  security::Receiver receiver;  // its party, clearance, need-to-know
  security::SymmetricKey key;   // the pair key with this node
};

class Egress {
 public:
  // `bus` and `keys` outlive the egress. on_decision: each distinct release decision (for
  // the audit log).
  // first_seq: the sequence number of the first sample to each peer on each topic. A node that
  // may restart starts from its start time (sequence_base()), so that its new samples are still
  // above everything it sent before and the receivers' replay check holds across the restart.
  Egress(DdsBus& bus, const security::NodeKeys& keys, security::PartyTable parties, std::vector<PeerNode> peers,
         bool agreement_in_force, security::ReleaseGate::OnDecision on_decision, std::uint64_t first_seq = 1);
  Egress(const Egress&) = delete;
  Egress& operator=(const Egress&) = delete;

  // Publishes the item on `topic` to each peer that may have it; the number it went to.
  // Errc::invalid_argument for a payload above kMaxPayload; DDS's error otherwise.
  [[nodiscard]] Result<int> send(Topic topic, std::uint32_t stream, SimTime time, const security::ItemLabel& label,
                                 security::ByteView payload);
  // The same, to one peer only (what only it should have: a national node's tracks go to the
  // regional centre, not to the exercise controller); 0 or 1.
  [[nodiscard]] Result<int> send_to(const std::string& peer, Topic topic, std::uint32_t stream, SimTime time,
                                    const security::ItemLabel& label, security::ByteView payload);
  // Whether the gate would release an item of this label to the peer (false for a stranger):
  // what a sender asks of each part before it packs several items in one sample.
  [[nodiscard]] bool releasable(const std::string& peer, const security::ItemLabel& label, SimTime time);
  // A new agreement state: later items are decided afresh (nothing more to the former
  // partner once it has ended).
  void set_agreement_in_force(bool in_force) { gate_.set_agreement_in_force(in_force); }

  [[nodiscard]] const security::ReleaseCounts& counts(std::size_t peer) const { return gate_.counts(peer); }

 private:
  [[nodiscard]] Result<int> send_where(Topic topic, std::uint32_t stream, SimTime time, const security::ItemLabel& label,
                                       security::ByteView payload, const std::function<bool(std::size_t)>& to);

  DdsBus& bus_;
  const security::NodeKeys& keys_;
  std::vector<PeerNode> peers_;
  security::ReleaseGate gate_;
  std::uint64_t first_seq_ = 1;
  std::map<std::pair<std::size_t, Topic>, std::uint64_t> seq_;  // last seq per (peer, topic)
};

// A first sequence number from a start time in Unix milliseconds: 2^20 numbers a millisecond,
// so a restart a second later starts a billion above anything a run could have sent.
[[nodiscard]] constexpr std::uint64_t sequence_base(std::uint64_t unix_ms) noexcept { return (unix_ms << 20) + 1; }

}  // namespace jrads::federation
