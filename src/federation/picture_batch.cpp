#include "jrads/federation/picture_batch.hpp"

#include <cstring>
#include <string>

#include "le_reader_impl.hpp"

namespace jrads::federation {
namespace {

constexpr std::uint8_t kMagic[4] = {'J', 'P', 'I', 'C'};
constexpr std::uint8_t kVersion = 1;

Unexpected bad(const std::string& field, const std::string& problem) {
  return fail(Errc::invalid_argument, "picture " + field + ": " + problem);
}

void put(security::Bytes& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

using Reader = detail::LeReader;

}  // namespace

std::vector<PictureBatch> split_picture(SimTime time, std::vector<PictureRow> rows) {
  const std::size_t parts = rows.empty() ? 1 : (rows.size() + kMaxBatchRows - 1) / kMaxBatchRows;
  std::vector<PictureBatch> out(parts);
  for (std::size_t p = 0; p < parts; ++p) {
    out[p].time = time;
    out[p].part = static_cast<std::uint32_t>(p);
    out[p].parts = static_cast<std::uint32_t>(parts);
    out[p].total = static_cast<std::uint32_t>(rows.size());
  }
  for (std::size_t i = 0; i < rows.size(); ++i) out[i / kMaxBatchRows].rows.push_back(std::move(rows[i]));
  return out;
}

security::Bytes encode_picture_batch(const PictureBatch& b) {
  JRADS_ASSERT(b.part < b.parts && b.rows.size() <= kMaxBatchRows && b.rows.size() <= b.total);
  security::Bytes out(kMagic, kMagic + 4);
  out.push_back(kVersion);
  put(out, static_cast<std::uint64_t>(b.time.ns()), 8);
  put(out, b.part, 4);
  put(out, b.parts, 4);
  put(out, b.total, 4);
  put(out, b.rows.size(), 4);
  for (const PictureRow& r : b.rows) {
    const std::string label = security::to_text(r.label);
    JRADS_ASSERT(label.size() <= 0xFFFF && r.update.row.time == b.time);
    put(out, label.size(), 2);
    out.insert(out.end(), label.begin(), label.end());
    const security::Bytes u = encode_track_update(r.update);
    put(out, u.size(), 4);
    out.insert(out.end(), u.begin(), u.end());
  }
  return out;
}

Result<PictureBatch> decode_picture_batch(security::ByteView payload) {
  if (payload.size() < 4 || std::memcmp(payload.data(), kMagic, 4) != 0) return bad("magic", "not \"JPIC\"");
  Reader r{payload, 4};
  const std::uint64_t version = r.next(1);
  if (!r.ok) return bad("version", "truncated");
  if (version != kVersion) return bad("version", std::to_string(version) + " (this node reads version 1)");
  PictureBatch b;
  const auto time_ns = static_cast<std::int64_t>(r.next(8));
  b.part = static_cast<std::uint32_t>(r.next(4));
  b.parts = static_cast<std::uint32_t>(r.next(4));
  b.total = static_cast<std::uint32_t>(r.next(4));
  const std::uint64_t n = r.next(4);
  if (!r.ok) return bad("header", "truncated");
  if (time_ns < 0) return bad("time", "negative");
  b.time = SimTime::from_ns(time_ns);
  if (b.part >= b.parts) return bad("part", std::to_string(b.part) + " of " + std::to_string(b.parts));
  if (n > kMaxBatchRows || n > b.total)
    return bad("rows", std::to_string(n) + " in a part (at most " + std::to_string(kMaxBatchRows) + " and the total " +
                           std::to_string(b.total) + ")");
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string where = "row " + std::to_string(i + 1);
    const security::ByteView text = r.bytes(static_cast<std::size_t>(r.next(2)));
    if (!r.ok) return bad(where, "truncated label");
    auto label = security::parse_label(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
    if (!label) return bad(where, "label: " + label.error().message);
    const security::ByteView bytes = r.bytes(static_cast<std::size_t>(r.next(4)));
    if (!r.ok) return bad(where, "truncated track update");
    auto u = decode_track_update(bytes);
    if (!u) return bad(where, u.error().message);
    if (u->row.time != b.time) return bad(where, "a row of another time");
    b.rows.push_back({std::move(*label), std::move(*u)});
  }
  if (r.at != payload.size()) return bad("end", std::to_string(payload.size() - r.at) + " trailing bytes");
  return b;
}

}  // namespace jrads::federation
