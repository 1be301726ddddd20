#include "jrads/sensors/sensor_params.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace jrads::sensors {
namespace {

TEST(SensorParams, DefaultsAreValid) {
  EXPECT_TRUE(validate(SensorParams{RadarParams{}}));
  EXPECT_TRUE(validate(SensorParams{IffParams{}}));
  EXPECT_TRUE(validate(SensorParams{AdsbReceiverParams{}}));
  EXPECT_TRUE(validate(AdsbBroadcastParams{}));
}

TEST(SensorParams, BadValuesNameTheSensorAndTheKey) {
  RadarParams r;
  r.id = "R7";
  r.pfa = 0.0;
  auto res = validate(SensorParams{r});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().where.path, "pfa");
  EXPECT_NE(res.error().message.find("R7"), std::string::npos);

  r = RadarParams{};
  r.reference_pd = 1e-7;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "reference_pd");
  r = RadarParams{};
  r.min_range_m = 300000.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "min_range_m");
  r = RadarParams{};
  r.scan_period_s = std::nan("");
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "scan_period_s");
  r = RadarParams{};
  r.min_elevation_deg = 70.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "min_elevation_deg");
  r = RadarParams{};
  r.k_factor = 0.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "k_factor");

  IffParams i;
  i.p_garble = 1.5;
  EXPECT_EQ(validate(SensorParams{i}).error().where.path, "p_garble");
  AdsbReceiverParams a;
  a.antenna.lat_deg = 95.0;
  EXPECT_EQ(validate(SensorParams{a}).error().where.path, "antenna.lat_deg");
  AdsbBroadcastParams b;
  b.jitter_s = 1.0;
  EXPECT_EQ(validate(b).error().where.path, "jitter_s");
  b = AdsbBroadcastParams{};
  b.mean_interval_s = -1.0;
  EXPECT_EQ(validate(b).error().where.path, "mean_interval_s");
}

TEST(SensorParams, ReferencePdMustExceedPfa) {
  RadarParams r;
  r.pfa = 1e-3;
  r.reference_pd = 1e-3;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "reference_pd");
  r.reference_pd = 1.1e-3;
  EXPECT_TRUE(validate(SensorParams{r}));
}

TEST(SensorParams, PeriodsThatRoundToNothingAreRejected) {
  for (const double period_s : {0.0, 1e-12, 4e-10, 5e-4, 1e6}) {
    RadarParams r;
    r.scan_period_s = period_s;
    EXPECT_EQ(validate(SensorParams{r}).error().where.path, "scan_period_s") << period_s;
    IffParams i;
    i.scan_period_s = period_s;
    EXPECT_EQ(validate(SensorParams{i}).error().where.path, "scan_period_s") << period_s;
    AdsbBroadcastParams b;
    b.mean_interval_s = period_s;
    b.jitter_s = 0.0;
    EXPECT_EQ(validate(b).error().where.path, "mean_interval_s") << period_s;
  }
  RadarParams r;
  r.scan_period_s = 1e-3;
  EXPECT_TRUE(validate(SensorParams{r}));
}

TEST(SensorParams, LongitudesLieInMinus180To180) {
  for (const double lon : {-180.0, 0.0, 179.9, 180.0}) {
    RadarParams r;
    r.antenna.lon_deg = lon;
    EXPECT_TRUE(validate(SensorParams{r})) << lon;
  }
  for (const double lon : {-180.1, 180.1, 270.0, 359.0}) {
    AdsbReceiverParams a;
    a.antenna.lon_deg = lon;
    EXPECT_EQ(validate(SensorParams{a}).error().where.path, "antenna.lon_deg") << lon;
  }
}

// Sets one number of a parameter set to a hostile value; each must be caught under its key.
template <class P>
struct Field {
  const char* key;
  double P::*member = nullptr;
  double AntennaSite::*antenna = nullptr;
  double RegistrationError::*registration = nullptr;
};

template <class P>
double& field_of(P& p, const Field<P>& f) {
  if constexpr (requires { p.antenna; }) {
    if (f.antenna != nullptr) return p.antenna.*f.antenna;
  }
  if constexpr (requires { p.registration; }) {
    if (f.registration != nullptr) return p.registration.*f.registration;
  }
  return p.*f.member;
}

template <class P>
void expect_every_number_checked(const std::vector<Field<P>>& fields) {
  for (const Field<P>& f : fields) {
    for (const double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
      P p;
      if constexpr (requires { p.id; }) p.id = "S1";
      field_of(p, f) = bad;
      const auto res = [&] {
        if constexpr (std::is_same_v<P, AdsbBroadcastParams>) {
          return validate(p);
        } else {
          return validate(SensorParams{p});
        }
      }();
      ASSERT_FALSE(res) << f.key << " = " << bad;
      EXPECT_EQ(res.error().where.path, f.key) << bad;
    }
  }
}

template <class P>
std::vector<Field<P>> site_fields() {
  return {{"antenna.lat_deg", nullptr, &AntennaSite::lat_deg},
          {"antenna.lon_deg", nullptr, &AntennaSite::lon_deg},
          {"antenna.height_agl_m", nullptr, &AntennaSite::height_agl_m}};
}

TEST(SensorParams, EveryNonFiniteNumberIsRejectedUnderItsKey) {
  using R = RadarParams;
  std::vector<Field<R>> radar = site_fields<R>();
  for (const auto& [key, member] : std::vector<std::pair<const char*, double R::*>>{
           {"scan_period_s", &R::scan_period_s},
           {"start_azimuth_deg", &R::start_azimuth_deg},
           {"reference_range_m", &R::reference_range_m},
           {"reference_pd", &R::reference_pd},
           {"pfa", &R::pfa},
           {"min_range_m", &R::min_range_m},
           {"max_range_m", &R::max_range_m},
           {"min_elevation_deg", &R::min_elevation_deg},
           {"max_elevation_deg", &R::max_elevation_deg},
           {"sigma_range_m", &R::sigma_range_m},
           {"sigma_azimuth_deg", &R::sigma_azimuth_deg},
           {"sigma_elevation_deg", &R::sigma_elevation_deg},
           {"range_resolution_m", &R::range_resolution_m},
           {"azimuth_resolution_deg", &R::azimuth_resolution_deg},
           {"clutter_per_scan", &R::clutter_per_scan},
           {"k_factor", &R::k_factor}}) {
    radar.push_back({key, member});
  }
  radar.push_back({"registration.azimuth_bias_deg", nullptr, nullptr, &RegistrationError::azimuth_bias_deg});
  radar.push_back({"registration.range_bias_m", nullptr, nullptr, &RegistrationError::range_bias_m});
  radar.push_back({"registration.clock_offset_s", nullptr, nullptr, &RegistrationError::clock_offset_s});
  expect_every_number_checked(radar);

  using I = IffParams;
  std::vector<Field<I>> iff = site_fields<I>();
  for (const auto& [key, member] : std::vector<std::pair<const char*, double I::*>>{
           {"scan_period_s", &I::scan_period_s},
           {"start_azimuth_deg", &I::start_azimuth_deg},
           {"max_range_m", &I::max_range_m},
           {"p_miss", &I::p_miss},
           {"p_garble", &I::p_garble},
           {"sigma_range_m", &I::sigma_range_m},
           {"sigma_azimuth_deg", &I::sigma_azimuth_deg},
           {"sigma_elevation_deg", &I::sigma_elevation_deg},
           {"k_factor", &I::k_factor}}) {
    iff.push_back({key, member});
  }
  expect_every_number_checked(iff);

  using A = AdsbReceiverParams;
  std::vector<Field<A>> rx = site_fields<A>();
  rx.push_back({"max_range_m", &A::max_range_m});
  rx.push_back({"p_receive", &A::p_receive});
  rx.push_back({"k_factor", &A::k_factor});
  expect_every_number_checked(rx);

  using B = AdsbBroadcastParams;
  expect_every_number_checked(std::vector<Field<B>>{{"mean_interval_s", &B::mean_interval_s},
                                                    {"jitter_s", &B::jitter_s},
                                                    {"sigma_alt_m", &B::sigma_alt_m}});
}

}  // namespace
}  // namespace jrads::sensors
