// DetectionReader throughput on a generated detections.csv in the simulator's format: 60 %
// radar, 10 % IFF and 30 % ADS-B rows with full-precision numbers, from memory and from a file
// (page cache) through the 1 MiB fread path. items/s is lines/s.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/picture/csv_reader.hpp"

namespace {

using jrads::picture::DetectionReader;
using jrads::picture::Report;
using jrads::picture::SensorKind;
using jrads::picture::SensorSite;

// Appended rather than "R" + std::to_string(i): g++ 12 warns falsely (-Wrestrict) on that.
std::string numbered(char prefix, int i) {
  std::string id(1, prefix);
  id += std::to_string(i);
  return id;
}

std::vector<SensorSite> bench_sensors() {
  std::vector<SensorSite> s;
  for (int i = 0; i < 8; ++i) s.push_back({numbered('R', i), "P", SensorKind::radar, {44.0, 19.0, 200.0}, {}});
  for (int i = 0; i < 2; ++i) s.push_back({numbered('I', i), "P", SensorKind::iff, {44.0, 19.0, 200.0}, {}});
  for (int i = 0; i < 3; ++i) s.push_back({numbered('A', i), "Q", SensorKind::adsb, {44.0, 19.0, 200.0}, {}});
  return s;
}

void put(std::string& out, double v) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
void put_fixed(std::string& out, double v, int decimals) {
  char buf[64];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals).ptr);
}

std::string generate(std::int64_t rows) {
  jrads::RngStream rng = jrads::Rng(7).stream("bench/csv_reader");
  std::string text =
      "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,"
      "sigma_elevation_deg,lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n";
  text.reserve(static_cast<std::size_t>(rows) * 110);
  std::int64_t ns = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    ns += 1 + static_cast<std::int64_t>(rng.below(7'000'000));
    text += std::to_string(ns / 1'000'000'000);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(ns % 1'000'000'000));
    text += frac;
    const double u = rng.uniform();
    if (u < 0.7) {
      const bool iff = u >= 0.6;
      text += iff ? ",I" : ",R";
      text += std::to_string(rng.below(iff ? 2 : 8));
      text += iff ? ",iff," : ",radar,";
      put(text, 1000.0 + 250000.0 * rng.uniform());
      text += ',';
      put(text, 360.0 * rng.uniform());
      text += ',';
      put(text, -2.0 + 30.0 * rng.uniform());
      text += iff ? ",30,0.1,1,,,,,,," : ",30,0.15,0.5,,,,,,,";
      if (iff) text += rng.uniform() < 0.5 ? "mode5_valid" : "mode3:5706";
    } else {
      text += ",A";
      text += std::to_string(rng.below(3));
      text += ",adsb,,,,,,,";
      put_fixed(text, 43.0 + 3.0 * rng.uniform(), 9);
      text += ',';
      put_fixed(text, 17.0 + 4.0 * rng.uniform(), 9);
      text += ',';
      put(text, 12000.0 * rng.uniform());
      text += ',';
      put(text, 4.0 + 10.0 * rng.uniform());
      text += ",39B60B,7233,";
    }
    text += '\n';
  }
  return text;
}

const std::string& text_of(std::int64_t rows) {
  static const std::string text = generate(rows);  // the benchmarks share one size
  return text;
}

void drain(benchmark::State& state, DetectionReader& reader, std::int64_t rows) {
  Report r;
  std::int64_t n = 0;
  for (;;) {
    const auto more = reader.next(r);
    if (!more) {
      state.SkipWithError(more.error().to_string().c_str());
      return;
    }
    if (!*more) break;
    benchmark::DoNotOptimize(r);
    ++n;
  }
  if (n != rows) state.SkipWithError("wrong row count");
}

void BM_DetectionReaderMemory(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  const std::string& text = text_of(rows);
  const auto sensors = bench_sensors();
  for (auto _ : state) {
    state.PauseTiming();
    std::string copy = text;  // from_text takes ownership; the copy is not what we measure
    state.ResumeTiming();
    auto reader = DetectionReader::from_text(std::move(copy), "bench.csv", sensors);
    if (!reader) {
      state.SkipWithError(reader.error().to_string().c_str());
      break;
    }
    drain(state, *reader, rows);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_DetectionReaderMemory)->ArgNames({"rows"})->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_DetectionReaderFile(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  const std::string& text = text_of(rows);
  const auto path = std::filesystem::temp_directory_path() / "jrads_csv_reader_bench.csv";
  if (std::FILE* fp = std::fopen(path.c_str(), "wb")) {
    const bool ok = std::fwrite(text.data(), 1, text.size(), fp) == text.size();
    if (std::fclose(fp) != 0 || !ok) state.SkipWithError("cannot write the benchmark file");
  } else {
    state.SkipWithError("cannot create the benchmark file");
  }
  const auto sensors = bench_sensors();
  for (auto _ : state) {
    auto reader = DetectionReader::open(path, sensors);
    if (!reader) {
      state.SkipWithError(reader.error().to_string().c_str());
      break;
    }
    drain(state, *reader, rows);
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_DetectionReaderFile)->ArgNames({"rows"})->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
