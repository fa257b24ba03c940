package io.daemonset.cluster;

import com.typesafe.config.Config;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import io.daemonset.view.SnapshotTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pekko-persistence-jdbc tables when they are missing, with plain JDBC, before an
 * ActorSystem uses the journal.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Before: the database is reachable; the tables may be absent, complete, or partly created by a run
 *       that died half-way.
 *   <li>After a normal return: all of {@link #TABLES} exist in the target schema; no table that existed
 *       was dropped; the data in them is untouched (on H2 an earlier release's file gets two settings,
 *       {@link H2SchemaUpkeep}; on PostgreSQL the tags' foreign key to the journal is dropped,
 *       {@link PostgresSchemaUpkeep}).
 *   <li>Any number of concurrent callers (threads or JVMs) against one PostgreSQL database: exactly one
 *       runs the script at a time (session advisory lock), the others find the tables and return.
 * </ul>
 *
 * <p>The PostgreSQL script is the one shipped inside the pekko-persistence-jdbc jar, so the tables always match
 * the plugin version; the H2 one is ours, the plugin's with payloads in line and ordering as the key (the script
 * says why; {@code H2SchemaScriptTest} holds it to the plugin's columns). Both are not re-runnable ({@code CREATE INDEX} without {@code IF NOT EXISTS}), they
 * name the {@code public} schema, and the PostgreSQL one uses {@code CREATE INDEX CONCURRENTLY}, which
 * cannot run inside a transaction. So: statements run one by one in autocommit mode, the hard-coded
 * {@code public.} qualifier is dropped so that the connection's current schema is used, and an
 * "already exists" error from a statement means that object is there and is skipped.
 */
public final class SchemaInitializer {
  /** The tables the 1.1.x scripts create; the non-legacy schema (tags in {@code event_tag}). */
  public static final List<String> PLUGIN_TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state");
  /** Every table: the plugin's and, beside them, the view's snapshots ({@link SnapshotTable}). */
  public static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state",
      SnapshotTable.NAME);

  private static final Logger log = LoggerFactory.getLogger(SchemaInitializer.class);
  /** Advisory lock key: "daemonset" schema creation, the same in every JVM of every version. */
  private static final long PG_LOCK_KEY = 0x64_73_2d_73_63_68_65_6dL; // "ds-schem"
  private static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
  /** PostgreSQL: duplicate_table (relations and indexes), duplicate_object, duplicate_schema;
   *  H2: table, index and constraint already exist. */
  private static final Set<String> ALREADY_EXISTS = Set.of("42P07", "42710", "42P06", "42S01", "42S11", "90045");
  private static final Pattern PUBLIC_QUALIFIER = Pattern.compile("(?i)\\bpublic\\.");
  private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$");
  /** Serialises H2 callers inside one JVM (H2 has no advisory locks; one JVM owns an H2 file anyway). */
  private static final Object H2_LOCK = new Object();

  private SchemaInitializer() {}

  /** Ensures the tables of the store a resolved control-plane config points at. */
  public static boolean ensureSchema(Config config) {
    return ensureSchema(JdbcTarget.of(config));
  }

  /**
   * Ensures the tables exist in {@code target}, creating the schema and whatever is missing.
   *
   * @return true if this call created something, false if everything was already there
   * @throws IllegalStateException if the database cannot be reached or the tables cannot be created
   */
  public static boolean ensureSchema(JdbcTarget target) {
    try (Connection connection = target.connect()) {
      connection.setAutoCommit(true);
      String schema = target.schema().isEmpty() ? connection.getSchema() : target.schema();
      if (schema != null && missingTables(connection, schema).isEmpty()) {
        upkeep(connection, target.store(), schema);
        return false; // the common case on every restart: no lock, no DDL (on H2 at most two settings)
      }
      boolean created = withLock(connection, target.store(), () -> createMissing(connection, target));
      upkeep(connection, target.store(), connection.getSchema());
      return created;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the journal tables in " + target + ": " + e.getMessage(), e);
    }
  }

  private static boolean createMissing(Connection connection, JdbcTarget target) throws SQLException {
    if (!target.schema().isEmpty()) {
      execute(connection, "CREATE SCHEMA IF NOT EXISTS \"" + target.schema() + "\"");
      connection.setSchema(target.schema());
    }
    String schema = connection.getSchema();
    if (schema == null) {
      throw new SQLException("the connection has no current schema (check search_path / currentSchema)");
    }
    List<String> missing = missingTables(connection, schema);
    if (missing.isEmpty()) {
      return false;
    }
    log.info("Creating journal tables {} in schema {} of {}", missing, schema, target);
    if (missing.stream().anyMatch(PLUGIN_TABLES::contains)) {
      for (String statement : statements(target.store())) {
        try {
          execute(connection, statement);
        } catch (SQLException e) {
          if (!ALREADY_EXISTS.contains(e.getSQLState())) {
            throw e;
          }
          log.debug("Already there, skipped: {}", e.getMessage());
        }
      }
    }
    // A database created before the view's snapshots gets their table alone.
    execute(connection, SnapshotTable.createStatement(target.store() == Store.POSTGRES));
    List<String> stillMissing = missingTables(connection, schema);
    if (!stillMissing.isEmpty()) {
      throw new SQLException("tables still missing after the create script: " + stillMissing);
    }
    return true;
  }

  /**
   * What today's schema changes in the plugin's tables without moving a row: on H2 two settings of a file an earlier
   * release created ({@link H2SchemaUpkeep}), on PostgreSQL no foreign key from the tags to the journal
   * ({@link PostgresSchemaUpkeep}; new databases too, whose tables the plugin's script creates with it).
   */
  private static void upkeep(Connection connection, Store store, String schema) throws SQLException {
    List<String> ran = store == Store.H2 ? H2SchemaUpkeep.apply(connection, schema)
        : PostgresSchemaUpkeep.apply(connection, schema);
    if (!ran.isEmpty()) {
      log.info("journal tables brought to today's schema: applied {}", ran);
    }
  }

  /** Tables of {@link #TABLES} absent from {@code schema}. */
  static List<String> missingTables(Connection connection, String schema) throws SQLException {
    List<String> missing = new ArrayList<>();
    for (String table : TABLES) {
      try (ResultSet rs = connection.getMetaData().getTables(null, schema, table, new String[] {"TABLE"})) {
        if (!rs.next()) {
          missing.add(table);
        }
      }
    }
    return missing;
  }

  /** The statements of the create script for {@code store}, unqualified (current schema), without comment lines. */
  static List<String> statements(Store store) {
    String script = COMMENT_LINE.matcher(readResource(store.createSchemaScript())).replaceAll("");
    return Arrays.stream(script.split(";\\s*(\\R|$)"))
        .map(s -> PUBLIC_QUALIFIER.matcher(s).replaceAll("").strip())
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String readResource(String name) {
    try (InputStream in = SchemaInitializer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " not found on the classpath: is pekko-persistence-jdbc there?");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} holding PostgreSQL's session advisory lock, or for H2 a lock of this JVM.
   *
   * <p>The PostgreSQL lock is polled with {@code pg_try_advisory_lock} rather than awaited with
   * {@code pg_advisory_lock}: a session blocked inside that SELECT holds a snapshot, and the holder's
   * {@code CREATE INDEX CONCURRENTLY} waits for every older snapshot to end: a deadlock.
   */
  private static <T> T withLock(Connection connection, Store store, SqlWork<T> work) throws SQLException {
    if (store == Store.H2) {
      synchronized (H2_LOCK) {
        return work.run();
      }
    }
    long deadline = System.nanoTime() + DEFAULT_LOCK_TIMEOUT.toNanos();
    while (!tryAdvisoryLock(connection)) {
      if (System.nanoTime() > deadline) {
        throw new SQLException("another process held the schema-creation lock for " + DEFAULT_LOCK_TIMEOUT);
      }
      sleep(Duration.ofMillis(100));
    }
    try {
      return work.run();
    } finally {
      try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        unlock.setLong(1, PG_LOCK_KEY);
        unlock.execute();
      }
    }
  }

  private static boolean tryAdvisoryLock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, PG_LOCK_KEY);
      try (ResultSet rs = lock.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static void sleep(Duration duration) throws SQLException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the schema-creation lock", e);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
