#include "metrics/snapshot.h"

namespace loadlab {

const char* to_string(NodeHealth health) {
  switch (health) {
    case NodeHealth::up:
      return "up";
    case NodeHealth::ramping:
      return "ramping";
    case NodeHealth::passive:
      return "passive";
    case NodeHealth::outlier:
      return "outlier";
    case NodeHealth::probing:
      return "probing";
  }
  return "?";
}

}  // namespace loadlab
