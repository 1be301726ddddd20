#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jrads/metrics/metrics.hpp"

namespace jrads::metrics {
namespace {

using ::testing::HasSubstr;

// Every field gets a distinct value, so a key wired to the wrong field shows.
MetricsReport distinct_report() {
  MetricsReport r;
  r.params.cutoff_m = 1500.0;
  r.params.order_p = 1.0;
  r.params.association_threshold_m = 2500.0;
  r.params.identity_grace_s = 12.0;
  r.params.coverage_window_s = 20.0;
  r.params.coverage_min_detections = 3;
  r.has_coverage = true;
  r.time_steps = 101;
  r.scored_steps = 100;
  r.truths = 7;
  r.tracks = 9;
  r.tracks_counted = 8;
  r.truth_rows = 700;
  r.track_rows = 950;
  r.counted_track_rows = 900;
  r.track_states = 880;
  r.extrapolated_states = 11;
  r.ospa_m = 123.5;
  r.gospa = {.mean_m = 222.0, .mean_pow_p = 600.0, .localisation = 100.0, .missed = 200.0, .false_part = 300.0,
             .missed_count = 0.25, .false_count = 0.5};
  r.siap.completeness = 0.81;
  r.siap.completeness_in_coverage = 0.92;
  r.siap.ambiguity = 1.03;
  r.siap.spuriousness = 0.04;
  r.siap.position_accuracy_m = 55.5;
  r.siap.velocity_accuracy_mps = 6.5;
  r.siap.track_number_changes_per_truth = 0.75;
  r.siap.longest_track_segment = 0.66;
  r.siap.truth_steps = 700;
  r.siap.tracked_truth_steps = 567;
  r.identity.correct_fraction = 0.9;
  r.identity.correct_fraction_civil = 0.95;
  r.identity.correct_fraction_friend = std::numeric_limits<double>::quiet_NaN();
  r.identity.correct_fraction_hostile = 0.85;
  r.identity.civil_declared_hostile = 2;
  r.identity.civil_declared_suspect = 3;
  r.identity.hostile_declared_friend = 4;
  r.identity.friend_declared_hostile = 5;
  return r;
}

TEST(MetricsReport, JsonHasTheFormatsKeysWiredToTheRightFields) {
  const MetricsReport r = distinct_report();
  const auto j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j.at("association_threshold_m").get<double>(), 2500.0);
  EXPECT_EQ(j.at("ospa").get<double>(), 123.5);
  EXPECT_EQ(j.at("ospa_cutoff_m").get<double>(), 1500.0);
  EXPECT_EQ(j.at("ospa_order_p").get<double>(), 1.0);
  const auto& g = j.at("gospa");
  EXPECT_EQ(g.at("value_m").get<double>(), 222.0);
  EXPECT_EQ(g.at("value_pow_p").get<double>(), 600.0);
  EXPECT_EQ(g.at("localisation").get<double>(), 100.0);
  EXPECT_EQ(g.at("missed").get<double>(), 200.0);
  EXPECT_EQ(g.at("false").get<double>(), 300.0);
  EXPECT_EQ(g.at("c_m").get<double>(), 1500.0);
  EXPECT_EQ(g.at("p").get<double>(), 1.0);
  EXPECT_EQ(g.at("alpha").get<int>(), 2);
  EXPECT_EQ(g.at("missed_count").get<double>(), 0.25);
  EXPECT_EQ(g.at("false_count").get<double>(), 0.5);
  EXPECT_THAT(g.at("parts_averaging").get<std::string>(), HasSubstr("mean over scored steps"));
  const auto& s = j.at("siap");
  EXPECT_EQ(s.at("completeness").get<double>(), 0.81);
  EXPECT_EQ(s.at("completeness_in_coverage").get<double>(), 0.92);
  EXPECT_EQ(s.at("ambiguity").get<double>(), 1.03);
  EXPECT_EQ(s.at("spuriousness").get<double>(), 0.04);
  EXPECT_EQ(s.at("position_accuracy_m").get<double>(), 55.5);
  EXPECT_EQ(s.at("velocity_accuracy_mps").get<double>(), 6.5);
  EXPECT_EQ(s.at("track_number_changes_per_truth").get<double>(), 0.75);
  EXPECT_EQ(s.at("longest_track_segment").get<double>(), 0.66);
  EXPECT_EQ(s.at("truth_steps").get<int>(), 700);
  EXPECT_EQ(s.at("tracked_truth_steps").get<int>(), 567);
  const auto& i = j.at("identity");
  EXPECT_EQ(i.at("correct_fraction").get<double>(), 0.9);
  EXPECT_EQ(i.at("correct_fraction_civil").get<double>(), 0.95);
  EXPECT_TRUE(i.at("correct_fraction_friend").is_null());
  EXPECT_EQ(i.at("correct_fraction_hostile").get<double>(), 0.85);
  EXPECT_EQ(i.at("civil_declared_hostile").get<int>(), 2);
  EXPECT_EQ(i.at("civil_declared_suspect").get<int>(), 3);
  EXPECT_EQ(i.at("hostile_declared_friend").get<int>(), 4);
  EXPECT_EQ(i.at("friend_declared_hostile").get<int>(), 5);
  EXPECT_EQ(i.at("grace_s").get<double>(), 12.0);
  const auto& c = j.at("counts");
  EXPECT_EQ(c.at("time_steps").get<int>(), 101);
  EXPECT_EQ(c.at("scored_steps").get<int>(), 100);
  EXPECT_EQ(c.at("truths").get<int>(), 7);
  EXPECT_EQ(c.at("tracks").get<int>(), 9);
  EXPECT_EQ(c.at("extrapolated_states").get<int>(), 11);
  EXPECT_TRUE(j.at("coverage").at("used").get<bool>());
  EXPECT_EQ(j.at("coverage").at("window_s").get<double>(), 20.0);
  EXPECT_EQ(j.at("coverage").at("min_detections").get<int>(), 3);
  EXPECT_THAT(j.at("averaging").get<std::string>(), HasSubstr("arithmetic mean over the scored time steps"));
}

TEST(MetricsReport, JsonWritesUndefinedRatiosAsNull) {
  const auto r = compute_metrics(TruthTable{}, TrackTable{}, MetricsParams{}, nullptr);
  ASSERT_TRUE(r.has_value());
  const std::string text = to_json(*r);
  const auto j = nlohmann::json::parse(text);  // must be valid JSON despite the NaNs
  EXPECT_TRUE(j.at("ospa").is_null());
  EXPECT_TRUE(j.at("siap").at("completeness").is_null());
  EXPECT_TRUE(j.at("siap").at("completeness_in_coverage").is_null());
  EXPECT_FALSE(j.at("coverage").at("used").get<bool>());
  EXPECT_FALSE(j.at("coverage").contains("window_s"));
  EXPECT_EQ(j.at("gospa").at("c_m").get<double>(), 2000.0);
  EXPECT_THAT(text, HasSubstr("\n  \"ospa\": null"));  // indent 2
}

TEST(MetricsReport, TextNamesEveryMeasureWithItsValue) {
  const std::string t = to_text(distinct_report());
  for (const char* s : {"OSPA", "123.500", "GOSPA", "222.000", "localisation", "missed", "false", "completeness",
                        "0.8100", "completeness in coverage", "0.9200", "ambiguity", "1.0300", "spuriousness",
                        "position accuracy", "55.500", "velocity accuracy", "6.500", "track number changes",
                        "0.7500", "longest track segment", "0.6600", "correct fraction", "0.9000",
                        "civil declared hostile", "hostile declared friend", "n/a", "c = 1500 m", "m^1"}) {
    EXPECT_THAT(t, HasSubstr(s));
  }
  // Without coverage the in-coverage line is left out.
  MetricsReport r = distinct_report();
  r.has_coverage = false;
  EXPECT_THAT(to_text(r), ::testing::Not(HasSubstr("completeness in coverage")));
}

}  // namespace
}  // namespace jrads::metrics
