#pragma once
// The payload of the regional picture sent down to a national node (topic jrads/tracks,
// stream 0, from the regional centre): the rows of one fusion that the release let this node
// have, each with its own label, in parts of at most kMaxBatchRows rows. One signature per
// part, not per row: a picture of 60 tracks sealed row by row cost the centre and the nodes
// half their time in Ed25519 (measured, docs/FEDERATION.md).
//
//   for (const PictureBatch& part : split_picture(time, rows)) send(encode_picture_batch(part));
//   Result<PictureBatch> back = decode_picture_batch(payload);   // strict: the same bytes or an error
//
// Binary, little-endian: the magic "JPIC", version 1, time (i64 ns; the run's end: INT64_MAX),
// part (u32, from 0), parts (u32, at least 1), rows of the fusion in all parts (u32), rows in
// this part (u32); then per row its label's text (u16 length, security::to_text form) and its
// track update (u32 length, track_update.hpp). The sample's own label combines the rows'.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/federation/track_update.hpp"
#include "jrads/security/label.hpp"

namespace jrads::federation {

inline constexpr std::size_t kMaxBatchRows = 64;  // 64 rows of 32 sensors each stay inside kMaxPayload

struct PictureRow {
  security::Label label;
  TrackUpdate update;
};

struct PictureBatch {
  SimTime time;
  std::uint32_t part = 0, parts = 1;
  std::uint32_t total = 0;  // rows of this fusion, in all its parts
  std::vector<PictureRow> rows;
};

// The fusion's rows in parts (one empty part when there are none).
[[nodiscard]] std::vector<PictureBatch> split_picture(SimTime time, std::vector<PictureRow> rows);

// Requires what decode_picture_batch accepts (a programming error otherwise).
[[nodiscard]] security::Bytes encode_picture_batch(const PictureBatch& b);

// Errors (Errc::invalid_argument) say "picture <field>: <problem>": the magic or version, a
// negative time, part not below parts, more rows than kMaxBatchRows or than the total, a label
// that parse_label refuses (its message), a track update that decode_track_update refuses (its
// message), a row of another time, a truncated payload or trailing bytes.
[[nodiscard]] Result<PictureBatch> decode_picture_batch(security::ByteView payload);

}  // namespace jrads::federation
