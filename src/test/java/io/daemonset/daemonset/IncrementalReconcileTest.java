package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.node.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * A reconcile that carries its judgements and node views and is told which nodes changed ({@link FleetDelta}) decides
 * exactly what a reconcile from scratch decides, over random fleets and random changes: nodes joining, leaving,
 * relabelled in and out of the selector, turning NotReady, replaced by an equal object; pods admitted, refused,
 * Ready, failed and deleted; new templates rolled out with and without surge, with and without minReadySeconds (the
 * rounds that leave the quiet nodes out of the planner and the ones that may not). The second test checks that the
 * comparison has teeth: told a delta that drops one changed node, the carried path decides differently in some round.
 */
class IncrementalReconcileTest {
  private static final Map<String, String> DAEMON = Map.of("role", "daemon");
  private static final int SCENARIOS = 120;
  private static final int ROUNDS = 40;

  @Test
  void theCarriedPathDecidesAsAFullComputationOverRandomFleetsAndChanges() {
    int quietRounds = 0;
    for (long seed = 1; seed <= SCENARIOS; seed++) {
      Scenario s = new Scenario(seed, false);
      s.run();
      assertThat(s.differences).as("seed %d: the carried path decided otherwise", seed).isEmpty();
      quietRounds += s.quietRounds;
    }
    assertThat(quietRounds).as("rounds that planned on the nodes that are not quiet alone").isGreaterThan(500);
  }

  @Test
  void aDeltaThatDropsAChangedNodeIsCaughtByTheComparison() {
    int caught = 0;
    for (long seed = 1; seed <= SCENARIOS; seed++) {
      Scenario s = new Scenario(seed, true);
      s.run();
      caught += s.differences.isEmpty() ? 0 : 1;
    }
    assertThat(caught).as("scenarios in which a dropped change changed a decision").isGreaterThan(SCENARIOS / 4);
  }

  /** One DaemonSet, one random fleet, the rounds an entity would run; each compared with a full computation. */
  private static final class Scenario {
    final Random random;
    final boolean dropOne;
    final List<String> differences = new ArrayList<>();
    int quietRounds;
    DaemonSetState state;
    PSortedMap<String, Node> nodes = TreePMap.empty();
    Map<String, Node> reconciledFleet;
    Eligibilities eligibilities = Eligibilities.NONE;
    NodeViews views = NodeViews.NONE;
    Backoffs backoffs = Backoffs.NONE;
    Instant now = ReconcileWorld.T0;
    List<NodeStep> steps = List.of();
    int nextNode;
    int template;

    Scenario(long seed, boolean dropOne) {
      this.random = new Random(seed);
      this.dropOne = dropOne;
      RollingUpdateDaemonSet rolling = switch (random.nextInt(4)) {
        case 0 -> new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0));
        case 1 -> new RollingUpdateDaemonSet(IntOrString.of("25%"), IntOrString.of(0));
        case 2 -> new RollingUpdateDaemonSet(IntOrString.of(0), IntOrString.of(1));
        default -> new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0));
      };
      int minReady = random.nextInt(4) == 0 ? 5 : 0;
      boolean selects = random.nextBoolean();
      DaemonSet ds = ReconcileWorld.daemonSet(s -> {
        DaemonSetSpec chosen = ReconcilerRolloutTest.strategy(rolling).apply(selects
            ? ReconcilerTest.nodeSelector(s, DAEMON) : s);
        return new DaemonSetSpec(chosen.selector(), chosen.template(), chosen.updateStrategy(), minReady,
            chosen.revisionHistoryLimit(), chosen.templateGeneration(), chosen.progressDeadlineSeconds(),
            chosen.frozen());
      });
      state = DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(ds, ReconcileWorld.NODE));
      int size = 5 + random.nextInt(25);
      for (int i = 0; i < size; i++) {
        join();
      }
    }

    void run() {
      for (int round = 0; round < ROUNDS; round++) {
        if (round > 0) {
          changeFleet();
          if (random.nextInt(12) == 0) {
            newTemplate();
          }
        }
        round(facts());
        now = now.plus(Duration.ofMillis(500 + random.nextInt(3000)));
      }
    }

    private void round(List<DaemonSetEntity.Fact> facts) {
      Fleet fleet = new Fleet(nodes, true);
      FleetDelta delta = FleetDelta.UNKNOWN;
      if (reconciledFleet != null) {
        Set<String> changed = new HashSet<>(FleetChanges.namesChanged(reconciledFleet, nodes));
        if (dropOne && !changed.isEmpty()) {
          changed.remove(changed.iterator().next());
        }
        delta = new FleetDelta(reconciledFleet, changed);
      }
      ReconcileOutput carried = Reconciler.reconcile(new ReconcileInput(state, fleet, facts, Changes.NONE, backoffs,
          now, eligibilities, views, delta));
      ReconcileOutput full = Reconciler.reconcile(new ReconcileInput(state, fleet, facts, Changes.NONE, backoffs,
          now, Eligibilities.NONE, NodeViews.FULL));
      compare("events", carried.events(), full.events());
      compare("state", carried.state(), full.state());
      compare("backoffs", carried.backoffs(), full.backoffs());
      compare("requeue", carried.requeueAt(), full.requeueAt());
      compare("steps", stepsOf(carried), stepsOf(full));
      compare("outstanding", Outstanding.of(carried.state(), carried.views(), now).toString(),
          Outstanding.of(full.state(), full.views(), now).toString());
      if (carried.state().exists() && ReconcileStep.quietSkipped(carried.state(),
          ReconcileStep.currentHash(carried.state()), carried.views())) {
        quietRounds++;
      }
      // Carried on as the entity carries it, so that a wrong view would go on deciding.
      state = carried.state();
      backoffs = carried.backoffs();
      eligibilities = carried.eligibilities();
      views = carried.views();
      steps = carried.steps();
      reconciledFleet = nodes;
    }

    private void compare(String what, Object carried, Object full) {
      if (!carried.equals(full)) {
        differences.add(what + ": " + carried + "\nfull: " + full);
      }
    }

    private static List<String> stepsOf(ReconcileOutput out) {
      return out.steps().stream().map(s -> s.getClass().getSimpleName() + " " + s.binding()).toList();
    }

    /** One to three changes of the directory, at random nodes. */
    private void changeFleet() {
      int changes = random.nextInt(4);
      for (int i = 0; i < changes; i++) {
        List<String> names = new ArrayList<>(nodes.keySet());
        String name = names.isEmpty() ? null : names.get(random.nextInt(names.size()));
        switch (random.nextInt(6)) {
          case 0, 1 -> join();
          case 2 -> {
            if (name != null) {
              nodes = nodes.minus(name);
            }
          }
          case 3 -> {
            if (name != null) {
              Node n = nodes.get(name);
              nodes = nodes.plus(name, node(name, !DAEMON.equals(n.metadata().labelsOrEmpty()), ready(n)));
            }
          }
          case 4 -> {
            if (name != null) {
              Node n = nodes.get(name);
              nodes = nodes.plus(name, node(name, DAEMON.equals(n.metadata().labelsOrEmpty()), !ready(n)));
            }
          }
          default -> {
            if (name != null) { // an equal object: what a notification of an unchanged entry would bring
              Node n = nodes.get(name);
              nodes = nodes.plus(name, node(name, DAEMON.equals(n.metadata().labelsOrEmpty()), ready(n)));
            }
          }
        }
      }
    }

    private void join() {
      String name = String.format("node-%03d", nextNode++);
      nodes = nodes.plus(name, node(name, random.nextInt(4) != 0, random.nextInt(8) != 0));
    }

    private void newTemplate() {
      DaemonSet ds = state.daemonSet();
      long grace = ++template;
      DaemonSet next = ds.withSpec(ReconcileWorld.withPodSpec(ds.spec(), p -> p.withTerminationGracePeriodSeconds(grace)));
      state = state.apply(new DaemonSetEntity.DaemonSetUpdated(next, ReconcileWorld.NODE));
    }

    /** What the nodes answer to the last round's steps and report of their pods, a random part of it. */
    private List<DaemonSetEntity.Fact> facts() {
      List<DaemonSetEntity.Fact> out = new ArrayList<>();
      for (NodeStep step : steps) {
        if (random.nextInt(3) == 0) {
          continue; // not answered yet
        }
        PodBinding b = step.binding();
        if (step instanceof NodeStep.Admit) {
          out.add(new DaemonSetEntity.AdmitAnswered(b.podName(), b.nodeName(), random.nextInt(15) != 0, "admitted"));
        } else if (step instanceof NodeStep.Delete) {
          out.add(new DaemonSetEntity.DeleteAnswered(b.podName(), true, false));
        }
      }
      for (PodBinding b : state.bindings().values()) {
        if (b.phase() == PodBinding.Phase.BOUND && b.readySince() == null && random.nextInt(3) != 0) {
          String phase = random.nextInt(12) == 0 ? "Failed" : "Running";
          out.add(reported(b, phase, "Running".equals(phase)));
        } else if (b.phase() == PodBinding.Phase.BOUND && b.readySince() != null && random.nextInt(40) == 0) {
          out.add(reported(b, "Running", false));
        }
      }
      return out;
    }

    private DaemonSetEntity.Fact reported(PodBinding b, String phase, boolean ready) {
      Pod pod = new Pod("v1", Pod.KIND, ObjectMeta.named("default", b.podName()).withUid(b.podUid()), null,
          new PodStatus(phase, List.of(new PodCondition("Ready", ready ? "True" : "False", null, now, null, null)),
              null, null, null, null, null, null));
      return new DaemonSetEntity.PodChanged(b.nodeName(), b.podName(), pod, ReconcileWorld.NODE);
    }

    private static boolean ready(Node node) {
      return ReconcileStep.nodeReady(node);
    }

    private static Node node(String name, boolean selected, boolean ready) {
      Node plain = ReconcileWorld.node(name, selected ? DAEMON : Map.of("role", "other"));
      return new Node(plain.apiVersion(), plain.kind(), plain.metadata(), plain.spec(), new NodeStatus(Map.of(), null,
          List.of(new NodeCondition("Ready", ready ? "True" : "False", null, null, "Kubelet", "status")), null,
          null));
    }
  }
}
