package io.daemonset.rollout;

import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.RollingUpdateDaemonSet;
import java.util.List;

/**
 * How far a rolling update may go right now: upstream updatedDesiredNodeCounts with util.SurgeCount
 * and util.UnavailableCount.
 *
 * <p>Percentages are of desiredNumberScheduled, rounded up. OnDelete has neither budget. If the
 * spec works out to 0 for both while some node wants a pod, the budget is maxUnavailable 1: an
 * impossible configuration falls back to the default instead of stalling.
 */
public record UpdateBudget(int maxSurge, int maxUnavailable, int desiredNumberScheduled) {

  /** apps/v1 defaults for a DaemonSet that carries no strategy at all. */
  static final DaemonSetUpdateStrategy DEFAULT_STRATEGY = new DaemonSetUpdateStrategy(
      DaemonSetUpdateStrategy.ROLLING_UPDATE, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)));

  public static UpdateBudget of(DaemonSetUpdateStrategy strategy, List<NodePods> nodes) {
    int desired = 0;
    for (int i = 0; i < nodes.size(); i++) {
      desired += nodes.get(i).shouldRun() ? 1 : 0;
    }
    int maxUnavailable = scaled(rollingUpdate(strategy), true, desired);
    int maxSurge = scaled(rollingUpdate(strategy), false, desired);
    if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) {
      maxUnavailable = 1;
    }
    return new UpdateBudget(maxSurge, maxUnavailable, desired);
  }

  /**
   * upstream util.AllowsSurge: whether a node may hold an old and a new pod at once. Judged against a
   * single node, so any positive percentage allows it.
   */
  public static boolean allowsSurge(DaemonSetUpdateStrategy strategy) {
    return scaled(rollingUpdate(strategy), false, 1) > 0;
  }

  static boolean isRollingUpdate(DaemonSetUpdateStrategy strategy) {
    DaemonSetUpdateStrategy s = strategy == null ? DEFAULT_STRATEGY : strategy;
    return s.type() == null || s.isRollingUpdate();
  }

  /** The rollingUpdate parameters, or null when the strategy is not RollingUpdate. */
  private static RollingUpdateDaemonSet rollingUpdate(DaemonSetUpdateStrategy strategy) {
    if (!isRollingUpdate(strategy)) {
      return null;
    }
    return strategy == null ? DEFAULT_STRATEGY.rollingUpdate() : strategy.rollingUpdate();
  }

  private static int scaled(RollingUpdateDaemonSet rolling, boolean unavailable, int desired) {
    if (rolling == null) {
      return 0;
    }
    IntOrString value = unavailable ? rolling.maxUnavailable() : rolling.maxSurge();
    return value == null ? 0 : Math.max(0, value.scaledValue(desired, true));
  }
}
