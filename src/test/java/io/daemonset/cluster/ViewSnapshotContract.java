package io.daemonset.cluster;

import static io.daemonset.cluster.ControllerScenarioContract.alice;
import static io.daemonset.cluster.ControllerScenarioContract.awaitRolledOut;
import static io.daemonset.cluster.ControllerScenarioContract.create;
import static io.daemonset.cluster.ControllerScenarioContract.images;
import static io.daemonset.cluster.ControllerScenarioContract.register;
import static io.daemonset.cluster.ControllerScenarioContract.update;
import static io.daemonset.cluster.Fixtures.daemonSet;
import static io.daemonset.cluster.Fixtures.node;
import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Json;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.SnapshotPolicy;
import io.daemonset.view.SnapshotTable;
import io.daemonset.view.StoredObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The view's own snapshot on a real database: a restarted member starts from it and serves exactly what a full
 * replay of the same journal serves (objects and resourceVersions), having applied only the events after it; a
 * snapshot that cannot be read costs a full replay, never a start.
 */
abstract class ViewSnapshotContract {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final List<String> RESOURCES = List.of(ObjectIndex.DAEMONSETS, ObjectIndex.NODES, ObjectIndex.PODS,
      ObjectIndex.REVISIONS, ObjectIndex.EVENTS, ObjectIndex.NAMESPACES, ObjectIndex.CONFIGMAPS, ObjectIndex.SECRETS,
      ObjectIndex.SERVICEACCOUNTS);

  /** A single-member cluster on the database under test; the same database on every call. */
  abstract Settings settings();

  ControlPlane start() throws Exception {
    // small enough that the history below writes snapshots while it runs, not only at the stop
    ControlPlane plane = ControlPlane.start(settings().withExtraConfig(
        "daemonset.view.snapshot { every-events = 30, every-events-per-object = 0 }"),
        Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(WAIT);
      plane.view().caughtUp().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  @Test
  void aRestartStartsFromTheSnapshotAndServesWhatAFullReplayServes() throws Exception {
    long beforeStop = writeHistoryAndStop();
    try (ControlPlane plane = start()) {
      ClusterView view = plane.view();
      long x = view.startedFrom();
      assertThat(x).as("started from the snapshot written at the graceful stop").isGreaterThanOrEqualTo(beforeStop);
      assertThat(view.subscribe(beforeStop - 1, change -> { }).gone()).as("a watch from before the snapshot").isTrue();
      assertThat(view.subscribe(view.resourceVersion(), change -> { }).gone()).isFalse();

      // history after the snapshot, applied by the tail
      register(plane, node("n4", Map.of(), null));
      writeConfigMap(plane, "after", "v1", true);
      writeConfigMap(plane, "settings", "v3", false);

      ClusterView full = ClusterView.start(plane.system(), SnapshotPolicy.OFF);
      assertServesTheSame(view, full);
      assertThat(full.startedFrom()).isZero();
      await("the restored view applied exactly the events after its snapshot", WAIT).untilAsserted(() -> {
        long rv = view.resourceVersion();
        long applied = view.eventsApplied();
        assertThat(view.resourceVersion()).isEqualTo(rv);
        assertThat(applied).isPositive().isEqualTo(indexedEvents(plane, x, rv));
      });
      assertThat(full.eventsApplied()).isGreaterThan(view.eventsApplied());
    }
  }

  @Test
  void aCorruptSnapshotFallsBackToTheFullReplay() throws Exception {
    writeHistoryAndStop();
    corruptEverySnapshot();
    try (ControlPlane plane = start()) {
      ClusterView view = plane.view();
      assertThat(view.startedFrom()).as("no snapshot could be used").isZero();
      ClusterView full = ClusterView.start(plane.system(), SnapshotPolicy.OFF);
      assertServesTheSame(view, full);
      await("the view replayed every event", WAIT).untilAsserted(() -> {
        long rv = view.resourceVersion();
        long applied = view.eventsApplied();
        assertThat(view.resourceVersion()).isEqualTo(rv);
        assertThat(applied).isEqualTo(indexedEvents(plane, 0, rv));
      });
    }
  }

  /**
   * Nodes, a DaemonSet rolled out and rolled to a new image (pods, revisions, Kubernetes Events), a ConfigMap and a
   * Secret (sealed in the journal), then a graceful stop; returns the view's resourceVersion before the stop.
   */
  private long writeHistoryAndStop() throws Exception {
    try (ControlPlane plane = start()) {
      InProcessAgents agents = new InProcessAgents(plane);
      for (int i = 1; i <= 3; i++) {
        register(plane, node("n" + i, Map.of(), null));
      }
      DaemonSet v1 = daemonSet("logs", "logs:1", null, new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)));
      create(plane, v1);
      awaitRolledOut(plane, "logs", 3);
      writeConfigMap(plane, "settings", "v1", true);
      writeSecret(plane, "token", "czNjcjN0");
      update(plane, Fixtures.withImage(v1, "logs:2"));
      awaitRolledOut(plane, "logs", 3);
      assertThat(images(plane, "logs")).containsOnly("logs:2");
      writeConfigMap(plane, "settings", "v2", false);
      await("a snapshot written while the member runs", WAIT).until(() -> snapshotRows() > 0);
      agents.close();
      return plane.view().resourceVersion();
    } finally {
      assertThat(snapshotRows()).as("the newest two kept").isBetween(1L, 2L);
    }
  }

  private static void assertServesTheSame(ClusterView restored, ClusterView full) {
    await("the restored view serves what the full replay serves", WAIT).untilAsserted(() -> {
      long rv = full.resourceVersion();
      assertThat(restored.resourceVersion()).isEqualTo(rv);
      for (String resource : RESOURCES) {
        assertThat(objects(restored, resource)).as(resource).isEqualTo(objects(full, resource));
      }
      assertThat(full.resourceVersion()).isEqualTo(rv);
    });
    assertThat(objects(full, ObjectIndex.PODS)).isNotEmpty();
    assertThat(objects(full, ObjectIndex.EVENTS)).isNotEmpty();
    assertThat(objects(full, ObjectIndex.SECRETS).values()).singleElement()
        .satisfies(s -> assertThat(Json.tree(s.object()).path("data").path("password").asText()).isEqualTo("czNjcjN0"));
  }

  private static Map<String, StoredObject> objects(ClusterView view, String resource) {
    Map<String, StoredObject> out = new TreeMap<>();
    view.index().list(resource).forEach(o -> out.put(o.key(), o));
    return out;
  }

  /** The journal's events for the view with from < ordering <= to. */
  private long indexedEvents(ControlPlane plane, long from, long to) throws Exception {
    long count = 0;
    try (Connection c = JournalDatabases.of(plane.member().config()).open(); PreparedStatement s = c.prepareStatement(
        "SELECT \"persistence_id\" FROM \"event_journal\" WHERE \"ordering\" > ? AND \"ordering\" <= ?"
            + " AND \"deleted\" = FALSE")) {
      s.setLong(1, from);
      s.setLong(2, to);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          count += ObjectIndex.isIndexed(r.getString(1)) ? 1 : 0;
        }
      }
    }
    return count;
  }

  private long snapshotRows() throws Exception {
    try (Connection c = JournalDatabases.of(ControlPlaneConfig.load(settings())).open(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"" + SnapshotTable.NAME + "\"")) {
      r.next();
      return r.getLong(1);
    }
  }

  private void corruptEverySnapshot() throws Exception {
    try (Connection c = JournalDatabases.of(ControlPlaneConfig.load(settings())).open(); PreparedStatement s =
        c.prepareStatement("UPDATE \"" + SnapshotTable.NAME + "\" SET \"payload\" = ?")) {
      s.setBytes(1, "{\"format\": 1, \"position\": 12, \"index\": [truncated".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(s.executeUpdate()).isPositive();
    }
  }

  private static void writeConfigMap(ControlPlane plane, String name, String value, boolean create) throws Exception {
    var object = Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\"},\"data\":{\"value\":\"" + value + "\"}}");
    var outcome = plane.store().plainObject("configmaps", "default", name, r -> create
            ? new ObjectEntity.Create("configmaps", object, alice("kubectl create"), r)
            : new ObjectEntity.Update(object, -1, alice("kubectl apply"), r))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).as(outcome.message()).isTrue();
  }

  private static void writeSecret(ControlPlane plane, String name, String password) throws Exception {
    var object = Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\"},\"type\":\"Opaque\",\"data\":{\"password\":\"" + password + "\"}}");
    var outcome = plane.store().plainObject("secrets", "default", name,
        r -> new ObjectEntity.Create("secrets", object, alice("kubectl create"), r)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).as(outcome.message()).isTrue();
  }
}
