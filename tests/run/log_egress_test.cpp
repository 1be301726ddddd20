#include "jrads/run/log_egress.hpp"

#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

namespace jrads::run {
namespace {

using security::Category;
using security::category_bit;

struct Captured {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> log;
  Captured() {
    log = std::make_shared<spdlog::logger>("test.log_egress", std::make_shared<spdlog::sinks::ostream_sink_st>(text));
    log->set_level(spdlog::level::debug);
    log->set_pattern("%l %v");
  }
};

security::PartyTable kal_mor() { return security::PartyTable::make({"KAL", "MOR"}).value(); }

picture::Alert alert(double t_s, picture::AlertKind kind, std::string text, security::ItemLabel label) {
  picture::Alert a;
  a.time = SimTime::from_s(t_s);
  a.kind = kind;
  a.text = std::move(text);
  a.label = label;
  return a;
}

security::ItemLabel secret_of(security::PartyIndex originator, std::uint32_t rel, security::CategorySet cats) {
  security::ItemLabel l;
  l.level = security::Level::secret;
  l.originator = originator;
  l.rel = rel;
  l.categories = cats;
  return l;
}

// A log line cannot be sanitised: the reader's gate writes what it may have, whole, and
// nothing else — not even a trace of what was withheld.
TEST(LogEgress, WritesOnlyWhatItsReaderMayHave) {
  Captured c;
  LogEgress log(kal_mor(), "MOR", true, c.log);
  const auto picture = category_bit(Category::air_picture);
  const auto sensors = category_bit(Category::sensors);
  log.alert(alert(1, picture::AlertKind::identity_conflict, "shared conflict", secret_of(0, 0b10, picture)));
  log.alert(alert(2, picture::AlertKind::identity_conflict, "KAL-only conflict", secret_of(0, 0, picture)));
  log.alert(alert(3, picture::AlertKind::radar_bias, "KAL radar off", secret_of(0, 0b10, sensors)));
  log.alert(alert(4, picture::AlertKind::adsb_spoofing, "spoofing near MOR", secret_of(1, 0, picture | sensors)));
  log.alert(alert(5, picture::AlertKind::identity_conflict, "unlabelled", security::ItemLabel{}));
  security::ItemLabel top = secret_of(0, 0b10, picture);
  top.level = security::Level::top_secret;
  log.alert(alert(6, picture::AlertKind::identity_conflict, "above clearance", top));
  EXPECT_EQ(c.text.str(),
            "debug t=1.0 s: shared conflict\n"
            "info t=3.0 s: KAL radar off\n"           // a radar's misregistration at info
            "debug t=4.0 s: spoofing near MOR\n");    // MOR's own: its staff may have all of it
  const ReleaseTally t = log.tally();
  EXPECT_EQ(t.receiver, "log read by MOR");
  EXPECT_EQ(t.counts.allowed, 3u);
  EXPECT_EQ(t.counts.refused, 3u);
  EXPECT_EQ(t.counts.stripped, 0u);
  ASSERT_EQ(log.decisions().size(), 6u);  // each label once
  EXPECT_EQ(log.decisions()[1].rules, (std::vector<std::string>{"releasability"}));
  EXPECT_EQ(log.decisions()[4].rules, (std::vector<std::string>{"label"}));
  EXPECT_EQ(log.decisions()[5].rules, (std::vector<std::string>{"clearance"}));
}

// Once the agreement has ended, the partner's staff read nothing more of KAL's, only MOR's own.
TEST(LogEgress, NothingOfThePartnersOnceTheAgreementHasEnded) {
  Captured c;
  LogEgress log(kal_mor(), "MOR", false, c.log);
  const auto picture = category_bit(Category::air_picture);
  log.alert(alert(1, picture::AlertKind::identity_conflict, "KAL's, releasable to MOR", secret_of(0, 0b10, picture)));
  log.alert(alert(2, picture::AlertKind::identity_conflict, "MOR's own", secret_of(1, 0, picture)));
  EXPECT_EQ(c.text.str(), "debug t=2.0 s: MOR's own\n");
  EXPECT_EQ(log.decisions().at(0).rules, (std::vector<std::string>{"agreement"}));
}

}  // namespace
}  // namespace jrads::run
