#include "jrads/federation/alert_payload.hpp"

#include <cstring>
#include <string>

#include "le_reader_impl.hpp"

namespace jrads::federation {
namespace {

constexpr std::uint8_t kMagic[4] = {'J', 'A', 'L', 'R'};
constexpr std::size_t kFixed = 4 + 1 + 1 + 4 + 4 + 8 + 2;

using detail::put_le;
std::uint64_t get(security::ByteView in, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in[at + static_cast<std::size_t>(i)]) << (8 * i);
  return v;
}
Unexpected bad(const char* field, const std::string& problem) {
  return fail(Errc::invalid_argument, std::string("alert ") + field + ": " + problem);
}

}  // namespace

security::Bytes encode_alert(const picture::Alert& a) {
  const std::string text = a.text.substr(0, kMaxAlertText);
  security::Bytes out(kMagic, kMagic + 4);
  out.reserve(kFixed + text.size());
  put_le(out, 1, 1);
  put_le(out, static_cast<std::uint8_t>(a.kind), 1);
  put_le(out, a.track_number, 4);
  put_le(out, a.sensor, 4);
  put_le(out, static_cast<std::uint64_t>(a.time.ns()), 8);
  put_le(out, text.size(), 2);
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

Result<picture::Alert> decode_alert(security::ByteView in, std::size_t sensors) {
  if (in.size() < kFixed) return bad("payload", std::to_string(in.size()) + " bytes: shorter than the fixed part");
  if (std::memcmp(in.data(), kMagic, 4) != 0) return bad("magic", "not \"JALR\"");
  if (in[4] != 1) return bad("version", std::to_string(in[4]) + " (this node reads version 1)");
  if (in[5] > static_cast<std::uint8_t>(picture::AlertKind::radar_bias)) return bad("kind", std::to_string(in[5]) + " is not a kind");
  picture::Alert a;
  a.kind = static_cast<picture::AlertKind>(in[5]);
  a.track_number = static_cast<std::uint32_t>(get(in, 6, 4));
  a.sensor = static_cast<std::uint32_t>(get(in, 10, 4));
  if (a.sensor >= sensors && !(a.sensor == 0 && sensors == 0)) return bad("sensor", std::to_string(a.sensor) + " is not a sensor of the run");
  const auto t = static_cast<std::int64_t>(get(in, 14, 8));
  if (t < 0) return bad("time", "negative");
  a.time = SimTime::from_ns(t);
  const std::size_t n = get(in, 22, 2);
  if (n > kMaxAlertText) return bad("text", std::to_string(n) + " bytes: more than 1024");
  if (in.size() != kFixed + n) return bad("text", "its length says " + std::to_string(n) + " bytes, " + std::to_string(in.size() - kFixed) + " follow");
  a.text.assign(reinterpret_cast<const char*>(in.data() + kFixed), n);
  for (const char c : a.text)
    if (c < 0x20 || c > 0x7E) return bad("text", "a byte that is not printable ASCII");
  return a;
}

}  // namespace jrads::federation
