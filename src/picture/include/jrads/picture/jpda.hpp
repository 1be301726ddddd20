#pragma once
// Building blocks of joint probabilistic data association (JPDA): the association marginals of
// one cluster of tracks and reports, the PDA update of one Gaussian and the IMM-PDA update of
// an IMM state. Pure functions; the tracker does not use them yet (it associates by GNN).
//
// Marginals (Fortmann, Bar-Shalom & Scheffe 1983; Bar-Shalom, Daum & Huang, "The probabilistic
// data association filter", IEEE Control Systems Magazine 2009, parametric clutter model).
// A joint event theta gives each report to at most one track (or to clutter) and each track at
// most one report. With Poisson clutter of spatial density lambda,
//   P(theta | Z) ~ prod_{(i,j) in theta} (Pd_i g_ij / lambda) * prod_{i missed} (1 - Pd_i Pg),
// g_ij = N(nu_ij; 0, S_ij). beta_ij is the sum of P over the events pairing i with j, beta_i0
// over those missing i; each row sums to 1. Weights are handled in log space.
//
// Size limit and approximation. The marginals are exact (every feasible event enumerated)
// while the cluster has at most JpdaParams::max_exact_events feasible events (default
// 200,000; a fully gated 4 x 6 cluster has 1,045, 6 x 8 93,289 and 8 x 10 about 13 million). Beyond it they are
// computed on the k most probable joint events (k = max_best_events, default 10,000), found in
// order by Murty's algorithm (Murty 1968) with the exact solver jrads::solve_assignment on the
// n x (m + n) matrix of -log weights (one "missed" column per track). Why k-best rather than
// Fitzgerald's cheap JPDA: the k-best marginals are those of a true (truncated) joint
// distribution, so no report is shared by more than 100 % across tracks, they converge to the
// exact ones as k grows and in practice the mass concentrates in few events; cheap JPDA is a
// heuristic with no such limit. The search also stops once the next event is e^-40 times
// less probable than the best. Deterministic: Murty's ties are broken by creation order.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/picture/filter.hpp"
#include "jrads/picture/measurement.hpp"

namespace jrads::picture {

// The log-likelihood of a pair that is not gated (the report cannot come from the track).
inline constexpr double kNotGated = -std::numeric_limits<double>::infinity();

struct JpdaParams {
  double gate_probability = 0.99;  // Pg in (0, 1]: probability that a true report falls in the gate
  // lambda > 0: clutter reports per unit measurement volume, the units of the likelihoods
  // (per m^3 for position reports, per m rad^2 for polar ones).
  double clutter_density = 1e-9;
  std::int64_t max_exact_events = 200'000;  // enumerate exactly up to this many feasible events
  int max_best_events = 10'000;             // k of the k-best approximation beyond it (>= 1)
  // JPDA* (Blom & Bloem, "Probabilistic data association avoiding track coalescence", IEEE
  // Trans. AC 45(2), 2000): of the joint events that give the same set of reports to the same
  // set of tracks, only the most probable is kept. Tracks of close targets then stop being
  // pulled onto the mean of both, at the cost of marginals that are no longer exact.
  bool coalescence_avoidance = false;
};

enum class JpdaMethod : std::uint8_t {
  exact,       // every feasible joint event
  k_best,      // the k most probable joint events (Murty)
  degenerate,  // no event of nonzero probability (or no report): beta_i0 = 1 for every track
};

struct JpdaMarginals {
  int n_tracks = 0;
  int n_reports = 0;
  std::vector<double> beta;   // n_tracks x n_reports, row-major: P(report j is from track i)
  std::vector<double> beta0;  // n_tracks: P(no report is from track i)
  JpdaMethod method = JpdaMethod::exact;
  std::int64_t events = 0;  // joint events of nonzero probability summed
  [[nodiscard]] double at(int track, int report) const noexcept {
    return beta[static_cast<std::size_t>(track) * static_cast<std::size_t>(n_reports) +
                static_cast<std::size_t>(report)];
  }
  [[nodiscard]] std::span<const double> row(int track) const noexcept {
    return std::span<const double>(beta).subspan(static_cast<std::size_t>(track) * static_cast<std::size_t>(n_reports),
                                                 static_cast<std::size_t>(n_reports));
  }
};

// Association marginals of one cluster. `log_likelihood` is n_tracks x n_reports row-major,
// log N(nu_ij; 0, S_ij) (Innovation::log_likelihood) or kNotGated; `detection_probability` holds
// Pd_i in (0, 1] per track. Errors (Errc::invalid_argument): negative sizes, wrong span sizes,
// a NaN or +inf log-likelihood, Pd outside (0, 1], Pg outside (0, 1], lambda not finite > 0,
// max_exact_events < 0 or max_best_events < 1. No report, or no event of nonzero probability
// (possible only with Pd Pg = 1), gives JpdaMethod::degenerate with beta_i0 = 1.
//   const std::vector<double> ll = {-8.1, kNotGated};   // 1 track, 2 reports
//   const std::vector<double> pd = {0.9};
//   auto m = jpda_marginals(ll, 1, 2, pd, JpdaParams{});  // m->at(0, 1) == 0
[[nodiscard]] Result<JpdaMarginals> jpda_marginals(std::span<const double> log_likelihood, int n_tracks,
                                                   int n_reports, std::span<const double> detection_probability,
                                                   const JpdaParams& params);

// The number of feasible joint events of a cluster (pairs with a log-likelihood other than
// kNotGated), or cap + 1 when it exceeds cap >= 0. The sizes must match (else 0).
[[nodiscard]] std::int64_t jpda_feasible_events(std::span<const double> log_likelihood, int n_tracks,
                                                int n_reports, std::int64_t cap) noexcept;

// The PDA update (Bar-Shalom, Daum & Huang 2009, eqs. 33-38) of `prior` with the innovations
// of its candidate reports, their betas and beta0:
//   nu = sum_j beta_j nu_j,  K = P H^T S^-1,  x+ = x + K nu,
//   P+ = beta0 P + (1 - beta0) P_c + K (sum_j beta_j nu_j nu_j^T - nu nu^T) K^T,
// P_c the Joseph-form single-report covariance of ekf_update (with any_of_them.R), symmetrised.
// Requires: every innovation valid and all of them with the same S and H (relative 1e-9), as
// they are for reports of one sensor against one prior; betas >= 0, beta0 in [0, 1] and
// beta0 + sum betas = 1 within 1e-6. Otherwise, or with no innovation or all betas 0, returns
// the prior unchanged (as if beta0 = 1).
[[nodiscard]] Gaussian pda_update(const Gaussian& prior, std::span<const Innovation> innovations,
                                  std::span<const double> betas, double beta0,
                                  const Measurement& any_of_them) noexcept;

// IMM-PDA (Houles & Bar-Shalom, "Multisensor tracking of a maneuvering target in clutter",
// IEEE Trans. AES 25(2), 1989): each model gets pda_update with its own innovations of
// `reports`; the mode probabilities become mu_j ~ c_j Lambda_j with the PDA likelihood
//   Lambda_j ~ (1 - Pd Pg) + (Pd / lambda) sum_k N(nu_jk; 0, S_j).
// The two coefficients are recovered from the betas, which must come from the likelihoods
// N(nu_k; 0, S) of the combined estimate (imm_innovate): beta_k / beta0 = Pd N_k / (lambda (1 -
// Pd Pg)) for one track, so Lambda_j ~ beta0 + sum_k beta_k N_jk / N_k, the same up to a
// factor common to both models; with JPDA betas this carries the other tracks' competition.
// Evaluated as a log-sum-exp. mu is kept in [1e-6, 1 - 1e-6] as in imm_update. Reports
// with beta 0 are ignored. No report with beta > 0, betas not summing to 1 with beta0, or an
// invalid innovation (for either model or the combined estimate) returns `predicted`.
[[nodiscard]] ImmState imm_pda_update(const ImmState& predicted, std::span<const Measurement> reports,
                                      std::span<const double> betas, double beta0) noexcept;

}  // namespace jrads::picture
