#include "jrads/federation/egress.hpp"

#include <optional>

namespace jrads::federation {
namespace {

std::vector<security::ReceiverSpec> specs_of(const std::vector<PeerNode>& peers) {
  std::vector<security::ReceiverSpec> out;
  for (const PeerNode& p : peers) out.push_back({p.node + " over the bus", p.receiver, security::ReleasePolicy::refuse});
  return out;
}

}  // namespace

Egress::Egress(DdsBus& bus, const security::NodeKeys& keys, security::PartyTable parties, std::vector<PeerNode> peers,
               bool agreement_in_force, security::ReleaseGate::OnDecision on_decision, std::uint64_t first_seq)
    : bus_(bus),
      keys_(keys),
      peers_(std::move(peers)),
      gate_(std::move(parties), specs_of(peers_), agreement_in_force, std::move(on_decision)),
      first_seq_(first_seq) {}

Result<int> Egress::send(Topic topic, std::uint32_t stream, SimTime time, const security::ItemLabel& label,
                         security::ByteView payload) {
  return send_where(topic, stream, time, label, payload, [](std::size_t) { return true; });
}

Result<int> Egress::send_to(const std::string& peer, Topic topic, std::uint32_t stream, SimTime time,
                            const security::ItemLabel& label, security::ByteView payload) {
  return send_where(topic, stream, time, label, payload, [&](std::size_t k) { return peers_[k].node == peer; });
}

bool Egress::releasable(const std::string& peer, const security::ItemLabel& label, SimTime time) {
  for (std::size_t k = 0; k < peers_.size(); ++k)
    if (peers_[k].node == peer) return gate_.decide(label, k, time).allowed;
  return false;
}

Result<int> Egress::send_where(Topic topic, std::uint32_t stream, SimTime time, const security::ItemLabel& label,
                               security::ByteView payload, const std::function<bool(std::size_t)>& to) {
  if (payload.size() > kMaxPayload)
    return fail(Errc::invalid_argument, "payload of " + std::to_string(payload.size()) + " bytes: more than " +
                                            std::to_string(kMaxPayload));
  int sent = 0;
  std::optional<security::Label> full;  // made once, for the first peer it goes to
  for (std::size_t k = 0; k < peers_.size(); ++k) {
    if (!to(k)) continue;
    const auto released = gate_.release(payload, label, k, time);
    if (!released) continue;
    if (!full) full = security::to_label(label, gate_.parties(), time);
    auto [at, fresh] = seq_.try_emplace({k, topic}, first_seq_ - 1);
    SampleHeader h{topic_name(topic), keys_.record.node, peers_[k].node, stream, ++at->second, time};
    if (auto ok = bus_.publish(seal_sample(h, *full, **released, keys_, peers_[k].key)); !ok) return fail(ok.error());
    ++sent;
  }
  return sent;
}

}  // namespace jrads::federation
