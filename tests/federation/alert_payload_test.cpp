#include "jrads/federation/alert_payload.hpp"

#include <string>

#include <gtest/gtest.h>

namespace jrads::federation {
namespace {

picture::Alert alert() {
  picture::Alert a;
  a.time = SimTime::from_s(292.7);
  a.kind = picture::AlertKind::radar_bias;
  a.track_number = 0;
  a.sensor = 3;
  a.text = "radar MOR-R1 looks misregistered: azimuth offset +0.41 deg (+/- 0.04)";
  return a;
}

TEST(AlertPayload, RoundTrips) {
  const security::Bytes b = encode_alert(alert());
  const auto back = decode_alert(b, 9);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->time, alert().time);
  EXPECT_EQ(back->kind, alert().kind);
  EXPECT_EQ(back->sensor, 3u);
  EXPECT_EQ(back->text, alert().text);
  EXPECT_EQ(encode_alert(*back), b);
}

TEST(AlertPayload, RejectsHostilePayloadsNamingTheField) {
  const security::Bytes good = encode_alert(alert());
  const struct {
    const char* what;
    void (*mutate)(security::Bytes&);
    const char* expected;
  } cases[] = {
      {"short", [](security::Bytes& b) { b.resize(10); }, "alert payload: 10 bytes"},
      {"magic", [](security::Bytes& b) { b[1] = 'X'; }, "alert magic"},
      {"version", [](security::Bytes& b) { b[4] = 9; }, "alert version: 9"},
      {"kind", [](security::Bytes& b) { b[5] = 3; }, "alert kind: 3"},
      {"sensor", [](security::Bytes& b) { b[10] = 9; }, "alert sensor: 9"},
      {"time", [](security::Bytes& b) { b[21] = 0x80; }, "alert time: negative"},
      {"length", [](security::Bytes& b) { b[22] += 1; }, "alert text: its length says"},
      {"too long", [](security::Bytes& b) { b[23] = 0x10; }, "more than 1024"},
      {"control byte", [](security::Bytes& b) { b.back() = '\n'; }, "not printable ASCII"},
      {"trailing", [](security::Bytes& b) { b.push_back('x'); }, "alert text: its length says"},
  };
  for (const auto& c : cases) {
    security::Bytes b = good;
    c.mutate(b);
    const auto r = decode_alert(b, 9);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << c.what << ": " << r.error().message;
  }
}

}  // namespace
}  // namespace jrads::federation
