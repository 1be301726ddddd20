#pragma once
// Strict readers for the two FORMATS.md files the metrics compare: truth.csv (what flew) and
// tracks.csv (the recognised air picture).
//
//   const Result<TruthTable> truth = parse_truth_csv(
//       "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n"
//       "0,A1,civil,52.0,4.0,9000,200,0,0\n", "truth.csv");
//   // truth->ids == {"A1"}, truth->categories == {Category::civil}, truth->rows.size() == 1
//
// The header must start with exactly the FORMATS columns; extra columns may follow and are
// ignored. Every data row has as many fields as the header. "\r\n" line ends, a UTF-8 byte order
// mark and a missing final newline are accepted. Numbers are parsed with std::from_chars (no
// locale). Each error is an Error whose `where` names the file, line, 1-based byte column, record
// (1-based data row) and, in `where.path`, the column name. Rejected: a missing or misnamed
// header column; a row with too few or too many fields; an empty line; a line longer than
// kMaxLineBytes; an empty, non-decimal, NaN or infinite number; lat_deg outside [-90, 90],
// lon_deg outside [-180, 180], alt_m outside [-1e4, 1e6], a velocity component above 1e5 m/s in
// magnitude, time_s outside [0, 1e9]; an unknown category, status or identity; a negative sigma; an empty id
// or one with control bytes; time_s smaller than the previous row's; two rows of one id at one
// time; a truth whose category changes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"

namespace jrads::metrics {

// Longest accepted line, without its line end.
inline constexpr std::size_t kMaxLineBytes = 4096;

// truth.csv `category`. Written "civil", "friend", "hostile" (friend is a C++ keyword).
enum class Category : std::uint8_t { civil, friendly, hostile };
// tracks.csv `status`. Only confirmed and coasting rows count in the metrics.
enum class TrackStatus : std::uint8_t { tentative, confirmed, coasting };
// tracks.csv `identity` (STANAG 1241 standard identity). Written as in FORMATS, with
// `friendly` written "friend".
enum class Identity : std::uint8_t { pending, unknown, assumed_friend, friendly, neutral, suspect, hostile };

[[nodiscard]] const char* to_string(Category c) noexcept;
[[nodiscard]] const char* to_string(TrackStatus s) noexcept;
[[nodiscard]] const char* to_string(Identity i) noexcept;

// One truth.csv row. Geodetic WGS84 position, velocity in ENU at the object's position.
struct TruthRow {
  double time_s = 0.0;
  std::uint32_t truth = 0;  // index into TruthTable::ids
  double lat_deg = 0.0, lon_deg = 0.0, alt_m = 0.0;
  double ve_mps = 0.0, vn_mps = 0.0, vu_mps = 0.0;
};

struct TruthTable {
  std::vector<std::string> ids;       // truth_id by index, in order of first appearance
  std::vector<Category> categories;   // by truth index
  std::vector<TruthRow> rows;         // in file order (time_s ascending)
};

// One tracks.csv row. sigma_* are NaN when the field is empty (not available).
struct TrackRow {
  double time_s = 0.0;
  std::uint32_t track = 0;  // index into TrackTable::ids
  TrackStatus status = TrackStatus::tentative;
  Identity identity = Identity::pending;
  double lat_deg = 0.0, lon_deg = 0.0, alt_m = 0.0;
  double ve_mps = 0.0, vn_mps = 0.0, vu_mps = 0.0;
  double sigma_pos_m = 0.0, sigma_vel_mps = 0.0;
};

struct TrackTable {
  std::vector<std::string> ids;  // track_id by index, in order of first appearance
  std::vector<TrackRow> rows;    // in file order (time_s ascending)
};

// Parses the whole text of a truth.csv; file_name is only used in error locations.
[[nodiscard]] Result<TruthTable> parse_truth_csv(std::string_view text, std::string_view file_name);
// Reads a truth.csv in 1 MiB chunks. Errors as parse_truth_csv, plus Errc::io_error.
[[nodiscard]] Result<TruthTable> read_truth_csv(const std::filesystem::path& path);

// Parses the whole text of a tracks.csv; sigma_pos_m and sigma_vel_mps may be empty.
[[nodiscard]] Result<TrackTable> parse_tracks_csv(std::string_view text, std::string_view file_name);
[[nodiscard]] Result<TrackTable> read_tracks_csv(const std::filesystem::path& path);

}  // namespace jrads::metrics
