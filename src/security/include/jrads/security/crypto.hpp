#pragma once
// The cryptographic primitives JRADS uses, all from libsodium (none written here):
// SHA-256 (audit log hashes, RFC 6962), Ed25519 (signatures), X25519 (key agreement between
// nodes) and XChaCha20-Poly1305 (AEAD at rest and between nodes).
//
//   const SigningKey key = SigningKey::from_seed(seed);      // or SigningKey::generate()
//   const Signature sig = key.sign(message);
//   bool ok = verify(key.public_key(), message, sig);
//
// Every function initialises libsodium on first use (thread-safe) and aborts if it cannot:
// without a working random source nothing here can be trusted.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"

namespace jrads::security {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Lower-case hex, and its strict inverse: exactly `size` bytes (2*size hex digits, either case).
[[nodiscard]] std::string to_hex(ByteView bytes);
[[nodiscard]] Result<Bytes> from_hex(std::string_view hex, std::size_t size);
// The same, lower case only: the spelling of every file we write, so that no changed byte can
// read as the same value. The error says why (from_hex's message, or "hex digits must be lower
// case"); on failure no partial key material is left behind.
[[nodiscard]] Result<Bytes> from_lower_hex(std::string_view hex, std::size_t size);
// The allocation-free form for hot parsers (the audit log): exactly out.size() bytes, lower case.
[[nodiscard]] bool lower_hex_to(std::string_view hex, std::span<std::uint8_t> out) noexcept;

struct Digest {
  std::array<std::uint8_t, 32> bytes{};
  friend bool operator==(const Digest&, const Digest&) = default;
  [[nodiscard]] std::string hex() const { return to_hex(bytes); }
};
[[nodiscard]] Digest sha256(ByteView data) noexcept;
// SHA-256 of a one-byte prefix followed by data: RFC 6962's leaf (0x00) and node (0x01) hashes.
[[nodiscard]] Digest sha256_prefixed(std::uint8_t prefix, ByteView data) noexcept;
[[nodiscard]] Digest sha256_pair(std::uint8_t prefix, const Digest& left, const Digest& right) noexcept;

// Fills with random bytes from the operating system (libsodium's randombytes).
void random_bytes(std::span<std::uint8_t> out) noexcept;

// A fixed-size secret that is wiped (sodium_memzero) when destroyed and never printed.
template <std::size_t N>
class Secret {
 public:
  Secret() = default;
  Secret(const Secret& other) : bytes_(other.bytes_) {}
  Secret& operator=(const Secret& other) {
    bytes_ = other.bytes_;
    return *this;
  }
  ~Secret();
  [[nodiscard]] std::span<std::uint8_t, N> bytes() noexcept { return bytes_; }
  [[nodiscard]] std::span<const std::uint8_t, N> bytes() const noexcept { return bytes_; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};
void wipe(std::span<std::uint8_t> bytes) noexcept;
template <std::size_t N>
Secret<N>::~Secret() {
  wipe(bytes_);
}

using PublicSigningKey = std::array<std::uint8_t, 32>;
struct Signature {
  std::array<std::uint8_t, 64> bytes{};
  friend bool operator==(const Signature&, const Signature&) = default;
};

// An Ed25519 key pair.
class SigningKey {
 public:
  [[nodiscard]] static SigningKey generate();
  // Deterministic: the same 32-byte seed gives the same key (tests, exercise keys).
  [[nodiscard]] static SigningKey from_seed(std::span<const std::uint8_t, 32> seed);
  [[nodiscard]] const PublicSigningKey& public_key() const noexcept { return public_; }
  [[nodiscard]] const Secret<32>& seed() const noexcept { return seed_; }
  [[nodiscard]] Signature sign(ByteView message) const noexcept;

 private:
  PublicSigningKey public_{};
  Secret<64> secret_;
  Secret<32> seed_;
};
// A key's short name: the first 8 bytes of SHA-256("JRADS-KEYID-1" || public signing key).
struct KeyId {
  std::array<std::uint8_t, 8> bytes{};
  friend auto operator<=>(const KeyId&, const KeyId&) = default;
  [[nodiscard]] std::string hex() const { return to_hex(bytes); }
};
[[nodiscard]] KeyId key_id(const PublicSigningKey& key) noexcept;

// False for a wrong key, a changed message or a changed signature.
[[nodiscard]] bool verify(const PublicSigningKey& key, ByteView message, const Signature& signature) noexcept;

using PublicAgreementKey = std::array<std::uint8_t, 32>;
using SymmetricKey = Secret<32>;

// An X25519 key pair for agreeing keys between two nodes.
class AgreementKey {
 public:
  [[nodiscard]] static AgreementKey generate();
  [[nodiscard]] static AgreementKey from_seed(std::span<const std::uint8_t, 32> seed);
  [[nodiscard]] const PublicAgreementKey& public_key() const noexcept { return public_; }
  [[nodiscard]] const Secret<32>& secret() const noexcept { return secret_; }
  // The key both ends derive for traffic between them: X25519, then hashed with both public
  // keys in a fixed order (so either end gets the same key). Fails on a degenerate peer key.
  [[nodiscard]] Result<SymmetricKey> shared_key(const PublicAgreementKey& peer) const;

 private:
  PublicAgreementKey public_{};
  Secret<32> secret_;
};

[[nodiscard]] SymmetricKey generate_symmetric_key();

// XChaCha20-Poly1305 (IETF). The nonce is random per message (24 bytes: collisions are not a
// concern). `associated` (for example a label's text) is authenticated but not encrypted.
inline constexpr std::size_t kAeadNonceBytes = 24;
inline constexpr std::size_t kAeadTagBytes = 16;
struct Sealed {
  std::array<std::uint8_t, kAeadNonceBytes> nonce{};
  Bytes ciphertext;  // plaintext size + kAeadTagBytes
};
[[nodiscard]] Sealed seal(ByteView plaintext, ByteView associated, const SymmetricKey& key);
// Fails (and returns nothing of the plaintext) on a wrong key, changed associated data, or a
// changed nonce or ciphertext.
[[nodiscard]] Result<Bytes> open(const Sealed& sealed, ByteView associated, const SymmetricKey& key);

}  // namespace jrads::security
