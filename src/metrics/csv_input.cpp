#include "jrads/metrics/csv_input.hpp"

#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>

#include "csv_reader_impl.hpp"

namespace jrads::metrics {

const char* to_string(Category c) noexcept {
  switch (c) {
    case Category::civil: return "civil";
    case Category::friendly: return "friend";
    case Category::hostile: return "hostile";
  }
  return "?";
}

const char* to_string(TrackStatus s) noexcept {
  switch (s) {
    case TrackStatus::tentative: return "tentative";
    case TrackStatus::confirmed: return "confirmed";
    case TrackStatus::coasting: return "coasting";
  }
  return "?";
}

const char* to_string(Identity i) noexcept {
  switch (i) {
    case Identity::pending: return "pending";
    case Identity::unknown: return "unknown";
    case Identity::assumed_friend: return "assumed_friend";
    case Identity::friendly: return "friend";
    case Identity::neutral: return "neutral";
    case Identity::suspect: return "suspect";
    case Identity::hostile: return "hostile";
  }
  return "?";
}

namespace {

using detail::LineReader;

constexpr std::array<std::string_view, 9> kTruthColumns = {"time_s", "truth_id", "category", "lat_deg", "lon_deg",
                                                           "alt_m",  "ve_mps",   "vn_mps",   "vu_mps"};
constexpr std::array<std::string_view, 12> kTrackColumns = {
    "time_s", "track_id", "status", "identity", "lat_deg", "lon_deg",
    "alt_m",  "ve_mps",   "vn_mps", "vu_mps",   "sigma_pos_m", "sigma_vel_mps"};

constexpr double kMinAltM = -1e4;
constexpr double kMaxAltM = 1e6;
constexpr double kMaxSpeedComponentMps = 1e5;
// 31 years; beyond about 1e12 s a double no longer resolves the 1 ms matching tolerance.
constexpr double kMaxTimeS = 1e9;

template <class E, std::size_t N>
std::optional<E> lookup(std::string_view field, const std::array<std::pair<std::string_view, E>, N>& names) {
  for (const auto& [name, value] : names) {
    if (field == name) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, Category>, 3> kCategories = {
    {{"civil", Category::civil}, {"friend", Category::friendly}, {"hostile", Category::hostile}}};
constexpr std::array<std::pair<std::string_view, TrackStatus>, 3> kStatuses = {
    {{"tentative", TrackStatus::tentative},
     {"confirmed", TrackStatus::confirmed},
     {"coasting", TrackStatus::coasting}}};
constexpr std::array<std::pair<std::string_view, Identity>, 7> kIdentities = {
    {{"pending", Identity::pending},
     {"unknown", Identity::unknown},
     {"assumed_friend", Identity::assumed_friend},
     {"friend", Identity::friendly},
     {"neutral", Identity::neutral},
     {"suspect", Identity::suspect},
     {"hostile", Identity::hostile}}};

// Interns id strings: one allocation per distinct id. The map's keys view strings held by a
// deque, whose elements never move.
class Interner {
 public:
  std::uint32_t intern(std::string_view id, bool& is_new) {
    const auto it = index_.find(id);
    if (it != index_.end()) {
      is_new = false;
      return it->second;
    }
    const auto idx = static_cast<std::uint32_t>(store_.size());
    store_.emplace_back(id);
    index_.emplace(std::string_view(store_.back()), idx);
    is_new = true;
    return idx;
  }
  [[nodiscard]] std::vector<std::string> take() {
    index_.clear();
    std::vector<std::string> out;
    out.reserve(store_.size());
    for (auto& s : store_) out.push_back(std::move(s));
    store_.clear();
    return out;
  }

 private:
  std::deque<std::string> store_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// The state shared by both readers while one data line is checked.
struct RowContext {
  LineReader& in;
  std::string_view line;
  const std::vector<std::string_view>& fields;
  std::span<const std::string_view> columns;
  std::int64_t record = 0;

  [[nodiscard]] Unexpected error_at(std::size_t col, std::string message, Errc code = Errc::invalid_argument) const {
    return fail(code, std::move(message), in.where(detail::column_of(line, fields[col]), columns[col], record));
  }
  // A finite number in [lo, hi].
  [[nodiscard]] std::optional<Unexpected> number(std::size_t col, double lo, double hi, double& out) const {
    if (auto problem = detail::parse_finite(fields[col], out)) return error_at(col, *problem, Errc::parse_error);
    if (out < lo || out > hi) {
      char buf[96];
      std::snprintf(buf, sizeof buf, " is outside [%.9g, %.9g]", lo, hi);
      return error_at(col, detail::quoted(fields[col]) + buf);
    }
    return std::nullopt;
  }
  [[nodiscard]] std::optional<Unexpected> id(std::size_t col) const {
    if (auto problem = detail::check_id(fields[col])) return error_at(col, *problem);
    return std::nullopt;
  }
};

// Checks the field count of a data line and its time order. Returns the problem, if any.
std::optional<Unexpected> check_shape(const RowContext& row, std::size_t header_columns) {
  const std::size_t n = row.fields.size();
  if (row.line.empty()) return fail(Errc::parse_error, "empty line", row.in.where(1, {}, row.record));
  if (n < header_columns) {
    const std::string_view missing = n < row.columns.size() ? row.columns[n] : std::string_view("extra column");
    return fail(Errc::truncated,
                "row has " + std::to_string(n) + " fields, the header has " + std::to_string(header_columns) +
                    ": " + std::string(missing) + " is missing",
                row.in.where(static_cast<int>(row.line.size()) + 1, missing, row.record));
  }
  if (n > header_columns) {
    return fail(Errc::parse_error,
                "row has " + std::to_string(n) + " fields, the header has " + std::to_string(header_columns),
                row.in.where(detail::column_of(row.line, row.fields[header_columns]), "beyond the last column",
                             row.record));
  }
  return std::nullopt;
}

std::optional<Unexpected> check_time(const RowContext& row, double time_s, double previous_s) {
  if (time_s < previous_s) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "time goes backwards: %.9g after %.9g (rows must be sorted by time_s)", time_s,
                  previous_s);
    return row.error_at(0, buf);
  }
  return std::nullopt;
}

std::optional<Unexpected> duplicate(const RowContext& row, std::size_t id_col, double time_s, double last_s) {
  if (time_s == last_s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " has two rows at time_s %.9g", time_s);
    return row.error_at(id_col, std::string(row.columns[id_col]) + " " + detail::quoted(row.fields[id_col]) + buf,
                        Errc::duplicate_id);
  }
  return std::nullopt;
}

constexpr double kNoTime = -std::numeric_limits<double>::infinity();

Result<TruthTable> parse_truth(LineReader& in) {
  std::vector<std::string_view> fields;
  auto header = detail::check_header(in, kTruthColumns, fields);
  if (!header) return fail(std::move(header).error());
  const std::size_t columns = *header;
  TruthTable table;
  Interner ids;
  std::vector<double> last_time;  // by truth index
  double previous_s = kNoTime;
  std::string_view line;
  std::int64_t record = 0;
  while (in.next(line)) {
    ++record;
    detail::split_fields(line, fields);
    const RowContext row{in, line, fields, kTruthColumns, record};
    if (auto e = check_shape(row, columns)) return std::move(*e);
    TruthRow r;
    if (auto e = row.number(0, 0.0, kMaxTimeS, r.time_s)) return std::move(*e);
    if (auto e = check_time(row, r.time_s, previous_s)) return std::move(*e);
    previous_s = r.time_s;
    if (auto e = row.id(1)) return std::move(*e);
    const auto category = lookup(fields[2], kCategories);
    if (!category) return row.error_at(2, "unknown category " + detail::quoted(fields[2]) + " (civil, friend, hostile)");
    if (auto e = row.number(3, -90.0, 90.0, r.lat_deg)) return std::move(*e);
    if (auto e = row.number(4, -180.0, 180.0, r.lon_deg)) return std::move(*e);
    if (auto e = row.number(5, kMinAltM, kMaxAltM, r.alt_m)) return std::move(*e);
    if (auto e = row.number(6, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.ve_mps)) return std::move(*e);
    if (auto e = row.number(7, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.vn_mps)) return std::move(*e);
    if (auto e = row.number(8, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.vu_mps)) return std::move(*e);
    bool is_new = false;
    r.truth = ids.intern(fields[1], is_new);
    if (is_new) {
      table.categories.push_back(*category);
      last_time.push_back(kNoTime);
    } else if (table.categories[r.truth] != *category) {
      return row.error_at(2, "category of truth " + detail::quoted(fields[1]) + " changes from " +
                                 to_string(table.categories[r.truth]) + " to " + to_string(*category));
    }
    if (auto e = duplicate(row, 1, r.time_s, last_time[r.truth])) return std::move(*e);
    last_time[r.truth] = r.time_s;
    table.rows.push_back(r);
  }
  if (in.error()) return fail(*in.error());
  table.ids = ids.take();
  return table;
}

Result<TrackTable> parse_tracks(LineReader& in) {
  std::vector<std::string_view> fields;
  auto header = detail::check_header(in, kTrackColumns, fields);
  if (!header) return fail(std::move(header).error());
  const std::size_t columns = *header;
  TrackTable table;
  Interner ids;
  std::vector<double> last_time;  // by track index
  double previous_s = kNoTime;
  std::string_view line;
  std::int64_t record = 0;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kHuge = std::numeric_limits<double>::max();
  while (in.next(line)) {
    ++record;
    detail::split_fields(line, fields);
    const RowContext row{in, line, fields, kTrackColumns, record};
    if (auto e = check_shape(row, columns)) return std::move(*e);
    TrackRow r;
    if (auto e = row.number(0, 0.0, kMaxTimeS, r.time_s)) return std::move(*e);
    if (auto e = check_time(row, r.time_s, previous_s)) return std::move(*e);
    previous_s = r.time_s;
    if (auto e = row.id(1)) return std::move(*e);
    const auto status = lookup(fields[2], kStatuses);
    if (!status) {
      return row.error_at(2, "unknown status " + detail::quoted(fields[2]) + " (tentative, confirmed, coasting)");
    }
    r.status = *status;
    const auto identity = lookup(fields[3], kIdentities);
    if (!identity) {
      return row.error_at(3, "unknown identity " + detail::quoted(fields[3]) +
                                 " (pending, unknown, assumed_friend, friend, neutral, suspect, hostile)");
    }
    r.identity = *identity;
    if (auto e = row.number(4, -90.0, 90.0, r.lat_deg)) return std::move(*e);
    if (auto e = row.number(5, -180.0, 180.0, r.lon_deg)) return std::move(*e);
    if (auto e = row.number(6, kMinAltM, kMaxAltM, r.alt_m)) return std::move(*e);
    if (auto e = row.number(7, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.ve_mps)) return std::move(*e);
    if (auto e = row.number(8, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.vn_mps)) return std::move(*e);
    if (auto e = row.number(9, -kMaxSpeedComponentMps, kMaxSpeedComponentMps, r.vu_mps)) return std::move(*e);
    r.sigma_pos_m = kNaN;
    if (!fields[10].empty()) {
      if (auto e = row.number(10, 0.0, kHuge, r.sigma_pos_m)) return std::move(*e);
    }
    r.sigma_vel_mps = kNaN;
    if (!fields[11].empty()) {
      if (auto e = row.number(11, 0.0, kHuge, r.sigma_vel_mps)) return std::move(*e);
    }
    bool is_new = false;
    r.track = ids.intern(fields[1], is_new);
    if (is_new) last_time.push_back(kNoTime);
    if (auto e = duplicate(row, 1, r.time_s, last_time[r.track])) return std::move(*e);
    last_time[r.track] = r.time_s;
    table.rows.push_back(r);
  }
  if (in.error()) return fail(*in.error());
  table.ids = ids.take();
  return table;
}

}  // namespace

Result<TruthTable> parse_truth_csv(std::string_view text, std::string_view file_name) {
  LineReader in(text, std::string(file_name));
  return parse_truth(in);
}

Result<TruthTable> read_truth_csv(const std::filesystem::path& path) {
  auto in = LineReader::open(path);
  if (!in) return fail(std::move(in).error());
  return parse_truth(**in);
}

Result<TrackTable> parse_tracks_csv(std::string_view text, std::string_view file_name) {
  LineReader in(text, std::string(file_name));
  return parse_tracks(in);
}

Result<TrackTable> read_tracks_csv(const std::filesystem::path& path) {
  auto in = LineReader::open(path);
  if (!in) return fail(std::move(in).error());
  return parse_tracks(**in);
}

}  // namespace jrads::metrics
