package io.daemonset.rollout;

import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.RollingUpdateDaemonSet;
import java.util.List;

/** The strategies upstream's tests build (newUpdateUnavailable, newUpdateSurge, updateStrategies). */
final class Strategies {

  private Strategies() {}

  static DaemonSetUpdateStrategy onDelete() {
    return new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ON_DELETE, null);
  }

  /** upstream newUpdateUnavailable: maxSurge left unset. */
  static DaemonSetUpdateStrategy maxUnavailable(IntOrString value) {
    return new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE, new RollingUpdateDaemonSet(value, null));
  }

  static DaemonSetUpdateStrategy maxUnavailable(int value) {
    return maxUnavailable(IntOrString.of(value));
  }

  /** upstream newUpdateSurge: maxUnavailable 0. */
  static DaemonSetUpdateStrategy maxSurge(IntOrString value) {
    return new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE,
        new RollingUpdateDaemonSet(IntOrString.of(0), value));
  }

  static DaemonSetUpdateStrategy maxSurge(int value) {
    return maxSurge(IntOrString.of(value));
  }

  /** upstream updateStrategies(): every manage test runs under both. */
  static List<DaemonSetUpdateStrategy> both() {
    return List.of(onDelete(), maxUnavailable(1));
  }
}
