package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Outcome;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import io.daemonset.model.Taint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeEntityTest {
  static org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit;
  static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  static final Cause ALICE = Cause.byUser(NOW, "alice", "test");

  record Notice(String owner, String podName, Pod pod) {}

  final List<Notice> notices = new ArrayList<>();
  final RecordingNodeDirectory directory = new RecordingNodeDirectory();
  EventSourcedBehaviorTestKit<NodeEntity.Command, NodeEntity.Event, NodeState> node;

  @BeforeEach
  void setUp() {
    PodObserver observer = (owner, nodeName, podName, pod, cause) -> notices.add(new Notice(owner, podName, pod));
    node = EventSourcedBehaviorTestKit.create(testKit.system(),
        NodeEntity.create("n1", directory, observer, Clock.fixed(NOW, ZoneOffset.UTC)));
    node.clear();
  }

  /** A clock that reads now[0]: tests move time by assigning it. */
  static Clock moving(Instant[] now) {
    return new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
  }

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    testKit = org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static Node node(Map<String, String> labels, String cpu, boolean withAgent) {
    List<NodeCondition> conditions = withAgent
        ? List.of(new NodeCondition("Ready", "True", NOW, NOW, "AgentReady", "ok")) : null;
    return new Node("v1", "Node", ObjectMeta.named(null, "n1").withLabels(labels), new NodeSpec(null, null, null, null),
        new NodeStatus(Map.of("cpu", Quantity.parse(cpu), "memory", Quantity.parse("1Gi")), null, conditions, null, null));
  }

  static Pod pod(String name, String cpu) {
    Container c = Container.of("c", "busybox").withResources(
        new ResourceRequirements(null, Map.of("cpu", Quantity.parse(cpu))));
    ObjectMeta meta = ObjectMeta.named("default", name).withUid("uid-" + name)
        .withOwnerReferences(List.of(OwnerReference.controlledBy("apps/v1", "DaemonSet", "ds", "ds-uid")));
    return new Pod("v1", "Pod", meta, PodSpec.of(List.of(c)).withNodeName("n1"), null);
  }

  @Test
  void aSecondPodUnderAnExistingNameIsRefusedAsAlreadyExistsAndTheSameOneIsAdmittedAgain() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Pod first = pod("ds-bcdfg", "100m");
    assertThat(node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(first, ALICE, r)).reply().admitted())
        .isTrue();

    // A forced collision: another DaemonSet's pod (another uid) under the same namespace/name.
    Pod other = first.withMetadata(first.metadata().withUid("uid-of-another-pod"));
    var refused = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(other, ALICE, r));
    assertThat(refused.reply().admitted()).isFalse();
    assertThat(refused.reply().alreadyExists()).isTrue();
    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(node.getState().pods().get("default/ds-bcdfg").metadata().uid()).isEqualTo("uid-ds-bcdfg");

    var again = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(first, ALICE, r));
    assertThat(again.reply().admitted()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void anOrphanWhoseLabelsMatchIsAdoptedInsteadOfAdmittingANewPod() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Pod old = pod("ds-old12", "100m");
    old = old.withMetadata(old.metadata().withLabels(Map.of("app", "logs")));
    Pod first = old;
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(first, ALICE, r));
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.OrphanPod("default/ds-old12", ALICE, r));
    assertThat(NodeState.controllerKey(node.getState().pods().get("default/ds-old12"))).isNull();

    Pod fresh = pod("ds-new34", "100m");
    fresh = fresh.withMetadata(fresh.metadata().withLabels(Map.of("app", "logs")).withOwnerReferences(
        List.of(OwnerReference.controlledBy("apps/v1", "DaemonSet", "ds", "ds-uid-2"))));
    Pod asked = fresh;
    var result = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(asked, ALICE, r,
        io.daemonset.model.LabelSelector.ofLabels(Map.of("app", "logs"))));

    assertThat(result.reply().admitted()).isTrue();
    assertThat(result.reply().adopted().metadata().uid()).isEqualTo("uid-ds-old12");
    assertThat(result.event()).isInstanceOf(NodeEntity.PodAdopted.class);
    assertThat(node.getState().pods()).containsOnlyKeys("default/ds-old12");
    assertThat(node.getState().pods().get("default/ds-old12").metadata().ownerReferences())
        .singleElement().satisfies(ref -> assertThat(ref.uid()).isEqualTo("ds-uid-2"));
  }

  /**
   * A joining node gets an admission from every DaemonSet at once: they are written together, not one journal round
   * trip after another, and still judged one after the other (the third does not fit beside the first two).
   */
  @Test
  void admissionsThatArriveTogetherAreWrittenTogetherAndNeverOverCommit() {
    java.util.concurrent.CopyOnWriteArrayList<Integer> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The registration's write is held until the three admissions are sent, so that they are in the entity's hands
    // together (as a joining node's are, behind a write); sent after it was answered, the entity may take the first
    // before the others arrive and rightly write it alone (this made the test flaky).
    java.util.concurrent.CountDownLatch admissionsSent = new java.util.concurrent.CountDownLatch(1);
    org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit journal =
        org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system());
    journal.withPolicy((persistenceId, operation) -> {
      if (persistenceId.equals("Node|n2") && operation instanceof org.apache.pekko.persistence.testkit.WriteEvents w) {
        if (writes.isEmpty()) {
          awaitQuietly(admissionsSent);
        }
        writes.add(w.batch().size());
      }
      return org.apache.pekko.persistence.testkit.ProcessingSuccess$.MODULE$;
    });
    try {
      var n2 = testKit.spawn(NodeEntity.create("n2", directory, (owner, nodeName, podName, pod, cause) -> { },
          Clock.fixed(NOW, ZoneOffset.UTC)));
      var registered = testKit.<Outcome<Node>>createTestProbe();
      n2.tell(new NodeEntity.Register(node(Map.of(), "2", true), ALICE, registered.ref()));
      var answers = testKit.<NodeEntity.AdmitResult>createTestProbe();
      for (String name : List.of("a", "b", "c")) {
        n2.tell(new NodeEntity.AdmitPod(pod(name, "1"), ALICE, answers.ref()));
      }
      admissionsSent.countDown();
      assertThat(registered.receiveMessage().isOk()).isTrue();
      List<NodeEntity.AdmitResult> results = answers.receiveSeveralMessages(3);

      assertThat(results).allMatch(NodeEntity.AdmitResult::admitted);
      assertThat(results.get(0).reason()).isEqualTo("admitted");
      assertThat(results.get(1).reason()).isEqualTo("admitted");
      assertThat(results.get(2).reason()).startsWith("Pending:").contains("Insufficient cpu");
      assertThat(writes).containsExactly(1, 3); // the registration, then the three admissions in one write
      var held = testKit.<NodeState>createTestProbe();
      n2.tell(new NodeEntity.Get(held.ref()));
      assertThat(held.receiveMessage().pods()).hasSize(3);
    } finally {
      journal.resetPolicy();
    }
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void registrationAssignsIdentityAndAnnouncesTheNode() {
    var result = node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of("a", "b"), "2", true), ALICE, r));
    assertThat(result.reply().isOk()).isTrue();
    assertThat(result.reply().value().metadata().uid()).isNotBlank();
    assertThat(result.reply().value().metadata().creationTimestamp()).isEqualTo(NOW);
    assertThat(result.event()).isInstanceOf(NodeEntity.NodeRegistered.class);
    assertThat(directory.nodes).containsKey("n1");
    // a joined node: the DaemonSets hear of it now, not at the directory's next notification round
    assertThat(directory.announcedNow).containsKey("n1");
  }

  @Test
  void reRegistrationKeepsLabelsAndTaintsSetThroughTheApi() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Node labelled = node(Map.of("ssd", "true"), "2", true)
        .withSpec(new NodeSpec(null, null, null, List.of(Taint.of("gpu", "yes", Taint.NO_SCHEDULE))));
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Update(labelled, -1, ALICE, r));

    var again = node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of("zone", "a"), "2", true), ALICE, r));

    assertThat(again.reply().value().metadata().labels()).containsEntry("ssd", "true").containsEntry("zone", "a");
    assertThat(again.reply().value().spec().taints()).hasSize(1);
  }

  @Test
  void anUpdateWithAStaleVersionIsAConflictAndChangesNothing() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    var result = node.<Outcome<Node>>runCommand(r -> new NodeEntity.Update(node(Map.of("x", "y"), "2", true), 7, ALICE, r));
    assertThat(result.reply().refusal()).isEqualTo(Outcome.Refusal.CONFLICT);
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void heartbeatsThatChangeOnlyTimesAreNotPersisted() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    NodeStatus later = new NodeStatus(Map.of("cpu", Quantity.parse("2"), "memory", Quantity.parse("1Gi")), null,
        List.of(new NodeCondition("Ready", "True", NOW.plusSeconds(10), NOW, "AgentReady", "ok")), null, null);
    var result = node.<Outcome<Node>>runCommand(r -> new NodeEntity.UpdateStatus(later, ALICE, r));
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void admissionIsIdempotentByPodNameAndNeverOverCommits() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    var first = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "600m"), ALICE, r));
    var again = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "600m"), ALICE, r));
    var tooBig = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p2", "600m"), ALICE, r));

    assertThat(first.reply().admitted()).isTrue();
    assertThat(again.reply().admitted()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    // Never over-commits: the second pod is not bound (it waits Pending, see below).
    assertThat(tooBig.reply().reason()).contains("Insufficient cpu");
    assertThat(node.getState().pods().get("default/p2").spec().nodeName()).isNull();
  }

  @Test
  void insufficientCapacityNodeDaemonDoesNotLaunchPod() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "600m"), ALICE, r));
    var tooBig = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p2", "600m"), ALICE, r));

    // Upstream's scheduler leaves it Pending, unbound, with its reason: the DaemonSet keeps it (no retry loop).
    assertThat(tooBig.reply().admitted()).isTrue();
    Pod waiting = node.getState().pods().get("default/p2");
    assertThat(waiting.spec().nodeName()).isNull();
    assertThat(waiting.status().phase()).isEqualTo("Pending");
    assertThat(waiting.status().conditions()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("PodScheduled");
      assertThat(c.status()).isEqualTo("False");
      assertThat(c.reason()).isEqualTo("Unschedulable");
      assertThat(c.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
    });

    // Room frees up: the waiting pod is bound in the same write.
    var released = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.DeletePod("default/p1", 0L, ALICE, r));
    assertThat(released.events()).hasSize(2).last().isInstanceOf(NodeEntity.PodBoundToNode.class);
    assertThat(node.getState().pods().get("default/p2").spec().nodeName()).isEqualTo("n1");
  }

  @Test
  void portConflictNodeDaemonDoesNotLaunchPod() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    java.util.function.Function<String, Pod> withHostPort = name -> {
      Pod p = pod(name, "10m");
      return p.withSpec(p.spec().withContainers(List.of(p.spec().containers().get(0).withPorts(
          List.of(new io.daemonset.model.ContainerPort("metrics", 9101, 9101, null, "TCP"))))));
    };
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(withHostPort.apply("exporter-a"), ALICE, r));
    var second = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(withHostPort.apply("exporter-b"),
        ALICE, r));
    assertThat(second.reply().reason()).contains("didn't have free ports for the requested pod ports");
    assertThat(node.getState().pods().get("default/exporter-b").spec().nodeName()).isNull();
  }

  @Test
  void aTaintAddedAfterTheDecisionKeepsThePodPending() {
    Node tainted = node(Map.of(), "2", true)
        .withSpec(new NodeSpec(null, null, null, List.of(Taint.of("dedicated", "db", Taint.NO_SCHEDULE))));
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(tainted, ALICE, r));
    var result = node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "10m"), ALICE, r));
    assertThat(result.reply().reason()).contains("untolerated taint {dedicated: db}");
    assertThat(node.getState().pods().get("default/p1").spec().nodeName()).isNull();

    // The taint is lifted: the pod is bound.
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Update(node(Map.of(), "2", true), -1, ALICE, r));
    assertThat(node.getState().pods().get("default/p1").spec().nodeName()).isEqualTo("n1");
  }

  @Test
  void deletionIsGracefulOnANodeWithAnAgentAndTheOwnerHearsOfEachStep() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));

    var deleting = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.DeletePod("default/p1", null, ALICE, r));
    assertThat(deleting.reply().value().metadata().deletionTimestamp()).isEqualTo(NOW.plusSeconds(30));

    var gone = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.DeletePod("default/p1", 0L, ALICE, r));
    assertThat(gone.reply().value()).isNull();
    assertThat(node.getState().pods()).isEmpty();
    assertThat(notices).extracting(Notice::owner).containsOnly("default/ds");
    assertThat(notices.get(notices.size() - 1).pod()).isNull();
  }

  @Test
  void removingANodeReleasesItsPodsAndTellsTheirOwners() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", false), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));
    notices.clear();

    var removed = node.<Outcome<Node>>runCommand(r -> new NodeEntity.Remove(ALICE, r));

    assertThat(removed.reply().isOk()).isTrue();
    assertThat(node.getState().exists()).isFalse();
    assertThat(directory.nodes).doesNotContainKey("n1");
    assertThat(notices).containsExactly(new Notice("default/ds", "p1", null));
  }

  /**
   * Upstream's ClaimPods adopts every matching orphan, also where its DaemonSet admits nothing (a node it does not
   * want, a node where it has its pod already): the owner hears of each and its manage step decides.
   */
  @Test
  void claimOrphansAdoptsEveryMatchingOrphanAndTellsTheOwner() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    for (String name : List.of("ds-aaaaa", "ds-bbbbb", "other")) {
      Pod p = pod(name, "100m");
      Pod labelled = p.withMetadata(p.metadata().withLabels(Map.of("app", name.equals("other") ? "web" : "logs")));
      node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(labelled, ALICE, r));
      node.<Outcome<Pod>>runCommand(r -> new NodeEntity.OrphanPod("default/" + name, ALICE, r));
    }
    notices.clear();
    OwnerReference owner = OwnerReference.controlledBy("apps/v1", "DaemonSet", "ds", "ds-uid-2");

    node.runCommand(new NodeEntity.ClaimOrphans("default",
        io.daemonset.model.LabelSelector.ofLabels(Map.of("app", "logs")), owner, ALICE));

    assertThat(node.getState().pods().get("default/ds-aaaaa").metadata().ownerReferences()).containsExactly(owner);
    assertThat(node.getState().pods().get("default/ds-bbbbb").metadata().ownerReferences()).containsExactly(owner);
    assertThat(NodeState.controllerKey(node.getState().pods().get("default/other"))).isNull();
    assertThat(notices).extracting(Notice::owner, Notice::podName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default/ds", "ds-aaaaa"),
            org.assertj.core.groups.Tuple.tuple("default/ds", "ds-bbbbb"));
    // another namespace's orphans are not claimed
    node.runCommand(new NodeEntity.ClaimOrphans("kube-system",
        io.daemonset.model.LabelSelector.ofLabels(Map.of("app", "web")), owner, ALICE));
    assertThat(NodeState.controllerKey(node.getState().pods().get("default/other"))).isNull();
  }

  /**
   * Issue 10 item 1: a node announces in the directory the namespaces where it holds orphans, so that DaemonSets
   * claim there at once and nowhere else; an adoption (or the orphan's deletion) withdraws it.
   */
  @Test
  void theDirectoryLearnsWhichNamespacesHoldOrphansHere() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Pod p = pod("ds-aaaaa", "100m");
    Pod labelled = p.withMetadata(p.metadata().withLabels(Map.of("app", "logs")));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(labelled, ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).isEmpty();

    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.OrphanPod("default/ds-aaaaa", ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).containsExactly("default");

    node.runCommand(new NodeEntity.ClaimOrphans("default", io.daemonset.model.LabelSelector.ofLabels(
        Map.of("app", "logs")), OwnerReference.controlledBy("apps/v1", "DaemonSet", "ds", "ds-uid-2"), ALICE));
    assertThat(directory.orphanNamespaces.get("n1")).isEmpty();
  }

  /**
   * Issue 10 leftover: an orphan relabelled (kubectl label pod) leaves the namespaces as they were, so the node
   * announces the fingerprint of its orphans' labels, and only when it changes: relabelling a pod a controller owns,
   * or changing an orphan's annotations, writes nothing.
   */
  @Test
  void relabellingAnOrphanIsAnnouncedAndNothingElseIs() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p2", "100m"), ALICE, r));
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.OrphanPod("default/p1", ALICE, r));
    Integer orphaned = directory.orphanLabels.get("n1");
    int announced = directory.announcements.get("n1");

    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p2", "uid-p2",
        Map.of("app", "other"), null, ALICE, r));
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p1", "uid-p1",
        node.getState().pods().get("default/p1").metadata().labels(), Map.of("note", "x"), ALICE, r));
    assertThat(directory.announcements.get("n1")).isEqualTo(announced);

    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p1", "uid-p1",
        Map.of("app", "fluentd"), Map.of("note", "x"), ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).containsExactly("default");
    assertThat(directory.orphanLabels.get("n1")).isNotEqualTo(orphaned)
        .isEqualTo(node.getState().orphanLabels());
  }

  /** A pod created without a controller (a user's bare pod) is an orphan from the start: the directory learns it. */
  @Test
  void aBarePodIsAnnouncedAsAnOrphan() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Pod p = pod("bare", "100m");
    Pod bare = p.withMetadata(p.metadata().withOwnerReferences(null));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(bare, ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).containsExactly("default");
  }

  /** A status report that finishes the pod holding the room binds the pod waiting for it, in the same write. */
  @Test
  void aPodThatFinishesFreesRoomForTheWaitingOne() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "600m"), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p2", "600m"), ALICE, r));
    PodStatus running = new PodStatus("Running", null, null, null, null, null, NOW, null);
    var report = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodStatus("default/p1", running, ALICE, r));
    assertThat(report.events()).hasSize(1);
    assertThat(node.getState().pods().get("default/p2").spec().nodeName()).isNull();

    PodStatus succeeded = new PodStatus("Succeeded", null, null, null, null, null, NOW, null);
    var finished = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodStatus("default/p1", succeeded, ALICE,
        r));
    assertThat(finished.events()).hasSize(2).last().isInstanceOf(NodeEntity.PodBoundToNode.class);
    assertThat(node.getState().pods().get("default/p2").spec().nodeName()).isEqualTo("n1");
  }

  /**
   * An orphan's status report may change the node's orphans (a finished pod is no longer adoptable): announced; a
   * report of a pod a controller owns changes none: the directory hears nothing of it.
   */
  @Test
  void onlyAnOrphansStatusReportIsAnnounced() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    Pod p = pod("bare", "100m");
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(p.withMetadata(
        p.metadata().withOwnerReferences(null)), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("owned", "100m"), ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).containsExactly("default");
    int announced = directory.announcements.get("n1");

    PodStatus running = new PodStatus("Running", null, null, null, null, null, NOW, null);
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodStatus("default/owned", running, ALICE, r));
    assertThat(directory.announcements.get("n1")).isEqualTo(announced);

    PodStatus succeeded = new PodStatus("Succeeded", null, null, null, null, null, NOW, null);
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodStatus("default/bare", succeeded, ALICE, r));
    assertThat(directory.orphanNamespaces.get("n1")).isEmpty();
  }

  @Test
  void orphaningDropsTheControllerReference() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));
    node.<Outcome<Pod>>runCommand(r -> new NodeEntity.OrphanPod("default/p1", ALICE, r));
    assertThat(node.getState().pods().get("default/p1").metadata().ownerReferences()).isNull();
  }

  static NodeStatus statusWith(NodeCondition... conditions) {
    return new NodeStatus(Map.of("cpu", Quantity.parse("2"), "memory", Quantity.parse("1Gi")), null,
        List.of(conditions), null, null);
  }

  static List<String> taintsOf(Node n) {
    return n.spec().taintsOrEmpty().stream().map(t -> t.key() + ":" + t.effect()).toList();
  }

  /** Issue 10 item 7: the agent reports NotReady, the node gets the not-ready taints; Ready again lifts them. */
  @Test
  void aNotReadyNodeIsTaintedNotReadyAndTheTaintsAreLiftedWhenReadyAgain() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    var notReady = node.<Outcome<Node>>runCommand(r -> new NodeEntity.UpdateStatus(statusWith(
        new NodeCondition("Ready", "False", NOW, NOW, "KubeletNotReady", "PLEG is not healthy"),
        new NodeCondition("NetworkUnavailable", "True", NOW, NOW, "NoRouteCreated", "")), ALICE, r));
    assertThat(taintsOf(notReady.reply().value())).containsExactly(
        NodeLifecycle.NOT_READY + ":NoSchedule", NodeLifecycle.NOT_READY + ":NoExecute",
        NodeLifecycle.NETWORK_UNAVAILABLE + ":NoSchedule");
    assertThat(directory.nodes.get("n1").spec().taints()).as("announced").hasSize(3);

    var ready = node.<Outcome<Node>>runCommand(r -> new NodeEntity.UpdateStatus(statusWith(
        new NodeCondition("Ready", "True", NOW, NOW, "KubeletReady", "ok")), ALICE, r));
    assertThat(ready.reply().value().spec().taintsOrEmpty()).isEmpty();
  }

  /** Upstream's MarkPodsNotReady: the pods of a node gone silent are marked not ready, and their owners hear of it. */
  @Test
  void theReadyPodsOfAnUnreachableNodeAreMarkedNotReady() {
    Instant[] now = {NOW};
    Clock moving = moving(now);
    PodObserver observer = (owner, nodeName, podName, pod, cause) -> notices.add(new Notice(owner, podName, pod));
    var silent = EventSourcedBehaviorTestKit.<NodeEntity.Command, NodeEntity.Event, NodeState>create(testKit.system(),
        NodeEntity.create("n1", directory, observer, moving));
    silent.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));
    silent.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));
    PodStatus running = new PodStatus("Running", List.of(new PodCondition("Ready", "True", null, NOW, null, null)),
        null, null, null, null, NOW, null);
    silent.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodStatus("default/p1", running, ALICE, r));
    notices.clear();

    now[0] = NOW.plus(NodeEntity.DEFAULT_HEARTBEAT_GRACE).plusSeconds(1);
    var result = silent.runCommand(NodeEntity.CheckHeartbeat.INSTANCE);

    assertThat(result.events()).hasSize(2).last().isInstanceOf(NodeEntity.PodStatusUpdated.class);
    assertThat(NodeLifecycle.isUnreachable(silent.getState().node())).isTrue();
    PodCondition ready = silent.getState().pods().get("default/p1").status().conditions().get(0);
    assertThat(ready.status()).isEqualTo("False");
    assertThat(ready.lastTransitionTime()).isEqualTo(now[0]);
    assertThat(notices).singleElement().satisfies(n -> assertThat(n.pod().status().conditions().get(0).status())
        .isEqualTo("False"));
  }

  @Test
  void inALargeFleetARenewalIsGrantedALongerLeaseAndOnlyItsExpiryMakesTheNodeUnreachable() {
    Instant[] now = {NOW};
    Clock moving = moving(now);
    int[] fleet = {5_000};
    LeaseTerms terms = new LeaseTerms(100, Duration.ofMinutes(10));
    var large = EventSourcedBehaviorTestKit.<NodeEntity.Command, NodeEntity.Event, NodeState>create(testKit.system(),
        NodeEntity.create("n1", directory, (owner, nodeName, podName, pod, cause) -> {}, moving,
            Duration.ofSeconds(40), terms, () -> fleet[0]));
    large.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "2", true), ALICE, r));

    // before any renewal (as after a restart), the silence tolerated is the lease the fleet's size grants
    now[0] = NOW.plusSeconds(150);
    assertThat(large.runCommand(NodeEntity.CheckHeartbeat.INSTANCE).hasNoEvents()).isTrue();

    var renewal = large.<Outcome<io.daemonset.model.Lease>>runCommand(r -> new NodeEntity.RenewLease(
        io.daemonset.model.Lease.forNode("n1", now[0]), Cause.byUser(now[0], "system:node:n1", "renew"), r));
    assertThat(renewal.reply().value().spec().leaseDurationSeconds()).isEqualTo(200);

    fleet[0] = 10; // the fleet shrinks: the grant already given still holds until the next renewal
    now[0] = NOW.plusSeconds(150 + 199);
    assertThat(large.runCommand(NodeEntity.CheckHeartbeat.INSTANCE).hasNoEvents()).isTrue();
    assertThat(NodeLifecycle.isUnreachable(large.getState().node())).isFalse();

    now[0] = NOW.plusSeconds(150 + 201);
    large.runCommand(NodeEntity.CheckHeartbeat.INSTANCE);
    assertThat(NodeLifecycle.isUnreachable(large.getState().node())).isTrue();

    // a small fleet's renewal gets the agent's own 40 s, and 41 s of silence is too long again
    now[0] = NOW.plusSeconds(400);
    var small = large.<Outcome<io.daemonset.model.Lease>>runCommand(r -> new NodeEntity.RenewLease(
        io.daemonset.model.Lease.forNode("n1", now[0]), Cause.byUser(now[0], "system:node:n1", "renew"), r));
    assertThat(small.reply().value().spec().leaseDurationSeconds()).isEqualTo(40);
    assertThat(NodeLifecycle.isUnreachable(large.getState().node())).isFalse();
    now[0] = NOW.plusSeconds(441);
    large.runCommand(NodeEntity.CheckHeartbeat.INSTANCE);
    assertThat(NodeLifecycle.isUnreachable(large.getState().node())).isTrue();
  }

  @Test
  void relabellingAPodTellsItsOwnerAndAnotherUidIsNotFound() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(pod("p1", "100m"), ALICE, r));
    notices.clear();

    var relabelled = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p1", "uid-p1",
        Map.of("app", "debugging"), Map.of("note", "x"), ALICE, r));
    assertThat(relabelled.event()).isInstanceOf(NodeEntity.PodMetadataUpdated.class);
    assertThat(relabelled.reply().value().metadata().labels()).containsExactly(Map.entry("app", "debugging"));
    assertThat(notices).singleElement().satisfies(n -> {
      assertThat(n.owner()).isEqualTo("default/ds");
      assertThat(n.pod().metadata().labels()).containsEntry("app", "debugging");
    });

    var same = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p1", "uid-p1",
        Map.of("app", "debugging"), Map.of("note", "x"), ALICE, r));
    assertThat(same.hasNoEvents()).isTrue();
    var other = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.UpdatePodMetadata("default/p1", "another",
        Map.of(), null, ALICE, r));
    assertThat(other.reply().refusal()).isEqualTo(Outcome.Refusal.NOT_FOUND);
  }

  /** dedupCurHistories' relabel: the owner sets one label, the others and the annotations stay. */
  @Test
  void anOwnerSetsOneLabelOfItsPodAndKeepsTheOthers() {
    node.<Outcome<Node>>runCommand(r -> new NodeEntity.Register(node(Map.of(), "1", true), ALICE, r));
    Pod labelled = pod("p1", "100m");
    Pod withLabels = labelled.withMetadata(labelled.metadata().withLabels(Map.of("app", "ds",
        "controller-revision-hash", "dup")).withAnnotations(Map.of("note", "x")));
    node.<NodeEntity.AdmitResult>runCommand(r -> new NodeEntity.AdmitPod(withLabels, ALICE, r));

    var set = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.SetPodLabel("default/p1", "uid-p1",
        "controller-revision-hash", "kept", ALICE, r));
    assertThat(set.event()).isInstanceOf(NodeEntity.PodMetadataUpdated.class);
    assertThat(set.reply().value().metadata().labels()).containsOnly(Map.entry("app", "ds"),
        Map.entry("controller-revision-hash", "kept"));
    assertThat(set.reply().value().metadata().annotations()).containsOnly(Map.entry("note", "x"));
    var other = node.<Outcome<Pod>>runCommand(r -> new NodeEntity.SetPodLabel("default/p1", "another",
        "controller-revision-hash", "x", ALICE, r));
    assertThat(other.reply().refusal()).isEqualTo(Outcome.Refusal.NOT_FOUND);
  }
}
