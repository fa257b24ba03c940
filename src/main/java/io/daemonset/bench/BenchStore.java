package io.daemonset.bench;

import io.daemonset.cluster.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a benchmark's journal lives: a fresh H2 file under a temp dir, or a fresh schema in the PostgreSQL database
 * of DS_DB_URL (so runs never see each other's events). For PostgreSQL it also measures the ceiling: raw batched
 * inserts of rows shaped like the journal's, in the same run, on the same database.
 */
final class BenchStore implements AutoCloseable {
  final Store store;
  final Path dataDir;
  final String schema;

  private BenchStore(Store store, Path dataDir, String schema) {
    this.store = store;
    this.dataDir = dataDir;
    this.schema = schema;
  }

  static BenchStore create(Store store) throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("daemonset-bench");
    if (store != Store.POSTGRES) {
      return new BenchStore(store, dir, null);
    }
    String schema = "bench_" + ProcessHandle.current().pid() + "_" + (System.currentTimeMillis() % 100_000);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return new BenchStore(store, dir, schema);
  }

  /** Config that points the control plane at this store. */
  String config() {
    String base = "daemonset.node.heartbeat-grace = 1h\n";
    return schema == null ? base : base + "daemonset.persistence.schema = \"" + schema + "\"\n";
  }

  static Connection connect() throws SQLException {
    String url = env("DS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/daemonset");
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", env("DS_DB_USER", "daemonset"));
    properties.setProperty("password", env("DS_DB_PASSWORD", ""));
    // the driver setting the journal's connections have (persistence-postgres.conf), whatever DS_DB_URL says: the
    // ceiling's batches are then multi-row INSERTs as the journal's are
    properties.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(url, properties);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /**
   * Rows/s of raw batched inserts (batches of 400, one transaction each, like the journal's writes) of rows the
   * size of this run's average event payload; "-" for H2.
   */
  String ceiling(int rows) throws SQLException {
    if (schema == null) {
      return "-";
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      int payload;
      try (ResultSet r = s.executeQuery("SELECT coalesce(avg(length(event_payload)), 300) FROM " + schema
          + ".event_journal")) {
        r.next();
        payload = (int) r.getDouble(1);
      }
      s.execute("CREATE TABLE " + schema + ".ceiling (ordering BIGSERIAL PRIMARY KEY, persistence_id VARCHAR(255),"
          + " sequence_number BIGINT, writer VARCHAR(255), write_timestamp BIGINT, event_ser_id INT,"
          + " event_ser_manifest VARCHAR(255), event_payload BYTEA, UNIQUE (persistence_id, sequence_number))");
      c.setAutoCommit(false);
      byte[] bytes = new byte[payload];
      java.util.Arrays.fill(bytes, (byte) 'x');
      long t0 = System.nanoTime();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".ceiling (persistence_id,"
          + " sequence_number, writer, write_timestamp, event_ser_id, event_ser_manifest, event_payload)"
          + " VALUES (?, ?, 'w', 0, 33, 'm', ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setString(1, "Node|node-" + (i % 5000));
          insert.setLong(2, i);
          insert.setBytes(3, bytes);
          insert.addBatch();
          if ((i + 1) % 400 == 0 || i == rows - 1) {
            insert.executeBatch();
            c.commit();
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return String.format("%.0f rows/s (%d B)", rows / seconds, payload);
    }
  }

  @Override
  public void close() throws Exception {
    if (schema != null) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
