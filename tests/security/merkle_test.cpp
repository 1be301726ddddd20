#include "jrads/security/merkle.hpp"

#include <gtest/gtest.h>

#include <string>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

std::vector<Digest> leaves_of(std::uint64_t n) {
  std::vector<Digest> out;
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(leaf_hash(as_bytes("entry " + std::to_string(i))));
  return out;
}

// The tree hash written again from RFC 6962's definition, independently of merkle.cpp: split
// at the largest power of two below n, found by doubling.
Digest oracle_root(const std::vector<Digest>& d, std::size_t lo, std::size_t hi) {
  const std::size_t n = hi - lo;
  if (n == 0) return sha256({});
  if (n == 1) return d[lo];
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  Bytes buf{0x01};
  const Digest l = oracle_root(d, lo, lo + k), r = oracle_root(d, lo + k, hi);
  buf.insert(buf.end(), l.bytes.begin(), l.bytes.end());
  buf.insert(buf.end(), r.bytes.begin(), r.bytes.end());
  return sha256(buf);
}

TEST(Merkle, LeafAndNodeHashesAreDomainSeparated) {
  Bytes leaf{0x00, 'a'};
  EXPECT_EQ(leaf_hash(as_bytes("a")), sha256(leaf));
  EXPECT_NE(leaf_hash(as_bytes("a")), sha256(as_bytes("a")));
  EXPECT_EQ(empty_tree_root().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, AccumulatorAndRecursiveRootMatchTheDefinitionAtEverySize) {
  const auto leaves = leaves_of(300);
  MerkleAccumulator acc;
  EXPECT_EQ(acc.root(), empty_tree_root());
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    acc.append(leaves[n - 1]);
    const Digest want = oracle_root(leaves, 0, n);
    ASSERT_EQ(acc.root(), want) << n;
    ASSERT_EQ(merkle_root(std::span(leaves).first(n)), want) << n;
  }
}

TEST(Merkle, EveryInclusionProofVerifiesAndNoOtherLeafOrPositionDoes) {
  const auto leaves = leaves_of(70);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const Digest root = oracle_root(leaves, 0, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto proof = inclusion_proof(leaves, i, n);
      ASSERT_TRUE(verify_inclusion(i, n, leaves[i], proof, root)) << i << " of " << n;
      EXPECT_FALSE(verify_inclusion(i, n, leaves[(i + 1) % leaves.size()], proof, root));
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion((i + 1) % n, n, leaves[i], proof, root)) << i << " of " << n;
      }
      EXPECT_FALSE(verify_inclusion(n, n, leaves[i], proof, root));
      if (!proof.empty()) {
        auto bad = proof;
        bad[i % bad.size()].bytes[7] ^= 0x01;
        EXPECT_FALSE(verify_inclusion(i, n, leaves[i], bad, root));
        bad = proof;
        bad.pop_back();
        EXPECT_FALSE(verify_inclusion(i, n, leaves[i], bad, root));
      }
      auto longer = proof;
      longer.push_back(leaves[0]);
      EXPECT_FALSE(verify_inclusion(i, n, leaves[i], longer, root));
    }
  }
}

TEST(Merkle, EveryConsistencyProofVerifiesAndAnyAlteredHistoryFails) {
  const auto leaves = leaves_of(66);
  auto forged = leaves;
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const Digest new_root = oracle_root(leaves, 0, n);
    for (std::uint64_t m = 1; m <= n; ++m) {
      const Digest old_root = oracle_root(leaves, 0, m);
      const auto proof = consistency_proof(leaves, m, n);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      // A changed old leaf: its root no longer extends to the new one.
      forged[m - 1].bytes[0] ^= 0x01;
      const Digest forged_old = oracle_root(forged, 0, m);
      forged[m - 1].bytes[0] ^= 0x01;
      EXPECT_FALSE(verify_consistency(m, n, forged_old, new_root, proof)) << m << " -> " << n;
      if (m < n) {
        EXPECT_FALSE(verify_consistency(m, n, old_root, oracle_root(leaves, 0, n - 1), proof)) << m << " -> " << n;
        auto bad = proof;
        bad.back().bytes[31] ^= 0x80;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bad)) << m << " -> " << n;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, std::span(proof).first(proof.size() - 1)));
        EXPECT_FALSE(verify_consistency(n, m, new_root, old_root, proof));
      }
    }
  }
  EXPECT_FALSE(verify_consistency(0, 5, empty_tree_root(), oracle_root(leaves, 0, 5), {}));
}

TEST(Merkle, RandomLargeTreesProveInclusionAndConsistency) {
  RngStream rng = Rng(6962).stream("merkle");
  const auto leaves = leaves_of(5000);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t n = 1 + rng.below(leaves.size());
    const std::uint64_t m = 1 + rng.below(n);
    const std::uint64_t i = rng.below(n);
    const Digest root = merkle_root(std::span(leaves).first(n));
    EXPECT_TRUE(verify_inclusion(i, n, leaves[i], inclusion_proof(leaves, i, n), root));
    EXPECT_TRUE(verify_consistency(m, n, merkle_root(std::span(leaves).first(m)), root, consistency_proof(leaves, m, n)));
  }
}

}  // namespace
}  // namespace jrads::security
