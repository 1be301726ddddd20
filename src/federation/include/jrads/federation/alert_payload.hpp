#pragma once
// The payload of an alerts sample: one alert of a node's picture (picture::Alert).
//
//   "JALR" version 1 | kind (u8) | track number (u32) | sensor (u32, an index of the run's
//   sensor table) | time (i64 ns) | text length (u16) | text (printable ASCII, at most 1024)
//
// Little-endian, nothing after the text. The label travels with the sample.
#include <cstddef>

#include "jrads/core/result.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/security/crypto.hpp"

namespace jrads::federation {

inline constexpr std::size_t kMaxAlertText = 1024;

// Requires what decode_alert accepts (a programming error otherwise); a longer text is cut.
[[nodiscard]] security::Bytes encode_alert(const picture::Alert& a);
// Errors say "alert <field>: <problem>". `sensors`: the size of the sensor table.
[[nodiscard]] Result<picture::Alert> decode_alert(security::ByteView payload, std::size_t sensors);

}  // namespace jrads::federation
