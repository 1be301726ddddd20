#include "jrads/federation/ingress.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace jrads::federation {

Ingress::Ingress(DdsBus& bus, std::vector<IngressPeer> peers, const security::Keyring& keyring,
                 std::function<void(const std::string&)> on_refused)
    : bus_(bus), peers_(std::move(peers)), keyring_(keyring), on_refused_(std::move(on_refused)) {}

void Ingress::refuse(const std::string& why) {
  ++refused_;
  if (on_refused_) on_refused_(why);
}

std::vector<OpenedSample> Ingress::take(Topic topic, std::int64_t now_unix_s) {
  std::vector<Received> got = bus_.take(topic);
  std::vector<WireSample> mine;
  for (Received& r : got) {
    if (!r.error.empty()) {
      refuse(std::string(topic_name(topic)) + ": " + r.error);
      continue;
    }
    if (r.sample.header.receiver != bus_.node()) continue;  // another node's
    mine.push_back(std::move(r.sample));
  }
  std::stable_sort(mine.begin(), mine.end(), [](const WireSample& a, const WireSample& b) {
    return std::tie(a.header.sender, a.header.seq) < std::tie(b.header.sender, b.header.seq);
  });
  std::vector<OpenedSample> out;
  for (const WireSample& w : mine) {
    const auto peer = std::find_if(peers_.begin(), peers_.end(), [&](const IngressPeer& p) { return p.node == w.header.sender; });
    const std::string from = std::string(topic_name(topic)) + " sample from " + w.header.sender.substr(0, kMaxNodeId) +
                             " seq " + std::to_string(w.header.seq);
    if (peer == peers_.end()) {
      refuse(from + ": not a peer of this node");
      continue;
    }
    auto opened = open_sample(w, topic_name(topic), bus_.node(), peer->key, keyring_, now_unix_s);
    if (!opened) {
      refuse(from + ": " + opened.error().message);
      continue;
    }
    if (!guard_.accept(opened->header)) {
      refuse(from + ": a duplicate or a replay");
      continue;
    }
    ++accepted_;
    out.push_back(std::move(*opened));
  }
  return out;
}

std::vector<LinkChange> hear_heartbeats(Ingress& in, LinkMonitor& links, SimTime now, std::int64_t now_unix_s,
                                        const std::function<void(const std::string&)>& on_refused) {
  std::vector<LinkChange> out;
  for (const OpenedSample& o : in.take(Topic::heartbeats, now_unix_s)) {
    auto hb = decode_heartbeat(o.payload);
    if (!hb || hb->node != o.header.sender) {
      if (on_refused)
        on_refused("refused a heartbeat from " + o.header.sender + ": " + (hb ? "it names another node" : hb.error().message));
      continue;
    }
    std::vector<LinkChange> c = links.heard(*hb, now);
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

}  // namespace jrads::federation
