#include "jrads/world/world.hpp"

#include "motion_impl.hpp"

namespace jrads::world {

World::World(WorldParams params, ElevationGrid terrain) : params_(std::move(params)), terrain_(std::move(terrain)) {
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
  for (auto& tr : trajectories_) {
    tr->extend_to(t);
    tr->drop_before(keep_from);
  }
  now_ = t;
}

std::vector<std::pair<PlatformIndex, PlatformState>> World::samples_at(SimTime t) const {
  std::vector<std::pair<PlatformIndex, PlatformState>> out;
  for (std::size_t i = 0; i < trajectories_.size(); ++i) {
    if (const PlatformState* s = trajectories_[i]->sample_at(t)) {
      out.emplace_back(PlatformIndex(static_cast<std::uint32_t>(i)), *s);
    }
  }
  return out;
}

std::optional<PlatformState> World::state_at(PlatformIndex i, SimTime t) const {
  return trajectories_[i.value()]->state_at(t);
}

bool World::alive_during(PlatformIndex i, SimTime t0, SimTime t1) const noexcept {
  const Trajectory& tr = *trajectories_[i.value()];
  return tr.first_time() <= t1 && (!tr.finished() || tr.last_time() >= t0);
}

}  // namespace jrads::world
