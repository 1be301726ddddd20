// Coverage of each truth by detections: detections.csv and detections_truth.csv read in step.
#include <algorithm>
#include <array>
#include <iterator>
#include <limits>
#include <unordered_map>

#include "csv_reader_impl.hpp"
#include "jrads/metrics/metrics.hpp"

namespace jrads::metrics {

bool Coverage::covers(std::uint32_t truth, double time_s) const noexcept {
  if (truth >= intervals.size()) return false;
  const auto& list = intervals[truth];
  // The last interval that begins at or before time_s.
  const auto it = std::upper_bound(list.begin(), list.end(), time_s,
                                   [](double t, const CoverageInterval& iv) { return t < iv.begin_s; });
  return it != list.begin() && time_s <= std::prev(it)->end_s;
}

namespace {

using detail::LineReader;

constexpr std::array<std::string_view, 16> kDetectionColumns = {
    "time_s",        "sensor_id",         "type",           "range_m",
    "azimuth_deg",   "elevation_deg",     "sigma_range_m",  "sigma_azimuth_deg",
    "sigma_elevation_deg", "lat_deg",     "lon_deg",        "alt_m",
    "sigma_pos_m",   "icao",              "squawk",         "iff"};
constexpr std::array<std::string_view, 2> kDetectionTruthColumns = {"row", "truth_id"};

// Online construction of one truth's coverage intervals from its detection times (ascending).
// With detection times s_0 <= s_1 <= ..., k = min_detections and w = window, the count in
// [t - w, t] reaches k exactly for t in the union over i >= k-1 of [s_i, s_{i-k+1} + w].
class TruthCoverage {
 public:
  void add(double s, int k, double w, std::vector<CoverageInterval>& out) {
    recent_.push_back(s);
    if (static_cast<int>(recent_.size()) > k) recent_.erase(recent_.begin());
    if (static_cast<int>(recent_.size()) < k) return;
    const double end = recent_.front() + w;
    if (s > end) return;
    if (!out.empty() && s <= out.back().end_s) {
      out.back().end_s = std::max(out.back().end_s, end);
    } else {
      out.push_back({s, end});
    }
  }

 private:
  std::vector<double> recent_;  // the last k times; k is small
};

// Reads detections.csv rows one at a time, checking only time_s.
class DetectionTimes {
 public:
  explicit DetectionTimes(LineReader& in) : in_(in) {}

  Result<void> header() {
    std::vector<std::string_view> fields;
    auto h = detail::check_header(in_, kDetectionColumns, fields);
    if (!h) return fail(std::move(h).error());
    return {};
  }

  // The time of the next data row; false at the end (or on an error: check error_).
  bool next(double& time_s) {
    std::string_view line;
    if (!in_.next(line)) {
      if (in_.error()) error_ = *in_.error();
      return false;
    }
    ++rows_;
    if (line.empty()) {
      error_ = make_error(Errc::parse_error, "empty line", in_.where(1, {}, rows_));
      return false;
    }
    const std::string_view field = line.substr(0, line.find(','));
    if (auto problem = detail::parse_finite(field, time_s)) {
      error_ = make_error(Errc::parse_error, *problem, in_.where(1, "time_s", rows_));
      return false;
    }
    if (time_s < previous_s_) {
      error_ = make_error(Errc::invalid_argument, "time goes backwards (rows must be sorted by time_s)",
                          in_.where(1, "time_s", rows_));
      return false;
    }
    previous_s_ = time_s;
    return true;
  }

  [[nodiscard]] std::int64_t rows() const noexcept { return rows_; }
  std::optional<Error> error_;

 private:
  LineReader& in_;
  std::int64_t rows_ = 0;
  double previous_s_ = -std::numeric_limits<double>::infinity();
};

Result<Coverage> build(LineReader& det_in, LineReader& map_in, const TruthTable& truth, const MetricsParams& params) {
  if (auto ok = validate(params); !ok) return fail(ok.error());
  Coverage cov;
  cov.window_s = params.coverage_window_s;
  cov.min_detections = params.coverage_min_detections;
  cov.intervals.resize(truth.ids.size());
  std::vector<TruthCoverage> builders(truth.ids.size());
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(truth.ids.size());
  for (std::size_t i = 0; i < truth.ids.size(); ++i) index.emplace(truth.ids[i], static_cast<std::uint32_t>(i));

  DetectionTimes det(det_in);
  if (auto h = det.header(); !h) return fail(h.error());
  std::vector<std::string_view> fields;
  auto h = detail::check_header(map_in, kDetectionTruthColumns, fields);
  if (!h) return fail(std::move(h).error());
  const std::size_t columns = *h;

  std::string_view line;
  std::int64_t record = 0;
  std::int64_t previous_row = 0;
  double det_time = 0.0;
  while (map_in.next(line)) {
    ++record;
    if (line.empty()) return fail(Errc::parse_error, "empty line", map_in.where(1, {}, record));
    detail::split_fields(line, fields);
    if (fields.size() != columns) {
      return fail(Errc::parse_error,
                  "row has " + std::to_string(fields.size()) + " fields, the header has " + std::to_string(columns),
                  map_in.where(static_cast<int>(line.size()) + 1, fields.size() < 2 ? "truth_id" : "", record));
    }
    std::int64_t row = 0;
    if (auto problem = detail::parse_count(fields[0], row)) {
      return fail(Errc::parse_error, *problem, map_in.where(1, "row", record));
    }
    if (row <= previous_row) {
      return fail(Errc::invalid_argument,
                  "row " + std::to_string(row) + " does not follow row " + std::to_string(previous_row) +
                      " (rows must be strictly increasing)",
                  map_in.where(1, "row", record));
    }
    previous_row = row;
    while (det.rows() < row) {
      if (!det.next(det_time)) {
        if (det.error_) return fail(*det.error_);
        return fail(Errc::dangling_ref,
                    "row " + std::to_string(row) + " is beyond the " + std::to_string(det.rows()) +
                        " data rows of " + det_in.file(),
                    map_in.where(1, "row", record));
      }
    }
    const std::string_view id = fields[1];
    if (id == "-1") {
      ++cov.clutter_rows;
      continue;
    }
    const auto it = index.find(id);
    if (it == index.end()) {
      if (auto problem = detail::check_id(id)) {
        return fail(Errc::parse_error, *problem, map_in.where(detail::column_of(line, id), "truth_id", record));
      }
      return fail(Errc::dangling_ref, "truth_id " + detail::quoted(id) + " is not in truth.csv",
                  map_in.where(detail::column_of(line, id), "truth_id", record));
    }
    ++cov.attributed_rows;
    builders[it->second].add(det_time, cov.min_detections, cov.window_s, cov.intervals[it->second]);
  }
  if (map_in.error()) return fail(*map_in.error());
  while (det.next(det_time)) {
  }
  if (det.error_) return fail(*det.error_);
  cov.detection_rows = det.rows();
  return cov;
}

}  // namespace

Result<Coverage> parse_coverage(std::string_view detections, std::string_view detections_name,
                                std::string_view detections_truth, std::string_view detections_truth_name,
                                const TruthTable& truth, const MetricsParams& params) {
  LineReader det(detections, std::string(detections_name));
  LineReader map(detections_truth, std::string(detections_truth_name));
  return build(det, map, truth, params);
}

Result<Coverage> read_coverage(const std::filesystem::path& detections, const std::filesystem::path& detections_truth,
                               const TruthTable& truth, const MetricsParams& params) {
  auto det = LineReader::open(detections);
  if (!det) return fail(std::move(det).error());
  auto map = LineReader::open(detections_truth);
  if (!map) return fail(std::move(map).error());
  return build(**det, **map, truth, params);
}

}  // namespace jrads::metrics
