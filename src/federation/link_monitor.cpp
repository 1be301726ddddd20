#include "jrads/federation/link_monitor.hpp"

#include <charconv>
#include <cstdio>

#include "jrads/security/keys.hpp"

namespace jrads::federation {
namespace {

constexpr std::string_view kMagic = "JRADS-HB-1";

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
  const std::string text = std::string(kMagic) + ' ' + hb.node + ' ' + std::to_string(hb.epoch) + ' ' +
                           std::to_string(hb.beat);
  return security::Bytes(text.begin(), text.end());
}

Result<Heartbeat> decode_heartbeat(security::ByteView payload) {
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  auto bad = [](std::string m) { return fail(Errc::invalid_argument, "heartbeat: " + std::move(m)); };
  if (text.size() > 128) return bad("longer than 128 bytes");
  std::string_view fields[4];
  std::size_t n = 0, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      if (n == 4) return bad("more than 4 fields");
      fields[n++] = text.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n != 4) return bad("expected \"JRADS-HB-1 NODE EPOCH BEAT\", got " + std::to_string(n) + " field(s)");
  if (fields[0] != kMagic) return bad("field 1: not " + std::string(kMagic));
  if (auto ok = security::check_node_id(fields[1]); !ok) return bad("field 2 (node): " + ok.error().message);
  Heartbeat hb;
  hb.node = std::string(fields[1]);
  if (!parse_count(fields[2], hb.epoch)) return bad("field 3 (epoch): not a decimal count >= 1");
  if (!parse_count(fields[3], hb.beat)) return bad("field 4 (beat): not a decimal count >= 1");
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
  for (std::string& n : nodes) peers_.emplace(std::move(n), Peer{LinkState::unknown, 0, 0, start});
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

LinkState LinkMonitor::state(std::string_view node) const {
  const auto it = peers_.find(node);
  return it == peers_.end() ? LinkState::unknown : it->second.state;
}

}  // namespace jrads::federation
