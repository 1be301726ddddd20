#include "jrads/run/log_egress.hpp"

namespace jrads::run {
namespace {

security::ReceiverSpec log_reader(const std::string& party) {
  security::Receiver r;
  r.party = party;
  r.clearance = security::Level::secret;
  r.need_to_know = security::kAllCategories;
  return {"log read by " + party, r, security::ReleasePolicy::refuse};
}

}  // namespace

LogEgress::LogEgress(security::PartyTable parties, const std::string& reader, bool agreement_in_force,
                     std::shared_ptr<spdlog::logger> log)
    : gate_(std::move(parties), {log_reader(reader)}, agreement_in_force,
            [this](const security::ReceiverSpec& r, const security::Label& l, const security::ReleaseDecision& d) {
              decisions_.push_back(release_record(r, l, d));
            }),
      log_(std::move(log)) {}

void LogEgress::alert(const picture::Alert& a) {
  const auto released = gate_.release(a, a.label, 0, a.time);
  if (!released) return;
  const auto level = a.kind == picture::AlertKind::radar_bias ? spdlog::level::info : spdlog::level::debug;
  log_->log(level, "t={:.1f} s: {}", (*released)->time.s(), (*released)->text);
}

ReleaseTally LogEgress::tally() const {
  const security::ReceiverSpec& r = gate_.receivers().front();
  return {r.name, r.receiver.party, gate_.counts(0)};
}

}  // namespace jrads::run
