package io.daemonset.rollout;

import java.util.List;

/**
 * One reconcile of a DaemonSet's pods, as a pure decision: upstream {@code manage} followed by
 * {@code rollingUpdate} (pkg/controller/daemon/daemon_controller.go, update.go).
 *
 * <p>Upstream runs the rolling update only after every create and delete of its manage pass has been
 * observed, usually on the next sync. Here the rolling update plans on the nodes as manage's effects
 * will leave them (deleted pods terminating, created pods not yet ready), so a single plan holds both
 * passes; the counts per plan are those of upstream's own unit tests, where the fake pod control
 * observes at once. The caller still owns upstream's other gate: do not plan again while earlier
 * effects are unconfirmed (upstream "expectations"), only recompute status.
 */
public final class RolloutPlanner {

  private RolloutPlanner() {}

  public static RolloutPlan plan(RolloutInput in) {
    Effects out = new Effects(in.backoffs());
    if (in.controls().frozen()) {
      // Frozen: nothing created or deleted at all; time still makes pods available, which status reports.
      requeueForMinReady(in, out);
      return out.toPlan(in.now());
    }
    new Manage(in, UpdateBudget.allowsSurge(in.strategy()), out).plan(in.nodes());
    if (UpdateBudget.isRollingUpdate(in.strategy()) && !in.controls().paused()) {
      List<NodePods> projected = out.project(in.nodes(), in.now());
      UpdateBudget budget = UpdateBudget.of(in.strategy(), projected);
      new RollingUpdate(in, budget, out).plan(projected);
    }
    requeueForMinReady(in, out);
    return out.toPlan(in.now());
  }

  /**
   * A Ready pod that is not yet available becomes available by the mere passing of time; that can
   * change both the next rolling-update step and the status, so the caller should look again then.
   */
  private static void requeueForMinReady(RolloutInput in, Effects out) {
    for (NodePods node : in.nodes()) {
      for (PodInfo pod : node.listedPods()) {
        if (!pod.deleting()) {
          Availability.becomesAvailableAt(pod, in.minReadySeconds(), in.now()).ifPresent(out::requeueNoLaterThan);
        }
      }
    }
  }
}
