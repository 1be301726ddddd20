// libFuzzer target: the federation's decoders on arbitrary bytes. The first byte picks the
// mode: 8 when it is 8 modulo 16, else the byte modulo 8:
//   0: the bytes are a received envelope (its fields cut from the input) opened by MOR-C2;
//      without the pair key nothing can open, and nothing may crash;
//   1: the bytes give a header, a label text and a payload that KAL-C2 seals; what seals must
//      open again to the same header, label and payload;
//   2: the rest is a heartbeat payload (link_monitor.hpp); what decodes must encode back to
//      the same bytes;
//   3: the rest is a track update (track_update.hpp); the same: what decodes encodes back;
//   4: the rest is a feed message (feed.hpp) for a node with two sites: a window or an end
//      encodes back to the same bytes, sites decode again to the same sites;
//   5: the rest is a tracks-done mark: what decodes encodes back;
//   6: the rest is an alert (alert_payload.hpp) of a run with 8 sensors: the same;
//   7: the rest is a part of the regional picture (picture_batch.hpp): the same;
//   8: the rest is an order to a fire unit (order_payload.hpp): the same.
#include <cstddef>
#include <cstdint>
#include <string>

#include "jrads/core/log.hpp"
#include "jrads/federation/link_monitor.hpp"
#include "jrads/federation/sample.hpp"
#include "jrads/federation/alert_payload.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/order_payload.hpp"
#include "jrads/federation/picture_batch.hpp"
#include "jrads/federation/track_update.hpp"

namespace {

using namespace jrads;
using namespace jrads::federation;

constexpr std::int64_t kNow = 1'780'000'000;

struct Fixture {
  security::NodeKeys kal, mor;
  security::SymmetricKey key;
  security::Keyring ring;
  static security::NodeKeys keys(const char* node, const char* party, std::uint8_t tag) {
    security::KeySeed s{};
    s.fill(tag);
    return security::generate_node_keys(node, party, 1, kNow - 86400, 365 * 86400, s).value();
  }
  Fixture() : kal(keys("KAL-C2", "KAL", 1)), mor(keys("MOR-C2", "MOR", 2)) {
    key = kal.agreement.shared_key(mor.record.agree_public).value();
    JRADS_ASSERT(ring.add(kal.record).has_value() && ring.add(mor.record).has_value());
  }
};

// Reads fields off the front of the input; short input gives empty or zero fields.
struct Cursor {
  const std::uint8_t* p;
  std::size_t n;
  std::string text(std::size_t max) {
    std::size_t len = n > 0 ? *p % (max + 1) : 0;
    if (n > 0) ++p, --n;
    len = std::min(len, n);
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len, n -= len;
    return s;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8 && n > 0; ++i, ++p, --n) v = (v << 8) | *p;
    return v;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    silence_logs();
    return true;
  }();
  (void)silenced;
  static const Fixture f;
  if (size < 1 || size > 8192) return 0;
  const int mode = data[0] % 16 == 8 ? 8 : data[0] % 8;
  if (mode == 8) {
    const auto o = decode_order({data + 1, size - 1});
    if (o) JRADS_ASSERT(encode_order(*o) == security::Bytes(data + 1, data + size));
    return 0;
  }
  if (mode == 4) {
    static const security::PartyTable parties = security::PartyTable::make({"KAL", "MOR"}).value();
    static const std::vector<picture::SensorSite> sites = [] {
      std::vector<picture::SensorSite> v(2);
      v[0] = {"KAL-R1", "KAL", picture::SensorKind::radar, {44.0, 20.0, 100.0}, {}};
      v[1] = {"MOR-A1", "MOR", picture::SensorKind::adsb, {44.5, 20.5, 50.0}, {}};
      for (auto& site : v) site.label.categories = 1;
      return v;
    }();
    const security::ByteView in{data + 1, size - 1};
    const auto m = decode_feed(in, sites, parties);
    if (!m) return 0;
    if (const auto* w = std::get_if<FeedWindow>(&*m)) {
      JRADS_ASSERT(encode_feed_window(w->end, w->lines) == security::Bytes(in.begin(), in.end()));
    } else if (const auto* st = std::get_if<FeedSites>(&*m)) {
      const auto again = decode_feed(encode_feed_sites(st->sites, parties), {}, parties);
      JRADS_ASSERT(again.has_value());
      const auto& back = std::get<FeedSites>(*again).sites;
      JRADS_ASSERT(back.size() == st->sites.size());
      for (std::size_t i = 0; i < back.size(); ++i)
        JRADS_ASSERT(back[i].id == st->sites[i].id && back[i].label == st->sites[i].label &&
                     back[i].pos.lat_deg == st->sites[i].pos.lat_deg);
    } else if (const auto* l = std::get_if<FeedLink>(&*m)) {
      JRADS_ASSERT(encode_feed_link(*l) == security::Bytes(in.begin(), in.end()));
    } else {
      JRADS_ASSERT(encode_feed_end() == security::Bytes(in.begin(), in.end()));
    }
    return 0;
  }
  if (mode == 6) {
    const auto a = decode_alert({data + 1, size - 1}, 8);
    if (a) JRADS_ASSERT(encode_alert(*a) == security::Bytes(data + 1, data + size));
    return 0;
  }
  if (mode == 7) {
    const auto b = decode_picture_batch({data + 1, size - 1});
    if (b) JRADS_ASSERT(encode_picture_batch(*b) == security::Bytes(data + 1, data + size));
    return 0;
  }
  if (mode == 5) {
    const auto t = decode_tracks_done({data + 1, size - 1});
    if (t) JRADS_ASSERT(encode_tracks_done(*t) == security::Bytes(data + 1, data + size));
    return 0;
  }
  if (mode == 2) {
    const auto hb = decode_heartbeat({data + 1, size - 1});
    if (hb) JRADS_ASSERT(encode_heartbeat(*hb) == security::Bytes(data + 1, data + size));
    return 0;
  }
  if (mode == 3) {
    const auto u = decode_track_update({data + 1, size - 1});
    if (u) JRADS_ASSERT(encode_track_update(*u) == security::Bytes(data + 1, data + size));
    return 0;
  }
  Cursor c{data + 1, size - 1};
  SampleHeader h;
  h.topic = "jrads/tracks";
  h.sender = c.text(40);
  h.receiver = c.text(40);
  h.stream = static_cast<std::uint32_t>(c.u64());
  h.seq = c.u64();
  h.time = SimTime::from_ns(static_cast<std::int64_t>(c.u64()));
  const std::string label = c.text(200);
  if (mode == 0) {
    WireSample w;
    w.header = h;
    w.label = label;
    for (auto& b : w.nonce) b = static_cast<std::uint8_t>(c.u64());
    w.sealed.assign(c.p, c.p + c.n);
    const auto o = open_sample(w, "jrads/tracks", "MOR-C2", f.key, f.ring, kNow);
    JRADS_ASSERT(!o.has_value() && !o.error().message.empty());  // forging the AEAD tag is out of reach
    return 0;
  }
  // Seal what is valid, as KAL-C2 to MOR-C2, then open it.
  const auto parsed = security::parse_label(label);
  if (!parsed || h.seq == 0 || h.time.ns() < 0) return 0;
  h.sender = "KAL-C2";
  h.receiver = "MOR-C2";
  const security::Bytes payload(c.p, c.p + c.n);
  const WireSample w = seal_sample(h, *parsed, payload, f.kal, f.key);
  const auto o = open_sample(w, "jrads/tracks", "MOR-C2", f.key, f.ring, kNow);
  JRADS_ASSERT(o.has_value() && o->header == h && o->label == *parsed && o->payload == payload);
  return 0;
}
