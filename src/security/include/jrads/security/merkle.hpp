#pragma once
// Merkle tree hashing, audit paths and consistency proofs as in RFC 6962 (section 2.1), with
// the verification algorithms of RFC 9162 (sections 2.1.3.2 and 2.1.4.2). SHA-256 throughout:
//   leaf hash  = SHA-256(0x00 || entry)        node hash = SHA-256(0x01 || left || right)
//   the root of an empty tree is SHA-256("").
//
//   MerkleAccumulator acc;                      // append-only: O(1) amortised per leaf
//   for (auto& e : entries) acc.append(leaf_hash(e));
//   auto path = inclusion_proof(leaves, 3, leaves.size());
//   bool ok = verify_inclusion(3, leaves.size(), leaves[3], path, acc.root());
#include <cstdint>
#include <span>
#include <vector>

#include "jrads/security/crypto.hpp"

namespace jrads::security {

[[nodiscard]] Digest leaf_hash(ByteView entry) noexcept;
[[nodiscard]] Digest node_hash(const Digest& left, const Digest& right) noexcept;
[[nodiscard]] Digest empty_tree_root() noexcept;

// The tree over a growing list of leaves, keeping only the roots of its perfect subtrees
// (one per set bit of the size): O(log n) memory, append O(1) amortised, root O(log n).
class MerkleAccumulator {
 public:
  void append(const Digest& leaf);
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] Digest root() const;

 private:
  std::vector<Digest> peaks_;  // perfect subtree roots, largest (leftmost) first
  std::uint64_t size_ = 0;
};

// MTH(D[0:n]) over leaf hashes. O(n).
[[nodiscard]] Digest merkle_root(std::span<const Digest> leaves);

// RFC 6962 PATH(index, D[0:tree_size]); needs index < tree_size <= leaves.size().
[[nodiscard]] std::vector<Digest> inclusion_proof(std::span<const Digest> leaves, std::uint64_t index,
                                                  std::uint64_t tree_size);
// True when `proof` shows `leaf` at `index` in the tree of `tree_size` leaves with `root`.
[[nodiscard]] bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const Digest& leaf,
                                    std::span<const Digest> proof, const Digest& root) noexcept;

// RFC 6962 PROOF(old_size, D[0:new_size]); needs 0 < old_size <= new_size <= leaves.size().
[[nodiscard]] std::vector<Digest> consistency_proof(std::span<const Digest> leaves, std::uint64_t old_size,
                                                    std::uint64_t new_size);
// True when the tree of new_size leaves with new_root extends the one of old_size with old_root.
[[nodiscard]] bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Digest& old_root,
                                      const Digest& new_root, std::span<const Digest> proof) noexcept;

}  // namespace jrads::security
