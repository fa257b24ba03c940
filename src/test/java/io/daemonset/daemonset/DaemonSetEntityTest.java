package io.daemonset.daemonset;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet entity alone: nodes are probes that answer the binding protocol by hand, and the
 * testkit checks that every command, event and state survives serialization.
 */
class DaemonSetEntityTest {
  static ActorTestKit testKit;
  static final Cause ALICE = Cause.byUser(Instant.parse("2026-11-27T10:00:00Z"), "alice", "kubectl apply");

  final PushedNodeDirectory directory = new PushedNodeDirectory();
  TestProbe<NodeEntity.Command> n1;
  TestProbe<NodeEntity.Command> n2;
  EventSourcedBehaviorTestKit<DaemonSetEntity.Command, DaemonSetEntity.Event, DaemonSetState> entity;

  @BeforeEach
  void setUp() {
    n1 = testKit.createTestProbe();
    n2 = testKit.createTestProbe();
    Map<String, TestProbe<NodeEntity.Command>> probes = Map.of("n1", n1, "n2", n2);
    entity = EventSourcedBehaviorTestKit.create(testKit.system(),
        DaemonSetEntity.create("default/logs", directory, name -> probes.get(name).ref(), Clock.systemUTC()));
    entity.clear();
  }

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static DaemonSet daemonSet() {
    Map<String, String> labels = Map.of("app", "logs");
    return DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", "DaemonSet", ObjectMeta.named("default", "logs"),
        new DaemonSetSpec(LabelSelector.ofLabels(labels),
            new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(labels),
                PodSpec.of(List.of(Container.of("fluentd", "fluentd:1")))), null, null, null, null), null));
  }

  static Node node(String name) {
    return new Node("v1", "Node", ObjectMeta.named(null, name), new NodeSpec(null, null, null, null), null);
  }

  @Test
  void createAssignsIdentityAndGenerationAndIsRefusedTwice() {
    var created = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    assertThat(created.reply().isOk()).isTrue();
    assertThat(created.reply().value().metadata().uid()).isNotBlank();
    assertThat(created.reply().value().metadata().generation()).isEqualTo(1L);
    assertThat(created.event()).isInstanceOf(DaemonSetEntity.DaemonSetCreated.class);

    var again = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    assertThat(again.reply().refusal()).isEqualTo(Outcome.Refusal.ALREADY_EXISTS);
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void podsAreDecidedBeforeNodesHearOfThemAndBoundWhenAdmitted() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1"), "n2", node("n2")));

    NodeEntity.AdmitPod admit1 = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    NodeEntity.AdmitPod admit2 = n2.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    Pod pod = admit1.pod();
    assertThat(pod.spec().nodeName()).isEqualTo("n1");
    assertThat(pod.metadata().ownerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.controller()).isTrue());
    assertThat(pod.metadata().labels()).containsKey(DaemonPods.REVISION_HASH_LABEL).containsEntry("app", "logs");
    assertThat(pod.spec().tolerations()).extracting(t -> t.key()).contains("node.kubernetes.io/unreachable");
    // Decided first: the binding was persisted before the message left.
    assertThat(entity.getState().bindings().get(pod.metadata().name()).phase()).isEqualTo(PodBinding.Phase.SCHEDULED);

    admit1.replyTo().tell(new NodeEntity.AdmitResult("default/" + pod.metadata().name(), true, "admitted"));
    admit2.replyTo().tell(new NodeEntity.AdmitResult("default/" + admit2.pod().metadata().name(), false,
        "Insufficient cpu"));

    // the admitted pod bound, the refused one dropped (a retry after the back-off is a new pod, a new name)
    String admitted = pod.metadata().name();
    String refused = admit2.pod().metadata().name();
    awaitState(s -> s.bindings().containsKey(admitted) && !s.bindings().containsKey(refused)
        && s.bindings().get(admitted).phase() == PodBinding.Phase.BOUND);
    assertThat(entity.getState().revisions()).hasSize(1);
  }

  @Test
  void anUpdateWithAStaleSpecVersionIsAConflict() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    var stale = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Update(daemonSet(), 42, ALICE, r));
    assertThat(stale.reply().refusal()).isEqualTo(Outcome.Refusal.CONFLICT);
    assertThat(stale.hasNoEvents()).isTrue();
  }

  @Test
  void aStatusWrittenByAClientIsKeptAndAnotherIncarnationIsNotFound() {
    var created = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    String uid = created.reply().value().metadata().uid();
    var status = new io.daemonset.model.DaemonSetStatus(0, 0, 0, 0, null, 0, 0, 0, null,
        List.of(new io.daemonset.model.Condition("StatusUpdate", "True", null, "E2E", "Set from e2e test")));
    var written = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.UpdateStatus(status, uid, ALICE, r));
    assertThat(written.reply().value().status().conditions()).extracting(c -> c.type()).containsExactly("StatusUpdate");
    assertThat(written.event()).isInstanceOf(DaemonSetEntity.StatusChanged.class);

    var other = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.UpdateStatus(status, "x", ALICE, r));
    assertThat(other.reply().refusal()).isEqualTo(Outcome.Refusal.NOT_FOUND);
    assertThat(other.hasNoEvents()).isTrue();
  }

  @Test
  void foregroundDeletionKeepsTheObjectUntilItsPodsAreGone() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = admittedOnN1();
    String podName = admit.pod().metadata().name();
    awaitState(s -> s.bindings().get(podName).phase() == PodBinding.Phase.BOUND);

    var deleting = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Delete("Foreground", ALICE, r));
    assertThat(deleting.reply().value().metadata().deletionTimestamp()).isNotNull();
    assertThat(deleting.reply().value().metadata().finalizers()).containsExactly("foregroundDeletion");

    NodeEntity.DeletePod delete = n1.expectMessageClass(NodeEntity.DeletePod.class, Duration.ofSeconds(5));
    assertThat(delete.podKey()).isEqualTo("default/" + podName);
    assertThat(entity.getState().exists()).isTrue();

    entity.runCommand(new DaemonSetEntity.PodChanged("n1", podName, null, ALICE));
    awaitState(s -> !s.exists());
  }

  /**
   * The reconcile runs within its coalescing window of the first fact that waits, however many follow: restarting the
   * window on every fact (a debounce) postponed it, and every binding and status it writes, for as long as a converge's
   * stream of answers lasted.
   */
  @Test
  void aSteadyStreamOfFactsDoesNotPostponeTheReconcile() {
    // spawned, not through the behaviour test kit (whose runCommand takes longer than the window): the facts are told
    // as a node's notifications arrive, back to back
    Map<String, TestProbe<NodeEntity.Command>> probes = Map.of("n1", n1);
    var ref = testKit.spawn(DaemonSetEntity.create("default/stream", directory, name -> probes.get(name).ref(),
        Clock.systemUTC()));
    DaemonSet ds = daemonSet().withMetadata(daemonSet().metadata().withName("stream"));
    TestProbe<Outcome<DaemonSet>> created = testKit.createTestProbe();
    ref.tell(new DaemonSetEntity.Create(ds, ALICE, created.ref()));
    created.expectMessageClass(Outcome.class, Duration.ofSeconds(5));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = admittedOnN1();
    String podName = admit.pod().metadata().name();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    String pid = "DaemonSet|default/stream";
    await("the pod bound").until(() -> journal.persistedInStorage(pid).stream()
        .anyMatch(e -> e instanceof DaemonSetEntity.PodBound || e instanceof DaemonSetEntity.PodsAnswered));
    Pod running = admit.pod().withStatus(new PodStatus("Running",
        List.of(new PodCondition("Ready", "True", null, Instant.now(), null, null)), null, null, null, null, null, null));

    // a report every 2 ms for 1.5 s, ten times as often as the 20 ms window
    boolean seenDuringTheStream = false;
    long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
    while (System.nanoTime() < end && !seenDuringTheStream) {
      ref.tell(new DaemonSetEntity.PodChanged("n1", podName, running, ALICE));
      seenDuringTheStream = journal.persistedInStorage(pid).stream()
          .anyMatch(e -> e instanceof DaemonSetEntity.PodObserved o && o.readySince() != null);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
    assertThat(seenDuringTheStream).as("the pod's readiness was written while reports kept coming").isTrue();
  }

  /**
   * The last answer a DaemonSet waits for is recorded at once, not at the end of its reconcile window: with the window
   * stretched to a minute once pods exist, the create's answer still raises observedGeneration (the status that says
   * every pod is scheduled), and the pod's report of Ready still reaches the status, each within seconds. Before, the
   * last answers waited out the window (up to 500 ms a round in a 1,000-node converge, after every other answer).
   */
  @Test
  void theLastAnswerAwaitedEndsTheReconcileWindow() {
    Map<String, TestProbe<NodeEntity.Command>> probes = Map.of("n1", n1);
    var stretched = EventSourcedBehaviorTestKit.<DaemonSetEntity.Command, DaemonSetEntity.Event, DaemonSetState>create(
        testKit.system(), DaemonSetEntity.create("default/window", directory, name -> probes.get(name).ref(),
            Clock.systemUTC(), null, DaemonSetEntity.Revisions.NONE,
            (took, state) -> state.bindings().isEmpty() ? DaemonSetEntity.COALESCE : Duration.ofMinutes(1)));
    DaemonSet ds = daemonSet().withMetadata(daemonSet().metadata().withName("window"));
    stretched.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(ds, ALICE, r));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = admittedOnN1();
    String podName = admit.pod().metadata().name();

    await("observedGeneration raised by the only create's answer", Duration.ofSeconds(20)).pollInSameThread()
        .until(stretched::getState, s -> s.bindings().get(podName).phase() == PodBinding.Phase.BOUND
            && Long.valueOf(1L).equals(s.status().observedGeneration()) && s.status().currentNumberScheduled() == 1);

    Pod ready = admit.pod().withStatus(new PodStatus("Running",
        List.of(new PodCondition("Ready", "True", null, Instant.now(), null, null)), null, null, null, null, null, null));
    stretched.runCommand(new DaemonSetEntity.PodChanged("n1", podName, ready, ALICE));
    await("the status counts the only pod Ready", Duration.ofSeconds(20)).pollInSameThread()
        .until(stretched::getState, s -> s.status().numberReady() == 1);
  }

  @Test
  void theResyncRepairsALostNotificationForABoundReadyPod() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = admittedOnN1();
    String podName = admit.pod().metadata().name();
    Pod running = admit.pod().withStatus(new PodStatus("Running",
        List.of(new PodCondition("Ready", "True", null, Instant.now(), null, null)), null, null, null, null, null, null));
    entity.runCommand(new DaemonSetEntity.PodChanged("n1", podName, running, ALICE));
    awaitState(s -> s.bindings().get(podName).readySince() != null);

    // The pod failed on its node, and the notification was lost: only the periodic resync can learn it.
    Pod failed = admit.pod().withStatus(new PodStatus("Failed", null, null, null, null, null, null, null));
    entity.runCommand(DaemonSetEntity.ResyncPods.INSTANCE);
    NodeEntity.Get ask = n1.expectMessageClass(NodeEntity.Get.class, Duration.ofSeconds(5));
    ask.replyTo().tell(new NodeState(node("n1"), 1, Map.of("default/" + podName, failed), false));

    awaitState(s -> s.bindings().get(podName) == null
        || "Failed".equals(s.bindings().get(podName).podPhase()));
  }

  @Test
  void aPartialFleetCreatesOnTheNodesItShowsButWritesNoStatus() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.pushPartial(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    admit.replyTo().tell(new NodeEntity.AdmitResult("default/" + admit.pod().metadata().name(), true, "admitted"));
    awaitState(s -> s.bindings().values().stream().allMatch(b -> b.phase() == PodBinding.Phase.BOUND));
    assertThat(entity.getState().status().desiredNumberScheduled()).isZero();

    directory.push(Map.of("n1", node("n1"), "n2", node("n2")));
    n2.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    awaitState(s -> s.status().desiredNumberScheduled() == 2);
  }

  @Test
  void anOrphanDeletionThenTheSameDaemonSetAgainAdoptsThePod() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    Pod pod = admit.pod();
    admit.replyTo().tell(new NodeEntity.AdmitResult("default/" + pod.metadata().name(), true, "admitted"));
    awaitState(s -> s.bindings().get(pod.metadata().name()).phase() == PodBinding.Phase.BOUND);

    var deleting = entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Delete("Orphan", ALICE, r));
    assertThat(deleting.reply().value().metadata().finalizers()).containsExactly("orphan");
    NodeEntity.OrphanPod orphan = n1.expectMessageClass(NodeEntity.OrphanPod.class, Duration.ofSeconds(5));
    Pod orphaned = pod.withMetadata(pod.metadata().withOwnerReferences(null));
    orphan.replyTo().tell(Outcome.ok(orphaned, 1));
    awaitState(s -> !s.exists());

    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    NodeEntity.AdmitPod claim = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    assertThat(claim.claimSelector()).isNotNull();
    claim.replyTo().tell(new NodeEntity.AdmitResult("default/" + pod.metadata().name(), true, "adopted", false,
        orphaned.withMetadata(orphaned.metadata().withOwnerReferences(claim.pod().metadata().ownerReferences()))));
    awaitState(s -> s.bindings().containsKey(pod.metadata().name()) && s.status().desiredNumberScheduled() == 1);
  }

  /**
   * Issue 10 item 5 (upstream dedupCurHistories), through the entity: a journal that holds a duplicate of the current
   * revision, recovered; the pod of the duplicate is relabelled on its node to the kept hash, never deleted.
   */
  @Test
  void aDuplicateRevisionInTheJournalRelabelsItsPodOnItsNode() {
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1")));
    NodeEntity.AdmitPod admit = admittedOnN1();
    String podName = admit.pod().metadata().name();
    awaitState(s -> s.bindings().get(podName).phase() == PodBinding.Phase.BOUND);

    DaemonSetState bound = entity.getState();
    entity.initialize(bound, new DaemonSetEntity.RevisionRecorded(
        io.daemonset.rollout.Revisions.snapshot(bound.daemonSet(), "dup", 5), ALICE));
    directory.push(Map.of("n1", node("n1")));

    NodeEntity.SetPodLabel relabel = (NodeEntity.SetPodLabel) n1.fishForMessage(Duration.ofSeconds(5), m -> {
      if (m instanceof NodeEntity.DeletePod || m instanceof NodeEntity.AdmitPod) {
        return FishingOutcomes.fail("pod replaced because of a duplicate: " + m);
      }
      // the resync's Get after recovery comes first
      return m instanceof NodeEntity.SetPodLabel ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
    }).get(0);
    assertThat(relabel.podKey()).isEqualTo("default/" + podName);
    assertThat(relabel.key()).isEqualTo(DaemonPods.REVISION_HASH_LABEL);
    assertThat(relabel.value()).isEqualTo("dup");
    awaitState(s -> s.revisions().keySet().equals(java.util.Set.of("logs-dup"))
        && s.bindings().get(podName).revisionHash().equals("dup") && s.bindings().get(podName).relabelPending());
    // the node's answer is persisted: the relabel is not sent again
    relabel.replyTo().tell(Outcome.ok(admit.pod(), 2));
    awaitState(s -> !s.bindings().get(podName).relabelPending());
  }

  /**
   * Issue 10 item 1 (upstream's ClaimPods runs in every sync): a DaemonSet just created claims the orphans at once
   * where the directory shows some (here n2, a node it does not want: tainted), not at the next resync 30 s later;
   * and it claims only there: a node without orphans (n1) gets no ClaimOrphans, on creation or on a resync, until
   * it comes to hold some; a node whose orphans are relabelled is claimed again at once. Before, every resync told
   * every node of the fleet.
   */
  @Test
  void aNewDaemonSetClaimsOrphansAtOnceAndOnlyWhereNodesHoldThem() {
    Node tainted = new Node("v1", "Node", ObjectMeta.named(null, "n2"), new NodeSpec(null, null, null,
        List.of(new io.daemonset.model.Taint("dedicated", "db", "NoSchedule", null))), null);
    entity.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(daemonSet(), ALICE, r));
    directory.push(Map.of("n1", node("n1"), "n2", tainted), Map.of("n2", java.util.Set.of("default")));

    NodeEntity.ClaimOrphans claim = n2.expectMessageClass(NodeEntity.ClaimOrphans.class, Duration.ofSeconds(5));
    assertThat(claim.owner().uid()).isEqualTo(entity.getState().uid());
    assertThat(claim.selector()).isEqualTo(daemonSet().spec().selector());
    Pod pod = admittedOnN1().pod();
    String podName = pod.metadata().name();
    awaitState(s -> s.bindings().get(podName).phase() == PodBinding.Phase.BOUND);

    entity.runCommand(DaemonSetEntity.ResyncPods.INSTANCE);
    NodeEntity.Get ask = n1.expectMessageClass(NodeEntity.Get.class, Duration.ofSeconds(5));
    ask.replyTo().tell(new NodeState(node("n1"), 1, Map.of("default/" + podName, pod), false));
    n2.expectMessageClass(NodeEntity.ClaimOrphans.class, Duration.ofSeconds(5));

    // n1 comes to hold an orphan: claimed at once; the first claim n1 ever gets is that one, not the resync's
    directory.push(Map.of("n1", node("n1"), "n2", tainted), Map.of("n1", java.util.Set.of("default"),
        "n2", java.util.Set.of("default")));
    NodeEntity.ClaimOrphans onN1 = n1.expectMessageClass(NodeEntity.ClaimOrphans.class, Duration.ofSeconds(5));
    assertThat(onN1.cause().reason()).contains("node holds new or relabelled orphan pods").contains("node n1");

    // an orphan on n2 relabelled (kubectl label pod): the namespaces holding orphans are as they were, the
    // fingerprint of their labels is not; claimed there at once, not at the next resync
    directory.push(Map.of("n1", node("n1"), "n2", tainted), Map.of("n1", java.util.Set.of("default"),
        "n2", java.util.Set.of("default")), Map.of("n2", 42));
    NodeEntity.ClaimOrphans onN2 = n2.expectMessageClass(NodeEntity.ClaimOrphans.class, Duration.ofSeconds(5));
    assertThat(onN2.cause().reason()).contains("relabelled").contains("node n2");
  }

  /**
   * ClaimControllerRevisions across names, the holder's side: an orphan revision the asker's selector matches is
   * handed over durably before the answer, a repeated ask answers the same without writing, and only the adopter's
   * ForgetRevisions drops it.
   */
  @Test
  void aHolderHandsItsOrphanRevisionsOverOnceAndForgetsThemOnlyForTheAdopter() {
    DaemonSet ds = DaemonSetObjects.forCreate(daemonSet(), Instant.now());
    var orphan = io.daemonset.rollout.Revisions.snapshot(ds, "h1", 1);
    orphan = new io.daemonset.model.ControllerRevision(orphan.apiVersion(), orphan.kind(),
        orphan.metadata().withOwnerReferences(null), orphan.data(), orphan.revision());
    entity.initialize(new DaemonSetState(null, 3, Map.of(), Map.of("logs-h1", orphan), 1));
    var adopter = io.daemonset.model.OwnerReference.controlledBy("apps/v1", "DaemonSet", "logs-v2", "uid-v2");

    var first = entity.<DaemonSetEntity.RevisionsOffered>runCommand(r -> new DaemonSetEntity.HandOverRevisions(
        List.of("logs-h1", "missing"), adopter, daemonSet().spec().selector(), r));
    assertThat(first.event()).isInstanceOf(DaemonSetEntity.RevisionsHandedOver.class);
    assertThat(first.reply().revisions()).singleElement()
        .satisfies(r -> assertThat(r.metadata().ownerReferences()).containsExactly(adopter));
    var again = entity.<DaemonSetEntity.RevisionsOffered>runCommand(r -> new DaemonSetEntity.HandOverRevisions(
        List.of("logs-h1"), adopter, daemonSet().spec().selector(), r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().revisions()).isEqualTo(first.reply().revisions());
    var someoneElse = entity.<DaemonSetEntity.RevisionsOffered>runCommand(r -> new DaemonSetEntity.HandOverRevisions(
        List.of("logs-h1"), io.daemonset.model.OwnerReference.controlledBy("apps/v1", "DaemonSet", "x", "uid-x"),
        daemonSet().spec().selector(), r));
    assertThat(someoneElse.reply().revisions()).as("handed over already").isEmpty();

    assertThat(entity.runCommand(new DaemonSetEntity.ForgetRevisions(List.of("logs-h1"), "uid-x")).hasNoEvents())
        .isTrue();
    assertThat(entity.runCommand(new DaemonSetEntity.ForgetRevisions(List.of("logs-h1"), "uid-v2")).event())
        .isInstanceOf(DaemonSetEntity.RevisionsForgotten.class);
    assertThat(entity.getState().revisions()).isEmpty();
  }

  /** The adopter's side: it records the offered revisions once, then tells the holder to forget them. */
  @Test
  void anAdopterRecordsOfferedRevisionsThenTellsTheHolderToForgetThem() {
    TestProbe<DaemonSetEntity.Command> holder = testKit.createTestProbe();
    var adopterKit = EventSourcedBehaviorTestKit.<DaemonSetEntity.Command, DaemonSetEntity.Event, DaemonSetState>create(
        testKit.system(), DaemonSetEntity.create("default/logs-v2", directory, name -> n1.ref(), Clock.systemUTC(),
            null, new DaemonSetEntity.Revisions(RevisionFinder.NONE, key -> holder.ref())));
    DaemonSet requested = daemonSet();
    DaemonSet created = adopterKit.<Outcome<DaemonSet>>runCommand(r -> new DaemonSetEntity.Create(
        requested.withMetadata(requested.metadata().withName("logs-v2")), ALICE, r)).reply().value();
    var offered = io.daemonset.rollout.Revisions.snapshot(daemonSet(), "h1", 1);
    offered = new io.daemonset.model.ControllerRevision(offered.apiVersion(), offered.kind(),
        offered.metadata().withOwnerReferences(List.of(DaemonPods.controllerOf(created))), offered.data(), 1);

    var adopted = adopterKit.runCommand(new DaemonSetEntity.AdoptRevisions("default/logs", List.of(offered)));
    assertThat(adopted.event()).isInstanceOf(DaemonSetEntity.RevisionsAdopted.class);
    assertThat(holder.expectMessageClass(DaemonSetEntity.ForgetRevisions.class, Duration.ofSeconds(5)))
        .isEqualTo(new DaemonSetEntity.ForgetRevisions(List.of("logs-h1"), created.metadata().uid()));
    assertThat(adopterKit.getState().revisionByHash("h1")).isNotNull();

    // offered again (the holder did not hear the first forget): nothing recorded twice, the holder told again
    assertThat(adopterKit.runCommand(new DaemonSetEntity.AdoptRevisions("default/logs", List.of(offered)))
        .hasNoEvents()).isTrue();
    holder.expectMessageClass(DaemonSetEntity.ForgetRevisions.class, Duration.ofSeconds(5));
  }

  /** The pod the DaemonSet sends to n1, admitted there. */
  private NodeEntity.AdmitPod admittedOnN1() {
    NodeEntity.AdmitPod admit = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    admit.replyTo().tell(new NodeEntity.AdmitResult("default/" + admit.pod().metadata().name(), true, "admitted"));
    return admit;
  }

  private void awaitState(Predicate<DaemonSetState> condition) {
    // the test kit is driven from the test's thread only
    await("the entity's state").pollInSameThread().until(entity::getState, condition);
  }
}
