package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import io.daemonset.rollout.NodePods;
import io.daemonset.rollout.PodCreation;
import io.daemonset.rollout.PodDeletion;

import io.daemonset.rollout.RolloutInput;
import io.daemonset.rollout.RolloutSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan before apply (as {@code nomad job plan}): what the reconcile would do if the DaemonSet's spec were the
 * proposed one, from the pods and nodes as they are, under maxUnavailable / maxSurge / partition / selector / canary
 * and a failed revision's policy, every created pod becoming available at once. Pure, and built from the very
 * functions the reconcile uses (eligibility, {@link RolloutGuard}, the planner through {@link RolloutSimulator}), so
 * the plan is what the rollout then does.
 */
public final class RolloutPreview {
  /** Upper bound of simulated steps: far more than any rollout of a few thousand nodes at maxUnavailable 1 needs. */
  public static final int MAX_STEPS = 20_000;

  /** One node's change over the whole plan: Create, Delete or Replace, from a revision to another. */
  public record NodeChange(String node, String action, String fromRevision, String toRevision) {}

  /** One reconcile of the simulation: the nodes that get a pod, and the pods deleted (node and pod name). */
  public record Step(List<Placed> create, List<Removed> delete) {}

  public record Placed(String node, String revision) {}

  public record Removed(String node, String pod, String revision, String reason) {}

  /**
   * @param updateRevision the proposed template's revision hash
   * @param runningRevision what the controller would roll out (another after a rollback of a failed template)
   * @param finished whether the simulation came to rest (false: MAX_STEPS reached)
   * @param held why it rests before every node runs the update revision (paused, partition, canary…), or null
   */
  public record Preview(String updateRevision, String runningRevision, List<NodeChange> changes, List<Step> steps,
                        boolean finished, String held) {}

  private RolloutPreview() {}

  /**
   * @param state the DaemonSet as it stands ({@link DaemonSetState#EMPTY} if it does not exist yet)
   * @param proposed the DaemonSet as the user would apply it, defaulted and validated
   */
  public static Preview of(DaemonSetState state, DaemonSet proposed, Fleet fleet, Instant now) {
    Cause planned = Cause.byController(now, "plan");
    DaemonSetState next = state.exists()
        ? state.apply(new DaemonSetEntity.DaemonSetUpdated(state.daemonSet().withSpec(proposed.spec()), planned))
        : DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(proposed, planned));
    DaemonSet ds = next.daemonSet();
    String hash = ReconcileStep.currentHash(next);
    Map<String, Eligibility> eligibility = ReconcileStep.eligibility(ds, fleet);
    List<NodePods> nodes = ReconcileStep.nodePods(next, eligibility, fleet);
    RolloutGuard.Decision guard = RolloutGuard.decide(next, hash, nodes, fleet, true, false, now);
    RolloutSimulator.Simulation sim = RolloutSimulator.simulate(new RolloutInput(guard.runningHash(),
        ds.spec().updateStrategy(), ds.spec().minReadySecondsOrZero(), now, nodes, Map.of(), guard.controls()),
        MAX_STEPS);
    Map<String, String> podRevision = new HashMap<>();
    nodes.forEach(n -> n.pods().forEach(p -> podRevision.put(p.name(), p.revisionHash())));
    List<Step> steps = new ArrayList<>();
    Map<String, String[]> byNode = new LinkedHashMap<>(); // node -> {from, to}
    for (RolloutSimulator.Step s : sim.steps()) {
      List<Removed> deleted = new ArrayList<>();
      for (PodDeletion d : s.deletions()) {
        String revision = podRevision.get(d.podName());
        deleted.add(new Removed(d.nodeName(), d.podName(), revision, d.reason().toString()));
        byNode.computeIfAbsent(d.nodeName(), n -> new String[2]);
        if (byNode.get(d.nodeName())[0] == null) {
          byNode.get(d.nodeName())[0] = revision;
        }
      }
      List<Placed> created = new ArrayList<>();
      for (PodCreation c : s.creations()) {
        created.add(new Placed(c.nodeName(), c.revisionHash()));
        byNode.computeIfAbsent(c.nodeName(), n -> new String[2])[1] = c.revisionHash();
      }
      steps.add(new Step(created, deleted));
    }
    List<NodeChange> changes = new ArrayList<>();
    byNode.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      String from = e.getValue()[0];
      String to = e.getValue()[1];
      String action = from == null ? "Create" : to == null ? "Delete" : "Replace";
      changes.add(new NodeChange(e.getKey(), action, from, to));
    });
    return new Preview(hash, guard.runningHash(), changes, steps, sim.finished(), held(guard, nodes, hash));
  }

  /** Why the plan stops short of every node on the update revision, in the words of status.rollout. */
  private static String held(RolloutGuard.Decision guard, List<NodePods> nodes, String hash) {
    if (guard.controls().frozen()) {
      return "frozen";
    }
    if (!guard.runningHash().equals(hash)) {
      return "revision " + hash + " failed: rolled back to " + guard.runningHash();
    }
    if (guard.controls().paused()) {
      return guard.status() != null && "Failed".equals(guard.status().phase()) ? "failed revision: paused"
          : "paused";
    }
    if (guard.status() != null && "Canary".equals(guard.status().phase())) {
      return "canary: the rest waits for its soak or promotion";
    }
    if (guard.controls().partition() > 0) {
      return "partition " + guard.controls().partition() + ": that many pods stay on their old revision";
    }
    if (guard.controls().updateScope() != null) {
      return "rollingUpdate.selector: only matching nodes are updated";
    }
    return null;
  }

}
