// libFuzzer target: the security module's file decoders on arbitrary bytes. The first byte
// picks the format (so one target covers all of them within the suite's fuzzing time):
//   0 audit log (parse_audit, and verify_audit against two fixed keys), 1 public key file,
//   2 node (secret) key file, 3 revocation list, 4 data key file, 5 sealed file.
// None may crash, hang or throw; what a decoder accepts must encode back to the same bytes
// where the format has one spelling.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/security/audit.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/sealed_file.hpp"

namespace {

using namespace jrads::security;

SigningKey fixed_key(std::uint8_t tag) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(tag);
  return SigningKey::from_seed(seed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  if (size < 1 || size > 65536) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 6) {
    case 0: {
      static const SigningKey writer = fixed_key(1), partner = fixed_key(2);
      const KeyLookup lookup = [](const KeyId& id) -> jrads::Result<KeyInfo> {
        if (id == key_id(writer.public_key())) return KeyInfo{writer.public_key(), "KAL-C2", "KAL"};
        if (id == key_id(partner.public_key())) return KeyInfo{partner.public_key(), "MOR-C2", "MOR"};
        return jrads::fail(jrads::Errc::dangling_ref, "unknown key");
      };
      const auto contents = parse_audit(text);
      const auto report = verify_audit(text, lookup, VerifyOptions{.allow_open = true});
      // A log that verifies also parses, with as many records.
      if (report) JRADS_ASSERT(contents.has_value() && contents->records.size() == report->records);
      if (!contents) JRADS_ASSERT(contents.error().where.line >= 1);
      break;
    }
    case 1: {
      const auto r = decode_public_key_file(text, "fuzz.pub");
      if (r) JRADS_ASSERT(encode_public_key_file(*r) == text);
      break;
    }
    case 2: {
      const auto r = decode_node_key_file(text, "fuzz.key");
      if (r) {
        std::string again = encode_node_key_file(*r);
        JRADS_ASSERT(again == text);
        wipe({reinterpret_cast<std::uint8_t*>(again.data()), again.size()});
      }
      break;
    }
    case 3: {
      const auto r = decode_revocation_list(text, "revoked.list");
      if (r) JRADS_ASSERT(encode_revocation_list(*r) == text);
      break;
    }
    case 4: {
      (void)decode_data_key_file(text, "fuzz.data.key");
      break;
    }
    default: {
      static const SymmetricKey key = [] {
        SymmetricKey k;
        for (auto& b : k.bytes()) b = 7;
        return k;
      }();
      const ByteView bytes(data + 1, size - 1);
      (void)parse_sealed_header(bytes);
      (void)decode_sealed(bytes, key);
      break;
    }
  }
  return 0;
}
