package io.daemonset.bench;

import com.typesafe.config.Config;
import io.daemonset.cluster.Store;
import io.daemonset.cluster.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;

/**
 * What the journal's database can take in this run: raw batched JDBC inserts of rows shaped and sized like the
 * journal's, into tables like the journal's, on the journal's own database, schema, URL and driver properties (for
 * PostgreSQL reWriteBatchedInserts), in batches of the journal's batchSize, one transaction each, from one connection.
 * Also what the journal wrote since an ordering (rows, tag rows, average payload), read from its tables.
 */
final class JournalCeiling {
  /**
   * What the journal wrote: rows, their average event_payload size, event_tag rows for them, and rows whose ordering
   * is below that of an earlier event of the same entity (there must be none: the view reads in ordering order).
   */
  record Sample(long rows, int averagePayload, long tagRows, long outOfOrder) {}

  /**
   * Rows/s of the raw inserts, and of the same with one tag row per row in the same transaction; the CPU the plain
   * inserts took in this JVM (the inserting thread) and in the local database's processes (0 if not local).
   */
  record Result(long rows, int batchSize, double seconds, double rowsPerSecond, double withTagsPerSecond,
                long jvmCpuNanos, long databaseCpuNanos) {}

  private final Store store;
  private final String url;
  private final Properties properties;
  private final String schemaPrefix;
  private final int batchSize;

  private JournalCeiling(Store store, String url, Properties properties, String schema, int batchSize) {
    this.store = store;
    this.url = url;
    this.properties = properties;
    this.schemaPrefix = schema.isEmpty() ? "" : schema + ".";
    this.batchSize = batchSize;
  }

  /** The database a running member's journal writes to (its resolved config). */
  static JournalCeiling of(Config config) {
    Config db = config.getConfig(StoreConfig.SHARED_DB_PATH + ".db");
    Properties props = new Properties();
    if (db.hasPath("properties")) {
      db.getConfig("properties").entrySet().forEach(e -> props.setProperty(e.getKey(),
          String.valueOf(e.getValue().unwrapped())));
    }
    props.setProperty("user", db.getString("user"));
    props.setProperty("password", db.getString("password"));
    return new JournalCeiling(StoreConfig.store(config), db.getString("url"), props,
        config.getString("daemonset.persistence.schema"), config.getInt("jdbc-journal.batchSize"));
  }

  /** The database's name, to tell its server processes from other databases' (LocalProcessCpu). */
  String database() {
    return LocalProcessCpu.databaseOf(url);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  long maxOrdering() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT coalesce(max(\"ordering\"), 0) FROM " + schemaPrefix + "\"event_journal\"")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** What the journal wrote after the given ordering. */
  Sample written(long afterOrdering) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      long rows;
      int payload;
      try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(avg(octet_length(\"event_payload\")), 0) FROM "
          + schemaPrefix + "\"event_journal\" WHERE \"ordering\" > " + afterOrdering)) {
        r.next();
        rows = r.getLong(1);
        payload = (int) Math.round(r.getDouble(2));
      }
      long tags;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + schemaPrefix + "\"event_tag\" WHERE \"event_id\" > "
          + afterOrdering)) {
        r.next();
        tags = r.getLong(1);
      }
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT \"ordering\" AS o, lag(\"ordering\") OVER"
          + " (PARTITION BY \"persistence_id\" ORDER BY \"sequence_number\") AS previous FROM " + schemaPrefix
          + "\"event_journal\") j WHERE j.o < j.previous")) {
        r.next();
        return new Sample(rows, payload, tags, r.getLong(1));
      }
    }
  }

  /** Inserts that many rows of that payload size (at least 2,000), without and with a tag row each. */
  Result measure(long rows, int payload) throws SQLException {
    long n = Math.max(2_000, rows);
    byte[] bytes = new byte[Math.max(1, payload)];
    Arrays.fill(bytes, (byte) 'x');
    try (Connection c = connect(); Statement s = c.createStatement()) {
      String journal = schemaPrefix + "ceiling_journal";
      String tags = schemaPrefix + "ceiling_tag";
      String binary = store == Store.POSTGRES ? "BYTEA" : "VARBINARY";
      // the journal's own shape (pekko-persistence-jdbc 1.1's schema): its key, its ordering index, its tag table
      s.execute("CREATE TABLE " + journal + " (ordering BIGINT GENERATED BY DEFAULT AS IDENTITY,"
          + " persistence_id VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL,"
          + " deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL, write_timestamp BIGINT,"
          + " adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL, event_ser_manifest VARCHAR(255) NOT NULL,"
          + " event_payload " + binary + " NOT NULL, meta_ser_id INTEGER, meta_ser_manifest VARCHAR(255),"
          + " meta_payload " + binary + ", PRIMARY KEY (persistence_id, sequence_number), UNIQUE (ordering))");
      s.execute("CREATE TABLE " + tags + " (event_id BIGINT, tag VARCHAR(256), PRIMARY KEY (event_id, tag),"
          + " FOREIGN KEY (event_id) REFERENCES " + journal + " (ordering) ON DELETE CASCADE)");
      try {
        c.setAutoCommit(false);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long jvmBefore = threads.getCurrentThreadCpuTime();
        LocalProcessCpu databaseBefore = LocalProcessCpu.ofPostgres(database());
        double seconds = insert(c, journal, null, 0, n, bytes);
        long databaseNanos = LocalProcessCpu.ofPostgres(database()).nanosSince(databaseBefore);
        long jvmNanos = threads.getCurrentThreadCpuTime() - jvmBefore;
        double withTags = insert(c, journal, tags, n, n, bytes);
        return new Result(n, batchSize, seconds, n / seconds, n / withTags, jvmNanos, databaseNanos);
      } finally {
        c.setAutoCommit(true);
        s.execute("DROP TABLE " + tags);
        s.execute("DROP TABLE " + journal);
      }
    }
  }

  /**
   * Seconds to insert n rows in batches of batchSize, one transaction each; with a tag table, each row also gets a
   * tag row (the ordering given explicitly, as the raw ideal of the journal's insert-returning-then-tag).
   */
  private double insert(Connection c, String journal, String tags, long first, long n, byte[] payload)
      throws SQLException {
    String columns = "persistence_id, sequence_number, writer, write_timestamp, event_ser_id, event_ser_manifest,"
        + " event_payload";
    long t0 = System.nanoTime();
    try (PreparedStatement rows = c.prepareStatement(tags == null
             ? "INSERT INTO " + journal + " (" + columns + ") VALUES (?, ?, 'writer-uuid', ?, 1000, 'E', ?)"
             : "INSERT INTO " + journal + " (ordering, " + columns + ") VALUES (?, ?, ?, 'writer-uuid', ?, 1000, 'E', ?)");
         PreparedStatement tagRows = tags == null ? null
             : c.prepareStatement("INSERT INTO " + tags + " (event_id, tag) VALUES (?, 'k8s')")) {
      for (long i = first; i < first + n; i++) {
        int p = 1;
        if (tags != null) {
          rows.setLong(p++, 1_000_000_000L + i);
          tagRows.setLong(1, 1_000_000_000L + i);
          tagRows.addBatch();
        }
        rows.setString(p++, "Node|node-" + (i % 5_000));
        rows.setLong(p++, i);
        rows.setLong(p++, System.currentTimeMillis());
        rows.setBytes(p, payload);
        rows.addBatch();
        if ((i + 1 - first) % batchSize == 0 || i == first + n - 1) {
          rows.executeBatch();
          if (tagRows != null) {
            tagRows.executeBatch();
          }
          c.commit();
        }
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
