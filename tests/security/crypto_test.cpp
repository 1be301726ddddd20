#include "jrads/security/crypto.hpp"

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

Bytes hex(std::string_view h) { return from_hex(h, h.size() / 2).value(); }

TEST(Hex, RoundTripsAndRejectsHostileText) {
  const Bytes b{0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(to_hex(b), "007f80ff");
  EXPECT_EQ(from_hex("007F80FF", 4).value(), b);
  EXPECT_FALSE(from_hex("007f80f", 4).has_value());    // short
  EXPECT_FALSE(from_hex("007f80ff00", 4).has_value());  // long
  auto bad = from_hex("007g80ff", 4);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("character 4"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(from_hex(std::string_view("00\0f80ff", 8), 4).has_value());
}

TEST(Sha256, MatchesTheStandardVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256(as_bytes("abc")).hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256(as_bytes("")).hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // The prefixed forms are SHA-256 over the concatenation.
  EXPECT_EQ(sha256_prefixed('a', as_bytes("bc")), sha256(as_bytes("abc")));
  Digest l = sha256(as_bytes("l")), r = sha256(as_bytes("r"));
  Bytes cat{0x01};
  cat.insert(cat.end(), l.bytes.begin(), l.bytes.end());
  cat.insert(cat.end(), r.bytes.begin(), r.bytes.end());
  EXPECT_EQ(sha256_pair(0x01, l, r), sha256(cat));
}

TEST(Ed25519, MatchesRfc8032TestVector1) {
  const Bytes seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const SigningKey key = SigningKey::from_seed(std::span<const std::uint8_t, 32>(seed.data(), 32));
  EXPECT_EQ(to_hex(key.public_key()), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const Signature sig = key.sign({});
  EXPECT_EQ(to_hex(sig.bytes),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify(key.public_key(), {}, sig));
}

TEST(Ed25519, AnyChangedByteFailsVerification) {
  const SigningKey key = SigningKey::generate();
  const SigningKey other = SigningKey::generate();
  const Bytes msg = {1, 2, 3, 4, 5, 6, 7, 8};
  const Signature sig = key.sign(msg);
  ASSERT_TRUE(verify(key.public_key(), msg, sig));
  EXPECT_FALSE(verify(other.public_key(), msg, sig));
  for (std::size_t i = 0; i < msg.size(); ++i) {
    Bytes m = msg;
    m[i] ^= 0x01;
    EXPECT_FALSE(verify(key.public_key(), m, sig)) << i;
  }
  for (std::size_t i = 0; i < sig.bytes.size(); ++i) {
    Signature s = sig;
    s.bytes[i] ^= 0x80;
    EXPECT_FALSE(verify(key.public_key(), msg, s)) << i;
  }
}

TEST(Ed25519, KeyIdsNameTheKey) {
  const SigningKey a = SigningKey::generate(), b = SigningKey::generate();
  EXPECT_EQ(key_id(a.public_key()), key_id(SigningKey::from_seed(a.seed().bytes()).public_key()));
  EXPECT_NE(key_id(a.public_key()), key_id(b.public_key()));
  EXPECT_EQ(key_id(a.public_key()).hex().size(), 16u);
}

TEST(X25519, BothEndsAgreeAndDegenerateKeysAreRefused) {
  const AgreementKey a = AgreementKey::generate(), b = AgreementKey::generate(), c = AgreementKey::generate();
  const auto ab = a.shared_key(b.public_key()), ba = b.shared_key(a.public_key()), ac = a.shared_key(c.public_key());
  ASSERT_TRUE(ab.has_value() && ba.has_value() && ac.has_value());
  EXPECT_TRUE(std::equal(ab->bytes().begin(), ab->bytes().end(), ba->bytes().begin()));
  EXPECT_FALSE(std::equal(ab->bytes().begin(), ab->bytes().end(), ac->bytes().begin()));
  const PublicAgreementKey zero{};
  EXPECT_FALSE(a.shared_key(zero).has_value());
}

TEST(Aead, RoundTripsAndRefusesEveryChange) {
  const SymmetricKey key = generate_symmetric_key();
  const SymmetricKey wrong = generate_symmetric_key();
  RngStream rng = Rng(20261201).stream("aead");
  for (int trial = 0; trial < 20; ++trial) {
    Bytes plain(rng.below(301));
    for (auto& b : plain) b = static_cast<std::uint8_t>(rng.below(256));
    const std::string label = "JRADS; SECRET; REL TO KAL, MOR; CAT ORDERS; ORIG KAL; T 0";
    const Sealed s = seal(plain, as_bytes(label), key);
    ASSERT_EQ(s.ciphertext.size(), plain.size() + kAeadTagBytes);
    EXPECT_EQ(open(s, as_bytes(label), key).value(), plain);
    EXPECT_FALSE(open(s, as_bytes(label), wrong).has_value());
    EXPECT_FALSE(open(s, as_bytes("JRADS; SECRET; REL TO KAL; CAT ORDERS; ORIG KAL; T 0"), key).has_value());
    Sealed n = s;
    n.nonce[rng.below(kAeadNonceBytes)] ^= 0x10;
    EXPECT_FALSE(open(n, as_bytes(label), key).has_value());
    Sealed c = s;
    c.ciphertext[rng.below(c.ciphertext.size())] ^= 0x01;
    EXPECT_FALSE(open(c, as_bytes(label), key).has_value());
    Sealed t = s;
    t.ciphertext.pop_back();
    EXPECT_FALSE(open(t, as_bytes(label), key).has_value());
  }
  Sealed tiny;
  tiny.ciphertext.resize(kAeadTagBytes - 1);
  auto r = open(tiny, {}, key);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::truncated);
}

TEST(Aead, TwoSealsOfTheSameTextDiffer) {
  const SymmetricKey key = generate_symmetric_key();
  const Sealed a = seal(as_bytes("same"), {}, key), b = seal(as_bytes("same"), {}, key);
  EXPECT_NE(a.nonce, b.nonce);
  EXPECT_NE(a.ciphertext, b.ciphertext);
}

}  // namespace
}  // namespace jrads::security
