#include "jrads/federation/link_monitor.hpp"

#include <charconv>
#include <cstdio>
#include <utility>

#include "jrads/security/keys.hpp"

namespace jrads::federation {
namespace {

constexpr std::string_view kMagic = "JRADS-HB-2";
constexpr std::size_t kMaxBytes = 64 + kMaxHeartbeatLinks * 42;  // node ids are at most 32 characters

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// A decimal >= 1 without leading zeros, whole field.
bool parse_count(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.front() == '0') return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

security::Bytes encode_heartbeat(const Heartbeat& hb) {
  std::string text = std::string(kMagic) + ' ' + hb.node + ' ' + std::to_string(hb.epoch) + ' ' +
                     std::to_string(hb.beat);
  for (const PeerLink& l : hb.links) text += ' ' + l.node + '=' + to_string(l.state);
  return security::Bytes(text.begin(), text.end());
}

Result<Heartbeat> decode_heartbeat(security::ByteView payload) {
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  auto bad = [](std::string m) { return fail(Errc::invalid_argument, "heartbeat: " + std::move(m)); };
  if (text.size() > kMaxBytes) return bad("longer than " + std::to_string(kMaxBytes) + " bytes");
  constexpr std::size_t kMaxFields = 4 + kMaxHeartbeatLinks;
  std::string_view fields[kMaxFields];
  std::size_t n = 0, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      if (n == kMaxFields) return bad("more than " + std::to_string(kMaxHeartbeatLinks) + " links");
      fields[n++] = text.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n < 4) return bad("expected \"JRADS-HB-2 NODE EPOCH BEAT [PEER=STATE]...\", got " + std::to_string(n) + " field(s)");
  if (fields[0] != kMagic) return bad("field 1: not " + std::string(kMagic));
  if (auto ok = security::check_node_id(fields[1]); !ok) return bad("field 2 (node): " + ok.error().message);
  Heartbeat hb;
  hb.node = std::string(fields[1]);
  if (!parse_count(fields[2], hb.epoch)) return bad("field 3 (epoch): not a decimal count >= 1");
  if (!parse_count(fields[3], hb.beat)) return bad("field 4 (beat): not a decimal count >= 1");
  for (std::size_t k = 4; k < n; ++k) {
    const std::string field = "field " + std::to_string(k + 1) + " (link): ";
    const std::string_view f = fields[k];
    const auto eq = f.find('=');
    if (eq == std::string_view::npos) return bad(field + "not PEER=STATE");
    const std::string_view peer = f.substr(0, eq), state = f.substr(eq + 1);
    if (auto ok = security::check_node_id(peer); !ok) return bad(field + ok.error().message);
    if (peer == hb.node) return bad(field + "the sender's link to itself");
    if (!hb.links.empty() && peer <= hb.links.back().node) return bad(field + "peers not in increasing order");
    PeerLink l{std::string(peer), LinkState::unknown};
    if (state == "up") {
      l.state = LinkState::up;
    } else if (state == "down") {
      l.state = LinkState::down;
    } else if (state != "unknown") {
      return bad(field + "state not up, down or unknown");
    }
    hb.links.push_back(std::move(l));
  }
  return hb;
}

Result<void> validate(const LinkParams& p) {
  auto positive = [](double v) { return v > 0.0 && v < 1e6; };
  if (!positive(p.period_s)) return fail(Errc::invalid_argument, "period_s: must be in (0, 1e6)");
  if (!positive(p.loss_after_s)) return fail(Errc::invalid_argument, "loss_after_s: must be in (0, 1e6)");
  if (!positive(p.check_s)) return fail(Errc::invalid_argument, "check_s: must be in (0, 1e6)");
  if (p.loss_after_s <= p.period_s)
    return fail(Errc::invalid_argument, "loss_after_s: must exceed period_s (one late heartbeat is no loss)");
  return {};
}

double detection_bound_s(const LinkParams& p) noexcept { return p.loss_after_s + p.check_s; }

const char* to_string(LinkState s) noexcept {
  switch (s) {
    case LinkState::unknown: return "unknown";
    case LinkState::up: return "up";
    case LinkState::down: return "down";
  }
  return "?";
}

LinkMonitor::LinkMonitor(std::vector<std::string> nodes, const LinkParams& params, SimTime start) : params_(params) {
  JRADS_ASSERT(validate(params).has_value());
  for (std::string& n : nodes) peers_.emplace(std::move(n), Peer{LinkState::unknown, 0, 0, start, {}});
}

std::vector<LinkChange> LinkMonitor::heard(const Heartbeat& hb, SimTime now) {
  const auto it = peers_.find(hb.node);
  if (it == peers_.end()) {
    ++ignored_;
    return {};
  }
  Peer& p = it->second;
  const bool restarted = p.epoch != 0 && hb.epoch > p.epoch;
  if (hb.epoch < p.epoch || (hb.epoch == p.epoch && hb.beat <= p.beat)) {
    ++ignored_;
    return {};
  }
  // What it says of its own links: a restarted sender starts from nothing.
  if (restarted) p.says.clear();
  std::map<std::string, LinkState, std::less<>> says;
  for (const PeerLink& l : hb.links) says.emplace(l.node, l.state);
  for (const auto& [node, state] : says) {
    const auto before = p.says.find(node);
    const LinkState from = before == p.says.end() ? LinkState::unknown : before->second;
    if (from != state) reported_.push_back({hb.node, node, from, state, now});
  }
  for (const auto& [node, state] : p.says)
    if (state != LinkState::unknown && !says.contains(node))
      reported_.push_back({hb.node, node, state, LinkState::unknown, now});
  p.says = std::move(says);
  const LinkState was = p.state;
  const double silent_s = (now - p.last).s();
  p.epoch = hb.epoch;
  p.beat = hb.beat;
  p.last = now;
  p.state = LinkState::up;
  if (was == LinkState::up && !restarted) return {};
  LinkChange c{hb.node, was, LinkState::up, restarted, now, ""};
  if (restarted) {
    c.reason = "restarted (epoch " + std::to_string(hb.epoch) + "): resynchronise";
  } else if (was == LinkState::down) {
    c.reason = "heartbeat after " + seconds(silent_s) + " of silence";
  } else {
    c.reason = "first heartbeat";
  }
  return {c};
}

std::vector<LinkChange> LinkMonitor::check(SimTime now) {
  std::vector<LinkChange> out;
  for (auto& [node, p] : peers_) {
    if (p.state == LinkState::down) continue;
    const double silent_s = (now - p.last).s();
    if (silent_s >= params_.loss_after_s) {
      out.push_back({node, p.state, LinkState::down, false, now,
                     p.state == LinkState::up ? "no heartbeat for " + seconds(silent_s)
                                              : "never heard in " + seconds(silent_s)});
      p.state = LinkState::down;
    }
  }
  return out;
}

std::vector<ReportedChange> LinkMonitor::take_reported() { return std::exchange(reported_, {}); }

std::vector<PeerLink> LinkMonitor::view() const {
  std::vector<PeerLink> out;
  for (const auto& [node, p] : peers_) out.push_back({node, p.state});
  return out;
}

LinkState LinkMonitor::state(std::string_view node) const {
  const auto it = peers_.find(node);
  return it == peers_.end() ? LinkState::unknown : it->second.state;
}

}  // namespace jrads::federation
