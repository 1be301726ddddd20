#include "jrads/security/merkle.hpp"

#include <bit>

#include "jrads/core/result.hpp"

namespace jrads::security {
namespace {

// The largest power of two strictly smaller than n (n >= 2).
std::uint64_t split_point(std::uint64_t n) noexcept { return std::bit_floor(n - 1); }

void path(std::span<const Digest> d, std::uint64_t m, std::vector<Digest>& out) {
  if (d.size() <= 1) return;
  const std::uint64_t k = split_point(d.size());
  if (m < k) {
    path(d.first(k), m, out);
    out.push_back(merkle_root(d.subspan(k)));
  } else {
    path(d.subspan(k), m - k, out);
    out.push_back(merkle_root(d.first(k)));
  }
}

void subproof(std::span<const Digest> d, std::uint64_t m, bool complete, std::vector<Digest>& out) {
  const std::uint64_t n = d.size();
  if (m == n) {
    if (!complete) out.push_back(merkle_root(d));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(d.first(k), m, complete, out);
    out.push_back(merkle_root(d.subspan(k)));
  } else {
    subproof(d.subspan(k), m - k, false, out);
    out.push_back(merkle_root(d.first(k)));
  }
}

}  // namespace

Digest leaf_hash(ByteView entry) noexcept { return sha256_prefixed(0x00, entry); }
Digest node_hash(const Digest& left, const Digest& right) noexcept { return sha256_pair(0x01, left, right); }
Digest empty_tree_root() noexcept { return sha256({}); }

void MerkleAccumulator::append(const Digest& leaf) {
  // Like a binary counter: each trailing 1 bit of the old size is a peak of equal height that
  // merges with the new one.
  Digest carry = leaf;
  for (std::uint64_t s = size_; s & 1; s >>= 1) {
    carry = node_hash(peaks_.back(), carry);
    peaks_.pop_back();
  }
  peaks_.push_back(carry);
  ++size_;
}

Digest MerkleAccumulator::root() const {
  if (peaks_.empty()) return empty_tree_root();
  // RFC 6962 splits at the largest power of two, so the tree's root folds peaks from the right.
  Digest r = peaks_.back();
  for (std::size_t i = peaks_.size() - 1; i-- > 0;) r = node_hash(peaks_[i], r);
  return r;
}

Digest merkle_root(std::span<const Digest> leaves) {
  if (leaves.empty()) return empty_tree_root();
  if (leaves.size() == 1) return leaves[0];
  const std::uint64_t k = split_point(leaves.size());
  return node_hash(merkle_root(leaves.first(k)), merkle_root(leaves.subspan(k)));
}

std::vector<Digest> inclusion_proof(std::span<const Digest> leaves, std::uint64_t index, std::uint64_t tree_size) {
  JRADS_ASSERT(index < tree_size && tree_size <= leaves.size());
  std::vector<Digest> out;
  path(leaves.first(tree_size), index, out);
  return out;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const Digest& leaf, std::span<const Digest> proof,
                      const Digest& root) noexcept {
  if (index >= tree_size) return false;
  std::uint64_t fn = index, sn = tree_size - 1;
  Digest r = leaf;
  for (const Digest& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Digest> consistency_proof(std::span<const Digest> leaves, std::uint64_t old_size, std::uint64_t new_size) {
  JRADS_ASSERT(old_size > 0 && old_size <= new_size && new_size <= leaves.size());
  std::vector<Digest> out;
  subproof(leaves.first(new_size), old_size, true, out);
  return out;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Digest& old_root, const Digest& new_root,
                        std::span<const Digest> proof) noexcept {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  std::vector<Digest> c(proof.begin(), proof.end());
  if (std::has_single_bit(old_size)) c.insert(c.begin(), old_root);
  std::uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = c[0], sr = c[0];
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c[i], fr);
      sr = node_hash(c[i], sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c[i]);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace jrads::security
