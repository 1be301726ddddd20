#include "jrads/node/node_params.hpp"

namespace jrads::node {

const char* to_string(OperatorPolicy p) noexcept {
  switch (p) {
    case OperatorPolicy::approve: return "approve";
    case OperatorPolicy::approve_hostile: return "approve_hostile";
    case OperatorPolicy::deny: return "deny";
  }
  return "?";
}

}  // namespace jrads::node
