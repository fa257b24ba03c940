package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.NODE_LABEL;
import static io.daemonset.daemonset.ReconcileWorld.deleted;
import static io.daemonset.daemonset.ReconcileWorld.eventsOf;
import static io.daemonset.daemonset.ReconcileWorld.node;
import static io.daemonset.daemonset.ReconcileWorld.nodes;
import static io.daemonset.daemonset.ReconcileWorld.scheduled;
import static io.daemonset.daemonset.ReconcileWorld.withPodSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.CanaryStrategy;
import io.daemonset.model.Condition;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.RolloutStatus;
import io.daemonset.rollout.RolloutProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The rollout controls upstream lacks, through {@link Reconciler#reconcile} (issue 11): partition, paused, frozen,
 * the rollingUpdate selector, a canary with soak, and failure detection with failurePolicy Continue, Pause and
 * Rollback. Each test converges a DaemonSet on revision A, applies revision B with a control, and drives the nodes by
 * hand ({@link #settle}: admissions and deletions answered, new pods reported Ready or crash-looping).
 */
class ReconcilerRolloutTest {

  static RollingUpdateDaemonSet budget(int maxUnavailable) {
    return new RollingUpdateDaemonSet(IntOrString.of(maxUnavailable), IntOrString.of(0));
  }

  static UnaryOperator<DaemonSetSpec> strategy(RollingUpdateDaemonSet rolling) {
    return s -> new DaemonSetSpec(s.selector(), s.template(),
        new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE, rolling), s.minReadySeconds(),
        s.revisionHistoryLimit(), s.templateGeneration(), s.progressDeadlineSeconds(), s.frozen());
  }

  /** The user applies a new template (revision B) and, with it, these controls. */
  static void applyRevisionB(ReconcileWorld w, RollingUpdateDaemonSet rolling) {
    apply(w, s -> strategy(rolling).apply(withPodSpec(s, p -> p.withTerminationGracePeriodSeconds(7L))));
  }

  static void apply(ReconcileWorld w, UnaryOperator<DaemonSetSpec> change) {
    DaemonSet ds = w.state.daemonSet();
    DaemonSet next = ds.withSpec(change.apply(ds.spec()));
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(next, ReconcileWorld.NODE));
  }

  static String hash(ReconcileWorld w) {
    return ReconcileStep.currentHash(w.state.daemonSet());
  }

  /** Which revision each node runs (its pods not being deleted). */
  static Map<String, String> revisions(ReconcileWorld w) {
    Map<String, String> out = new java.util.TreeMap<>();
    w.state.ownBindings().stream().filter(b -> !b.isBeingDeleted()).forEach(b -> out.put(b.nodeName(),
        b.revisionHash()));
    return out;
  }

  /** A pod report as kubelet makes it for a container in CrashLoopBackOff. */
  static DaemonSetEntity.Fact crashLooping(ReconcileWorld w, String podName) {
    PodBinding b = w.state.bindings().get(podName);
    ContainerStatus c = new ContainerStatus("foo", new ContainerState(new ContainerState.Waiting("CrashLoopBackOff",
        "back-off restarting failed container"), null, null), null, false, 3, "foo/bar", null, null, false);
    Pod pod = new Pod("v1", Pod.KIND, ObjectMeta.named("default", podName).withUid(b.podUid()), null,
        new PodStatus("Running", List.of(new PodCondition("Ready", "False", null, w.now, null, null)), null, null,
            null, null, null, List.of(c)));
    return new DaemonSetEntity.PodChanged(b.nodeName(), podName, pod, ReconcileWorld.NODE);
  }

  /**
   * Rounds until nothing more happens: every admission and deletion answered at once, every new pod reported
   * Ready, or crash-looping when {@code crashes} says so. Returns every round's output.
   */
  static List<ReconcileOutput> settle(ReconcileWorld w, Predicate<PodBinding> crashes) {
    List<ReconcileOutput> outs = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      ReconcileOutput out = w.round();
      outs.add(out);
      List<DaemonSetEntity.Fact> facts = new ArrayList<>(List.of(ReconcileWorld.admitAll(out)));
      facts.addAll(List.of(ReconcileWorld.deleteAll(out)));
      if (!facts.isEmpty()) {
        outs.add(w.round(facts.toArray(DaemonSetEntity.Fact[]::new)));
      }
      List<DaemonSetEntity.Fact> reports = new ArrayList<>();
      for (PodBinding b : w.state.ownBindings()) {
        if (b.phase() == PodBinding.Phase.BOUND && reported.add(b.podName())) {
          reports.add(crashes.test(b) ? crashLooping(w, b.podName()) : w.reported(b.podName(), "Running", true));
        }
      }
      if (!reports.isEmpty()) {
        outs.add(w.round(reports.toArray(DaemonSetEntity.Fact[]::new)));
      }
      if (facts.isEmpty() && reports.isEmpty()) {
        return outs;
      }
    }
    throw new AssertionError("did not settle in 60 rounds");
  }

  static List<ReconcileOutput> settle(ReconcileWorld w) {
    return settle(w, b -> false);
  }

  static ReconcileWorld converged(int nodes, RollingUpdateDaemonSet rolling) {
    ReconcileWorld w = new ReconcileWorld(strategy(rolling)).withNodes(nodes(0, nodes, null));
    settle(w);
    return w;
  }

  static long deletions(List<ReconcileOutput> outs) {
    return outs.stream().mapToLong(o -> deleted(o).size()).sum();
  }

  static <T extends DaemonSetEntity.Event> List<T> all(List<ReconcileOutput> outs, Class<T> type) {
    return outs.stream().flatMap(o -> eventsOf(o, type).stream()).toList();
  }

  @Test
  void withoutControlsTheStatusIsUpstreams() {
    ReconcileWorld w = converged(3, budget(1));
    assertThat(w.state.status().rollout()).isNull();
    assertThat(w.state.status().conditions()).isNull();
  }

  @Test
  void partitionSevenOfTenLeavesSevenOnTheOldRevision() {
    ReconcileWorld w = converged(10, budget(2));
    String a = hash(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0), 7, null, null, null, null,
        null));
    String b = hash(w);
    settle(w);
    assertThat(revisions(w).values()).filteredOn(a::equals).hasSize(7);
    assertThat(revisions(w).values()).filteredOn(b::equals).hasSize(3);
    assertThat(w.state.status().updatedNumberScheduled()).isEqualTo(3);
    assertThat(w.state.status().rollout().phase()).isEqualTo(RolloutStatus.COMPLETE);
    // A node that joins during a partitioned rollout gets the new revision (OpenKruise's default).
    w.withNodes(node("node-10", null));
    settle(w);
    assertThat(revisions(w)).containsEntry("node-10", b);

    // Lowering the partition continues the rollout.
    apply(w, strategy(new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0), 0, null, null, null, null,
        null)));
    settle(w);
    assertThat(revisions(w).values()).containsOnly(b);
    assertThat(w.state.status().rollout().lastGoodRevision()).isEqualTo(b);
  }

  @Test
  void pausedReplacesNothingButJoiningNodesGetAPod() {
    ReconcileWorld w = converged(4, budget(1));
    String a = hash(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, true, null, null, null,
        null));
    String b = hash(w);
    w.withNodes(node("node-9", null));
    List<ReconcileOutput> outs = settle(w);
    assertThat(deletions(outs)).isZero();
    assertThat(revisions(w)).containsEntry("node-9", b).containsEntry("node-0", a).containsEntry("node-3", a);
    assertThat(w.state.status().rollout().phase()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(RolloutMemory.condition(w.state.status(), "Progressing").reason()).isEqualTo("DaemonSetPaused");

    apply(w, strategy(budget(1)));
    settle(w);
    assertThat(revisions(w).values()).containsOnly(b);
  }

  @Test
  void frozenCreatesAndDeletesNothing() {
    ReconcileWorld w = converged(3, budget(1));
    apply(w, s -> new DaemonSetSpec(s.selector(), s.template(), s.updateStrategy(), s.minReadySeconds(),
        s.revisionHistoryLimit(), s.templateGeneration(), null, true));
    applyRevisionB(w, budget(1));
    w.withNodes(node("node-9", null));
    List<ReconcileOutput> outs = settle(w);
    assertThat(outs.stream().mapToLong(o -> scheduled(o).size() + deleted(o).size()).sum()).isZero();
    assertThat(revisions(w)).doesNotContainKey("node-9");
    assertThat(w.state.status().rollout().phase()).isEqualTo(RolloutStatus.FROZEN);
  }

  @Test
  void selectorScopedUpdateTouchesOnlyMatchingNodes() {
    ReconcileWorld w = new ReconcileWorld(strategy(budget(1)))
        .withNodes(nodes(0, 3, NODE_LABEL)).withNodes(nodes(3, 3, Map.of("color", "red")));
    settle(w);
    String a = hash(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null,
        LabelSelector.ofLabels(Map.of("color", "blue")), null, null, null));
    String b = hash(w);
    settle(w);
    assertThat(revisions(w)).containsEntry("node-0", b).containsEntry("node-1", b).containsEntry("node-2", b)
        .containsEntry("node-3", a).containsEntry("node-4", a).containsEntry("node-5", a);
    // Clearing the selector continues the rollout everywhere.
    apply(w, strategy(budget(1)));
    settle(w);
    assertThat(revisions(w).values()).containsOnly(b);
  }

  @Test
  void canaryHoldsUntilItsSoakPassesAndJoiningNodesGetTheStableRevision() {
    ReconcileWorld w = converged(6, budget(1));
    String a = hash(w);
    CanaryStrategy canary = new CanaryStrategy(IntOrString.of(2), null, 60, null, null);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, canary,
        null, null));
    String b = hash(w);
    settle(w);
    assertThat(revisions(w).values()).filteredOn(b::equals).hasSize(2);
    assertThat(w.state.status().rollout().phase()).isEqualTo(RolloutStatus.CANARY);
    assertThat(w.state.status().rollout().canary().nodes()).hasSize(2);
    w.withNodes(node("node-9", null));
    settle(w);
    assertThat(revisions(w)).containsEntry("node-9", a);

    w.later(Duration.ofSeconds(61));
    List<ReconcileOutput> outs = settle(w);
    assertThat(all(outs, DaemonSetEntity.CanaryPassed.class)).singleElement()
        .extracting(DaemonSetEntity.CanaryPassed::revision).isEqualTo(b);
    assertThat(revisions(w).values()).containsOnly(b);
    assertThat(w.state.status().rollout().lastGoodRevision()).isEqualTo(b);
  }

  /**
   * Issue 10 item 4: the pod-template-generation label comes from the template the pod is made of (upstream labels its
   * pods with the generation of the template it creates them from): a node joining during a canary gets the stable
   * revision, labelled with that revision's generation (recorded on its ControllerRevision), not the DaemonSet's.
   */
  @Test
  void aPodOfAnOlderRevisionCarriesThatRevisionsTemplateGeneration() {
    ReconcileWorld w = converged(6, budget(1));
    String a = hash(w);
    CanaryStrategy canary = new CanaryStrategy(IntOrString.of(2), null, 60, null, null);
    DaemonSet ds = w.state.daemonSet();
    // written as the API writes an update: the template changed, so its generation annotation goes to 2
    DaemonSet next = DaemonSetObjects.forUpdate(ds, ds.withSpec(strategy(new RollingUpdateDaemonSet(IntOrString.of(1),
        IntOrString.of(0), null, null, null, canary, null, null))
        .apply(withPodSpec(ds.spec(), p -> p.withTerminationGracePeriodSeconds(7L)))));
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(next, ReconcileWorld.NODE));
    assertThat(DaemonSetObjects.templateGeneration(w.state.daemonSet())).isEqualTo(2);
    String b = hash(w);
    List<ReconcileOutput> canaryOuts = settle(w);
    assertThat(canaryOuts.stream().flatMap(o -> o.steps().stream()).filter(st -> st instanceof NodeStep.Admit)
        .map(st -> (NodeStep.Admit) st)).isNotEmpty().allSatisfy(admit -> {
          assertThat(admit.binding().revisionHash()).isEqualTo(b);
          assertThat(admit.pod().metadata().labels()).containsEntry(DaemonPods.TEMPLATE_GENERATION_LABEL, "2");
        });

    w.withNodes(node("node-9", null));
    List<NodeStep.Admit> joined = w.round().steps().stream().filter(st -> st instanceof NodeStep.Admit)
        .map(st -> (NodeStep.Admit) st).toList();
    assertThat(joined).singleElement().satisfies(admit -> {
      assertThat(admit.binding().nodeName()).isEqualTo("node-9");
      assertThat(admit.binding().revisionHash()).isEqualTo(a);
      assertThat(admit.pod().metadata().labels()).containsEntry(DaemonPods.REVISION_HASH_LABEL, a)
          .containsEntry(DaemonPods.TEMPLATE_GENERATION_LABEL, "1");
    });
  }

  @Test
  void canaryRequeuesAtTheEndOfItsSoak() {
    ReconcileWorld w = converged(3, budget(1));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null,
        new CanaryStrategy(IntOrString.of(1), null, 30, null, null), null, null));
    settle(w);
    ReconcileOutput out = w.round();
    assertThat(out.requeueAt()).isPresent();
    assertThat(out.requeueAt().get()).isAfter(w.now).isBeforeOrEqualTo(w.now.plusSeconds(30));
  }

  @Test
  void manualCanaryWaitsForThePromoteOfItsRevision() {
    ReconcileWorld w = converged(4, budget(1));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null,
        new CanaryStrategy(IntOrString.of(1), null, 0, true, null), null, null));
    String b = hash(w);
    w.later(Duration.ofMinutes(5));
    settle(w);
    assertThat(revisions(w).values()).filteredOn(b::equals).hasSize(1);
    // The promote names the revision; patching it does not change the template, so the revision stays b.
    apply(w, strategy(new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null,
        new CanaryStrategy(IntOrString.of(1), null, 0, true, b), null, null)));
    assertThat(hash(w)).isEqualTo(b);
    settle(w);
    assertThat(revisions(w).values()).containsOnly(b);
  }

  @Test
  void crashLoopWithPausePolicyStopsWithinMaxUnavailable() {
    ReconcileWorld w = converged(10, budget(2));
    String a = hash(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.PAUSE, 2));
    String b = hash(w);
    List<ReconcileOutput> outs = settle(w, p -> p.revisionHash().equals(b));
    assertThat(deletions(outs)).isEqualTo(2);
    assertThat(revisions(w).values()).filteredOn(a::equals).hasSize(8);
    List<DaemonSetEntity.RolloutFailed> failed = all(outs, DaemonSetEntity.RolloutFailed.class);
    assertThat(failed).singleElement().satisfies(f -> {
      assertThat(f.revision()).isEqualTo(b);
      assertThat(f.reason()).isEqualTo(RolloutProgress.CRASH_LOOPING);
      assertThat(f.failing()).hasSize(2).allMatch(s -> s.startsWith("node-"));
      assertThat(f.message()).endsWith("unavailable: 0 rollout, 2 crash-looping, 0 node NotReady or unreachable, "
          + "0 no room");
    });
    RolloutStatus r = w.state.status().rollout();
    assertThat(r.phase()).isEqualTo(RolloutStatus.FAILED);
    assertThat(r.failedRevision()).isEqualTo(b);
    assertThat(r.lastGoodRevision()).isEqualTo(a);
    assertThat(r.unavailable().crashLooping()).isEqualTo(2);
    Condition progressing = RolloutMemory.condition(w.state.status(), "Progressing");
    assertThat(progressing.status()).isEqualTo("False");
    assertThat(progressing.reason()).isEqualTo(RolloutProgress.CRASH_LOOPING);
    // Later rounds keep it there.
    w.later(Duration.ofMinutes(10));
    assertThat(deletions(settle(w, p -> p.revisionHash().equals(b)))).isZero();
  }

  @Test
  void crashLoopWithRollbackPolicyReturnsToTheLastGoodRevisionWithoutTouchingTheTemplate() {
    ReconcileWorld w = converged(6, budget(1));
    String a = hash(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.ROLLBACK, 1));
    String b = hash(w);
    var template = w.state.daemonSet().spec().template();
    settle(w, p -> p.revisionHash().equals(b));
    assertThat(revisions(w).values()).containsOnly(a);
    assertThat(w.state.daemonSet().spec().template()).isEqualTo(template);
    RolloutStatus r = w.state.status().rollout();
    assertThat(r.runningRevision()).isEqualTo(a);
    assertThat(r.failedRevision()).isEqualTo(b);
    assertThat(r.updateRevision()).isEqualTo(b);
    assertThat(r.message()).startsWith("rolled back to revision " + a);

    // Re-applying the same failed template changes nothing.
    apply(w, s -> s);
    List<ReconcileOutput> again = settle(w);
    assertThat(again.stream().mapToLong(o -> scheduled(o).size() + deleted(o).size()).sum()).isZero();

    // A new template starts a new rollout.
    apply(w, s -> withPodSpec(s, p -> p.withTerminationGracePeriodSeconds(9L)));
    String c = hash(w);
    settle(w);
    assertThat(revisions(w).values()).containsOnly(c);
    assertThat(w.state.status().rollout().lastGoodRevision()).isEqualTo(c);
  }

  @Test
  void crashLoopingPodsOnNotReadyNodesDoNotFailTheRollout() {
    ReconcileWorld w = converged(4, budget(1));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.PAUSE, 1));
    String b = hash(w);
    Node down = node("node-0", null).withStatus(new NodeStatus(null, null,
        List.of(new NodeCondition("Ready", "Unknown", null, null, "NodeStatusUnknown", null)), null, null));
    w.withNodes(down);
    List<ReconcileOutput> outs = settle(w, p -> p.revisionHash().equals(b) && p.nodeName().equals("node-0"));
    assertThat(all(outs, DaemonSetEntity.RolloutFailed.class)).isEmpty();
    assertThat(w.state.status().rollout().unavailable().nodeNotReady()).isEqualTo(1);
  }

  @Test
  void progressDeadlineFailsARolloutThatStopsMakingProgress() {
    ReconcileWorld w = converged(3, budget(1));
    apply(w, s -> new DaemonSetSpec(s.selector(), s.template(), s.updateStrategy(), s.minReadySeconds(),
        s.revisionHistoryLimit(), s.templateGeneration(), 60, null));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.PAUSE, null));
    // The new pod never becomes ready, and never crash-loops either: only the deadline can tell.
    ReconcileOutput out = w.round();
    w.round(ReconcileWorld.deleteAll(out));
    out = w.round();
    w.round(ReconcileWorld.admitAll(out));
    assertThat(w.state.status().rollout().phase()).isEqualTo(RolloutStatus.PROGRESSING);
    ReconcileOutput waiting = w.round();
    assertThat(waiting.requeueAt()).isPresent();
    w.now = waiting.requeueAt().get();
    ReconcileOutput failed = w.round();
    assertThat(eventsOf(failed, DaemonSetEntity.RolloutFailed.class)).singleElement()
        .extracting(DaemonSetEntity.RolloutFailed::reason).isEqualTo(RolloutProgress.DEADLINE_EXCEEDED);
    assertThat(RolloutMemory.condition(w.state.status(), "Progressing").reason())
        .isEqualTo("ProgressDeadlineExceeded");
    assertThat(deleted(w.round())).isEmpty();
  }

  @Test
  void thePlanOfAChangeIsWhatTheReconcileThenDoes() {
    ReconcileWorld w = converged(7, budget(2));
    DaemonSet current = w.state.daemonSet();
    RollingUpdateDaemonSet rolling = new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0), 1, null, null,
        null, null, null);
    DaemonSet proposed = current.withSpec(strategy(rolling).apply(withPodSpec(current.spec(),
        p -> p.withTerminationGracePeriodSeconds(7L))));
    RolloutPreview.Preview plan = RolloutPreview.of(w.state, proposed, w.fleet, w.now);
    assertThat(plan.finished()).isTrue();
    assertThat(plan.held()).startsWith("partition 1");
    assertThat(plan.changes()).hasSize(6).allMatch(c -> c.action().equals("Replace"));
    // planning changed nothing
    assertThat(w.state.daemonSet()).isEqualTo(current);

    applyRevisionB(w, rolling);
    List<ReconcileOutput> outs = settle(w);
    Set<String> replaced = new java.util.TreeSet<>();
    outs.forEach(o -> deleted(o).forEach(d -> replaced.add(d.nodeName())));
    assertThat(replaced).containsExactlyElementsOf(plan.changes().stream().map(RolloutPreview.NodeChange::node)
        .toList());
    long writes = outs.stream().mapToLong(o -> (scheduled(o).isEmpty() ? 0 : 1) + (deleted(o).isEmpty() ? 0 : 1))
        .sum();
    long planned = plan.steps().stream().mapToLong(st -> (st.create().isEmpty() ? 0 : 1)
        + (st.delete().isEmpty() ? 0 : 1)).sum();
    assertThat(writes).isEqualTo(planned);
    assertThat(planned).isEqualTo(6); // three waves of two: delete, then create
  }

  @Test
  void continuePolicyMarksTheRevisionFailedAndGoesOnAsUpstream() {
    ReconcileWorld w = converged(4, budget(1));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.CONTINUE, 1));
    String b = hash(w);
    List<ReconcileOutput> outs = settle(w, p -> p.revisionHash().equals(b));
    assertThat(all(outs, DaemonSetEntity.RolloutFailed.class)).singleElement()
        .extracting(DaemonSetEntity.RolloutFailed::policy).isEqualTo(RollingUpdateDaemonSet.CONTINUE);
    RolloutStatus r = w.state.status().rollout();
    assertThat(r.runningRevision()).isEqualTo(b);
    assertThat(r.message()).startsWith("continuing; ");
    // upstream's own stall: the crash-looping pod spends the budget (maxUnavailable 1)
    assertThat(revisions(w).values()).filteredOn(b::equals).hasSize(1);

    // the node recovers: the pod becomes ready, the rollout goes on, and success clears the failure
    PodBinding crashing = w.state.ownBindings().stream().filter(p -> p.revisionHash().equals(b)).findFirst()
        .orElseThrow();
    w.round(w.reported(crashing.podName(), "Running", true));
    settle(w);
    assertThat(revisions(w).values()).containsOnly(b);
    r = w.state.status().rollout();
    assertThat(r.lastGoodRevision()).isEqualTo(b);
    assertThat(r.failedRevision()).isNull();
    assertThat(r.phase()).isEqualTo(RolloutStatus.COMPLETE);
    assertThat(RolloutMemory.condition(w.state.status(), "Progressing").reason())
        .isEqualTo(RolloutConditions.NEW_REVISION_AVAILABLE);
  }

  @Test
  void nothingFleetWideIsDecidedOnAnIncompleteFleet() {
    ReconcileWorld w = converged(4, budget(1));
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.PAUSE, 1));
    String b = hash(w);
    settle(w, p -> p.revisionHash().equals(b)); // fails and pauses
    assertThat(w.state.status().rollout().failedRevision()).isEqualTo(b);
    w.partial();
    w.later(Duration.ofMinutes(1));
    ReconcileOutput out = w.round();
    assertThat(eventsOf(out, DaemonSetEntity.RevisionAvailable.class)).isEmpty();
    assertThat(deleted(out)).isEmpty();
  }

  @Test
  void aCanaryBySelectorRunsOnlyOnMatchingNodes() {
    ReconcileWorld w = new ReconcileWorld(strategy(budget(2)))
        .withNodes(nodes(0, 2, Map.of("zone", "a"))).withNodes(nodes(2, 4, Map.of("zone", "b")));
    settle(w);
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0), null, null, null,
        new CanaryStrategy(null, LabelSelector.ofLabels(Map.of("zone", "a")), 30, null, null), null, null));
    String b = hash(w);
    settle(w);
    assertThat(revisions(w)).containsEntry("node-0", b).containsEntry("node-1", b);
    assertThat(revisions(w).values()).filteredOn(b::equals).hasSize(2);
    assertThat(w.state.status().rollout().canary().nodes()).containsExactly("node-0", "node-1");
  }

  @Test
  void theRolloutMemoryIsItsEventsReplayedAfterAJsonRoundTrip() {
    ReconcileWorld w = converged(4, budget(1));
    DaemonSetState before = w.state;
    applyRevisionB(w, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0), null, null, null, null,
        RollingUpdateDaemonSet.ROLLBACK, 1));
    DaemonSetEntity.Event update = new DaemonSetEntity.DaemonSetUpdated(w.state.daemonSet(), ReconcileWorld.NODE);
    String b = hash(w);
    List<DaemonSetEntity.Event> journal = new ArrayList<>(List.of(update));
    settle(w, p -> p.revisionHash().equals(b)).forEach(o -> journal.addAll(o.events()));
    assertThat(journal).anyMatch(e -> e instanceof DaemonSetEntity.RolloutFailed);

    // what recovery does: the journal (as JSON, as the serializer stores it) applied to the state before it
    DaemonSetState replayed = before;
    for (DaemonSetEntity.Event e : journal) {
      DaemonSetEntity.Event stored = io.daemonset.model.Json.read(io.daemonset.model.Json.write(e), e.getClass());
      if (RolloutMemory.remembers(e) || e instanceof DaemonSetEntity.PodObserved) {
        assertThat(stored).isEqualTo(e); // (a ControllerRevision's JsonNode data compares by node type: not here)
      }
      replayed = replayed.apply(stored);
    }
    assertThat(replayed.status().rollout()).isEqualTo(w.state.status().rollout());
    assertThat(replayed.status().rollout().failedRevision()).isEqualTo(b);
    assertThat(replayed.status().conditions()).isEqualTo(w.state.status().conditions());
  }

  @Test
  void thePlanOfANewDaemonSetCreatesOnEveryEligibleNodeInOneStep() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 3, null)).withNodes(node("other", null,
        new io.daemonset.model.Taint("dedicated", "x", "NoSchedule", null)));
    DaemonSet proposed = ReconcileWorld.daemonSet(s -> s);
    RolloutPreview.Preview plan = RolloutPreview.of(DaemonSetState.EMPTY, proposed, w.fleet, w.now);
    assertThat(plan.changes()).extracting(RolloutPreview.NodeChange::node)
        .containsExactly("node-0", "node-1", "node-2");
    assertThat(plan.changes()).allMatch(c -> c.action().equals("Create") && c.fromRevision() == null);
    assertThat(plan.steps()).hasSize(1);
    assertThat(plan.held()).isNull();
  }
}
