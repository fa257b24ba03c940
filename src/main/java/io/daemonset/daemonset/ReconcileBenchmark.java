package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.node.Fleet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The pure reconcile alone, on a synthetic converge of N nodes: no actors, no journal, so its cost per round is
 * measured apart from everything a {@code bench converge} also times. Rounds as the entity runs them: the first
 * schedules a burst, later ones carry up to {@code factsPerRound} node answers (admissions, then Ready reports),
 * then idle rounds (nothing changed) and rounds in which one node joins. Figures are the thread's CPU time, which
 * other processes on a shared machine disturb less than wall time. Prints figures; asserts nothing.
 */
public final class ReconcileBenchmark {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Cause NODE = Cause.byUser(T0, "system:node", "node report");

  private final int nodes;
  private final int factsPerRound;
  private final PrintStream out;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  public ReconcileBenchmark(int nodes, int factsPerRound, PrintStream out) {
    this.nodes = nodes;
    this.factsPerRound = factsPerRound;
    this.out = out;
  }

  /** Repeats the scenario {@code repeats} times (the first ones warm the JIT up) and prints each. */
  public void run(int repeats) {
    for (int i = 1; i <= repeats; i++) {
      out.printf("run %d of %d: %s%n", i, repeats, once());
    }
  }

  private String once() {
    Scenario s = new Scenario();
    Cost converge = new Cost();
    ReconcileOutput round = s.round(Changes.RESYNC, List.of(), converge);
    int guard = 0;
    while (s.readyPods() < nodes && guard++ < 1000) {
      round = s.round(Changes.NONE, s.answers(round), converge);
    }
    Cost idle = new Cost();
    for (int i = 0; i < 20; i++) {
      s.round(Changes.NONE, List.of(), idle);
    }
    Cost resync = new Cost();
    for (int i = 0; i < 5; i++) {
      s.round(Changes.RESYNC, List.of(), resync);
    }
    Cost join = new Cost();
    for (int i = 0; i < 20; i++) {
      String name = "joiner-" + i;
      s.fleetWith(node(name));
      ReconcileOutput scheduled = s.round(new Changes(false, false, Set.of(name), Set.of(), "node " + name + " added"),
          List.of(), join);
      s.round(Changes.NONE, s.answers(scheduled), join);
    }
    return String.format("%d nodes, converge %s (%d facts); idle %s; resync %s; join %s",
        nodes, converge, s.facts, idle, resync, join);
  }

  /** CPU and wall time of a number of reconciles. */
  private static final class Cost {
    int rounds;
    long cpuNanos;
    long wallNanos;

    @Override
    public String toString() {
      return String.format("%d rounds %.2f ms CPU each (%.2f wall)", rounds, cpuNanos / 1e6 / Math.max(rounds, 1),
          wallNanos / 1e6 / Math.max(rounds, 1));
    }
  }

  /** The entity's part: the state, the fleet, the carried judgements, a clock that moves 100 ms a round. */
  private final class Scenario {
    DaemonSetState state = DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(daemonSet(), NODE));
    Fleet fleet;
    Backoffs backoffs = Backoffs.NONE;
    Eligibilities eligibilities = Eligibilities.NONE;
    NodeViews views = NodeViews.NONE;
    /** The fleet's nodes the last round saw: a round's changes are counted from it, as the entity counts them. */
    Map<String, Node> reconciledFleet;
    Instant now = T0;
    int facts;

    Scenario() {
      PSortedMap<String, Node> all = TreePMap.empty();
      for (int i = 0; i < nodes; i++) {
        Node n = node(String.format("node-%05d", i));
        all = all.plus(n.name(), n);
      }
      fleet = new Fleet(all, true);
    }

    void fleetWith(Node node) {
      fleet = new Fleet(((PSortedMap<String, Node>) fleet.nodes()).plus(node.name(), node), true, Map.of(), Map.of(),
          Set.of(node.name()));
    }

    ReconcileOutput round(Changes changes, List<DaemonSetEntity.Fact> answers, Cost cost) {
      now = now.plus(Duration.ofMillis(100));
      facts += answers.size();
      FleetDelta delta = reconciledFleet == null || changes.resync() ? FleetDelta.UNKNOWN
          : new FleetDelta(reconciledFleet, changes.nodesChanged());
      ReconcileInput in = new ReconcileInput(state, fleet, answers, changes, backoffs, now, eligibilities, views,
          delta);
      reconciledFleet = fleet.nodes();
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      ReconcileOutput result = Reconciler.reconcile(in);
      cost.cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
      cost.wallNanos += System.nanoTime() - wall;
      cost.rounds++;
      state = result.state();
      backoffs = result.backoffs();
      eligibilities = result.eligibilities();
      views = result.views();
      return result;
    }

    /** What the nodes answer: every admission admitted, every admitted pod Ready, at most factsPerRound. */
    List<DaemonSetEntity.Fact> answers(ReconcileOutput last) {
      List<DaemonSetEntity.Fact> out = new ArrayList<>();
      for (PodBinding b : state.bindings().values()) {
        if (out.size() >= factsPerRound) {
          break;
        }
        if (b.phase() == PodBinding.Phase.SCHEDULED) {
          out.add(new DaemonSetEntity.AdmitAnswered(b.podName(), b.nodeName(), true, "admitted"));
        } else if (b.phase() == PodBinding.Phase.BOUND && b.readySince() == null) {
          out.add(new DaemonSetEntity.PodChanged(b.nodeName(), b.podName(), readyPod(b), NODE));
        }
      }
      return out;
    }

    long readyPods() {
      return state.bindings().values().stream().filter(b -> b.readySince() != null).count();
    }

    private Pod readyPod(PodBinding b) {
      return new Pod("v1", Pod.KIND, ObjectMeta.named("default", b.podName()).withUid(b.podUid()), null,
          new PodStatus("Running", List.of(new PodCondition("Ready", "True", null, now, null, null)),
              null, null, null, null, null, null));
    }
  }

  private static Node node(String name) {
    return new Node("v1", Node.KIND, ObjectMeta.named(null, name).withLabels(Map.of("zone", "a")),
        new NodeSpec(null, null, null, null), new NodeStatus(Map.of(), null,
            List.of(new NodeCondition("Ready", "True", T0, T0, "AgentReady", "bench")), null, null));
  }

  private static DaemonSet daemonSet() {
    Map<String, String> labels = Map.of("app", "bench");
    DaemonSet ds = DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", DaemonSet.KIND,
        ObjectMeta.named("default", "bench"), new DaemonSetSpec(LabelSelector.ofLabels(labels),
            new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(labels),
                PodSpec.of(List.of(Container.of("agent", "agent:1")))), null, null, null, null), null));
    DaemonSet created = DaemonSetObjects.forCreate(ds, T0);
    return created.withMetadata(created.metadata().withUid("0f8fad5b-d9cb-469f-a165-70867728950e"));
  }
}
