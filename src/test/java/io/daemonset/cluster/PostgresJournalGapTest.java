package io.daemonset.cluster;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.model.Cause;
import io.daemonset.model.Json;
import io.daemonset.model.Outcome;
import io.daemonset.model.RawObject;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.view.ObjectIndex;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view's journal tail and gaps in the orderings, on PostgreSQL. The gap timeout is set to ten minutes, so the
 * only way past a gap within the test's wait is the database saying that no transaction can fill it any more: a
 * gap left by a rolled-back write (what a database outage leaves) delays no write, and a gap of a transaction still
 * open is waited for and then read, not skipped.
 */
class PostgresJournalGapTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  String schema;
  ControlPlane plane;

  @BeforeEach
  void start() throws Exception {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    plane = ControlPlane.start(Settings.defaults().withDataDir(dataDir).withStore(Store.POSTGRES).withClusterPort(0)
        .withSeedNodes(List.of()).withExtraConfig(PostgresTestDatabase.config(schema))
        .withExtraConfig("daemonset.view.gap-timeout = 10m"), Clock.systemUTC());
    plane.member().awaitMemberUp(WAIT);
    plane.view().caughtUp().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    PostgresTestDatabase.dropSchema(schema);
  }

  @Test
  void aGapLeftByARolledBackWriteDelaysNoWrite() throws Exception {
    try (Connection t = connection()) {
      t.setAutoCommit(false);
      long taken = insertConfigMapEvent(t, "rolled-back");
      t.rollback();
      assertThat(taken).as("the rolled-back write took an ordering: a gap for ever").isPositive();
    }

    writeConfigMap("after").get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(configMaps()).contains("after").doesNotContain("rolled-back");
  }

  @Test
  void aGapOfATransactionStillOpenIsWaitedForAndThenRead() throws Exception {
    try (Connection t = connection()) {
      t.setAutoCommit(false);
      long open = insertConfigMapEvent(t, "in-flight");
      CompletableFuture<Outcome<RawObject>> behind = writeConfigMap("behind");
      await("the write behind the open transaction is committed", WAIT)
          .until(() -> committedOrdering("behind") > open);
      long reads = plane.view().journalReads();
      await("the view read the journal again and again", WAIT).until(() -> plane.view().journalReads() >= reads + 20);
      assertThat(behind).as("the write's reply waits for the view, which waits for the gap").isNotDone();
      assertThat(configMaps()).doesNotContain("in-flight", "behind");
      assertThat(plane.view().resourceVersion()).isLessThan(open);

      t.commit();

      behind.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await("the row that filled the gap was read, not stepped over", WAIT)
          .untilAsserted(() -> assertThat(configMaps()).contains("in-flight", "behind"));
    }
  }

  @Test
  void aRowCommittedAfterAnOlderLookingLaterRowIsReadNotSteppedOver() throws Exception {
    try (Connection t = connection()) {
      t.setAutoCommit(false);
      // What a database outage leaves: a write taken from the queue late commits after a row stamped long ago.
      long queued = insertConfigMapEvent(t, "queued", System.currentTimeMillis());
      try (Connection late = connection()) {
        long later = insertConfigMapEvent(late, "stamped-long-ago", System.currentTimeMillis() - 3_600_000);
        assertThat(later).isGreaterThan(queued);
      }
      long reads = plane.view().journalReads();
      await("the view read the journal again and again", WAIT).until(() -> plane.view().journalReads() >= reads + 20);
      assertThat(configMaps()).as("the view waits at the gap").doesNotContain("queued", "stamped-long-ago");

      t.commit();

      await("the row that filled the gap was read, not stepped over", WAIT)
          .untilAsserted(() -> assertThat(configMaps()).contains("queued", "stamped-long-ago"));
    }
  }

  private long insertConfigMapEvent(Connection c, String name) throws Exception {
    return insertConfigMapEvent(c, name, System.currentTimeMillis());
  }

  /** A ConfigMap's creation event written into the journal in the caller's transaction; returns its ordering. */
  private long insertConfigMapEvent(Connection c, String name, long writeTimestamp) throws Exception {
    var object = Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\",\"uid\":\"" + java.util.UUID.randomUUID() + "\",\"creationTimestamp\":\""
        + Instant.now() + "\"},\"data\":{\"k\":\"v\"}}");
    Object event = new ObjectEntity.ObjectWritten("configmaps", object, null,
        Cause.byUser(Instant.now(), "test", "a write in a transaction of the test's own"));
    Serialization serialization = SerializationExtension.get(plane.system().classicSystem());
    var serializer = serialization.findSerializerFor(event);
    try (PreparedStatement s = c.prepareStatement("INSERT INTO \"" + schema + "\".event_journal (persistence_id,"
        + " sequence_number, writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
        + " event_payload) VALUES (?, 1, 'test', ?, '', ?, ?, ?) RETURNING ordering")) {
      s.setString(1, persistenceId(name));
      s.setLong(2, writeTimestamp);
      s.setInt(3, serializer.identifier());
      s.setString(4, Serializers.manifestFor(serializer, event));
      s.setBytes(5, serializer.toBinary(event));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private CompletableFuture<Outcome<RawObject>> writeConfigMap(String name) throws Exception {
    var object = Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\"},\"data\":{\"k\":\"v\"}}");
    return plane.store().plainObject("configmaps", "default", name, r -> new ObjectEntity.Create("configmaps", object,
        Cause.byUser(Instant.now(), "alice", "kubectl create"), r)).toCompletableFuture();
  }

  private long committedOrdering(String name) throws Exception {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement("SELECT max(ordering) FROM \"" + schema
        + "\".event_journal WHERE persistence_id = ?")) {
      s.setString(1, persistenceId(name));
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private List<String> configMaps() {
    return plane.view().index().list(ObjectIndex.CONFIGMAPS).stream()
        .map(o -> Json.tree(o.object()).path("metadata").path("name").asText()).toList();
  }

  private static String persistenceId(String name) {
    return ObjectEntity.ENTITY_TYPE_KEY.name() + "|" + ObjectEntity.entityId("configmaps", "default", name);
  }

  private static Connection connection() throws Exception {
    return DriverManager.getConnection(PostgresTestDatabase.URL, PostgresTestDatabase.USER,
        PostgresTestDatabase.PASSWORD);
  }
}
