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

// The file's label: what it holds, combined (each part as released, its stripped categories gone).
void absorb(security::ItemLabel& file, bool& any, security::ItemLabel item, security::CategorySet stripped,
            security::PartyIndex originator) {
  item.categories &= ~stripped;
  file = security::combine(any ? file : item, item, originator);
  any = true;
}

}  // namespace

ReleaseExport::ReleaseExport(security::PartyTable parties, std::string lead_party, bool agreement_in_force,
                             std::vector<picture::SensorSite> sites)
    : parties_(parties),
      lead_(std::move(lead_party)),
      in_force_(agreement_in_force),
      sites_(std::move(sites)),
      gate_(parties, national_nodes(parties, lead_), agreement_in_force,
            [this](const security::ReceiverSpec& r, const security::Label& l, const security::ReleaseDecision& d) {
              decisions_.push_back({r.name, r.receiver.party, l, d.allowed, d.stripped, d.rules, d.reasons});
            }),
      files_(parties_.size()) {
  for (PartyFiles& f : files_) {
    f.tracks = picture::kTracksHeader;
    f.sources = "time_s,track_id,sources\n";
    f.engagements = kEngagementsHeader;
  }
}

void ReleaseExport::tracks(std::span<const picture::TrackRow> rows, const SourceSets& sources) {
  const security::PartyIndex lead = parties_.index(lead_).value_or(0);
  for (const picture::TrackRow& row : rows) {
    for (std::size_t p = 0; p < files_.size(); ++p) {
      auto released = gate_.release(row, row.label, p, row.time);
      if (!released) continue;
      PartyFiles& f = files_[p];
      picture::append_track_row(f.tracks, **released);
      absorb(f.tracks_label, f.any_tracks, row.label, released->stripped() | kSensors, lead);
      if ((released->stripped() & kSensors) == 0) {
        append_time(f.sources, row.time);
        f.sources += ',' + std::to_string(row.track_number) + ',';
        const auto set = sources(row.sources);
        for (std::size_t k = 0; k < set.size(); ++k) {
          if (k > 0) f.sources += ' ';
          f.sources += sites_.at(set[k]).id;
        }
        f.sources += '\n';
        absorb(f.sources_label, f.any_sources, row.label, released->stripped(), lead);
      }
    }
  }
}

void ReleaseExport::events(std::span<const EventRow> rows) {
  const security::PartyIndex lead = parties_.index(lead_).value_or(0);
  for (const EventRow& row : rows) {
    // The event's own label: its track's, with ORDERS (an unlabelled one is refused by the gate).
    for (std::size_t p = 0; p < files_.size(); ++p) {
      auto released = gate_.release(row, row.label, p, row.time);
      if (!released) continue;
      append_event_row(files_[p].engagements, **released);
      absorb(files_[p].engagements_label, files_[p].any_engagements, row.label, released->stripped(), lead);
    }
  }
}

Result<std::vector<std::filesystem::path>> ReleaseExport::write(
    const std::filesystem::path& out_dir, const std::map<std::string, security::SymmetricKey>& data_keys) const {
  std::vector<std::filesystem::path> written;
  const security::PartyIndex lead = parties_.index(lead_).value_or(0);
  for (std::size_t p = 0; p < files_.size(); ++p) {
    const std::string& party = parties_.name(static_cast<security::PartyIndex>(p));
    const auto key = data_keys.find(party);
    if (key == data_keys.end()) return fail(Errc::missing_key, "no data key for party " + party + " to seal its release");
    const std::filesystem::path dir = out_dir / "release" / party;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::io_error, dir.string() + ": " + ec.message());
    // An empty file is labelled as the least it can be: the lead's, releasable to the party.
    security::ItemLabel empty;
    empty.categories = security::category_bit(security::Category::air_picture);
    empty.originator = lead;
    empty.rel = std::uint32_t{1} << p;
    const PartyFiles& f = files_[p];
    struct Part {
      const char* name;
      const std::string* text;
      security::ItemLabel label;
      bool any;
    };
    security::ItemLabel empty_orders = empty;
    empty_orders.categories = security::category_bit(security::Category::orders);
    for (const Part& part : {Part{"tracks.csv.sealed", &f.tracks, f.tracks_label, f.any_tracks},
                             Part{"sources.csv.sealed", &f.sources, f.sources_label, f.any_sources},
                             Part{"engagements.csv.sealed", &f.engagements, f.engagements_label, f.any_engagements}}) {
      const security::ItemLabel label = part.any ? part.label : (part.text == &f.engagements ? empty_orders : empty);
      const security::Label full = security::to_label(label, parties_, SimTime{});
      const std::filesystem::path path = dir / part.name;
      // Synthetic nonces: the same run gives the same sealed bytes (and audit.log the same hashes).
      if (auto ok = security::write_sealed(path, full, security::as_bytes(*part.text), party, key->second,
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
