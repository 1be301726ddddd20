#pragma once
// One sample between two nodes, as the security module protects it (docs/FEDERATION.md):
//
//   the header (topic, sender, receiver, stream, seq, time) and the label travel in the clear;
//   the payload is signed with the label and the header by the sending node (Ed25519,
//   security::sign_labelled), then key id, signature and payload are encrypted for the
//   receiving node (XChaCha20-Poly1305 under the pair's X25519 key), the header and the label
//   authenticated with them.
//
// So an outsider reads only who talks to whom, when and at what label; a changed byte anywhere
// fails; the partner, who holds the pair's key, still cannot forge a third node's sample (the
// signature); and a sample cannot be moved to another topic, receiver, stream or time.
//
//   WireSample w = seal_sample(header, label, payload, kal_keys, pair_key);
//   auto opened = open_sample(w, "jrads/tracks", "MOR-C2", pair_key, keyring, now_unix_s);
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/label.hpp"

namespace jrads::federation {

// The limits of the IDL (idl/envelope.idl), checked on both sides.
inline constexpr std::size_t kMaxNodeId = 32;
inline constexpr std::size_t kMaxLabelText = 1024;
inline constexpr std::size_t kMaxSealed = 262144;
inline constexpr std::size_t kMaxTopic = 64;
// What the sealed part holds besides the payload: key id, signature, AEAD tag.
inline constexpr std::size_t kSealedOverhead = 8 + 64 + security::kAeadTagBytes;
inline constexpr std::size_t kMaxPayload = kMaxSealed - kSealedOverhead;

struct SampleHeader {
  std::string topic;     // the DDS topic name, e.g. "jrads/tracks" (not sent: each topic has its own)
  std::string sender;    // node ids
  std::string receiver;
  std::uint32_t stream = 0;  // the instance: track number, unit index, 0
  std::uint64_t seq = 0;     // >= 1, per (sender, receiver, topic)
  SimTime time;
  friend bool operator==(const SampleHeader&, const SampleHeader&) = default;
};

// What DDS carries (jrads_wire_Envelope, less the topic, which is the DDS topic's name).
struct WireSample {
  SampleHeader header;
  std::string label;  // text form
  std::array<std::uint8_t, security::kAeadNonceBytes> nonce{};
  security::Bytes sealed;
};

struct OpenedSample {
  SampleHeader header;
  security::Label label;
  security::Bytes payload;
};

// Requires a valid header (node ids, seq >= 1), a valid label and a payload of at most
// kMaxPayload bytes (the caller checks; a violation is a programming error).
[[nodiscard]] WireSample seal_sample(const SampleHeader& header, const security::Label& label,
                                     security::ByteView payload, const security::NodeKeys& sender,
                                     const security::SymmetricKey& pair_key);

// Opens a sample received on `topic` by node `me`. Errors (Errc::invalid_argument or
// Errc::dangling_ref) name the field and the problem, in this order of checks:
//   sender/receiver not node ids, not for `me`, seq 0, time negative; the label's text (as
//   parse_label says); sealed part too short or too long; "does not authenticate" (wrong pair
//   key, or header, label, nonce or sealed bytes changed); the key not the sender's own, or
//   not usable at at_unix_s (revoked, expired: the keyring's reason); a bad signature.
// Nothing of the payload is returned unless every check passed.
[[nodiscard]] Result<OpenedSample> open_sample(const WireSample& sample, std::string_view topic, std::string_view me,
                                               const security::SymmetricKey& pair_key,
                                               const security::Keyring& keyring, std::int64_t at_unix_s);

// Duplicates and replays, for one receiving node: a sample is new only with a seq above the
// last accepted one from the same sender on the same topic. Gaps are allowed (best-effort
// topics lose samples) and counted.
class SequenceGuard {
 public:
  // True and remembered if new; false for a duplicate or a replay of an older sample.
  [[nodiscard]] bool accept(const SampleHeader& h);
  [[nodiscard]] std::uint64_t gaps() const noexcept { return gaps_; }
  [[nodiscard]] std::uint64_t rejected() const noexcept { return rejected_; }

 private:
  std::map<std::pair<std::string, std::string>, std::uint64_t> last_;  // (sender, topic) -> seq
  std::uint64_t gaps_ = 0, rejected_ = 0;
};

}  // namespace jrads::federation
