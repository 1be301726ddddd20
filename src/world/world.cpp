#include "jrads/world/world.hpp"

#include <algorithm>

#include "motion_impl.hpp"

namespace jrads::world {

World::World(WorldParams params, ElevationGrid terrain)
    : params_(std::move(params)), terrain_(std::move(terrain)), destroyed_(params_.platforms.size()) {
  trajectories_.reserve(params_.platforms.size());
  for (const auto& p : params_.platforms) {
    JRADS_ASSERT(p.route.size() >= 2);  // the scenario validates this
    trajectories_.push_back(std::make_unique<Trajectory>(p, terrain_, params_.truth_step_s));
  }
}

World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

void World::advance_to(SimTime t, double keep_s) {
  JRADS_ASSERT(t >= now_);
  const SimTime keep_from = t - SimTime::from_s(keep_s);
  for (std::size_t i = 0; i < trajectories_.size(); ++i) {
    Trajectory& tr = *trajectories_[i];
    // A destroyed platform needs samples only up to its destruction (the first one at or after
    // it, for interpolation just before).
    const std::optional<SimTime>& td = destroyed_[i];
    tr.extend_to(td ? std::min(t, *td) : t);
    tr.drop_before(keep_from);
  }
  now_ = t;
}

void World::destroy(PlatformIndex i, SimTime t) {
  JRADS_ASSERT(i.value() < destroyed_.size());
  std::optional<SimTime>& td = destroyed_[i.value()];
  if (!td || t < *td) td = t;
}

std::optional<SimTime> World::destroyed_at(PlatformIndex i) const noexcept { return destroyed_[i.value()]; }

std::vector<std::pair<PlatformIndex, PlatformState>> World::samples_at(SimTime t) const {
  std::vector<std::pair<PlatformIndex, PlatformState>> out;
  for (std::size_t i = 0; i < trajectories_.size(); ++i) {
    if (destroyed_[i] && t >= *destroyed_[i]) continue;
    if (const PlatformState* s = trajectories_[i]->sample_at(t)) {
      out.emplace_back(PlatformIndex(static_cast<std::uint32_t>(i)), *s);
    }
  }
  return out;
}

std::optional<PlatformState> World::state_at(PlatformIndex i, SimTime t) const {
  const std::optional<SimTime>& td = destroyed_[i.value()];
  if (td && t >= *td) return std::nullopt;
  return trajectories_[i.value()]->state_at(t);
}

bool World::alive_during(PlatformIndex i, SimTime t0, SimTime t1) const noexcept {
  const Trajectory& tr = *trajectories_[i.value()];
  const std::optional<SimTime>& td = destroyed_[i.value()];
  if (td) {
    // Alive during [t0, t1] only if it existed somewhere in [t0, min(t1, td)); times are whole
    // nanoseconds, so that is [t0, min(t1, td - 1 ns)] (td > t0, so td - 1 ns cannot overflow).
    if (t0 >= *td) return false;
    t1 = std::min(t1, *td - SimTime::from_ns(1));
  }
  return tr.first_time() <= t1 && (!tr.finished() || tr.last_time() >= t0);
}

}  // namespace jrads::world
