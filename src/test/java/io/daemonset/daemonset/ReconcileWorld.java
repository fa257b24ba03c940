package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Taint;
import io.daemonset.node.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A DaemonSet, a fleet and a virtual clock for table tests of {@link Reconciler}: each {@link #round} is one
 * reconcile, its events applied as the entity would persist them; nodes answer by hand (facts).
 */
final class ReconcileWorld {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final String UID = "0f8fad5b-d9cb-469f-a165-70867728950e";
  /** Upstream simpleDaemonSetLabel. */
  static final Map<String, String> DS_LABEL = Map.of("name", "simple-daemon", "type", "production");
  /** Upstream simpleNodeLabel. */
  static final Map<String, String> NODE_LABEL = Map.of("color", "blue", "speed", "fast");
  static final Cause NODE = Cause.byUser(T0, "system:node", "node report");

  DaemonSetState state;
  Fleet fleet = Fleet.complete(Map.of());
  Backoffs backoffs = Backoffs.NONE;
  /** Carried between rounds as the entity carries it: every scenario here also checks the reuse of judgements. */
  Eligibilities eligibilities = Eligibilities.NONE;
  /** Carried as the entity carries it; every round is also decided from scratch and compared. */
  NodeViews views = NodeViews.NONE;
  /** The fleet's nodes the last round saw; each round is told what changed since, as the entity tells it. */
  Map<String, Node> reconciledFleet;
  Instant now = T0;
  int rounds;

  ReconcileWorld(UnaryOperator<DaemonSetSpec> spec) {
    this.state = DaemonSetState.EMPTY.apply(new DaemonSetEntity.DaemonSetCreated(daemonSet(spec), NODE));
  }

  ReconcileWorld() {
    this(s -> s);
  }

  /** Upstream newDaemonSet("foo"), defaulted and created as the entity creates it, with a fixed uid. */
  static DaemonSet daemonSet(UnaryOperator<DaemonSetSpec> change) {
    PodTemplateSpec template = new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(DS_LABEL),
        PodSpec.of(List.of(Container.of("foo", "foo/bar"))));
    DaemonSetSpec spec = change.apply(new DaemonSetSpec(LabelSelector.ofLabels(DS_LABEL), template, null, null,
        null, null));
    DaemonSet ds = DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", DaemonSet.KIND,
        ObjectMeta.named("default", "foo"), spec, null));
    DaemonSet created = DaemonSetObjects.forCreate(ds, T0);
    return created.withMetadata(created.metadata().withUid(UID));
  }

  static PodSpec podSpec(DaemonSetSpec spec) {
    return spec.template().spec();
  }

  static DaemonSetSpec withPodSpec(DaemonSetSpec spec, UnaryOperator<PodSpec> change) {
    return new DaemonSetSpec(spec.selector(), new PodTemplateSpec(spec.template().metadata(),
        change.apply(spec.template().spec())), spec.updateStrategy(), spec.minReadySeconds(),
        spec.revisionHistoryLimit(), spec.templateGeneration(), spec.progressDeadlineSeconds(), spec.frozen());
  }

  static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new Node("v1", Node.KIND, ObjectMeta.named(null, name).withLabels(labels),
        new NodeSpec(null, null, null, taints.length == 0 ? null : List.of(taints)), null);
  }

  /** Upstream addNodes(n, startIndex, numNodes, label): node-0 … node-(n-1). */
  static List<Node> nodes(int start, int count, Map<String, String> labels) {
    List<Node> out = new ArrayList<>();
    for (int i = start; i < start + count; i++) {
      out.add(node("node-" + i, labels));
    }
    return out;
  }

  ReconcileWorld withNodes(List<Node> nodes) {
    Map<String, Node> next = new TreeMap<>(fleet.nodes());
    nodes.forEach(n -> next.put(n.name(), n));
    fleet = new Fleet(next, fleet.complete());
    return this;
  }

  ReconcileWorld withNodes(Node... nodes) {
    return withNodes(Arrays.asList(nodes));
  }

  ReconcileWorld partial() {
    fleet = new Fleet(fleet.nodes(), false);
    return this;
  }

  ReconcileWorld complete() {
    fleet = Fleet.complete(fleet.nodes());
    return this;
  }

  ReconcileWorld later(Duration d) {
    now = now.plus(d);
    return this;
  }

  ReconcileOutput round(DaemonSetEntity.Fact... facts) {
    return round(Changes.RESYNC, facts);
  }

  ReconcileOutput round(Changes changes, DaemonSetEntity.Fact... facts) {
    FleetDelta delta = reconciledFleet == null ? FleetDelta.UNKNOWN
        : new FleetDelta(reconciledFleet, FleetChanges.namesChanged(reconciledFleet, fleet.nodes()));
    ReconcileOutput out = Reconciler.reconcile(new ReconcileInput(state, fleet, List.of(facts), changes, backoffs, now,
        eligibilities, views, delta));
    reconciledFleet = fleet.nodes();
    // What is carried from round to round only saves work: a reconcile from scratch decides exactly the same.
    ReconcileOutput fresh = Reconciler.reconcile(new ReconcileInput(state, fleet, List.of(facts), changes, backoffs,
        now, Eligibilities.NONE, NodeViews.FULL));
    if (!out.events().equals(fresh.events()) || !out.state().equals(fresh.state())
        || !out.backoffs().equals(fresh.backoffs()) || !out.requeueAt().equals(fresh.requeueAt())
        || !stepsOf(out).equals(stepsOf(fresh))) {
      throw new AssertionError("the carried judgements and node views changed the decision:\n" + out.events()
          + "\nfrom scratch:\n" + fresh.events());
    }
    for (DaemonSetEntity.Event e : out.events()) {
      state = state.apply(e);
    }
    if (!state.equals(out.state())) {
      throw new AssertionError("the output's state is not its events applied");
    }
    // As the entity does while nothing else was persisted: the next round starts from the output's own objects, so
    // that the node views compare only the bindings the events name (rounds after extraPod() and the like walk all).
    state = out.state();
    backoffs = out.backoffs();
    eligibilities = out.eligibilities();
    views = out.views();
    rounds++;
    return out;
  }

  private static List<String> stepsOf(ReconcileOutput out) {
    return out.steps().stream().map(s -> s.getClass().getSimpleName() + " " + s.binding()).toList();
  }

  /** Every Admit step answered yes by its node. */
  static DaemonSetEntity.Fact[] admitAll(ReconcileOutput out) {
    return out.steps().stream().filter(s -> s instanceof NodeStep.Admit)
        .map(s -> new DaemonSetEntity.AdmitAnswered(s.binding().podName(), s.binding().nodeName(), true, "admitted"))
        .toArray(DaemonSetEntity.Fact[]::new);
  }

  /** Every Delete step answered: the pod is gone. */
  static DaemonSetEntity.Fact[] deleteAll(ReconcileOutput out) {
    return out.steps().stream().filter(s -> s instanceof NodeStep.Delete)
        .map(s -> new DaemonSetEntity.DeleteAnswered(s.binding().podName(), true, false))
        .toArray(DaemonSetEntity.Fact[]::new);
  }

  /** The node reports the pod in a phase, Ready or not since {@link #now}. */
  DaemonSetEntity.Fact reported(String podName, String phase, boolean ready) {
    PodBinding b = state.bindings().get(podName);
    Pod pod = new Pod("v1", Pod.KIND, ObjectMeta.named("default", podName).withUid(b.podUid()), null,
        new PodStatus(phase, List.of(new PodCondition("Ready", ready ? "True" : "False", null, now, null, null)),
            null, null, null, null, null, null));
    return new DaemonSetEntity.PodChanged(b.nodeName(), podName, pod, NODE);
  }

  /** Every own pod reported Running and Ready. */
  DaemonSetEntity.Fact[] allRunningReady() {
    return state.ownBindings().stream().map(b -> reported(b.podName(), "Running", true))
        .toArray(DaemonSetEntity.Fact[]::new);
  }

  /** Creates, admits and reports Ready one pod per eligible node: the usual starting point. */
  ReconcileWorld converged() {
    ReconcileOutput out = round();
    round(admitAll(out));
    round(allRunningReady());
    return this;
  }

  /** Places an extra pod on a node directly (as a crash or an old controller could have left one). */
  ReconcileWorld extraPod(String nodeName, boolean ready) {
    long ordinal = state.podOrdinals();
    String name = PodNames.podName("foo", ordinal);
    String hash = ReconcileStep.currentHash(state.daemonSet());
    state = state.apply(new DaemonSetEntity.PodsScheduled(List.of(new DaemonSetEntity.ScheduledPod(name,
        PodNames.podUid(UID, ordinal), nodeName, hash, "test")), NODE.because("extra pod")));
    state = state.apply(new DaemonSetEntity.PodBound(name, NODE));
    if (ready) {
      state = state.apply(new DaemonSetEntity.PodObserved(name, "Running", now, false, NODE));
    }
    return this;
  }

  PodBinding podOn(String nodeName) {
    return state.ownBindings().stream().filter(b -> b.nodeName().equals(nodeName)).findFirst().orElseThrow();
  }

  static List<DaemonSetEntity.ScheduledPod> scheduled(ReconcileOutput out) {
    return out.events().stream().filter(e -> e instanceof DaemonSetEntity.PodsScheduled)
        .flatMap(e -> ((DaemonSetEntity.PodsScheduled) e).pods().stream()).toList();
  }

  static List<DaemonSetEntity.PodDeletion> deleted(ReconcileOutput out) {
    return out.events().stream().filter(e -> e instanceof DaemonSetEntity.PodsDeletionRequested)
        .flatMap(e -> ((DaemonSetEntity.PodsDeletionRequested) e).pods().stream()).toList();
  }

  static List<String> nodesOf(List<DaemonSetEntity.ScheduledPod> pods) {
    return pods.stream().map(DaemonSetEntity.ScheduledPod::nodeName).toList();
  }

  static <T extends DaemonSetEntity.Event> List<T> eventsOf(ReconcileOutput out, Class<T> type) {
    return out.events().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
