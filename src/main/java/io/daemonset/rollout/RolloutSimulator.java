package io.daemonset.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan before apply (as {@code nomad job plan}): the steps a rollout would take from the nodes as they are, if
 * every pod it creates became available at once and every pod it deletes went at once. Each step is one
 * reconcile's plan; the simulation stops when a plan is empty (the rollout is done, or held by its controls), or
 * after {@code maxSteps}. Pure: the same input gives the same steps, which is what makes "the plan equals what the
 * rollout then does" testable.
 */
public final class RolloutSimulator {

  /** One step: what it creates and deletes. */
  public record Step(List<PodCreation> creations, List<PodDeletion> deletions) {}

  /**
   * @param steps the steps in order
   * @param finished whether the last plan was empty (false: maxSteps was reached first)
   */
  public record Simulation(List<Step> steps, boolean finished) {}

  private RolloutSimulator() {}

  public static Simulation simulate(RolloutInput start, int maxSteps) {
    List<Step> steps = new ArrayList<>();
    Map<String, List<PodInfo>> pods = new HashMap<>();
    start.nodes().forEach(n -> pods.put(n.nodeName(), new ArrayList<>(n.pods())));
    RolloutInput in = start;
    int created = 0;
    for (int i = 0; i < maxSteps; i++) {
      RolloutPlan plan = RolloutPlanner.plan(in);
      if (plan.isEmpty()) {
        return new Simulation(steps, true);
      }
      steps.add(new Step(plan.creations(), plan.deletions()));
      for (PodDeletion d : plan.deletions()) {
        pods.get(d.nodeName()).removeIf(p -> p.name().equals(d.podName()));
      }
      for (PodCreation c : plan.creations()) {
        // available at once: Ready for longer than minReadySeconds already
        var readySince = in.now().minusSeconds(in.minReadySeconds() + 1L);
        pods.get(c.nodeName()).add(new PodInfo("planned-" + ++created, c.revisionHash(), in.now(), true, readySince,
            false, PodInfo.RUNNING));
      }
      List<NodePods> next = in.nodes().stream().map(n -> n.withPods(pods.get(n.nodeName()))).toList();
      in = new RolloutInput(in.currentHash(), in.strategy(), in.minReadySeconds(), in.now(), next, plan.backoffs(),
          in.controls());
    }
    return new Simulation(steps, false);
  }
}
