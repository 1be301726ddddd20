#pragma once
// The federation's binary payloads read and write little-endian fields in order
// (track_update.cpp, picture_batch.cpp, alert_payload.cpp, order_payload.cpp): one reader and
// one writer for them all. Not a public header.
#include <cstddef>
#include <cstdint>

#include "jrads/security/crypto.hpp"

namespace jrads::federation::detail {

// `ok` turns false (and stays) once a field runs past the end; such a read gives 0 or nothing.
struct LeReader {
  security::ByteView in;
  std::size_t at = 0;
  bool ok = true;
  std::uint64_t next(std::size_t n) {
    if (!ok || in.size() - at < n) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in[at + i]) << (8 * i);
    at += n;
    return v;
  }
  security::ByteView bytes(std::size_t n) {
    if (!ok || in.size() - at < n) {
      ok = false;
      return {};
    }
    const security::ByteView v = in.subspan(at, n);
    at += n;
    return v;
  }
};

// Appends the low `n` bytes of `v`, least significant first.
inline void put_le(security::Bytes& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace jrads::federation::detail
