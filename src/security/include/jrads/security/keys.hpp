#pragma once
// Node keys: each node (command post) holds an Ed25519 signing key and an X25519 agreement key,
// published as a self-signed public record; a keyring of every node's public records and the
// revocation list verifies labelled signatures (docs/SECURITY.md, "Keys").
//
//   auto keys = init_node(dir, "KAL-RC", "KAL", now_s, 365 * 86400, std::nullopt);  // once
//   auto keys = load_node(dir, "KAL-RC");                                           // later
//   auto ring = Keyring::load(dir);
//   if (auto ok = check_usable_for_signing(*keys, *ring, now_s); !ok) ...
//   const Binding b = sign_labelled(label, payload, *keys);
//   auto ok = verify_labelled(label, payload, b, *ring, now_s);   // the reason when it fails
//
// The key directory (DIR, mode 0700, never group/other writable):
//   DIR/<node>.key               secret: the current generation's seeds and public record (0600)
//   DIR/<node>.<generation>.pub  public record of every generation, kept after rotation (0644)
//   DIR/revoked.list             signed revocations (0644)
// Every file is line-oriented text ("key value", keys in a fixed order, first line a magic and
// version) and strictly parsed: anything else fails naming the file, the line and the problem.
// Logic takes `now` (Unix seconds, UTC) as an argument and never reads a clock.
//
// Nothing here is thread-safe against a second process changing the same directory at the
// same time: one operator (or one `jrads keys` command) at a time.
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/label.hpp"

namespace jrads::security {

// ---------------------------------------------------------------- ids and times

// A node id: [A-Z0-9-]{1,32}. Errc::invalid_argument saying what is wrong.
[[nodiscard]] Result<void> check_node_id(std::string_view node);
// A party id as in label.hpp: [A-Z0-9]{2,8}, not ALLIANCE or NONE.
[[nodiscard]] Result<void> check_party_id(std::string_view party);

// The times a key file can hold: 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
inline constexpr std::int64_t kMaxUnixS = 253402300799;
// ISO 8601 UTC to the second, "2026-12-01T18:00:00Z". Outside 0..kMaxUnixS: "unix time N".
[[nodiscard]] std::string format_utc(std::int64_t unix_s);
// The strict inverse: exactly "YYYY-MM-DDTHH:MM:SSZ", a real calendar date in 1970..9999, no
// leap second. Errc::parse_error saying what is wrong.
[[nodiscard]] Result<std::int64_t> parse_utc(std::string_view text);

// ---------------------------------------------------------------- public records

// The public half of one generation of a node's keys. self_signature is the key's own Ed25519
// signature over a canonical text of every other field (domain "JRADS-PUBKEY-1"), so any
// change to a .pub file is detected; id must be key_id(sign_public).
struct PublicKeyRecord {
  std::string node;   // node id
  std::string party;  // party id
  int generation = 1;  // >= 1; rotation adds one
  KeyId id;
  PublicSigningKey sign_public{};
  PublicAgreementKey agree_public{};
  std::int64_t created_unix_s = 0;  // valid from (inclusive)
  std::int64_t expires_unix_s = 0;  // valid until (exclusive), > created
  Signature self_signature;

  friend bool operator==(const PublicKeyRecord&, const PublicKeyRecord&) = default;
};

// The longest validity a key may be given (50 years).
inline constexpr std::int64_t kMaxKeyValidS = std::int64_t{50} * 365 * 86400;

// Checks every field (ids, generation, times in range), id == key_id(sign_public) and the self
// signature. Errc::invalid_argument naming the field.
[[nodiscard]] Result<void> check_record(const PublicKeyRecord& record);

// ---------------------------------------------------------------- node keys

struct NodeKeys {
  PublicKeyRecord record;
  SigningKey signing;
  AgreementKey agreement;
};
using KeySeed = std::array<std::uint8_t, 32>;

// A new generation of a node's keys, valid from created_unix_s for valid_s seconds
// (1..kMaxKeyValidS). With a seed (exercise and test keys) the keys are deterministic: the
// Ed25519 seed and the X25519 secret are SHA-256 of a context string ("JRADS-NODE-SIGN-1" or
// "JRADS-NODE-AGREE-1"), the node, the generation and the seed, so one exercise seed gives
// every node and generation different keys. Without a seed, from the OS random source.
[[nodiscard]] Result<NodeKeys> generate_node_keys(const std::string& node, const std::string& party, int generation,
                                                  std::int64_t created_unix_s, std::int64_t valid_s,
                                                  const std::optional<KeySeed>& seed);

// ---------------------------------------------------------------- revocations

// A signed statement that a key must no longer be used, made by a key of the same node: the
// revoked key itself or a later generation (its successor). A revoked key fails usable() at
// every time, before the revocation too: when a key was compromised is not known.
struct Revocation {
  KeyId id;  // the revoked key
  std::string node;
  int generation = 1;
  std::int64_t revoked_unix_s = 0;
  std::string reason;  // 1..200 printable ASCII characters, no leading or trailing space
  KeyId signer;
  Signature signature;  // by signer over a canonical text (domain "JRADS-REVOKE-1")

  friend bool operator==(const Revocation&, const Revocation&) = default;
};
inline constexpr std::size_t kMaxReasonChars = 200;
[[nodiscard]] Result<void> check_reason(std::string_view reason);

// Signs a revocation of `revoked` by `signer` (same node, generation >= the revoked one).
// Errc::invalid_argument for another node, an older signer, a bad reason or time.
[[nodiscard]] Result<Revocation> make_revocation(const PublicKeyRecord& revoked, const std::string& reason,
                                                 std::int64_t revoked_unix_s, const NodeKeys& signer);

// ---------------------------------------------------------------- the keyring

enum class KeyStatus : std::uint8_t { valid, not_yet_valid, expired, superseded, revoked };
// "valid", "not yet valid", "expired", "superseded", "revoked".
[[nodiscard]] const char* to_string(KeyStatus s) noexcept;

// Every node's public records and the revocations. Pointers it returns stay valid until the
// next add().
class Keyring {
 public:
  // Reads every DIR/*.pub (each must be named <node>.<generation>.pub after its content) and
  // DIR/revoked.list if present. A bad file is an error naming it, never skipped.
  [[nodiscard]] static Result<Keyring> load(const std::filesystem::path& dir);

  // Checks the record (check_record); refuses (Errc::duplicate_id) a known id with different
  // content, a second key for the same node and generation, and a node whose party changed.
  // Adding an identical record again does nothing.
  [[nodiscard]] Result<void> add(PublicKeyRecord record);
  // Checks the reason, that the revoked key and the signer are known keys of the revocation's
  // node, the signer's generation is at least the revoked one and the signature. A second,
  // different revocation of a key is Errc::duplicate_id; an identical one does nothing.
  [[nodiscard]] Result<void> add(Revocation revocation);

  // The record when the key may be used at at_unix_s. Otherwise (Errc::dangling_ref when
  // unknown, Errc::invalid_argument else):
  //   "key 1a2b3c4d5e6f7081 is not in the keyring"
  //   "key 1a2b3c4d5e6f7081 of node KAL-RC (generation 2) was revoked at 2026-12-01T18:00:00Z: compromised laptop"
  //   "key ... of node KAL-RC (generation 2) expired at 2027-06-01T00:00:00Z"
  //   "key ... of node KAL-RC (generation 2) is not valid before 2026-06-01T00:00:00Z"
  // A superseded key (an older generation) stays usable, so that old signatures still verify;
  // revoke it when it must not be.
  [[nodiscard]] Result<const PublicKeyRecord*> usable(const KeyId& id, std::int64_t at_unix_s) const;

  [[nodiscard]] const PublicKeyRecord* find(const KeyId& id) const noexcept;
  [[nodiscard]] const PublicKeyRecord* find(std::string_view node, int generation) const noexcept;
  // The highest generation of the node, or nullptr.
  [[nodiscard]] const PublicKeyRecord* current(std::string_view node) const noexcept;
  [[nodiscard]] const Revocation* revocation(const KeyId& id) const noexcept;
  // Revoked first, then expired, superseded (not the node's current), not yet valid, valid.
  [[nodiscard]] KeyStatus status(const PublicKeyRecord& record, std::int64_t at_unix_s) const noexcept;

  // Sorted by node, then generation.
  [[nodiscard]] const std::vector<PublicKeyRecord>& records() const noexcept { return records_; }
  // In the order added (the order of revoked.list).
  [[nodiscard]] const std::vector<Revocation>& revocations() const noexcept { return revocations_; }

 private:
  std::vector<PublicKeyRecord> records_;
  std::vector<Revocation> revocations_;
  std::map<KeyId, std::size_t> by_id_;       // into records_
  std::map<KeyId, std::size_t> revoked_by_id_;  // into revocations_
};

// ---------------------------------------------------------------- file contents (pure)

// The text of each file and its strict parser. file_name goes into the error's Location (with
// the line); errors never quote a secret value.
[[nodiscard]] std::string encode_public_key_file(const PublicKeyRecord& record);
[[nodiscard]] Result<PublicKeyRecord> decode_public_key_file(std::string_view text, const std::string& file_name);
// The secret file's text holds the private seeds: wipe() it after use.
[[nodiscard]] std::string encode_node_key_file(const NodeKeys& keys);
// Also checks that the seeds give the recorded public keys.
[[nodiscard]] Result<NodeKeys> decode_node_key_file(std::string_view text, const std::string& file_name);
[[nodiscard]] std::string encode_revocation_list(const std::vector<Revocation>& revocations);
// Syntax and field ranges only; signatures are checked by Keyring::add. `lines` (when given)
// receives the line number of each revocation's first line.
[[nodiscard]] Result<std::vector<Revocation>> decode_revocation_list(std::string_view text, const std::string& file_name,
                                                                     std::vector<int>* lines = nullptr);
inline constexpr std::size_t kMaxKeyFileBytes = 4096;
inline constexpr std::size_t kMaxRevocationListBytes = 1 << 20;
inline constexpr std::string_view kNodeKeyMagic = "jrads-node-key 1";
inline constexpr std::string_view kPublicKeyMagic = "jrads-public-key 1";
inline constexpr std::string_view kRevocationsMagic = "jrads-revocations 1";

// The reader behind those files, for other single-record files of the same kind (the data key
// file, the sealed file header): the magic line, then exactly `keys` in this order, one
// "key value" line each, printable ASCII, '\n' line ends including the last, at most max_bytes.
// Returns the values (views into text); value k is on line k + 2. Errors name the file and the
// line: a missing, unknown or duplicate key, an empty value, CR, NUL, a bad byte, trailing lines.
[[nodiscard]] Result<std::vector<std::string_view>> parse_key_value_lines(std::string_view text,
                                                                          const std::string& file_name,
                                                                          std::string_view magic,
                                                                          std::span<const std::string_view> keys,
                                                                          std::size_t max_bytes);

// ---------------------------------------------------------------- files in the key directory

[[nodiscard]] std::filesystem::path node_key_path(const std::filesystem::path& dir, std::string_view node);
[[nodiscard]] std::filesystem::path public_key_path(const std::filesystem::path& dir, std::string_view node,
                                                    int generation);
[[nodiscard]] std::filesystem::path revocation_list_path(const std::filesystem::path& dir);

// How a file in the key directory (or a sealed file) is read. Permission checks use st_mode
// and st_uid (never access()), so they hold for root too.
struct FileRead {
  std::size_t max_bytes = kMaxKeyFileBytes;
  bool secret = false;           // owned by this user, no group/other permission bit
  bool follow_symlinks = false;  // false: a symbolic link is refused
};
// The whole file, which must be a regular file (never blocks on a FIFO). Errc::io_error with
// the file name and the fix, e.g. "permissions 0644 are too open (group/other may read it);
// chmod 600 DIR/N.key".
[[nodiscard]] Result<std::string> read_file_checked(const std::filesystem::path& path, const FileRead& how);
// Writes through a temporary file in the same directory, created with O_EXCL|O_NOFOLLOW and
// `mode` (set with fchmod before any byte is written, so never wider), fsync()ed, then renamed
// onto path (replace) or linked (no replace: Errc::duplicate_id when path exists). Never leaves
// a partial file at path; the temporary file is removed on failure.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& path, ByteView data, unsigned mode,
                                                 bool replace);
// A key directory: an existing directory without group/other write permission.
[[nodiscard]] Result<void> check_key_dir(const std::filesystem::path& dir);
// Creates the directory (and missing parents) with mode 0700 when absent, then check_key_dir.
[[nodiscard]] Result<void> ensure_key_dir(const std::filesystem::path& dir);

// ---------------------------------------------------------------- life cycle

// The node's first keys: creates DIR (0700) if needed, refuses (Errc::duplicate_id) when
// DIR/<node>.key exists. When DIR holds .pub files of the node but no secret (it was lost),
// the new keys take the next generation, and the party must be theirs.
[[nodiscard]] Result<NodeKeys> init_node(const std::filesystem::path& dir, const std::string& node,
                                         const std::string& party, std::int64_t now_unix_s, std::int64_t valid_s,
                                         const std::optional<KeySeed>& seed);
// The node's secret file, checked (permissions, syntax, seeds against public keys) and matched
// against DIR/<node>.<generation>.pub; refused when a newer generation's .pub exists (the key
// was rotated elsewhere, or a rotation was interrupted: rotate again).
[[nodiscard]] Result<NodeKeys> load_node(const std::filesystem::path& dir, const std::string& node);
// A new generation (one above the highest .pub of the node) from the OS random source: writes
// its .pub, then replaces DIR/<node>.key by rename. Older .pub files are kept so that old
// signatures still verify; the old key is not revoked.
[[nodiscard]] Result<NodeKeys> rotate_node(const std::filesystem::path& dir, const std::string& node,
                                           std::int64_t now_unix_s, std::int64_t valid_s);
// Revokes the node's key of that generation, signed by the node's current key, and rewrites
// revoked.list atomically (read, append, write temporary, rename). Refuses an unknown
// generation, a key already revoked and a bad reason.
[[nodiscard]] Result<Revocation> revoke_key(const std::filesystem::path& dir, const std::string& node, int generation,
                                            const std::string& reason, std::int64_t now_unix_s);
// Refuses to sign with an own key that is not in the keyring as loaded, or is revoked,
// expired, not yet valid or superseded by a newer generation.
[[nodiscard]] Result<void> check_usable_for_signing(const NodeKeys& keys, const Keyring& keyring,
                                                    std::int64_t now_unix_s);

// ---------------------------------------------------------------- labelled signatures

// A signature binding a label to a payload.
struct Binding {
  KeyId key;
  Signature signature;
  friend bool operator==(const Binding&, const Binding&) = default;
};
// Signs "JRADS-BIND-1", then the label's text and the payload, each preceded by its length
// (8 bytes, big-endian), so no byte can move between label and payload. Requires
// validate(label).
[[nodiscard]] Binding sign_labelled(const Label& label, ByteView payload, const NodeKeys& keys);
// Fails for an invalid label, an unknown, revoked, expired or not yet valid key (usable()'s
// message), or a signature that does not match the label and payload.
[[nodiscard]] Result<void> verify_labelled(const Label& label, ByteView payload, const Binding& binding,
                                           const Keyring& keyring, std::int64_t at_unix_s);

}  // namespace jrads::security
