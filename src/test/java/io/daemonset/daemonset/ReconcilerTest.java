package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.DS_LABEL;
import static io.daemonset.daemonset.ReconcileWorld.NODE_LABEL;
import static io.daemonset.daemonset.ReconcileWorld.UID;
import static io.daemonset.daemonset.ReconcileWorld.deleted;
import static io.daemonset.daemonset.ReconcileWorld.eventsOf;
import static io.daemonset.daemonset.ReconcileWorld.node;
import static io.daemonset.daemonset.ReconcileWorld.nodes;
import static io.daemonset.daemonset.ReconcileWorld.nodesOf;
import static io.daemonset.daemonset.ReconcileWorld.scheduled;
import static io.daemonset.daemonset.ReconcileWorld.withPodSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.Condition;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Reconciler#reconcile} as a table, the way upstream's pkg/controller/daemon/daemon_controller_test.go
 * (v1.32) tests syncHandler: a DaemonSet, nodes and pods in; exact events, steps and requeue out.
 *
 * <p>Ported (same name, lower camel case): TestSimpleDaemonSetLaunchesPods, TestNoNodesDoesNothing,
 * TestOneNodeDaemonLaunchesPod, TestNotReadyNodeDaemonDoesLaunchPod, TestNetworkUnavailableNodeDaemonLaunchesPod,
 * TestDontDoAnythingIfBeingDeleted, TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector,
 * TestDealsWithExistingPods, TestSelectorDaemonLaunchesPods, TestSelectorDaemonDeletesUnselectedPods,
 * TestBadSelectorDaemonDoesNothing, TestNumberReadyStatus, TestObservedGeneration, TestDaemonKillFailedPods,
 * TestDaemonKillFailedPodsBackoff, TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod,
 * TestNoExecuteTaintedDoesEvicitRunningIntolerantPod, TestTaintedNodeDaemonDoesNotLaunchIntolerantPod,
 * TestNodeDaemonLaunchesToleratePod, TestDaemonSetRespectsTermination, TestGetNodesToDaemonPods (the
 * deleted-and-terminal rule), TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods,
 * TestDaemonSetPodCreateExpectationsError (as the burst limit), TestStoreDaemonSetStatus (what the controller
 * keeps of a status a client wrote; upstream's retries of a conflicting write do not apply: the entity is the one
 * writer).
 *
 * <p>Ported with a deliberate difference: TestDeleteUnscheduledPodForNotExistingNode (upstream deletes a
 * pod bound to a node the informer does not know; here that node may only not have re-announced itself
 * after a restart, so the pod is left alone and the fleet counts as incomplete: no status from part of it).
 *
 * <p>Elsewhere: node selector, affinity and taint rules in placement's NodeShouldRunDaemonPodTest
 * (TestNodeShouldRunDaemonPod, TestNodeAffinityDaemonLaunchesPods, TestTaintPressureNodeDaemonLaunchPod);
 * rolling update and surge in rollout's RollingUpdateTest (update_test.go); capacity and host ports are
 * decided by NodeEntity at admission (TestInsufficientCapacityNodeDaemonDoesNotLaunchPod,
 * TestPortConflict*: NodeEntityTest, issue 10 item 2 makes such pods Pending). TestClaimPods: adoption is
 * decided by the node (NodeEntityTest: instead of admitting, and ClaimOrphans where nothing is admitted), its binding
 * here (claimPods, claimPodsAdoptsOrphansWhereNoPodIsWantedAndTheManageStepDecides), release here
 * (claimPodsReleasesAPodWhoseLabelsNoLongerMatch). TestUpdateNode: FleetChangesTest (with one deliberate
 * difference, listed there).
 *
 * <p>Do not apply: TestDeleteFinalStateUnknown, TestExpectationsOnRecreate, TestDontDoAnythingIfBeingDeletedRace,
 * TestDeleteNoDaemonPod and TestAddPod/TestUpdatePod/TestDeletePod*
 * test informer event handlers and the expectations cache: here nodes reach a DaemonSet through the
 * directory (a whole-fleet diff, {@link FleetChanges}), pods through their owner's entity, and expectations are
 * binding phases persisted with the decisions.
 */
class ReconcilerTest {

  static DaemonSetSpec nodeSelector(DaemonSetSpec spec, Map<String, String> selector) {
    return withPodSpec(spec, p -> p.withNodeSelector(selector));
  }

  @Test
  void simpleDaemonSetLaunchesPods() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 5, null));
    ReconcileOutput out = w.round();

    List<DaemonSetEntity.ScheduledPod> pods = scheduled(out);
    assertThat(nodesOf(pods)).containsExactly("node-0", "node-1", "node-2", "node-3", "node-4");
    // Names and uids from the pod ordinal: deterministic, so this table knows them exactly.
    assertThat(pods).extracting(DaemonSetEntity.ScheduledPod::podName).containsExactlyElementsOf(
        IntStream.range(0, 5).mapToObj(i -> PodNames.podName("foo", i)).toList());
    assertThat(pods).extracting(DaemonSetEntity.ScheduledPod::podUid).containsExactlyElementsOf(
        IntStream.range(0, 5).mapToObj(i -> PodNames.podUid(UID, i)).toList());
    assertThat(pods).extracting(DaemonSetEntity.ScheduledPod::podName).allMatch(n -> n.matches("foo-[a-z0-9]{5}"));
    assertThat(out.steps()).hasSize(5).allMatch(s -> s instanceof NodeStep.Admit);
    assertThat(w.state.podOrdinals()).isEqualTo(5);
    assertThat(out.requeueAt()).isEmpty();
    // One revision recorded, in the same write, before the pods that carry its hash.
    assertThat(eventsOf(out, DaemonSetEntity.RevisionRecorded.class)).hasSize(1);
  }

  @Test
  void simpleDaemonSetUpdatesStatusAfterLaunchingPods() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 5, null));
    w.round();
    DaemonSetStatus status = w.state.status();
    assertThat(status.desiredNumberScheduled()).isEqualTo(5);
    assertThat(status.currentNumberScheduled()).isEqualTo(5);
    assertThat(status.numberReady()).isZero();
  }

  @Test
  void noNodesDoesNothing() {
    ReconcileWorld w = new ReconcileWorld();
    ReconcileOutput out = w.round();
    assertThat(scheduled(out)).isEmpty();
    assertThat(out.steps()).isEmpty();
    assertThat(w.state.status().desiredNumberScheduled()).isZero();
  }

  @Test
  void oneNodeDaemonLaunchesPod() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null));
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("node-0");
  }

  @Test
  void notReadyNodeDaemonDoesLaunchPod() {
    Node notReady = node("node-0", null).withStatus(new NodeStatus(null, null,
        List.of(new NodeCondition("Ready", "False", null, null, "KubeletNotReady", null)), null, null));
    ReconcileWorld w = new ReconcileWorld().withNodes(notReady);
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("node-0");
  }

  @Test
  void networkUnavailableNodeDaemonLaunchesPod() {
    Node node = node("network-unavailable", null).withStatus(new NodeStatus(null, null,
        List.of(new NodeCondition("NetworkUnavailable", "True", null, null, null, null)), null, null));
    ReconcileWorld w = new ReconcileWorld().withNodes(node);
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("network-unavailable");
  }

  @Test
  void dontDoAnythingIfBeingDeleted() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null));
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Foreground", ReconcileWorld.T0,
        Cause.byUser(ReconcileWorld.T0, "alice", "delete")));
    ReconcileOutput out = w.round();
    assertThat(scheduled(out)).isEmpty();
    // Nothing left to delete: the foreground deletion completes.
    assertThat(eventsOf(out, DaemonSetEntity.DaemonSetDeleted.class)).hasSize(1);
  }

  @Test
  void podIsNotDeletedByDaemonsetWithEmptyLabelSelector() {
    ReconcileWorld w = new ReconcileWorld(s -> new DaemonSetSpec(new LabelSelector(Map.of(), null), s.template(),
        s.updateStrategy(), s.minReadySeconds(), s.revisionHistoryLimit(), s.templateGeneration()))
        .withNodes(node("node-0", null));
    ReconcileOutput out = w.round();
    assertThat(out.events()).isEmpty();
    assertThat(out.steps()).isEmpty();
  }

  @Test
  void dealsWithExistingPods() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 5, null));
    w.extraPod("node-1", true).extraPod("node-2", true).extraPod("node-2", true);
    ReconcileOutput out = w.round();
    assertThat(nodesOf(scheduled(out))).containsExactly("node-0", "node-3", "node-4");
    assertThat(deleted(out)).extracting(DaemonSetEntity.PodDeletion::nodeName).containsExactly("node-2");
  }

  @Test
  void selectorDaemonLaunchesPods() {
    ReconcileWorld w = new ReconcileWorld(s -> nodeSelector(s, NODE_LABEL))
        .withNodes(nodes(0, 4, null)).withNodes(nodes(4, 3, NODE_LABEL));
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("node-4", "node-5", "node-6");
  }

  @Test
  void selectorDaemonDeletesUnselectedPods() {
    ReconcileWorld w = new ReconcileWorld(s -> nodeSelector(s, NODE_LABEL))
        .withNodes(nodes(0, 2, null)).withNodes(nodes(2, 2, NODE_LABEL));
    w.extraPod("node-0", true).extraPod("node-2", true);
    ReconcileOutput out = w.round();
    assertThat(deleted(out)).extracting(DaemonSetEntity.PodDeletion::nodeName).containsExactly("node-0");
    assertThat(nodesOf(scheduled(out))).containsExactly("node-3");
  }

  @Test
  void badSelectorDaemonDoesNothing() {
    ReconcileWorld w = new ReconcileWorld(s -> nodeSelector(s, Map.of("color", "green")))
        .withNodes(nodes(0, 4, NODE_LABEL));
    assertThat(scheduled(w.round())).isEmpty();
  }

  @Test
  void numberReadyStatus() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null));
    ReconcileOutput out = w.round();
    w.round(ReconcileWorld.admitAll(out));
    assertThat(w.state.status().numberReady()).isZero();
    w.round(w.reported(w.podOn("node-0").podName(), "Running", true));
    assertThat(w.state.status().numberReady()).isEqualTo(1);
    w.round(w.allRunningReady());
    assertThat(w.state.status().numberReady()).isEqualTo(2);
    assertThat(w.state.status().numberAvailable()).isEqualTo(2);
  }

  @Test
  void observedGeneration() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null));
    ReconcileOutput out = w.round();
    // A create not yet acknowledged holds observedGeneration back, as upstream's expectations do.
    assertThat(w.state.status().observedGeneration()).isNull();
    w.round(ReconcileWorld.admitAll(out));
    assertThat(w.state.status().observedGeneration()).isEqualTo(1L);
  }

  /**
   * Upstream's expectations expire (ExpectationsTimeout, 5 minutes): a create or delete never answered stops holding
   * observedGeneration back once it is that old; until then it holds it back.
   */
  @Test
  void observedGenerationIsRaisedOnceUnansweredExpectationsExpire() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null));
    w.round();
    w.later(PodBinding.EXPECTATIONS_TTL.minusSeconds(1)).round();
    assertThat(w.state.status().observedGeneration()).as("still expected").isNull();
    w.later(Duration.ofSeconds(1)).round();
    assertThat(w.state.status().observedGeneration()).as("expired").isEqualTo(1L);

    // A deletion never confirmed, the same way.
    ReconcileWorld d = new ReconcileWorld(s -> nodeSelector(s, Map.of("ssd", "true")))
        .withNodes(node("node-0", Map.of("ssd", "true"))).converged();
    d.withNodes(node("node-0", null));
    d.state = d.state.apply(new DaemonSetEntity.DaemonSetUpdated(d.state.daemonSet().withMetadata(
        d.state.daemonSet().metadata().withGeneration(2L)), ReconcileWorld.NODE));
    assertThat(deleted(d.round())).hasSize(1);
    assertThat(d.state.status().observedGeneration()).isEqualTo(1L);
    d.later(PodBinding.EXPECTATIONS_TTL).round();
    assertThat(d.state.status().observedGeneration()).isEqualTo(2L);
  }

  @Test
  void daemonKillFailedPods() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null)).converged();
    String failed = w.podOn("node-0").podName();
    ReconcileOutput out = w.round(w.reported(failed, "Failed", false));
    assertThat(deleted(out)).extracting(DaemonSetEntity.PodDeletion::podName).containsExactly(failed);
    assertThat(w.backoffs.failedPods()).containsOnlyKeys(UID + "/1/node-0");
  }

  @Test
  void daemonKillFailedPodsBackoff() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null)).converged();
    String first = w.podOn("node-0").podName();
    ReconcileOutput out = w.round(w.reported(first, "Failed", false));
    out = w.round(ReconcileWorld.deleteAll(out));
    // The replacement is created at once: backoff limits deleting failed pods, not creating their replacements.
    assertThat(nodesOf(scheduled(out))).containsExactly("node-0");
    w.round(ReconcileWorld.admitAll(out));
    String second = w.podOn("node-0").podName();
    out = w.round(w.reported(second, "Failed", false));
    // Within the backoff the failed pod stays, and the DaemonSet looks again exactly when it runs out.
    assertThat(deleted(out)).isEmpty();
    Instant end = w.backoffs.failedPods().get(UID + "/1/node-0").nextAllowedAt();
    assertThat(out.requeueAt()).contains(end);
    w.now = end;
    assertThat(deleted(w.round())).extracting(DaemonSetEntity.PodDeletion::podName).containsExactly(second);
    assertThat(w.backoffs.failedPods().get(UID + "/1/node-0").delay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void noScheduleTaintedDoesntEvicitRunningIntolerantPod() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("tainted", null)).converged();
    w.withNodes(node("tainted", null, Taint.of("dedicated", "user1", Taint.NO_SCHEDULE)));
    ReconcileOutput out = w.round();
    assertThat(deleted(out)).isEmpty();
    assertThat(scheduled(out)).isEmpty();
  }

  @Test
  void noExecuteTaintedDoesEvicitRunningIntolerantPod() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("tainted", null)).converged();
    w.withNodes(node("tainted", null, Taint.of("dedicated", "user1", Taint.NO_EXECUTE)));
    assertThat(deleted(w.round())).extracting(DaemonSetEntity.PodDeletion::nodeName).containsExactly("tainted");
  }

  @Test
  void taintedNodeDaemonDoesNotLaunchIntolerantPod() {
    ReconcileWorld w = new ReconcileWorld()
        .withNodes(node("tainted", null, Taint.of("dedicated", "user1", Taint.NO_SCHEDULE)));
    ReconcileOutput out = w.round();
    assertThat(scheduled(out)).isEmpty();
    assertThat(w.state.status().desiredNumberScheduled()).isZero();
  }

  @Test
  void nodeDaemonLaunchesToleratePod() {
    ReconcileWorld w = new ReconcileWorld(s -> withPodSpec(s, p -> p.withTolerations(
        List.of(new Toleration("dedicated", "Equal", "user1", Taint.NO_SCHEDULE, null)))))
        .withNodes(node("tainted", null, Taint.of("dedicated", "user1", Taint.NO_SCHEDULE)));
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("tainted");
  }

  @Test
  void daemonSetRespectsTermination() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null)).converged();
    String pod = w.podOn("node-0").podName();
    w.state = w.state.apply(new DaemonSetEntity.PodObserved(pod, "Running", w.now, true, ReconcileWorld.NODE));
    ReconcileOutput out = w.round();
    // A terminating pod holds its node: no second pod until it is gone.
    assertThat(scheduled(out)).isEmpty();
    assertThat(deleted(out)).isEmpty();
    assertThat(nodesOf(scheduled(w.round(new DaemonSetEntity.PodChanged("node-0", pod, null,
        ReconcileWorld.NODE))))).containsExactly("node-0");
  }

  @Test
  void getNodesToDaemonPods() {
    // A pod both being deleted and stopped is not listed: the node counts as having none, and gets one.
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null)).converged();
    String pod = w.podOn("node-0").podName();
    w.state = w.state.apply(new DaemonSetEntity.PodsDeletionRequested(
        List.of(new DaemonSetEntity.PodDeletion(pod, "node-0", "test")), ReconcileWorld.NODE));
    w.state = w.state.apply(new DaemonSetEntity.PodObserved(pod, "Failed", null, true, ReconcileWorld.NODE));
    assertThat(nodesOf(scheduled(w.round()))).containsExactly("node-0");
  }

  @Test
  void daemonSetPodCreateExpectationsError() {
    // A burst limit as upstream's BurstReplicas (ours is 1,000 creates per round); the rest in the next round, at once.
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, ReconcileStep.BURST + 50, null));
    ReconcileOutput out = w.round();
    assertThat(scheduled(out)).hasSize(ReconcileStep.BURST);
    assertThat(out.requeueAt()).contains(w.now);
    assertThat(scheduled(w.round())).hasSize(50);
  }

  @Test
  void deleteUnscheduledPodForNotExistingNode() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    DaemonSetStatus before = w.state.status();
    w.fleet = io.daemonset.node.Fleet.complete(Map.of("node-0", w.fleet.get("node-0")));
    ReconcileOutput out = w.round();
    assertThat(deleted(out)).isEmpty();
    assertThat(eventsOf(out, DaemonSetEntity.StatusChanged.class)).isEmpty();
    assertThat(w.state.status()).isEqualTo(before);
  }

  // ---- issue 9: correctness at scale ------------------------------------------------------------

  @Test
  void podNamesAndUidsAreUniqueAcrossRoundsAndIncarnations() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 40, null)).converged();
    java.util.Set<String> names = new java.util.HashSet<>(w.state.bindings().keySet());
    w.withNodes(nodes(0, 40, DS_LABEL));
    // Delete everything (a template change would do the same), then place again: new ordinals, new names.
    w.state = w.state.apply(new DaemonSetEntity.PodsDeletionRequested(w.state.ownBindings().stream()
        .map(b -> new DaemonSetEntity.PodDeletion(b.podName(), b.nodeName(), "test")).toList(), ReconcileWorld.NODE));
    ReconcileOutput out = w.round(w.state.ownBindings().stream()
        .map(b -> new DaemonSetEntity.DeleteAnswered(b.podName(), true, false)).toArray(DaemonSetEntity.Fact[]::new));
    assertThat(scheduled(out)).hasSize(40).noneMatch(p -> names.contains(p.podName()));
    assertThat(w.state.podOrdinals()).isEqualTo(80);
  }

  @Test
  void anOrdinalWhoseNameABindingHoldsIsSkippedAndTheBindingKept() {
    // A binding whose name is the one the next ordinal gives (an older release's formula made it): the new pod
    // takes the ordinal after, and the binding is not replaced (bindings are keyed by name).
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null));
    w.extraPod("node-0", true);
    String held = PodNames.podName("foo", 0);
    w.state = w.state.apply(new DaemonSetEntity.PodsScheduled(List.of(), ReconcileWorld.NODE, 0L));
    assertThat(w.state.podOrdinals()).isZero();
    assertThat(w.state.bindings()).containsKey(held);
    w.withNodes(node("node-0", null), node("node-1", null));
    ReconcileOutput out = w.round();
    assertThat(scheduled(out)).extracting(DaemonSetEntity.ScheduledPod::podName)
        .containsExactly(PodNames.podName("foo", 1));
    assertThat(w.state.bindings().get(held).nodeName()).isEqualTo("node-0");
    assertThat(w.state.podOrdinals()).isEqualTo(2);
  }

  @Test
  void aNameTakenOnTheNodeIsRetriedAtOnceUnderTheNextOrdinal() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null));
    ReconcileOutput out = w.round();
    String taken = scheduled(out).get(0).podName();
    out = w.round(new DaemonSetEntity.AdmitAnswered(taken, "node-0", false, "pods \"" + taken + "\" already exists",
        true));
    // No backoff: AlreadyExists only asks for a new name, as upstream's generateName retry does.
    assertThat(w.backoffs.admissions()).isEmpty();
    assertThat(scheduled(out)).extracting(DaemonSetEntity.ScheduledPod::podName)
        .containsExactly(PodNames.podName("foo", 1));
    assertThat(w.state.bindings()).doesNotContainKey(taken);
  }

  @Test
  void aNodeThatKeepsRefusingIsRetriedWhenItsBackoffEndsNotInALoop() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("full", null));
    Instant end = w.now.plus(Duration.ofHours(1));
    int admissionsTried = 0;
    // Drive the DaemonSet as the entity does: a round whenever it asks to be requeued, the node always refusing.
    ReconcileOutput out = w.round();
    while (w.now.isBefore(end) && w.rounds < 10_000) {
      List<DaemonSetEntity.Fact> refusals = out.steps().stream()
          .<DaemonSetEntity.Fact>map(s -> new DaemonSetEntity.AdmitAnswered(s.binding().podName(), "full", false,
              "Insufficient cpu"))
          .toList();
      admissionsTried += refusals.size();
      if (refusals.isEmpty()) {
        assertThat(out.requeueAt()).as("a held create names when it may be tried").isPresent();
        assertThat(out.requeueAt().get()).as("never 'now' for what only time changes").isAfter(w.now);
        w.now = out.requeueAt().get();
      }
      out = w.round(refusals.toArray(DaemonSetEntity.Fact[]::new));
    }
    // 1 s doubling to 15 min over an hour: about 14 attempts, two rounds each; not 50 rounds a second.
    assertThat(admissionsTried).isBetween(10, 20);
    assertThat(w.rounds).isLessThan(60);
  }

  @Test
  void aPartialFleetDecidesPerNodeButNothingFleetWide() {
    DaemonSetUpdateStrategy rolling = new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE,
        new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)));
    ReconcileWorld w = new ReconcileWorld(s -> new DaemonSetSpec(s.selector(), s.template(), rolling,
        s.minReadySeconds(), s.revisionHistoryLimit(), s.templateGeneration()))
        .withNodes(nodes(0, 4, null)).converged();
    DaemonSetStatus before = w.state.status();
    assertThat(before.desiredNumberScheduled()).isEqualTo(4);
    // After a restart: two nodes have re-announced themselves, one new node too; the template changed.
    w.fleet = new io.daemonset.node.Fleet(Map.of("node-0", w.fleet.get("node-0"), "node-1", w.fleet.get("node-1"),
        "node-9", node("node-9", null)), false);
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(w.state.daemonSet().withSpec(
        withPodSpec(w.state.daemonSet().spec(), p -> p.withTerminationGracePeriodSeconds(5L))), ReconcileWorld.NODE));
    ReconcileOutput out = w.round();
    // Per node: the new node gets its pod. Fleet-wide: no rolling-update deletion, no status from part of it.
    assertThat(nodesOf(scheduled(out))).containsExactly("node-9");
    assertThat(deleted(out)).isEmpty();
    assertThat(eventsOf(out, DaemonSetEntity.StatusChanged.class)).isEmpty();
    w.round(ReconcileWorld.admitAll(out));
    w.round(w.reported(w.podOn("node-9").podName(), "Running", true));

    w.fleet = io.daemonset.node.Fleet.complete(Map.of("node-0", w.fleet.get("node-0"), "node-1",
        w.fleet.get("node-1"), "node-2", node("node-2", null), "node-3", node("node-3", null),
        "node-9", w.fleet.get("node-9")));
    out = w.round();
    assertThat(deleted(out)).hasSize(1);
    assertThat(w.state.status().desiredNumberScheduled()).isEqualTo(5);
  }

  @Test
  void aRequeueForAHeldCreateIsItsBackoffsEnd() {
    ReconcileWorld w = new ReconcileWorld().withNodes(node("full", null));
    ReconcileOutput out = w.round();
    out = w.round(new DaemonSetEntity.AdmitAnswered(scheduled(out).get(0).podName(), "full", false, "Insufficient cpu"));
    assertThat(scheduled(out)).isEmpty();
    assertThat(out.requeueAt()).isEqualTo(Optional.of(w.now.plus(Duration.ofSeconds(1))));
  }

  // ---- issue 10 --------------------------------------------------------------------------------

  @Test
  void claimPods() {
    // Upstream TestClaimPods, as the node decides it: an orphan whose labels match is adopted, none created.
    ReconcileWorld w = new ReconcileWorld().withNodes(node("node-0", null));
    ReconcileOutput out = w.round();
    NodeStep.Admit admit = (NodeStep.Admit) out.steps().stream().filter(s -> s instanceof NodeStep.Admit)
        .findFirst().orElseThrow();
    assertThat(admit.claimSelector()).isEqualTo(w.state.daemonSet().spec().selector());
    io.daemonset.model.Pod orphan = new io.daemonset.model.Pod("v1", "Pod",
        io.daemonset.model.ObjectMeta.named("default", "foo-old12").withUid("uid-old")
            .withLabels(Map.of("name", "simple-daemon", "type", "production",
                DaemonPods.REVISION_HASH_LABEL, "oldhash"))
            .withOwnerReferences(List.of(io.daemonset.model.OwnerReference.controlledBy("apps/v1", "DaemonSet", "foo",
                UID))),
        null, new io.daemonset.model.PodStatus("Running", List.of(new io.daemonset.model.PodCondition("Ready", "True",
            null, w.now, null, null)), null, null, null, null, null, null));
    out = w.round(new DaemonSetEntity.AdmitAnswered(admit.binding().podName(), "node-0", true, "adopted", false,
        orphan));
    assertThat(eventsOf(out, DaemonSetEntity.PodAdopted.class)).singleElement()
        .satisfies(e -> assertThat(e.podUid()).isEqualTo("uid-old"));
    assertThat(w.state.bindings()).containsOnlyKeys("foo-old12");
    PodBinding adopted = w.state.bindings().get("foo-old12");
    assertThat(adopted.readySince()).isNotNull();
    assertThat(scheduled(out)).isEmpty();
    // Its revision is not the current one: the rolling update replaces it, as upstream would.
    assertThat(deleted(out)).extracting(DaemonSetEntity.PodDeletion::podName).containsExactly("foo-old12");
  }

  /**
   * Upstream TestClaimPods where the DaemonSet admits nothing: a node adopted (ClaimOrphans) an orphan on a node the
   * DaemonSet does not want, and another next to the pod it already has. Both are bound, then the manage step
   * deletes the first (not eligible) and keeps the oldest of the two on the wanted node: the adopted one.
   */
  @Test
  void claimPodsAdoptsOrphansWhereNoPodIsWantedAndTheManageStepDecides() {
    ReconcileWorld w = new ReconcileWorld(s -> nodeSelector(s, NODE_LABEL))
        .withNodes(node("node-0", null), node("node-1", NODE_LABEL)).converged();
    PodBinding own = w.podOn("node-1");
    DaemonSetEntity.Fact unwanted = claimedPod(w, "node-0", "foo-old00", own.revisionHash(), ReconcileWorld.T0);
    DaemonSetEntity.Fact older = claimedPod(w, "node-1", "foo-old01", own.revisionHash(),
        ReconcileWorld.T0.minus(Duration.ofDays(1)));

    ReconcileOutput out = w.round(unwanted, older);

    assertThat(eventsOf(out, DaemonSetEntity.PodAdopted.class)).extracting(DaemonSetEntity.PodAdopted::podName)
        .containsExactly("foo-old00", "foo-old01");
    assertThat(deleted(out)).extracting(DaemonSetEntity.PodDeletion::podName)
        .containsExactlyInAnyOrder("foo-old00", own.podName());
    assertThat(scheduled(out)).isEmpty();
    assertThat(w.state.bindings().get("foo-old01").isBeingDeleted()).isFalse();
  }

  /** A pod a node adopted for this incarnation (controller reference with its uid), Running and Ready. */
  static DaemonSetEntity.Fact claimedPod(ReconcileWorld w, String nodeName, String name, String hash,
                                         Instant created) {
    Map<String, String> labels = new java.util.HashMap<>(DS_LABEL);
    labels.put(DaemonPods.REVISION_HASH_LABEL, hash);
    io.daemonset.model.Pod pod = new io.daemonset.model.Pod("v1", "Pod",
        io.daemonset.model.ObjectMeta.named("default", name).withUid("uid-" + name).withLabels(labels)
            .withCreationTimestamp(created)
            .withOwnerReferences(List.of(io.daemonset.model.OwnerReference.controlledBy("apps/v1", "DaemonSet", "foo",
                UID))),
        null, new io.daemonset.model.PodStatus("Running", List.of(new io.daemonset.model.PodCondition("Ready", "True",
            null, w.now, null, null)), null, null, null, null, null, null));
    return new DaemonSetEntity.PodChanged(nodeName, name, pod, ReconcileWorld.NODE);
  }

  @Test
  void aResyncAnswerStandsForEachPodOnItsNodeInArrivalOrder() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    PodBinding onNode0 = w.podOn("node-0");
    PodBinding onNode1 = w.podOn("node-1");
    io.daemonset.model.Pod ready = ((DaemonSetEntity.PodChanged) w.reported(onNode1.podName(), "Running", true)).pod();
    io.daemonset.node.NodeState node0Empty = new io.daemonset.node.NodeState(null, 1, Map.of(), false);
    io.daemonset.node.NodeState node1Holds = new io.daemonset.node.NodeState(null, 1,
        Map.of("default/" + onNode1.podName(), ready), false);
    // node-0 no longer holds its pod: gone; node-1's older notification (not ready) comes before the resync's
    // snapshot (ready), so the binding ends ready
    ReconcileOutput out = w.round(w.reported(onNode1.podName(), "Running", false),
        new DaemonSetEntity.NodeHolds("node-0", node0Empty, ReconcileWorld.NODE),
        new DaemonSetEntity.NodeHolds("node-1", node1Holds, ReconcileWorld.NODE));
    assertThat(eventsOf(out, DaemonSetEntity.PodGone.class)).extracting(DaemonSetEntity.PodGone::podName)
        .containsExactly(onNode0.podName());
    assertThat(w.state.bindings().get(onNode1.podName()).readySince()).isNotNull();
  }

  @Test
  void orphanDeletionOrphansPodsTheirNodesHaveNotConfirmedYet() {
    // The node may already hold and list a pod whose admission answer is still on its way: it is orphaned, not deleted.
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null));
    w.round();
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Orphan", w.now, ReconcileWorld.NODE));
    ReconcileOutput out = w.round();
    assertThat(out.steps()).hasSize(2).allMatch(st -> st instanceof NodeStep.Orphan);
    assertThat(deleted(out)).isEmpty();
  }

  @Test
  void orphanDeletionIsDurableAndTheNextIncarnationAdoptsTheRevisions() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    String revision = w.state.revisions().keySet().iterator().next();
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Orphan", w.now, ReconcileWorld.NODE));
    assertThat(w.state.daemonSet().metadata().finalizers()).containsExactly("orphan");
    ReconcileOutput out = w.round();
    // Until each node acknowledges, the orphan steps are sent again every round, and the object stays.
    assertThat(out.steps()).hasSize(2).allMatch(st -> st instanceof NodeStep.Orphan);
    assertThat(eventsOf(out, DaemonSetEntity.StatusChanged.class)).isEmpty();
    out = w.round(new DaemonSetEntity.OrphanAnswered(w.podOn("node-0").podName(), "node-0"));
    assertThat(out.steps()).hasSize(1);
    assertThat(w.state.exists()).isTrue();
    out = w.round(new DaemonSetEntity.OrphanAnswered(w.podOn("node-1").podName(), "node-1"));
    assertThat(eventsOf(out, DaemonSetEntity.DaemonSetDeleted.class)).singleElement()
        .satisfies(e -> assertThat(e.orphanPods()).isTrue());
    assertThat(w.state.exists()).isFalse();
    assertThat(w.state.bindings()).isEmpty();
    assertThat(w.state.revisions().get(revision).metadata().ownerReferences()).isNull();

    // Applied again: the revision is adopted (same template, same hash), not recorded anew.
    io.daemonset.model.DaemonSet again = ReconcileWorld.daemonSet(sp -> sp);
    again = again.withMetadata(again.metadata().withUid("uid-2"));
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetCreated(again, ReconcileWorld.NODE));
    assertThat(w.state.revisions().get(revision).metadata().ownerReferences())
        .singleElement().satisfies(ref -> assertThat(ref.uid()).isEqualTo("uid-2"));
    out = w.round();
    assertThat(eventsOf(out, DaemonSetEntity.RevisionRecorded.class)).isEmpty();
    assertThat(scheduled(out)).hasSize(2);
  }

  /**
   * Upstream TestStoreDaemonSetStatus, as it applies here (issue 10 item 9): a client wrote status (a condition of
   * its own, a counter); the controller's next status rewrites the counters and keeps the client's condition.
   */
  @Test
  void storeDaemonSetStatus() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    DaemonSetStatus before = w.state.status();
    Condition mine = new Condition("StatusUpdate", "True", ReconcileWorld.T0, "E2E", "Set from e2e test");
    w.state = w.state.apply(new DaemonSetEntity.StatusChanged(new DaemonSetStatus(before.currentNumberScheduled(),
        before.numberMisscheduled(), before.desiredNumberScheduled(), 42, before.observedGeneration(),
        before.updatedNumberScheduled(), before.numberAvailable(), before.numberUnavailable(),
        before.collisionCount(), List.of(mine)), Cause.byUser(ReconcileWorld.T0, "alice", "status update")));

    ReconcileOutput out = w.round();

    assertThat(eventsOf(out, DaemonSetEntity.StatusChanged.class)).singleElement()
        .satisfies(e -> assertThat(e.status().numberReady()).isEqualTo(2))
        .satisfies(e -> assertThat(e.status().conditions()).containsExactly(mine));
    assertThat(w.round().events()).as("nothing left to write").isEmpty();
  }

  /**
   * Issue 10 item 7: a node the lifecycle controller tainted not-ready (Ready False) takes no new daemon pod, since
   * daemon pods tolerate only not-ready's NoExecute, and desired counts follow; a pod already there stays (upstream's
   * shouldContinueRunning), counted as misscheduled as upstream counts it.
   */
  @Test
  void notReadyTaintedNodeTakesNoNewDaemonPodAndKeepsItsPod() {
    Node notReady = io.daemonset.node.NodeLifecycle.withConditionTaints(node("node-1", null).withStatus(
        new NodeStatus(null, null, List.of(new NodeCondition("Ready", "False", null, null, "KubeletNotReady", null)),
            null, null)), ReconcileWorld.T0);
    ReconcileWorld fresh = new ReconcileWorld().withNodes(node("node-0", null), notReady);
    assertThat(nodesOf(scheduled(fresh.round()))).containsExactly("node-0");
    assertThat(fresh.state.status().desiredNumberScheduled()).isEqualTo(1);

    ReconcileWorld running = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    running.withNodes(notReady);
    ReconcileOutput out = running.round();
    assertThat(deleted(out)).isEmpty();
    assertThat(running.state.status().desiredNumberScheduled()).isEqualTo(1);
    assertThat(running.state.status().numberMisscheduled()).isEqualTo(1);
  }

  /** The pod on nodeName as its node reports it, relabelled, still controlled by foo. */
  static DaemonSetEntity.Fact relabelled(ReconcileWorld w, String nodeName, Map<String, String> labels) {
    PodBinding b = w.podOn(nodeName);
    io.daemonset.model.Pod pod = new io.daemonset.model.Pod("v1", io.daemonset.model.Pod.KIND,
        io.daemonset.model.ObjectMeta.named("default", b.podName()).withUid(b.podUid()).withLabels(labels)
            .withOwnerReferences(List.of(io.daemonset.model.OwnerReference.controlledBy("apps/v1", "DaemonSet", "foo",
                UID))), null,
        new io.daemonset.model.PodStatus("Running", List.of(new io.daemonset.model.PodCondition("Ready", "True", null,
            w.now, null, null)), null, null, null, null, null, null));
    return new DaemonSetEntity.PodChanged(nodeName, b.podName(), pod, ReconcileWorld.NODE);
  }

  /**
   * Upstream TestClaimPods, its release half (issue 10 item 1): a pod whose labels no longer match the selector is
   * released (its node asked to drop the ownerReference, durably) and a new pod is created for its node in the same
   * round; the node's answer ends the binding. A pod that still matches is kept.
   */
  @Test
  void claimPodsReleasesAPodWhoseLabelsNoLongerMatch() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    PodBinding old = w.podOn("node-0");

    ReconcileOutput kept = w.round(relabelled(w, "node-1", Map.of("name", "simple-daemon", "type", "production",
        "extra", "label")));
    assertThat(eventsOf(kept, DaemonSetEntity.PodReleaseRequested.class)).isEmpty();

    ReconcileOutput out = w.round(relabelled(w, "node-0", Map.of("name", "debugging")));

    assertThat(eventsOf(out, DaemonSetEntity.PodReleaseRequested.class)).singleElement()
        .satisfies(e -> assertThat(e.podName()).isEqualTo(old.podName()));
    assertThat(out.steps()).filteredOn(s -> s instanceof NodeStep.Orphan).singleElement()
        .satisfies(s -> assertThat(s.binding().podName()).isEqualTo(old.podName()));
    assertThat(nodesOf(scheduled(out))).as("a new pod for its node").containsExactly("node-0");
    assertThat(deleted(out)).isEmpty();

    w.round(new DaemonSetEntity.OrphanAnswered(old.podName(), "node-0"));
    assertThat(w.state.bindings()).doesNotContainKey(old.podName());
    assertThat(w.state.ownBindings()).hasSize(2);
  }

  /** Upstream's ClaimPods does not release while the DaemonSet is being deleted; a released pod is not deleted. */
  @Test
  void aBeingDeletedDaemonSetReleasesNothingAndNeverDeletesAReleasedPod() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    PodBinding released = w.podOn("node-0");
    w.round(relabelled(w, "node-0", Map.of("name", "debugging")));
    DaemonSetEntity.Fact otherRelabelled = relabelled(w, "node-1", Map.of("name", "debugging"));
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Background", w.now,
        Cause.byUser(w.now, "alice", "delete")));

    ReconcileOutput out = w.round(otherRelabelled);

    assertThat(eventsOf(out, DaemonSetEntity.PodReleaseRequested.class)).isEmpty();
    assertThat(w.state.bindings().get(released.podName()).phase()).isEqualTo(PodBinding.Phase.ORPHAN_REQUESTED);
    assertThat(out.steps()).filteredOn(s -> s instanceof NodeStep.Delete)
        .noneMatch(s -> s.binding().podName().equals(released.podName()));
  }

  /**
   * Issue 10 item 5: the current revision is the matched revision's controller-revision-hash, not a hash recomputed
   * from template + collisionCount. After collisionCount was raised (a real collision elsewhere), the template
   * recorded before keeps its revision: its pods are not replaced, and a new node's pod carries the recorded hash and
   * is sent to its node (its template is found).
   */
  @Test
  void theCurrentRevisionIsTheMatchedRevisionsHashNotARecomputedOne() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    String recorded = w.podOn("node-0").revisionHash();
    DaemonSetStatus s = w.state.status();
    w.state = w.state.apply(new DaemonSetEntity.StatusChanged(new DaemonSetStatus(s.currentNumberScheduled(),
        s.numberMisscheduled(), s.desiredNumberScheduled(), s.numberReady(), s.observedGeneration(),
        s.updatedNumberScheduled(), s.numberAvailable(), s.numberUnavailable(), 1, s.conditions()),
        ReconcileWorld.NODE));
    assertThat(ReconcileStep.currentHash(w.state.daemonSet())).as("a recomputed hash differs").isNotEqualTo(recorded);

    ReconcileOutput out = w.withNodes(node("node-2", null)).round();

    assertThat(eventsOf(out, DaemonSetEntity.RevisionRecorded.class)).isEmpty();
    assertThat(deleted(out)).as("no pod replaced").isEmpty();
    assertThat(scheduled(out)).singleElement().satisfies(p -> {
      assertThat(p.nodeName()).isEqualTo("node-2");
      assertThat(p.revisionHash()).isEqualTo(recorded);
    });
    assertThat(out.steps()).filteredOn(st -> st instanceof NodeStep.Admit).hasSize(1);
    assertThat(w.state.status().updatedNumberScheduled()).isEqualTo(3);
  }

  /**
   * Issue 10 item 5, upstream dedupCurHistories: a journal holding two revisions of the current template (an older
   * controller could leave them) keeps the highest, relabels the pods of the other to its hash and deletes it in one
   * event; the pods count as updated and none is replaced because of the duplicate.
   */
  @Test
  void dedupCurHistoriesRelabelsThePodsOfADuplicateInsteadOfReplacingThem() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    String original = w.podOn("node-0").revisionHash();
    String originalName = "foo-" + original;
    w.state = w.state.apply(new DaemonSetEntity.RevisionRecorded(
        io.daemonset.rollout.Revisions.snapshot(w.state.daemonSet(), "dup", 5), ReconcileWorld.NODE));

    ReconcileOutput out = w.round();

    assertThat(deleted(out)).as("no pod replaced because of a duplicate").isEmpty();
    assertThat(scheduled(out)).isEmpty();
    assertThat(eventsOf(out, DaemonSetEntity.RevisionsDeduplicated.class)).singleElement().satisfies(e -> {
      assertThat(e.keptHash()).isEqualTo("dup");
      assertThat(e.duplicates()).containsExactly(originalName);
      assertThat(e.pods()).containsExactlyInAnyOrder(w.podOn("node-0").podName(), w.podOn("node-1").podName());
    });
    assertThat(w.state.revisions()).containsOnlyKeys("foo-dup");
    assertThat(w.state.ownBindings()).extracting(PodBinding::revisionHash).containsOnly("dup");
    assertThat(out.steps()).filteredOn(st -> st instanceof NodeStep.Relabel).extracting(st -> st.binding().nodeName())
        .containsExactlyInAnyOrder("node-0", "node-1");
    assertThat(w.state.status().updatedNumberScheduled()).isEqualTo(2);
    assertThat(w.round().events()).as("settled").isEmpty();
  }

  /**
   * Issue 10 item 3: the relabel of dedupCurHistories is a step like the others: re-sent in every reconcile until its
   * node answers (a lost message, a crash after the write), and no more once the answer is persisted.
   */
  @Test
  void dedupCurHistoriesRelabelIsResentUntilTheNodeAnswers() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    w.state = w.state.apply(new DaemonSetEntity.RevisionRecorded(
        io.daemonset.rollout.Revisions.snapshot(w.state.daemonSet(), "dup", 5), ReconcileWorld.NODE));
    w.round();
    String onNode0 = w.podOn("node-0").podName();
    String onNode1 = w.podOn("node-1").podName();

    // the answers were lost: the next round (and one after a recovery: the state is all it reads) sends both again
    assertThat(w.round().steps()).filteredOn(st -> st instanceof NodeStep.Relabel)
        .extracting(st -> st.binding().podName()).containsExactlyInAnyOrder(onNode0, onNode1);

    ReconcileOutput answered = w.round(new DaemonSetEntity.RelabelAnswered(onNode0, "node-0", "label set"));
    assertThat(eventsOf(answered, DaemonSetEntity.PodRelabelled.class)).extracting(e -> e.podName())
        .containsExactly(onNode0);
    assertThat(answered.steps()).filteredOn(st -> st instanceof NodeStep.Relabel)
        .extracting(st -> st.binding().podName()).containsExactly(onNode1);

    w.round(new DaemonSetEntity.RelabelAnswered(onNode1, "node-1", "label set"));
    assertThat(w.round().steps()).filteredOn(st -> st instanceof NodeStep.Relabel).isEmpty();
    assertThat(w.round(new DaemonSetEntity.RelabelAnswered(onNode1, "node-1", "label set")).events())
        .as("a late duplicate answer changes nothing").isEmpty();
  }

  /**
   * Issue 10 item 8: a user's finalizer keeps a Foreground-deleted DaemonSet after its pods are gone (the collector's
   * finalizer beside it); once the user removes it, the deletion completes. Nothing is written to status meanwhile.
   */
  @Test
  void aUsersFinalizerHoldsTheDeletionUntilRemoved() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null)).converged();
    var ds = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(ds.withMetadata(ds.metadata().withFinalizers(
        List.of("example.com/keep"))), ReconcileWorld.NODE));
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Foreground", w.now,
        Cause.byUser(w.now, "alice", "delete")));
    assertThat(w.state.daemonSet().metadata().finalizers()).containsExactly("example.com/keep", "foregroundDeletion");
    DaemonSetStatus before = w.state.status();

    ReconcileOutput out = w.round();
    w.round(ReconcileWorld.deleteAll(out));
    assertThat(w.state.ownBindings()).isEmpty();
    assertThat(w.state.exists()).as("held by the user's finalizer").isTrue();
    assertThat(w.state.daemonSet().metadata().finalizers()).as("the collector's own is done")
        .containsExactly("example.com/keep");
    assertThat(w.state.status()).isEqualTo(before);
    assertThat(w.round().events()).as("nothing while the user's finalizer holds").isEmpty();

    var held = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(DaemonSetObjects.forUpdate(held,
        held.withMetadata(held.metadata().withFinalizers(null))), ReconcileWorld.NODE));
    assertThat(eventsOf(w.round(), DaemonSetEntity.DaemonSetDeleted.class)).hasSize(1);
    assertThat(w.state.exists()).isFalse();
  }

  /**
   * Issue 10 item 8, upstream's garbage collector with Background propagation: dependents go only once their owner is
   * really gone. While a user's finalizer holds the DaemonSet (deletionTimestamp set) its pods stay, no pod is created
   * or replaced, no status is written; removing the finalizer deletes the object, then its pods.
   */
  @Test
  void backgroundDeletionLeavesThePodsWhileAUsersFinalizerHoldsTheObject() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null)).converged();
    var ds = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(ds.withMetadata(ds.metadata().withFinalizers(
        List.of("example.com/keep"))), ReconcileWorld.NODE));
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Background", w.now,
        Cause.byUser(w.now, "alice", "delete")));
    assertThat(w.state.daemonSet().metadata().finalizers()).containsExactly("example.com/keep");
    DaemonSetStatus before = w.state.status();

    ReconcileOutput held = w.withNodes(node("node-2", null)).round();
    assertThat(held.events()).as("nothing decided while the user's finalizer holds, not even for a new node")
        .isEmpty();
    assertThat(held.steps()).isEmpty();
    assertThat(w.state.ownBindings()).hasSize(2).allSatisfy(b -> assertThat(b.phase()).isEqualTo(PodBinding.Phase.BOUND));
    assertThat(w.state.status()).isEqualTo(before);

    var kept = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(DaemonSetObjects.forUpdate(kept,
        kept.withMetadata(kept.metadata().withFinalizers(null))), ReconcileWorld.NODE));
    ReconcileOutput gone = w.round();
    assertThat(eventsOf(gone, DaemonSetEntity.DaemonSetDeleted.class)).singleElement()
        .satisfies(e -> assertThat(e.propagationPolicy()).isEqualTo("Background"));
    assertThat(w.state.exists()).isFalse();
    assertThat(gone.steps()).as("the pods go once the owner is gone").hasSize(2)
        .allSatisfy(st -> assertThat(st).isInstanceOf(NodeStep.Delete.class));
    w.round(ReconcileWorld.deleteAll(gone));
    assertThat(w.state.bindings()).isEmpty();
  }

  /**
   * Orphan deletion while a user's finalizer holds the object: once every pod is orphaned the collector's orphan
   * finalizer goes (upstream's garbage collector removes it) with the revisions orphaned too; the object waits for the
   * user, and once it is gone the pods and revisions stay, without an owner.
   */
  @Test
  void orphanDeletionRemovesItsFinalizerOnceDoneAndWaitsForTheUsers() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 1, null)).converged();
    String revision = w.state.revisions().keySet().iterator().next();
    var ds = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(ds.withMetadata(ds.metadata().withFinalizers(
        List.of("example.com/keep"))), ReconcileWorld.NODE));
    w.state = w.state.apply(new DaemonSetEntity.DeletionStarted("Orphan", w.now, ReconcileWorld.NODE));
    assertThat(w.state.daemonSet().metadata().finalizers()).containsExactly("example.com/keep", "orphan");

    w.round();
    w.round(new DaemonSetEntity.OrphanAnswered(w.podOn("node-0").podName(), "node-0"));
    assertThat(w.state.exists()).as("held by the user's finalizer").isTrue();
    assertThat(w.state.daemonSet().metadata().finalizers()).as("the collector's own is done")
        .containsExactly("example.com/keep");
    assertThat(w.state.revisions().get(revision).metadata().ownerReferences()).as("revision orphaned").isNull();
    assertThat(w.round().events()).as("nothing while the user's finalizer holds").isEmpty();

    var held = w.state.daemonSet();
    w.state = w.state.apply(new DaemonSetEntity.DaemonSetUpdated(DaemonSetObjects.forUpdate(held,
        held.withMetadata(held.metadata().withFinalizers(null))), ReconcileWorld.NODE));
    ReconcileOutput gone = w.round();
    assertThat(eventsOf(gone, DaemonSetEntity.DaemonSetDeleted.class)).hasSize(1);
    assertThat(gone.steps()).isEmpty();
    assertThat(w.state.exists()).isFalse();
    assertThat(w.state.revisions()).as("the orphaned revision outlives the object").containsOnlyKeys(revision);
  }
}
