#include "jrads/run/release_export.hpp"

#include "jrads/core/csv_format.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/security/sealed_file.hpp"

namespace jrads::run {
namespace {

constexpr security::CategorySet kSensors = security::category_bit(security::Category::sensors);

std::vector<security::ReceiverSpec> national_nodes(const security::PartyTable& parties, const std::string& lead) {
  std::vector<security::ReceiverSpec> out;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    const std::string& p = parties.name(static_cast<security::PartyIndex>(i));
    security::Receiver r;
    r.party = p;
    r.clearance = security::Level::secret;
    r.need_to_know = p == lead ? security::kAllCategories : (security::kAllCategories & ~kSensors);
    out.push_back({p + " national node", r, security::ReleasePolicy::strip});
  }
  return out;
}

struct PartSpec {
  const char* name;    // the sealed file's
  const char* header;
  security::Category empty_category;  // what an empty file is labelled (nothing else to go by)
};
constexpr std::array<PartSpec, 6> kPartSpecs{{
    {"tracks.csv.sealed", picture::kTracksHeader, security::Category::air_picture},
    {"sources.csv.sealed", "time_s,track_id,sources\n", security::Category::air_picture},
    {"engagements.csv.sealed", kEngagementsHeader, security::Category::orders},
    {"threats.csv.sealed", kThreatsHeader, security::Category::intelligence},
    {"alerts.csv.sealed", picture::kAlertsHeader, security::Category::air_picture},
    {"units.csv.sealed", kUnitsHeader, security::Category::fire_unit_status},
}};

}  // namespace

ReleaseRecord release_record(const security::ReceiverSpec& r, const security::Label& l,
                             const security::ReleaseDecision& d) {
  return {r.name, r.receiver.party, l, d.allowed, d.stripped, d.rules, d.reasons};
}

ReleaseExport::ReleaseExport(security::PartyTable parties, const std::string& lead_party, bool agreement_in_force,
                             std::vector<picture::SensorSite> sites)
    : parties_(parties),
      lead_(parties_.index(lead_party).value_or(0)),
      sites_(std::move(sites)),
      gate_(parties, national_nodes(parties, lead_party), agreement_in_force,
            [this](const security::ReceiverSpec& r, const security::Label& l, const security::ReleaseDecision& d) {
              decisions_.push_back(release_record(r, l, d));
            }),
      files_(parties_.size()) {
  static_assert(kPartSpecs.size() == kParts);
  for (PartyFiles& f : files_) {
    for (std::size_t k = 0; k < kParts; ++k) f[k].text = kPartSpecs[k].header;
  }
}

template <class T, class Append>
void ReleaseExport::release_each(const T& item, const security::ItemLabel& label, SimTime time, Part part,
                                 security::CategorySet not_written, Append append) {
  for (std::size_t p = 0; p < files_.size(); ++p) {
    auto released = gate_.release(item, label, p, time);
    if (!released) continue;
    File& f = files_[p][part];
    append(p, f.text, *released);
    absorb(f, label, released->stripped() | not_written);
  }
}

void ReleaseExport::absorb(File& f, security::ItemLabel item, security::CategorySet not_held) const {
  item.categories &= ~not_held;
  f.label = security::combine(f.any ? f.label : item, item, lead_);
  f.any = true;
}

void ReleaseExport::tracks(std::span<const picture::TrackRow> rows, const SourceSets& sources) {
  for (const picture::TrackRow& row : rows) {
    // The row tells where, not who saw it: its sources go to sources.csv, unless stripped.
    release_each(row, row.label, row.time, tracks_csv, kSensors,
                 [&](std::size_t p, std::string& out, const auto& released) {
                   picture::append_track_row(out, *released);
                   if ((released.stripped() & kSensors) != 0) return;
                   File& src = files_[p][sources_csv];
                   append_time(src.text, row.time);
                   src.text += ',' + std::to_string(row.track_number) + ',';
                   const auto set = sources(row.sources);
                   for (std::size_t k = 0; k < set.size(); ++k) {
                     if (k > 0) src.text += ' ';
                     src.text += sites_.at(set[k]).id;
                   }
                   src.text += '\n';
                   absorb(src, row.label, released.stripped());
                 });
  }
}

void ReleaseExport::events(std::span<const EventRow> rows) {
  // An event's own label: its track's, with ORDERS (an unlabelled one is refused by the gate).
  for (const EventRow& row : rows) {
    release_each(row, row.label, row.time, engagements_csv, 0,
                 [](std::size_t, std::string& out, const auto& released) { append_event_row(out, *released); });
  }
}

void ReleaseExport::threats(std::span<const ThreatRow> rows) {
  for (const ThreatRow& row : rows) {
    release_each(row, row.threat.label, row.time, threats_csv, 0,
                 [](std::size_t, std::string& out, const auto& released) { append_threat_row(out, *released); });
  }
}

void ReleaseExport::alerts(std::span<const picture::Alert> alerts) {
  for (const picture::Alert& a : alerts) {
    release_each(a, a.label, a.time, alerts_csv, 0, [&](std::size_t, std::string& out, const auto& released) {
      picture::append_alert_row(out, *released, sites_, (released.stripped() & kSensors) == 0);
    });
  }
}

void ReleaseExport::units(std::span<const UnitRow> rows) {
  for (const UnitRow& row : rows) {
    release_each(row, row.status.label, row.time, units_csv, 0,
                 [](std::size_t, std::string& out, const auto& released) { append_unit_row(out, *released); });
  }
}

Result<std::vector<std::filesystem::path>> ReleaseExport::write(
    const std::filesystem::path& out_dir, const std::map<std::string, security::SymmetricKey>& data_keys) const {
  std::vector<std::filesystem::path> written;
  for (std::size_t p = 0; p < files_.size(); ++p) {
    const std::string& party = parties_.name(static_cast<security::PartyIndex>(p));
    const auto key = data_keys.find(party);
    if (key == data_keys.end()) return fail(Errc::missing_key, "no data key for party " + party + " to seal its release");
    const std::filesystem::path dir = out_dir / "release" / party;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::io_error, dir.string() + ": " + ec.message());
    for (std::size_t k = 0; k < kParts; ++k) {
      const File& f = files_[p][k];
      security::ItemLabel label = f.label;
      if (!f.any) {
        // An empty file is labelled as the least it can be: the lead's, of its kind, releasable to the party.
        label = security::ItemLabel{};
        label.categories = security::category_bit(kPartSpecs[k].empty_category);
        label.originator = lead_;
        label.rel = std::uint32_t{1} << p;
      }
      const security::Label full = security::to_label(label, parties_, SimTime{});
      const std::filesystem::path path = dir / kPartSpecs[k].name;
      // Synthetic nonces: the same run gives the same sealed bytes (and audit.log the same hashes).
      if (auto ok = security::write_sealed(path, full, security::as_bytes(f.text), party, key->second,
                                           security::SealNonce::synthetic);
          !ok)
        return fail(ok.error());
      written.push_back(path);
    }
  }
  return written;
}

std::vector<ReleaseTally> ReleaseExport::tallies() const {
  std::vector<ReleaseTally> out;
  for (std::size_t p = 0; p < gate_.receivers().size(); ++p)
    out.push_back({gate_.receivers()[p].name, gate_.receivers()[p].receiver.party, gate_.counts(p)});
  return out;
}

}  // namespace jrads::run
