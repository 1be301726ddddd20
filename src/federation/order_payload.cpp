#include "jrads/federation/order_payload.hpp"

#include <cstring>
#include <string>

#include "le_reader_impl.hpp"

namespace jrads::federation {
namespace {

constexpr std::uint8_t kMagic[4] = {'J', 'O', 'R', 'D'};
constexpr std::uint8_t kMaxThreat = static_cast<std::uint8_t>(engage::ThreatClass::ballistic_missile);

using detail::put_le;
bool plain(const std::string& s) {
  if (s.size() > kMaxOrderText) return false;
  for (const char c : s)
    if (c <= 0x20 || c > 0x7E) return false;
  return true;
}
void put_text(security::Bytes& out, const std::string& s) {
  JRADS_ASSERT(plain(s));
  put_le(out, s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
}
Unexpected bad(const char* field, const std::string& problem) {
  return fail(Errc::invalid_argument, std::string("order ") + field + ": " + problem);
}

}  // namespace

security::Bytes encode_order(const node::Order& o) {
  JRADS_ASSERT(o.engagement >= 1 && o.rounds >= 1 && o.rounds <= 255 && o.at.ns() >= 0);
  security::Bytes out(kMagic, kMagic + 4);
  put_le(out, 1, 1);
  put_le(out, o.engagement, 8);
  put_le(out, o.track, 4);
  put_le(out, static_cast<std::uint64_t>(o.rounds), 1);
  put_le(out, static_cast<std::uint8_t>(o.threat), 1);
  put_le(out, static_cast<std::uint64_t>(o.at.ns()), 8);
  for (const std::string* s : {&o.unit, &o.unit_party, &o.by, &o.delegated_by, &o.zone}) put_text(out, *s);
  return out;
}

Result<node::Order> decode_order(security::ByteView in) {
  detail::LeReader r{in};
  const security::ByteView magic = r.bytes(4);
  if (!r.ok) return bad("payload", std::to_string(in.size()) + " bytes: shorter than its magic");
  if (std::memcmp(magic.data(), kMagic, 4) != 0) return bad("magic", "not \"JORD\"");
  const auto version = r.next(1);
  if (!r.ok) return bad("version", "missing");
  if (version != 1) return bad("version", std::to_string(version) + " (this node reads version 1)");
  node::Order o;
  o.engagement = r.next(8);
  o.track = static_cast<std::uint32_t>(r.next(4));
  o.rounds = static_cast<int>(r.next(1));
  const auto threat = r.next(1);
  const auto at = static_cast<std::int64_t>(r.next(8));
  if (!r.ok) return bad("payload", std::to_string(in.size()) + " bytes: shorter than the fixed part");
  if (o.engagement == 0) return bad("engagement", "0 is no engagement");
  if (o.rounds == 0) return bad("rounds", "0");
  if (threat > kMaxThreat) return bad("threat", std::to_string(threat) + " is not a threat class");
  o.threat = static_cast<engage::ThreatClass>(threat);
  if (at < 0) return bad("time", "negative");
  o.at = SimTime::from_ns(at);
  const char* names[] = {"unit", "party", "by", "delegated_by", "zone"};
  std::string* fields[] = {&o.unit, &o.unit_party, &o.by, &o.delegated_by, &o.zone};
  for (std::size_t k = 0; k < 5; ++k) {
    const std::size_t n = r.next(1);
    const security::ByteView text = r.bytes(n);
    if (!r.ok) return bad(names[k], "runs past the end");
    fields[k]->assign(reinterpret_cast<const char*>(text.data()), text.size());
    if (n > kMaxOrderText) return bad(names[k], std::to_string(n) + " bytes: more than 64");
    if (!plain(*fields[k])) return bad(names[k], "a byte that is not printable ASCII, or a space");
  }
  if (o.unit.empty()) return bad("unit", "empty");
  if (o.unit_party.empty()) return bad("party", "empty");
  if (o.by.empty()) return bad("by", "empty");
  if ((o.by == "auto") != !o.delegated_by.empty()) return bad("delegated_by", "given exactly when the order is automatic");
  if (r.at != in.size()) return bad("payload", std::to_string(in.size() - r.at) + " bytes after the zone");
  return o;
}

}  // namespace jrads::federation
