package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.cluster.Counter.Added;
import io.daemonset.cluster.Counter.Get;
import io.daemonset.cluster.Counter.State;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.stream.javadsl.Sink;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal contract on a data directory an earlier release created: the plugin's own H2 tables (BLOB payloads),
 * holding rows written before with their payloads in H2's LOB maps. The member starts on it, keeps its tables,
 * reads the old rows (recovery through the plugin's DAO, eventsByTag through its read journal) and writes new ones.
 */
class H2PluginSchemaPersistenceTest extends JournalRoundTripContract {
  static final String LEGACY_ID = "legacy";
  static final List<Integer> LEGACY_AMOUNTS = List.of(100, 200, 300);
  /** Bigger than H2's default MAX_LENGTH_INPLACE_LOB (256 B): the earlier release's row kept it in the LOB maps. */
  static final int LEGACY_PADDING = 2_000;

  @TempDir Path dataDir;

  @Override
  Settings settings() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of());
  }

  @BeforeEach
  void anEarlierReleasesDataDirectory() throws SQLException {
    PluginH2Schema.create(dataDir);
    try (Connection c = DriverManager.getConnection(PluginH2Schema.url(dataDir), "sa", "")) {
      for (int i = 0; i < LEGACY_AMOUNTS.size(); i++) {
        // a field this release does not know pads the event; readers ignore unknown fields (docs/persistence.md)
        String event = "{\"amount\":" + LEGACY_AMOUNTS.get(i) + ",\"note\":\"" + "x".repeat(LEGACY_PADDING) + "\"}";
        long ordering = insert(c, Counter.persistenceId(LEGACY_ID).id(), i + 1, event);
        try (PreparedStatement tag = c.prepareStatement("INSERT INTO \"event_tag\" VALUES (?, ?)")) {
          tag.setLong(1, ordering);
          tag.setString(2, Counter.TAG);
          tag.executeUpdate();
        }
      }
      assertThat(lobs(c)).as("the earlier release's payloads are in H2's LOB maps").isEqualTo(LEGACY_AMOUNTS.size());
    }
  }

  @Test
  void rowsAnEarlierReleaseWroteAreReadAndTheFileKeepsItsTables() throws Exception {
    try (ControlPlaneSystem cps = ControlPlaneSystem.start(settings())) {
      cps.awaitMemberUp(TIMEOUT);
      CounterRef counter = CounterRef.on(cps, LEGACY_ID);
      assertThat(counter.send(Get::new)).as("recovered from the old rows")
          .isEqualTo(new State(LEGACY_AMOUNTS.stream().mapToInt(Integer::intValue).sum(), LEGACY_AMOUNTS.size()));
      List<EventEnvelope> tagged = cps.readJournal().currentEventsByTag(Counter.TAG, Offset.noOffset())
          .filter(e -> e.persistenceId().equals(Counter.persistenceId(LEGACY_ID).id()))
          .runWith(Sink.seq(), cps.system()).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(tagged).extracting(EventEnvelope::event)
          .containsExactly(LEGACY_AMOUNTS.stream().map(Added::new).toArray());

      assertThat(counter.send(r -> new Counter.AddAll(List.of(4), r))).isEqualTo(new State(604, 4));
      try (Connection c = JdbcTarget.of(cps.config()).connect()) {
        assertThat(type(c, "event_journal", "event_payload")).as("the column stays").isEqualTo("BINARY LARGE OBJECT");
        assertThat(type(c, "snapshot", "snapshot_payload")).isEqualTo("BINARY LARGE OBJECT");
        assertThat(H2SchemaUpkeep.inplaceLobBytes(c)).isEqualTo(H2SchemaUpkeep.INPLACE_LOB_BYTES);
        assertThat(lobs(c)).as("the new event stays in its row; the old ones where they were")
            .isEqualTo(LEGACY_AMOUNTS.size());
        assertThat(payload(c, Counter.persistenceId(LEGACY_ID).id(), 1)).contains("\"amount\":100");
        assertThat(payload(c, Counter.persistenceId(LEGACY_ID).id(), 4)).isEqualTo("{\"amount\":4}");
      }
    }
  }

  static long insert(Connection c, String persistenceId, long sequenceNr, String event) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO \"event_journal\" (\"persistence_id\","
        + " \"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
        + " \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'earlier-release', ?, '', ?, 31, ?)",
        new String[] {"ordering"})) {
      s.setString(1, persistenceId);
      s.setLong(2, sequenceNr);
      s.setLong(3, System.currentTimeMillis());
      s.setBytes(4, event.getBytes(StandardCharsets.UTF_8));
      s.setString(5, Added.class.getName());
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** LOBs in the file's LOB maps. */
  static long lobs(Connection c) throws SQLException {
    MVStore store = H2Housekeeping.mvStore(c);
    return store.hasMap("lobMap") ? store.openMap("lobMap").size() : 0;
  }

  static String type(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT DATA_TYPE FROM"
        + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'")) {
      r.next();
      return r.getString(1);
    }
  }

  static String payload(Connection c, String persistenceId, long sequenceNr) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT \"event_payload\" FROM \"event_journal\""
        + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
      s.setString(1, persistenceId);
      s.setLong(2, sequenceNr);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new String(r.getBytes(1), StandardCharsets.UTF_8);
      }
    }
  }
}
