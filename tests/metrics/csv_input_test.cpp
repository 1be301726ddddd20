#include "jrads/metrics/csv_input.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::metrics {
namespace {

using ::testing::HasSubstr;

const std::string kTruthHeader = "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n";
const std::string kTrackHeader =
    "time_s,track_id,status,identity,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps,sigma_pos_m,sigma_vel_mps\n";

const std::string kTruthBody =
    "0,A1,civil,52.000000000,4.000000000,9000,200,0,0\n"
    "0,H7,hostile,51.5,4.5,300,-250,10,0\n"
    "1,A1,civil,52.000000000,4.002920000,9000,200,0,0\n";
const std::string kTrackBody =
    "0,T1,confirmed,neutral,52.0,4.0,9010,199,1,0,35.5,4.25\n"
    "0,T2,tentative,pending,51.5,4.5,310,-240,9,0,,\n"
    "1,T1,coasting,assumed_friend,52.0,4.003,9010,199,1,0.5,40,5\n";

std::filesystem::path scratch_dir() {
  const auto dir = std::filesystem::path(JRADS_BINARY_DIR) / "test_scratch" / "metrics_csv_input";
  std::filesystem::create_directories(dir);
  return dir;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(MetricsTruthCsv, ParsesRowsAndInternsIds) {
  const auto t = parse_truth_csv(kTruthHeader + kTruthBody, "truth.csv");
  ASSERT_TRUE(t.has_value()) << t.error().to_string();
  EXPECT_EQ(t->ids, (std::vector<std::string>{"A1", "H7"}));
  EXPECT_EQ(t->categories, (std::vector<Category>{Category::civil, Category::hostile}));
  ASSERT_EQ(t->rows.size(), 3U);
  EXPECT_EQ(t->rows[2].truth, 0U);
  EXPECT_EQ(t->rows[1].truth, 1U);
  EXPECT_DOUBLE_EQ(t->rows[1].ve_mps, -250.0);
  EXPECT_DOUBLE_EQ(t->rows[2].lon_deg, 4.00292);
  EXPECT_DOUBLE_EQ(t->rows[2].time_s, 1.0);
}

TEST(MetricsTruthCsv, AcceptsCrlfByteOrderMarkExtraColumnsAndNoFinalNewline) {
  std::string crlf;
  for (const char ch : kTruthHeader + kTruthBody) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  crlf.pop_back();
  crlf.pop_back();  // no final "\r\n"
  const auto a = parse_truth_csv("\xEF\xBB\xBF" + crlf, "truth.csv");
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_EQ(a->rows.size(), 3U);
  EXPECT_DOUBLE_EQ(a->rows[2].vu_mps, 0.0);

  const auto b = parse_truth_csv(
      "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps,note\n0,X,friend,1,2,3,4,5,6,hello",
      "truth.csv");
  ASSERT_TRUE(b.has_value()) << b.error().to_string();
  EXPECT_EQ(b->categories[0], Category::friendly);
  EXPECT_DOUBLE_EQ(b->rows[0].vu_mps, 6.0);
}

TEST(MetricsTruthCsv, HeaderOnlyIsAnEmptyTable) {
  const auto t = parse_truth_csv(kTruthHeader, "truth.csv");
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->rows.empty());
  EXPECT_TRUE(t->ids.empty());
}

TEST(MetricsTrackCsv, ParsesStatusIdentityAndOptionalSigmas) {
  const auto t = parse_tracks_csv(kTrackHeader + kTrackBody, "tracks.csv");
  ASSERT_TRUE(t.has_value()) << t.error().to_string();
  EXPECT_EQ(t->ids, (std::vector<std::string>{"T1", "T2"}));
  ASSERT_EQ(t->rows.size(), 3U);
  EXPECT_EQ(t->rows[0].status, TrackStatus::confirmed);
  EXPECT_EQ(t->rows[0].identity, Identity::neutral);
  EXPECT_DOUBLE_EQ(t->rows[0].sigma_pos_m, 35.5);
  EXPECT_EQ(t->rows[1].status, TrackStatus::tentative);
  EXPECT_TRUE(std::isnan(t->rows[1].sigma_pos_m));
  EXPECT_TRUE(std::isnan(t->rows[1].sigma_vel_mps));
  EXPECT_EQ(t->rows[2].status, TrackStatus::coasting);
  EXPECT_EQ(t->rows[2].identity, Identity::assumed_friend);
  EXPECT_DOUBLE_EQ(t->rows[2].vu_mps, 0.5);
}

TEST(MetricsTrackCsv, EveryIdentityAndStatusNameRoundTrips) {
  for (const Identity id : {Identity::pending, Identity::unknown, Identity::assumed_friend, Identity::friendly,
                            Identity::neutral, Identity::suspect, Identity::hostile}) {
    for (const TrackStatus st : {TrackStatus::tentative, TrackStatus::confirmed, TrackStatus::coasting}) {
      const std::string text =
          kTrackHeader + "5,T," + to_string(st) + "," + to_string(id) + ",10,20,30,0,0,0,1,1\n";
      const auto t = parse_tracks_csv(text, "tracks.csv");
      ASSERT_TRUE(t.has_value()) << text;
      EXPECT_EQ(t->rows[0].identity, id);
      EXPECT_EQ(t->rows[0].status, st);
    }
  }
}

struct BadCase {
  const char* name;
  std::string text;
  int line;
  const char* column_name;  // where.path
  const char* message;      // part of the message
};

void expect_error(const Result<TruthTable>& r, const BadCase& c) {
  ASSERT_FALSE(r.has_value()) << c.name;
  const Error& e = r.error();
  EXPECT_EQ(e.where.line, c.line) << c.name << ": " << e.to_string();
  EXPECT_EQ(e.where.path, c.column_name) << c.name << ": " << e.to_string();
  EXPECT_GT(e.where.column, 0) << c.name;
  EXPECT_THAT(e.message, HasSubstr(c.message)) << c.name;
  EXPECT_THAT(e.to_string(), HasSubstr("truth.csv:" + std::to_string(c.line) + ":")) << c.name;
}

TEST(MetricsTruthCsv, RejectsHostileInputNamingLineAndColumn) {
  const std::string h = kTruthHeader;
  const std::string ok = "0,A1,civil,52,4,9000,200,0,0\n";
  const std::vector<BadCase> cases = {
      {"missing column", "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps\n" + ok, 1, "vu_mps",
       "lacks column"},
      {"misnamed column", "time_s,truth_id,category,lat,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n", 1, "lat_deg",
       "must be lat_deg"},
      {"empty file", "", 1, "time_s", "empty file"},
      {"bad number", h + ok + "1,A1,civil,52,4,9x00,200,0,0\n", 3, "alt_m", "not a number"},
      {"NaN", h + ok + "1,A1,civil,nan,4,9000,200,0,0\n", 3, "lat_deg", "not a finite number"},
      {"inf", h + "0,A1,civil,52,4,9000,inf,0,0\n", 2, "ve_mps", "not a finite number"},
      {"-inf", h + "0,A1,civil,52,4,9000,0,-inf,0\n", 2, "vn_mps", "not a finite number"},
      {"overflow", h + "0,A1,civil,52,4,9000,0,0,1e999\n", 2, "vu_mps", "out of range"},
      {"empty number", h + "0,A1,civil,52,,9000,0,0,0\n", 2, "lon_deg", "empty field"},
      {"latitude range", h + "0,A1,civil,90.5,4,9000,0,0,0\n", 2, "lat_deg", "outside"},
      {"longitude range", h + "0,A1,civil,0,-180.01,9000,0,0,0\n", 2, "lon_deg", "outside"},
      {"negative time", h + "-1,A1,civil,0,0,0,0,0,0\n", 2, "time_s", "outside"},
      {"huge time", h + "2e40,A1,civil,0,0,0,0,0,0\n", 2, "time_s", "outside"},
      {"unknown category", h + ok + "1,B,enemy,52,4,9000,200,0,0\n", 3, "category", "unknown category"},
      {"backwards time", h + "5,A1,civil,52,4,9000,200,0,0\n4.5,B,civil,52,4,9000,200,0,0\n", 3, "time_s",
       "backwards"},
      {"truncated line", h + ok + "1,A1,civ", 3, "lat_deg", "is missing"},
      {"extra field", h + "0,A1,civil,52,4,9000,200,0,0,7\n", 2, "beyond the last column", "fields"},
      {"empty id", h + "0,,civil,52,4,9000,200,0,0\n", 2, "truth_id", "empty id"},
      {"control byte in id", h + "0,A\x01,civil,52,4,9000,200,0,0\n", 2, "truth_id", "control byte"},
      {"duplicate row", h + ok + ok, 3, "truth_id", "two rows"},
      {"category change", h + ok + "1,A1,hostile,52,4,9000,200,0,0\n", 3, "category", "changes"},
      {"plus sign", h + "0,A1,civil,+52,4,9000,200,0,0\n", 2, "lat_deg", "not a number"},
      {"quote in number", h + "0,A1,civil,52,4,9000,200,0,0\n0,B,civil,52,4,9000,2\"5,0,0\n", 3, "ve_mps",
       "not a number"},
  };
  for (const BadCase& c : cases) expect_error(parse_truth_csv(c.text, "truth.csv"), c);
}

TEST(MetricsTruthCsv, RejectsEmptyAndOverlongLines) {
  const auto blank = parse_truth_csv(kTruthHeader + "0,A1,civil,52,4,9000,200,0,0\n\n", "truth.csv");
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().where.line, 3);
  EXPECT_THAT(blank.error().message, HasSubstr("empty line"));
  const auto crlf_blank = parse_truth_csv(kTruthHeader + "\r\n", "truth.csv");
  ASSERT_FALSE(crlf_blank.has_value());
  EXPECT_EQ(crlf_blank.error().where.line, 2);

  const std::string long_id(kMaxLineBytes, 'x');
  const auto longer = parse_truth_csv(kTruthHeader + "0," + long_id + ",civil,52,4,9000,200,0,0\n", "truth.csv");
  ASSERT_FALSE(longer.has_value());
  EXPECT_EQ(longer.error().where.line, 2);
  EXPECT_THAT(longer.error().message, HasSubstr("longer than"));
}

TEST(MetricsTruthCsv, RejectsBinaryGarbageWithoutCrashing) {
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage.push_back(static_cast<char>((i * 37 + 11) % 256));
  const auto a = parse_truth_csv(garbage, "truth.csv");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().where.line, 1);
  EXPECT_EQ(a.error().where.path, "time_s");
  const auto b = parse_truth_csv(kTruthHeader + garbage, "truth.csv");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().where.line, 2);
  EXPECT_FALSE(b.error().where.path.empty());
  std::string nul = kTruthHeader + "0,A1,civil,52,4,9000,200,0,0\n";
  nul[kTruthHeader.size() + 12] = '\0';  // inside lat_deg
  const auto c = parse_truth_csv(nul, "truth.csv");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().where.path, "lat_deg");
  EXPECT_THAT(c.error().message, HasSubstr("\\x00"));
}

TEST(MetricsTruthCsv, ErrorColumnIsTheByteColumnOfTheField) {
  const auto r = parse_truth_csv(kTruthHeader + "0,A1,civil,52.0,4.0,abc,0,0,0\n", "truth.csv");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.column, static_cast<int>(std::string("0,A1,civil,52.0,4.0,").size()) + 1);
  EXPECT_EQ(r.error().where.record, 1);
  EXPECT_EQ(r.error().where.file, "truth.csv");
}

void expect_track_error(const Result<TrackTable>& r, int line, const char* column, const char* message) {
  ASSERT_FALSE(r.has_value()) << message;
  EXPECT_EQ(r.error().where.line, line) << r.error().to_string();
  EXPECT_EQ(r.error().where.path, column) << r.error().to_string();
  EXPECT_THAT(r.error().message, HasSubstr(message));
  EXPECT_THAT(r.error().to_string(), HasSubstr("tracks.csv:" + std::to_string(line) + ":"));
}

TEST(MetricsTrackCsv, RejectsHostileInputNamingLineAndColumn) {
  const std::string h = kTrackHeader;
  const std::string ok = "0,T1,confirmed,neutral,52,4,9000,200,0,0,30,3\n";
  auto parse = [](const std::string& text) { return parse_tracks_csv(text, "tracks.csv"); };
  expect_track_error(parse("time_s,track_id,status,identity,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps,sigma_pos_m\n"),
                     1, "sigma_vel_mps", "lacks column");
  expect_track_error(parse(""), 1, "time_s", "empty file");
  expect_track_error(parse(h + ok + "1,T1,lost,neutral,52,4,9000,200,0,0,30,3\n"), 3, "status", "unknown status");
  expect_track_error(parse(h + "1,T1,confirmed,enemy,52,4,9000,200,0,0,30,3\n"), 2, "identity", "unknown identity");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,9000,200,0,0,-1,3\n"), 2, "sigma_pos_m", "outside");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,9000,200,0,0,1,-0.5\n"), 2, "sigma_vel_mps", "outside");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,9000,200,0,0,NaN,1\n"), 2, "sigma_pos_m", "finite");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,9000,200,0,0,1,infinity\n"), 2, "sigma_vel_mps",
                     "finite");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,abc,200,0,0,1,1\n"), 2, "alt_m", "not a number");
  expect_track_error(parse(h + "1,T1,confirmed,neutral,52,4,9000,200,0,0,1,1\n" + ok), 3, "time_s", "backwards");
  expect_track_error(parse(h + ok + "1,T1,confirmed,neutral,52,4,9000"), 3, "ve_mps", "is missing");
  expect_track_error(parse(h + ok + "1,T1,confirmed,neutral,52,4,9000,200,0,0,30,3,9\n"), 3,
                     "beyond the last column", "fields");
  expect_track_error(parse(h + "0,,confirmed,neutral,52,4,9000,200,0,0,30,3\n"), 2, "track_id", "empty id");
  expect_track_error(parse(h + ok + ok), 3, "track_id", "two rows");
  expect_track_error(parse(h + "0,T1,confirmed,neutral,52,4,9000,200,0,1e6,30,3\n"), 2, "vu_mps", "outside");
  std::string garbage = h;
  for (int i = 0; i < 300; ++i) garbage.push_back(static_cast<char>((i * 91 + 7) % 256));
  const auto g = parse(garbage);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().where.line, 2);
}

TEST(MetricsTrackCsv, CrlfLinesAreAccepted) {
  const auto t = parse_tracks_csv(
      "time_s,track_id,status,identity,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps,sigma_pos_m,sigma_vel_mps\r\n"
      "0,T1,confirmed,neutral,52,4,9000,200,0,0,30,3\r\n",
      "tracks.csv");
  ASSERT_TRUE(t.has_value()) << t.error().to_string();
  EXPECT_DOUBLE_EQ(t->rows[0].sigma_vel_mps, 3.0);
}

TEST(MetricsCsvInput, RandomMutationsNeverCrashAndErrorsHaveALine) {
  RngStream rng = Rng(99).stream("test/metrics/csv-mutations");
  const std::string truth = kTruthHeader + kTruthBody;
  const std::string tracks = kTrackHeader + kTrackBody;
  int errors = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = trial % 2 == 0 ? truth : tracks;
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int e = 0; e < edits; ++e) {
      const auto at = static_cast<std::size_t>(rng.below(text.size()));
      switch (rng.below(3)) {
        case 0: text[at] = static_cast<char>(rng.below(256)); break;
        case 1: text.erase(at, 1 + rng.below(5)); break;
        default: text.insert(at, 1, ",-.e\n0"[rng.below(6)]); break;
      }
    }
    if (trial % 2 == 0) {
      const auto r = parse_truth_csv(text, "truth.csv");
      if (!r) {
        ++errors;
        EXPECT_GE(r.error().where.line, 1) << r.error().to_string();
      } else {
        for (const auto& row : r->rows) ASSERT_LT(row.truth, r->ids.size());
      }
    } else {
      const auto r = parse_tracks_csv(text, "tracks.csv");
      if (!r) {
        ++errors;
        EXPECT_GE(r.error().where.line, 1) << r.error().to_string();
      } else {
        for (const auto& row : r->rows) ASSERT_LT(row.track, r->ids.size());
      }
    }
  }
  EXPECT_GT(errors, 1000);  // most mutations must be caught
}

std::string big_truth_text(int rows) {
  std::string text = kTruthHeader;
  char buf[160];
  for (int i = 0; i < rows; ++i) {
    std::snprintf(buf, sizeof buf, "%d,P%03d,%s,%.9f,%.9f,%.6g,%.6g,-12.5,0.25\n", i / 200, i % 200,
                  (i % 200) % 3 == 0 ? "civil" : ((i % 200) % 3 == 1 ? "friend" : "hostile"), 50.0 + i * 1e-7,
                  4.0 - i * 1e-7, 1000.0 + i % 997, 150.0 + i % 13);
    text += buf;
  }
  return text;
}

TEST(MetricsCsvInput, FileReaderMatchesTheInMemoryParserAcrossChunkBoundaries) {
  // About 4 MiB: several 1 MiB chunks, with lines straddling the chunk ends.
  const std::string text = big_truth_text(60'000);
  ASSERT_GT(text.size(), 3U << 20);
  const auto path = scratch_dir() / "truth.csv";
  write_file(path, text);
  const auto from_file = read_truth_csv(path);
  const auto from_text = parse_truth_csv(text, path.string());
  ASSERT_TRUE(from_file.has_value()) << from_file.error().to_string();
  ASSERT_TRUE(from_text.has_value());
  EXPECT_EQ(from_file->ids, from_text->ids);
  EXPECT_EQ(from_file->categories, from_text->categories);
  ASSERT_EQ(from_file->rows.size(), 60'000U);
  for (std::size_t i = 0; i < from_file->rows.size(); i += 997) {
    EXPECT_EQ(from_file->rows[i].truth, from_text->rows[i].truth);
    EXPECT_EQ(from_file->rows[i].lat_deg, from_text->rows[i].lat_deg);
    EXPECT_EQ(from_file->rows[i].alt_m, from_text->rows[i].alt_m);
  }
  EXPECT_EQ(from_file->ids.size(), 200U);

  // An error deep in the file still names the right line.
  write_file(path, text + "300,P001,civil,1,2,x,0,0,0\n");
  const auto bad = read_truth_csv(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().where.line, 60'002);
  EXPECT_EQ(bad.error().where.path, "alt_m");
  EXPECT_EQ(bad.error().where.file, path.string());

  // An overlong line is caught by the chunked reader as well.
  write_file(path, kTruthHeader + std::string(std::size_t{2} << 20, '1') + "\n");  // beyond one chunk
  const auto longer = read_truth_csv(path);
  ASSERT_FALSE(longer.has_value());
  EXPECT_EQ(longer.error().where.line, 2);
  EXPECT_THAT(longer.error().message, HasSubstr("longer than"));
}

TEST(MetricsCsvInput, TrackFileWithCrlfAndNoFinalNewline) {
  const auto path = scratch_dir() / "tracks.csv";
  std::string text = kTrackHeader + kTrackBody;
  std::string crlf;
  for (const char ch : text) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  crlf.resize(crlf.size() - 2);
  write_file(path, crlf);
  const auto t = read_tracks_csv(path);
  ASSERT_TRUE(t.has_value()) << t.error().to_string();
  EXPECT_EQ(t->rows.size(), 3U);
  EXPECT_DOUBLE_EQ(t->rows[2].sigma_vel_mps, 5.0);
}

TEST(MetricsCsvInput, MissingFileIsAnIoError) {
  const auto r = read_truth_csv(scratch_dir() / "does_not_exist.csv");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::io_error);
  EXPECT_THAT(r.error().where.file, HasSubstr("does_not_exist.csv"));
  const auto t = read_tracks_csv(scratch_dir() / "does_not_exist.csv");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, Errc::io_error);
}

}  // namespace
}  // namespace jrads::metrics
