#include "jrads/federation/sample.hpp"

#include <gtest/gtest.h>

#include "federation/test_nodes.hpp"
#include "jrads/core/rng.hpp"

namespace jrads::federation {
namespace {

using namespace test_nodes;

using security::Bytes;

constexpr std::int64_t kYear = 365 * 86400;

struct Pair {
  security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1);
  security::NodeKeys mor = keys_of("MOR-C2", "MOR", 2);
  security::NodeKeys third = keys_of("KAL-RC", "KAL", 3);
  security::SymmetricKey key = kal.agreement.shared_key(mor.record.agree_public).value();
  security::Keyring ring;
  Pair() {
    for (const auto* k : {&kal, &mor, &third}) EXPECT_TRUE(ring.add(k->record).has_value());
  }
};

security::Label shared_label() {
  security::Label l;
  l.level = security::Level::secret;
  l.rel_to = {"MOR"};
  l.categories = security::category_bit(security::Category::air_picture);
  l.originator = "KAL";
  l.time = SimTime::from_s(12.5);
  return l;
}

SampleHeader header(std::uint64_t seq = 1) { return {"jrads/tracks", "KAL-C2", "MOR-C2", 42, seq, SimTime::from_s(12.5)}; }

Bytes payload_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(Sample, SealedByOneNodeOpensForTheOtherWithLabelAndPayload) {
  Pair p;
  const Bytes payload = payload_of("track 42 at 44.1,20.3");
  const WireSample w = seal_sample(header(), shared_label(), payload, p.kal, p.key);
  EXPECT_EQ(w.label, security::to_text(shared_label()));
  EXPECT_EQ(w.sealed.size(), payload.size() + kSealedOverhead);
  // The payload is not in the clear.
  EXPECT_EQ(std::search(w.sealed.begin(), w.sealed.end(), payload.begin(), payload.end()), w.sealed.end());
  // Both ends derive the same pair key.
  const security::SymmetricKey theirs = p.mor.agreement.shared_key(p.kal.record.agree_public).value();
  auto opened = open_sample(w, "jrads/tracks", "MOR-C2", theirs, p.ring, kNow);
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(opened->payload, payload);
  EXPECT_EQ(opened->header, header());
  EXPECT_EQ(security::to_text(opened->label), w.label);
}

// Every byte of the header, label, nonce and sealed part is covered: a changed one fails, and
// nothing of the payload comes out.
TEST(Sample, AnyChangedFieldOrByteFailsWithItsReason) {
  Pair p;
  const WireSample w = seal_sample(header(), shared_label(), payload_of("payload"), p.kal, p.key);
  auto reason = [&](const WireSample& x, std::string_view topic = "jrads/tracks", std::string_view me = "MOR-C2") {
    auto o = open_sample(x, topic, me, p.key, p.ring, kNow);
    return o ? std::string("opened") : o.error().message;
  };
  auto changed = [&](auto edit) {
    WireSample x = w;
    edit(x);
    return reason(x);
  };
  const std::string unauthentic = "does not authenticate from";
  EXPECT_NE(changed([](WireSample& x) { x.header.stream = 43; }).find(unauthentic), std::string::npos);
  EXPECT_NE(changed([](WireSample& x) { x.header.seq = 2; }).find(unauthentic), std::string::npos);
  EXPECT_NE(changed([](WireSample& x) { x.header.time = SimTime::from_s(13); }).find(unauthentic), std::string::npos);
  EXPECT_NE(changed([](WireSample& x) { x.header.sender = "KAL-RC"; }).find(unauthentic), std::string::npos);
  EXPECT_NE(changed([](WireSample& x) { x.nonce[3] ^= 1; }).find(unauthentic), std::string::npos);
  EXPECT_NE(changed([](WireSample& x) { x.label = security::to_text([] {
                                          security::Label l = shared_label();
                                          l.level = security::Level::confidential;
                                          return l;
                                        }()); })
                .find(unauthentic),
            std::string::npos);
  for (std::size_t i = 0; i < w.sealed.size(); ++i) {
    WireSample x = w;
    x.sealed[i] ^= 0x20;
    EXPECT_NE(reason(x).find(unauthentic), std::string::npos) << i;
  }
  EXPECT_EQ(reason(w, "jrads/orders"), "sample topic: sealed for jrads/tracks, received on jrads/orders");
  EXPECT_EQ(reason(w, "jrads/tracks", "KAL-RC"), "sample receiver: for MOR-C2, not for KAL-RC");
  EXPECT_EQ(changed([](WireSample& x) { x.header.seq = 0; }), "sample seq: 0 (sequence numbers start at 1)");
  EXPECT_EQ(changed([](WireSample& x) { x.header.sender = "kal"; }), "sample sender: not a node id ([A-Z0-9-]{1,32})");
  EXPECT_EQ(changed([](WireSample& x) { x.label = "JRADS; SECRET"; }).rfind("sample label: ", 0), 0u);
  EXPECT_EQ(changed([](WireSample& x) { x.sealed.resize(10); }),
            "sample sealed: 10 bytes, fewer than the 88 of key id, signature and tag");
  // A wrong pair key.
  const security::SymmetricKey other = p.third.agreement.shared_key(p.mor.record.agree_public).value();
  auto wrong = open_sample(w, "jrads/tracks", "MOR-C2", other, p.ring, kNow);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find(unauthentic), std::string::npos);
}

// The partner holds the pair key, so it can make a sample that authenticates; it still cannot
// sign as KAL-C2. Nor can another KAL node's key stand in for KAL-C2's.
TEST(Sample, ThePairKeyAloneCannotForgeTheSendersSignature) {
  Pair p;
  const WireSample by_third = seal_sample(header(), shared_label(), payload_of("x"), p.third, p.key);
  auto o = open_sample(by_third, "jrads/tracks", "MOR-C2", p.key, p.ring, kNow);
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, Errc::dangling_ref);
  EXPECT_EQ(o.error().message, "sample signature: key " + p.third.record.id.hex() + " is not a key of KAL-C2");
  // A key the keyring does not know.
  const security::NodeKeys stranger = keys_of("KAL-C2", "KAL", 9);
  const WireSample by_stranger = seal_sample(header(), shared_label(), payload_of("x"), stranger, p.key);
  EXPECT_FALSE(open_sample(by_stranger, "jrads/tracks", "MOR-C2", p.key, p.ring, kNow).has_value());
  // A revoked key is refused with the keyring's reason.
  security::Keyring ring2;
  ASSERT_TRUE(ring2.add(p.kal.record).has_value());
  const WireSample fine = seal_sample(header(), shared_label(), payload_of("x"), p.kal, p.key);
  auto late = open_sample(fine, "jrads/tracks", "MOR-C2", p.key, ring2, kNow + 2 * kYear);
  ASSERT_FALSE(late.has_value());
  EXPECT_NE(late.error().message.find("expired"), std::string::npos) << late.error().message;
}

TEST(Sample, TheGuardRefusesDuplicatesAndReplaysAndCountsGaps) {
  SequenceGuard g;
  EXPECT_TRUE(g.accept(header(1)));
  EXPECT_FALSE(g.accept(header(1)));  // duplicate
  EXPECT_TRUE(g.accept(header(4)));   // 2 and 3 lost
  EXPECT_FALSE(g.accept(header(3)));  // late replay
  SampleHeader other = header(1);
  other.topic = "jrads/orders";
  EXPECT_TRUE(g.accept(other));  // each topic counts on its own
  EXPECT_EQ(g.gaps(), 2u);
  EXPECT_EQ(g.rejected(), 2u);
}

// Random damage, seeded: nothing but the original opens.
TEST(Sample, RandomlyDamagedSamplesNeverOpen) {
  Pair p;
  RngStream rng = Rng(7).stream("sample-damage");
  const WireSample w = seal_sample(header(), shared_label(), payload_of("the payload of a track update"), p.kal, p.key);
  int opened = 0;
  for (int i = 0; i < 3000; ++i) {
    WireSample x = w;
    switch (rng.below(4)) {
      case 0: x.sealed[rng.below(x.sealed.size())] ^= static_cast<std::uint8_t>(1 + rng.below(255)); break;
      case 1: x.sealed.resize(rng.below(x.sealed.size())); break;
      case 2: x.label[rng.below(x.label.size())] ^= static_cast<char>(1 + rng.below(127)); break;
      default: x.nonce[rng.below(x.nonce.size())] ^= static_cast<std::uint8_t>(1 + rng.below(255)); break;
    }
    opened += open_sample(x, "jrads/tracks", "MOR-C2", p.key, p.ring, kNow).has_value();
  }
  EXPECT_EQ(opened, 0);
}

}  // namespace
}  // namespace jrads::federation
