package io.daemonset.cluster;

import static io.daemonset.cluster.Fixtures.daemonSet;
import static io.daemonset.cluster.Fixtures.node;
import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.audit.AuditReader;
import io.daemonset.audit.AuditRecord;
import io.daemonset.audit.EventCodec;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.Taint;
import io.daemonset.node.NodeEntity;
import io.daemonset.testing.Quiet;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/**
 * The controller's behaviour on a real single-member cluster and a real journal database: placement,
 * node changes, rollouts with their invariants, rollback, deletion, and a restart mid-rollout.
 */
abstract class ControllerScenarioContract {
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A single-member cluster on the database under test; the same database on every call. */
  abstract Settings settings();

  ControlPlane start() {
    return start(settings());
  }

  ControlPlane start(Settings settings) {
    ControlPlane plane = ControlPlane.start(settings, Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(WAIT);
    } catch (Exception e) {
      plane.close();
      throw new IllegalStateException(e);
    }
    return plane;
  }

  @Test
  void podsFollowNodesLabelsAndTaints() throws Exception {
    try (ControlPlane plane = start(); InProcessAgents agents = new InProcessAgents(plane)) {
      for (int i = 1; i <= 5; i++) {
        register(plane, node("n" + i, Map.of("disk", "ssd"), null));
      }
      create(plane, daemonSet("logs", "fluentd:1", Map.of("disk", "ssd"), null));
      awaitPods(plane, "logs", 5);
      assertOnePodPerNode(plane, "logs", "n1", "n2", "n3", "n4", "n5");

      register(plane, node("n6", Map.of("disk", "ssd"), null));
      awaitPods(plane, "logs", 6);

      update(plane, node("n2", Map.of("disk", "hdd"), null));
      awaitPods(plane, "logs", 5);
      assertThat(podNodes(plane, "logs")).doesNotContain("n2");

      update(plane, node("n3", Map.of("disk", "ssd"), List.of(Taint.of("maintenance", "yes", Taint.NO_SCHEDULE))));
      update(plane, node("n4", Map.of("disk", "ssd"), List.of(Taint.of("broken", "yes", Taint.NO_EXECUTE))));
      awaitPods(plane, "logs", 4);
      assertThat(podNodes(plane, "logs")).contains("n3").doesNotContain("n4");

      // As upstream counts it: n3's pod may stay through NoSchedule, but n3 no longer "should run" one.
      await("3 desired and ready, 1 misscheduled", WAIT).until(() -> {
        var status = daemonSetIn(plane, "logs").status();
        return status.desiredNumberScheduled() == 3 && status.numberMisscheduled() == 1 && status.numberReady() == 3;
      });
    }
  }

  @Test
  void aSilentNodeTurnsUnreachableKeepsItsDaemonPodsAndRecoversOnItsNextHeartbeat() throws Exception {
    try (ControlPlane plane = start(settings().withExtraConfig("daemonset.node.heartbeat-grace = 2s"));
         InProcessAgents agents = new InProcessAgents(plane)) {
      register(plane, node("n1", Map.of(), null));
      create(plane, daemonSet("mon", "mon:1", null, null));
      awaitPods(plane, "mon", 1);
      String pod = podNames(plane, "mon").get(0);
      long beforeSilence = plane.view().resourceVersion();

      await("n1 tainted unreachable", WAIT).until(() -> nodeIn(plane, "n1").spec().taintsOrEmpty().size() == 2);
      Node silent = nodeIn(plane, "n1");
      assertThat(silent.spec().taints()).extracting(Taint::key, Taint::effect).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoSchedule"),
          org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoExecute"));
      assertThat(silent.status().conditions()).filteredOn(c -> c.type().equals("Ready"))
          .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("Unknown"));
      assertThat(podNames(plane, "mon")).as("daemon pods tolerate unreachable").containsExactly(pod);

      // the next heartbeat is the marker: from before the silence up to it, no pod came, went or was deleted
      Node fresh = node("n1", Map.of(), null);
      List<WatchEvent> events = Quiet.eventsBefore(plane.view(), beforeSilence, () -> {
        try {
          plane.store().node("n1", r -> new NodeEntity.UpdateStatus(fresh.status(), alice("heartbeat"), r))
              .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, e -> e.resource().equals("nodes") && ((Node) e.object()).spec().taints() == null
          && ((Node) e.object()).status().conditionsOrEmpty().stream()
              .anyMatch(c -> c.type().equals("Ready") && c.status().equals("True")));
      assertThat(events).as("daemon pods tolerate unreachable").noneMatch(ControllerScenarioContract::addsOrRemovesPod);
      assertThat(nodeIn(plane, "n1").spec().taints()).isNull();
      assertThat(podNames(plane, "mon")).containsExactly(pod);
    }
  }

  /** The view's events after resourceVersion up to a marker: a label on node n1 that no DaemonSet selects on. */
  static List<WatchEvent> quietUntilMarker(ControlPlane plane, long resourceVersion) {
    String marker = UUID.randomUUID().toString();
    return Quiet.eventsBefore(plane.view(), resourceVersion, () -> {
      try {
        update(plane, node("n1", Map.of("daemonset.io/test-marker", marker), null));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, e -> e.resource().equals("nodes") && marker.equals(((Node) e.object()).metadata().labelsOrEmpty()
        .get("daemonset.io/test-marker")));
  }

  /** A pod added or removed, or marked for deletion. */
  static boolean addsOrRemovesPod(WatchEvent event) {
    return event.resource().equals("pods") && (!event.type().equals("MODIFIED")
        || ((Pod) event.object()).metadata().deletionTimestamp() != null);
  }

  static Node nodeIn(ControlPlane plane, String name) {
    return (Node) plane.view().index().get(ObjectIndex.NODES, null, name).orElseThrow().object();
  }

  @Test
  void theReplayedJournalSaysWhoAndWhyForEveryEvent() throws Exception {
    try (ControlPlane plane = start(); InProcessAgents agents = new InProcessAgents(plane)) {
      register(plane, node("n1", Map.of("ssd", "true"), null));
      register(plane, node("n2", Map.of("ssd", "true"), null));
      create(plane, daemonSet("fast", "nginx:1", Map.of("ssd", "true"), null));
      awaitPods(plane, "fast", 2);
      update(plane, node("n2", Map.of(), null));
      awaitPods(plane, "fast", 1);

      List<AuditRecord> trail = new ArrayList<>();
      new AuditReader(JournalDatabases.of(plane.member().config()), EventCodec.of(plane.system()))
          .replay(null, trail::add);

      assertThat(trail).isNotEmpty().allSatisfy(e -> {
        assertThat(e.at()).isNotNull();
        assertThat(e.actor()).isNotBlank();
        assertThat(e.reason()).isNotBlank();
      });
      assertThat(trail).extracting(AuditRecord::ordering).isSorted();
      assertThat(trail).filteredOn(e -> e.event().equals("DaemonSetCreated"))
          .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("alice"));
      assertThat(trail).filteredOn(e -> e.event().equals("PodsScheduled"))
          .allSatisfy(e -> assertThat(e.actor()).isEqualTo(Cause.CONTROLLER))
          .anySatisfy(e -> assertThat(e.reason()).contains("NODE_NEEDS_POD"));
      assertThat(trail).filteredOn(e -> e.event().equals("PodsDeletionRequested")).singleElement().satisfies(e -> {
        assertThat(e.entity()).isEqualTo("DaemonSet default/fast");
        assertThat(e.reason()).contains("on node n2").contains("node selector")
            .contains("trigger: node n2: label ssd removed");
      });
      assertThat(trail).filteredOn(e -> e.event().equals("PodAdmitted") && e.entity().equals("Node n1"))
          .singleElement().satisfies(e -> assertThat(e.reason()).contains("admit pod fast-"));
      assertThat(trail).filteredOn(e -> e.event().equals("PodStatusUpdated"))
          .allSatisfy(e -> assertThat(e.actor()).startsWith("system:node:"));
    }
  }

  @Test
  void rollingUpdatesKeepTheirBudgetAndRollBackWithoutRestarts() throws Exception {
    try (ControlPlane plane = start(); InProcessAgents agents = new InProcessAgents(plane)) {
      for (int i = 1; i <= 5; i++) {
        register(plane, node("n" + i, Map.of(), null));
      }
      DaemonSet v1 = daemonSet("agent", "agent:1",  null,
          new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0)));
      create(plane, v1);
      awaitRolledOut(plane, "agent", 5);
      List<String> v1Pods = podNames(plane, "agent");

      InvariantWatch watch = InvariantWatch.start(plane, "agent", 2, false);
      update(plane, Fixtures.withImage(v1, "agent:2"));
      awaitRolledOut(plane, "agent", 5);
      watch.close();
      assertThat(watch.violations()).isEmpty();
      assertThat(watch.maxUnavailableSeen()).isBetween(1, 2);
      assertThat(images(plane, "agent")).containsOnly("agent:2");

      DaemonSet v2surge = Fixtures.withRolling(Fixtures.withImage(v1, "agent:3"),
          new RollingUpdateDaemonSet(IntOrString.of(0), IntOrString.of(1)));
      InvariantWatch surge = InvariantWatch.start(plane, "agent", 0, true);
      update(plane, v2surge);
      awaitRolledOut(plane, "agent", 5);
      surge.close();
      assertThat(surge.violations()).isEmpty();
      assertThat(surge.maxPodsOnANodeSeen()).isEqualTo(2);
      assertThat(images(plane, "agent")).containsOnly("agent:3");

      // Rollback: the first template again. Its revision is renumbered, not copied.
      update(plane, Fixtures.withRolling(v1, new RollingUpdateDaemonSet(IntOrString.of(2), IntOrString.of(0))));
      awaitRolledOut(plane, "agent", 5);
      assertThat(images(plane, "agent")).containsOnly("agent:1");
      List<ControllerRevision> revisions = revisions(plane, "agent");
      assertThat(revisions).hasSize(3);
      assertThat(revisions.stream().mapToLong(ControllerRevision::revision).max().getAsLong()).isEqualTo(4);
      assertThat(podNames(plane, "agent")).doesNotContainAnyElementsOf(v1Pods);

      // Re-applying the current template restarts nothing.
      List<String> before = podNames(plane, "agent");
      long beforeReapply = plane.view().resourceVersion();
      update(plane, Fixtures.withRolling(v1, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0))));
      await("the re-applied DaemonSet reconciled", WAIT).until(() -> {
        DaemonSet ds = daemonSetIn(plane, "agent");
        return ds.status() != null && ds.metadata().generation().equals(ds.status().observedGeneration());
      });
      assertThat(quietUntilMarker(plane, beforeReapply)).noneMatch(ControllerScenarioContract::addsOrRemovesPod);
      assertThat(podNames(plane, "agent")).containsExactlyInAnyOrderElementsOf(before);
    }
  }

  @Test
  void orphanAndBackgroundDeletion() throws Exception {
    try (ControlPlane plane = start(); InProcessAgents agents = new InProcessAgents(plane)) {
      for (int i = 1; i <= 3; i++) {
        register(plane, node("n" + i, Map.of(), null));
      }
      create(plane, daemonSet("kept", "k:1", null, null));
      create(plane, daemonSet("gone", "g:1", null, null));
      awaitPods(plane, "kept", 3);
      awaitPods(plane, "gone", 3);
      List<String> keptPods = podNames(plane, "kept");

      delete(plane, "kept", "Orphan");
      delete(plane, "gone", "Background");

      await("kept deleted", WAIT).until(() -> plane.view().index().get(ObjectIndex.DAEMONSETS, "default", "kept")
          .isEmpty());
      await("background deletion removes the pods", WAIT).until(() -> podsNamed(plane, "gone-").isEmpty());
      // The view applies the nodes' orphaning events after the DaemonSet's own: wait for them rather than race them.
      await("the orphans are listed", WAIT).untilAsserted(() -> assertThat(podsNamed(plane, "kept-"))
          .extracting(p -> p.metadata().name()).containsExactlyInAnyOrderElementsOf(keptPods));
      await("orphans lose their controller reference", WAIT).until(() -> podsNamed(plane, "kept-").stream()
          .allMatch(p -> p.metadata().ownerReferences() == null));
    }
  }

  @Test
  void aRestartMidRolloutFinishesTheRolloutWithoutDuplicates() throws Exception {
    DaemonSet v1 = daemonSet("restart", "r:1", null, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)));
    List<String> steadyPods;
    try (ControlPlane plane = start()) {
      InProcessAgents agents = new InProcessAgents(plane);
      for (int i = 1; i <= 5; i++) {
        register(plane, node("n" + i, Map.of(), null));
      }
      create(plane, daemonSet("steady", "s:1", null, null));
      create(plane, v1);
      awaitRolledOut(plane, "restart", 5);
      awaitRolledOut(plane, "steady", 5);
      steadyPods = podNames(plane, "steady");
      update(plane, Fixtures.withImage(v1, "r:2"));
      await("the rollout started", WAIT).until(() -> images(plane, "restart").contains("r:2"));
      agents.close();
    }
    try (ControlPlane plane = start()) {
      plane.view().caughtUp().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long beforeRecovery = plane.view().resourceVersion();
      InvariantWatch watch = InvariantWatch.start(plane, "restart", 1, false);
      InProcessAgents agents = new InProcessAgents(plane);
      awaitRolledOut(plane, "restart", 5);
      watch.close();
      assertThat(watch.violations()).isEmpty();
      assertThat(images(plane, "restart")).containsOnly("r:2");
      assertOnePodPerNode(plane, "restart", "n1", "n2", "n3", "n4", "n5");
      assertThat(quietUntilMarker(plane, beforeRecovery)).as("a restart restarts no pod of a finished rollout")
          .noneMatch(e -> addsOrRemovesPod(e) && e.name().startsWith("steady-"));
      assertThat(podNames(plane, "steady")).containsExactlyElementsOf(steadyPods);
      assertThat(revisions(plane, "steady")).hasSize(1);
      agents.close();
    }
  }

  /**
   * Node entities are not remembered: after a restart, a node whose agent stays silent is still marked unreachable,
   * though nothing asks for it (NodeWaker starts the entities of the nodes the view lists, and their heartbeat timers).
   */
  @Test
  void aNodeSilentAcrossARestartTurnsUnreachableThoughNobodyAsksForIt() throws Exception {
    try (ControlPlane plane = start()) { // the default grace (40 s): the node stays Ready while this member runs
      register(plane, node("quiet", Map.of(), null));
      await("the node listed", WAIT).until(() -> plane.view().index().get(ObjectIndex.NODES, null, "quiet").isPresent());
      assertThat(nodeIn(plane, "quiet").spec().taints()).isNull();
    }
    try (ControlPlane plane = start(settings().withExtraConfig("""
        daemonset.node.heartbeat-grace = 2s
        daemonset.node.wake-interval = 1s
        """))) {
      await("the silent node tainted unreachable", WAIT).until(() -> plane.view().index()
          .get(ObjectIndex.NODES, null, "quiet").map(o -> ((Node) o.object()).spec().taintsOrEmpty().size() == 2)
          .orElse(false));
      assertThat(nodeIn(plane, "quiet").status().conditions()).filteredOn(c -> c.type().equals("Ready"))
          .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("Unknown"));
    }
  }

  // ---- steps ---------------------------------------------------------------------------------

  static Cause alice(String why) {
    return Cause.byUser(Instant.now(), "alice", why);
  }

  static void register(ControlPlane plane, Node node) throws Exception {
    var outcome = plane.store().node(node.name(), r -> new NodeEntity.Register(node, alice("register"), r))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
  }

  static void update(ControlPlane plane, Node node) throws Exception {
    var outcome = plane.store().node(node.name(), r -> new NodeEntity.Update(node, -1, alice("label or taint"), r))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
  }

  static void create(ControlPlane plane, DaemonSet ds) throws Exception {
    var outcome = plane.store().daemonSet("default", ds.metadata().name(),
        r -> new DaemonSetEntity.Create(ds, alice("kubectl create"), r)).toCompletableFuture().get(30,
            TimeUnit.SECONDS);
    assertThat(outcome.isOk()).as(outcome.message()).isTrue();
  }

  static void update(ControlPlane plane, DaemonSet ds) throws Exception {
    var outcome = plane.store().daemonSet("default", ds.metadata().name(),
        r -> new DaemonSetEntity.Update(ds, -1, alice("kubectl apply"), r)).toCompletableFuture().get(30,
            TimeUnit.SECONDS);
    assertThat(outcome.isOk()).as(outcome.message()).isTrue();
  }

  static void delete(ControlPlane plane, String name, String policy) throws Exception {
    var outcome = plane.store().daemonSet("default", name,
        r -> new DaemonSetEntity.Delete(policy, alice("kubectl delete"), r)).toCompletableFuture().get(30,
            TimeUnit.SECONDS);
    assertThat(outcome.isOk()).as(outcome.message()).isTrue();
  }

  static DaemonSet daemonSetIn(ControlPlane plane, String name) {
    return (DaemonSet) plane.view().index().get(ObjectIndex.DAEMONSETS, "default", name).orElseThrow().object();
  }

  static List<Pod> pods(ControlPlane plane, String dsName) {
    return plane.view().index().list(ObjectIndex.PODS).stream().map(o -> (Pod) o.object())
        .filter(p -> p.metadata().ownerReferencesOrEmpty().stream().anyMatch(r -> r.name().equals(dsName)))
        .toList();
  }

  static List<Pod> podsNamed(ControlPlane plane, String prefix) {
    return plane.view().index().list(ObjectIndex.PODS).stream().map(o -> (Pod) o.object())
        .filter(p -> p.metadata().name().startsWith(prefix)).toList();
  }

  static List<Pod> livePods(ControlPlane plane, String dsName) {
    return pods(plane, dsName).stream().filter(p -> p.metadata().deletionTimestamp() == null).toList();
  }

  static List<String> podNames(ControlPlane plane, String dsName) {
    return livePods(plane, dsName).stream().map(p -> p.metadata().name()).sorted().toList();
  }

  static List<String> podNodes(ControlPlane plane, String dsName) {
    return livePods(plane, dsName).stream().map(p -> p.spec().nodeName()).sorted().toList();
  }

  static List<String> images(ControlPlane plane, String dsName) {
    return livePods(plane, dsName).stream().map(p -> p.spec().containers().get(0).image()).distinct().toList();
  }

  static List<ControllerRevision> revisions(ControlPlane plane, String dsName) {
    return plane.view().index().list(ObjectIndex.REVISIONS).stream().map(o -> (ControllerRevision) o.object())
        .filter(r -> r.metadata().name().startsWith(dsName + "-")).toList();
  }

  static void assertOnePodPerNode(ControlPlane plane, String dsName, String... nodes) {
    assertThat(podNodes(plane, dsName)).containsExactlyInAnyOrder(nodes);
  }

  static void awaitPods(ControlPlane plane, String dsName, int count) {
    await(count + " pods of " + dsName, WAIT).until(() -> pods(plane, dsName).size() == count && livePods(plane, dsName)
        .size() == count);
  }

  /** Rolled out as kubectl rollout status judges it: observed, all updated, all available. */
  static void awaitRolledOut(ControlPlane plane, String dsName, int desired) {
    await(dsName + " rolled out on " + desired + " nodes", WAIT).until(() -> {
      DaemonSet ds = daemonSetIn(plane, dsName);
      var s = ds.status();
      return s != null && ds.metadata().generation().equals(s.observedGeneration())
          && s.desiredNumberScheduled() == desired && s.updatedNumberScheduled() == desired
          && s.numberAvailable() == desired && pods(plane, dsName).size() == desired;
    });
  }

  /**
   * Checks, after every change the view shows, that no node has more live pods of the DaemonSet than
   * allowed (one, or two during a surge) and that unavailable nodes stay within maxUnavailable.
   */
  static final class InvariantWatch implements AutoCloseable {
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final ControlPlane plane;
    private final String dsName;
    private final Runnable cancel;
    private volatile int maxUnavailable;
    private volatile int maxPodsOnANode;

    private InvariantWatch(ControlPlane plane, String dsName, int budget, boolean surge) {
      this.plane = plane;
      this.dsName = dsName;
      this.cancel = plane.view().subscribe(plane.view().resourceVersion(), change -> check(budget, surge)).cancel();
    }

    static InvariantWatch start(ControlPlane plane, String dsName, int maxUnavailable, boolean surge) {
      return new InvariantWatch(plane, dsName, maxUnavailable, surge);
    }

    private void check(int budget, boolean surge) {
      Map<String, List<Pod>> byNode = new HashMap<>();
      for (Pod p : livePods(plane, dsName)) {
        byNode.computeIfAbsent(p.spec().nodeName(), n -> new ArrayList<>()).add(p);
      }
      int most = byNode.values().stream().mapToInt(List::size).max().orElse(0);
      maxPodsOnANode = Math.max(maxPodsOnANode, most);
      if (most > (surge ? 2 : 1)) {
        violations.add("a node has " + most + " live pods: " + byNode);
      }
      long nodes = plane.view().index().list(ObjectIndex.NODES).size();
      long available = byNode.values().stream().filter(ps -> ps.stream().anyMatch(InvariantWatch::ready)).count();
      int unavailable = (int) (nodes - available);
      maxUnavailable = Math.max(maxUnavailable, unavailable);
      if (!surge && unavailable > budget) {
        violations.add(unavailable + " nodes unavailable, budget " + budget);
      }
      if (surge && unavailable > 0) {
        violations.add("surge left " + unavailable + " nodes without an available pod");
      }
    }

    private static boolean ready(Pod p) {
      return p.status() != null && p.status().conditionsOrEmpty().stream()
          .anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
    }

    List<String> violations() {
      return violations;
    }

    int maxUnavailableSeen() {
      return maxUnavailable;
    }

    int maxPodsOnANodeSeen() {
      return maxPodsOnANode;
    }

    @Override
    public void close() {
      cancel.run();
    }
  }
}
