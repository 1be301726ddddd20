#pragma once
// Sealed files: labelled data encrypted at rest under a per-party data key
// (XChaCha20-Poly1305, crypto.hpp; docs/SECURITY.md "Sealed files").
//
//   auto key = load_party_data_key(dir, "KAL");           // DIR/KAL.data.key, mode 0600
//   auto ok = write_sealed("picture.sealed", label, bytes, "KAL", *key);
//   auto opened = read_sealed("picture.sealed", *key);     // label, party, plaintext
//
// A sealed file is a text header, then the ciphertext (plaintext + 16-byte tag):
//   JRADS-SEALED-1
//   label JRADS; SECRET; REL TO KAL, MOR; CAT AIR-PICTURE; ORIG KAL; T 1530.25
//   party KAL                       the party whose data key seals it
//   key 0123456789abcdef            data_key_id(party, key): names the key, reveals nothing
//   nonce <48 hex digits>           random per file
//   size 1234                       ciphertext bytes that follow
//   <ciphertext>
// Every header byte, from the magic to the newline after size, is the AEAD's associated data:
// a changed label, party, key id, nonce or size fails to open. The parser is strict (fixed
// order, one spelling) and bounds-checked with size caps, so decode_sealed() can be fuzzed.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "jrads/core/result.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/label.hpp"

namespace jrads::security {

// ---------------------------------------------------------------- per-party data keys

// A party's data key's short name: the first 8 bytes of
// SHA-256("JRADS-DATAKEY-ID-1" || party || 0x00 || key). It names the key without revealing it,
// and binds it to its party (a changed party line in the key file is detected).
[[nodiscard]] KeyId data_key_id(std::string_view party, const SymmetricKey& key);

// DIR/<party>.data.key:
//   jrads-data-key 1
//   party KAL
//   id <16 hex>       data_key_id(party, key): a damaged key or party is detected on loading
//   key <64 hex>
inline constexpr std::string_view kDataKeyMagic = "jrads-data-key 1";
[[nodiscard]] std::filesystem::path data_key_path(const std::filesystem::path& dir, std::string_view party);

struct PartyDataKey {
  std::string party;
  SymmetricKey key;
};
// The file's text holds the key: wipe() it after use.
[[nodiscard]] std::string encode_data_key_file(const PartyDataKey& key);
// Strict, like the key files (keys.hpp): errors name the file and line, never the key.
[[nodiscard]] Result<PartyDataKey> decode_data_key_file(std::string_view text, const std::string& file_name);

// Creates DIR/<party>.data.key (mode 0600; DIR is created 0700 if missing). Refuses
// (Errc::duplicate_id) when the file exists, whatever it holds: a data key is never replaced
// or silently reused by init (files sealed under it would be lost); load it instead. With a
// seed (exercise and test keys) the key is SHA-256("JRADS-DATA-KEY-1", party, seed), so one
// seed gives every party a different key; without, from the OS random source.
[[nodiscard]] Result<SymmetricKey> init_party_data_key(const std::filesystem::path& dir, const std::string& party,
                                                       const std::optional<KeySeed>& seed);
// Reads it with the secret-file checks of keys.hpp (regular file, not a symlink, owned by this
// user, no group/other permission; the directory not group/other writable) and checks that it
// is the party's and its id.
[[nodiscard]] Result<SymmetricKey> load_party_data_key(const std::filesystem::path& dir, const std::string& party);

// ---------------------------------------------------------------- sealed files

inline constexpr std::string_view kSealedMagic = "JRADS-SEALED-1\n";
inline constexpr std::size_t kMaxSealedHeaderBytes = 2048;
inline constexpr std::size_t kMaxSealedPlaintextBytes = std::size_t{64} << 20;  // 64 MiB

// The parsed header; the ciphertext is bytes[header_bytes, header_bytes + ciphertext_bytes).
struct SealedHeader {
  Label label;
  std::string party;
  KeyId key;
  std::array<std::uint8_t, kAeadNonceBytes> nonce{};
  std::size_t ciphertext_bytes = 0;
  std::size_t header_bytes = 0;
};

struct Opened {
  Label label;
  std::string party;  // whose data key opened it
  Bytes plaintext;
};

// How the nonce is chosen. random: from the OS for each file. synthetic: a keyed hash (under a
// subkey of the data key) of the label, party and plaintext, so a reproducible run gives the
// same bytes; sealing the same plaintext and label twice then shows that they are the same,
// and nothing more.
enum class SealNonce : std::uint8_t { random, synthetic };

// The sealed bytes. Errc::invalid_argument for an invalid label, a bad party, a label not
// releasable to that party (its data key holders would read it), or a plaintext over the cap.
[[nodiscard]] Result<Bytes> encode_sealed(const Label& label, ByteView plaintext, const std::string& party,
                                          const SymmetricKey& key, SealNonce nonce = SealNonce::random);
// The header only (no key needed): strict syntax, sizes within the caps, the ciphertext exactly
// as long as `size` says (Errc::truncated when shorter, Errc::parse_error for bytes after it).
// Errors carry `source` (a file name) and the header line in their Location.
[[nodiscard]] Result<SealedHeader> parse_sealed_header(ByteView bytes, const std::string& source = "sealed data");
// parse_sealed_header, then a key id check ("sealed under data key X of party P, not this key")
// and the AEAD. Never returns part of the plaintext on failure.
[[nodiscard]] Result<Opened> decode_sealed(ByteView bytes, const SymmetricKey& key,
                                           const std::string& source = "sealed data");

// encode_sealed, then written through a temporary file and renamed (mode 0600): path holds the
// old file or the whole new one, never a part.
[[nodiscard]] Result<void> write_sealed(const std::filesystem::path& path, const Label& label, ByteView plaintext,
                                        const std::string& party, const SymmetricKey& key,
                                        SealNonce nonce = SealNonce::random);
// Reads a regular file (symlinks followed) of at most the caps, then decode_sealed. Every error
// names the file.
[[nodiscard]] Result<Opened> read_sealed(const std::filesystem::path& path, const SymmetricKey& key);

}  // namespace jrads::security
