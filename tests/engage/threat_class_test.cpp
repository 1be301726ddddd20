#include "jrads/engage/threat_class.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jrads::engage {
namespace {

TEST(ThreatClass, ProfileGivesTheClassAndNeverAny) {
  EXPECT_EQ(threat_class_of(picture::Profile::missile_like), ThreatClass::cruise_missile);
  EXPECT_EQ(threat_class_of(picture::Profile::drone_like), ThreatClass::drone);
  EXPECT_EQ(threat_class_of(picture::Profile::fast_jet), ThreatClass::aircraft);
  EXPECT_EQ(threat_class_of(picture::Profile::ordinary), ThreatClass::aircraft);
}

TEST(ThreatClass, NamesAreTheScenarioSpelling) {
  EXPECT_EQ(std::string(to_string(ThreatClass::any)), "any");
  EXPECT_EQ(std::string(to_string(ThreatClass::cruise_missile)), "cruise_missile");
  EXPECT_EQ(std::string(to_string(ThreatClass::ballistic_missile)), "ballistic_missile");
}

}  // namespace
}  // namespace jrads::engage
