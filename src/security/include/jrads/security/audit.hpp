#pragma once
// The tamper-evident audit log: every proposal, decision, order, outcome, release decision and
// key event of a node, one record per line, in a hash chain and an RFC 6962 Merkle tree, with
// checkpoints signed by the writing node and countersigned by the partner's node. The partner
// keeps its own replica of the tree (Countersigner) and signs only a root it computed itself,
// so neither party can rewrite history alone. Format: docs/SECURITY.md "Audit log".
//
//   Countersigner partner("run-20260615", partner_key);
//   AuditWriter log("run-20260615", "KAL-CP", writer_key, partner, sink);
//   log.append(t, "order", "KAL-ADC", label, "E-0007 FU-KAL-1 T-0042");
//   log.checkpoint(t, /*final=*/true);
//   Result<AuditReport> r = verify_audit(text, lookup);   // names the first bad line
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/label.hpp"
#include "jrads/security/merkle.hpp"

namespace jrads::security {

inline constexpr std::size_t kMaxAuditBody = 4096;  // bytes of a record's body
inline constexpr std::size_t kMaxAuditLine = 8192;  // bytes of any line of the file

struct AuditRecord {
  std::uint64_t seq = 0;  // 0, 1, 2, ... in file order
  SimTime time;           // non-decreasing; written with millisecond resolution
  std::string kind;       // [a-z][a-z0-9_]{0,31}: proposal, approval, denial, refusal, order, outcome, release, key, ...
  std::string actor;      // [A-Za-z0-9][A-Za-z0-9_.:-]{0,63}: the node, role or unit that acted
  Label label;            // the record's own label (what it tells is as classified as its subject)
  std::string body;       // printable ASCII (0x20-0x7e), at most kMaxAuditBody bytes
};

struct Checkpoint {
  std::string log_id;
  std::uint64_t size = 0;     // records covered: 0 .. size-1
  SimTime time;
  Digest root;                // Merkle tree head over the first `size` records
  Digest chain;               // hash chain value after record size-1
  bool final = false;         // the log is closed: nothing may follow
  KeyId signer;               // the writing node's key
  Signature signature;
  KeyId countersigner;        // the partner node's key
  Signature countersignature;
};
// What the writer signs (log, size, time, root, chain, final), and what the partner countersigns
// (log, size, time, root, final, and the writer's key id and signature).
[[nodiscard]] std::string checkpoint_statement(const Checkpoint& c);
[[nodiscard]] std::string countersign_statement(const Checkpoint& c);

// The partner's side: receives every record's leaf hash — not the record, which may not be
// releasable to the partner — keeps its own tree, and countersigns a checkpoint only if size
// and root are the ones it computed. A refusal means the writer's history
// differs from what it showed before. A changed record changes its leaf hash, so it cannot be
// made to match a countersigned root.
class Countersigner {
 public:
  Countersigner(std::string log_id, SigningKey key);
  void observe(const Digest& leaf);
  [[nodiscard]] Result<Signature> countersign(const Checkpoint& proposed) const;
  [[nodiscard]] KeyId key() const noexcept { return key_id(key_.public_key()); }

 private:
  SigningKey key_;
  MerkleAccumulator tree_;
  std::string log_id_;
};

// Appends records and checkpoints as text lines to `sink` (a file writer, a string, ...).
class AuditWriter {
 public:
  using Sink = std::function<void(std::string_view lines)>;
  // Writes the header line at once. `checkpoint_every` > 0: a checkpoint after every that
  // many records (besides the explicit ones).
  AuditWriter(std::string log_id, std::string writer_node, SigningKey key, Countersigner& partner, Sink sink,
              std::uint64_t checkpoint_every = 0);
  // Refuses (writing nothing) a record with a bad kind, actor, label or body, a time before the
  // last record's, or anything after the final checkpoint.
  Result<void> append(SimTime time, std::string_view kind, std::string_view actor, const Label& label,
                      std::string_view body);
  // Signs, has the partner countersign and writes a checkpoint; fails if the partner refuses.
  Result<Checkpoint> checkpoint(SimTime time, bool final);
  [[nodiscard]] std::uint64_t size() const noexcept { return tree_.size(); }
  [[nodiscard]] bool closed() const noexcept { return closed_; }

 private:
  std::string log_id_;
  SigningKey key_;
  Countersigner& partner_;
  Sink sink_;
  std::uint64_t checkpoint_every_;
  MerkleAccumulator tree_;
  Digest chain_;
  SimTime last_time_;
  std::uint64_t since_checkpoint_ = 0;
  bool closed_ = false;
  std::string line_;
  std::vector<std::pair<Label, std::string>> label_texts_;  // recent labels and their text form
};

// A public key found for a key id, with the party and node it belongs to.
struct KeyInfo {
  PublicSigningKey key{};
  std::string node;
  std::string party;
};
// Looks a key up (a keyring, revocation and expiry honoured); an error is the reason it is
// not usable.
using KeyLookup = std::function<Result<KeyInfo>(const KeyId&)>;

struct AuditReport {
  std::string log_id, writer_node;
  std::uint64_t records = 0, checkpoints = 0;
  bool closed = false;                 // ends with a final checkpoint
  std::optional<Checkpoint> last;      // the last checkpoint, if any
  std::vector<std::string> signer_parties;  // writer's and partner's, from the last checkpoint
};
struct VerifyOptions {
  bool allow_open = false;  // accept a log that does not end with a final checkpoint (still being written)
};
// Checks the whole file: header, every record (syntax, sequence, time order, label, chain),
// every checkpoint (position, root, chain, both signatures by keys of two different parties),
// and that nothing follows the final checkpoint. The error names the first bad line (1-based)
// and what is wrong with it.
[[nodiscard]] Result<AuditReport> verify_audit(std::string_view text, const KeyLookup& lookup,
                                               const VerifyOptions& options = {});

// The file's records and checkpoints without checking hashes or signatures (for `audit show`
// and proofs); a syntax error names the line.
struct AuditContents {
  std::string log_id, writer_node;
  std::vector<AuditRecord> records;
  std::vector<Digest> leaves;            // leaf hash of each record
  std::vector<Checkpoint> checkpoints;
};
[[nodiscard]] Result<AuditContents> parse_audit(std::string_view text);

}  // namespace jrads::security
