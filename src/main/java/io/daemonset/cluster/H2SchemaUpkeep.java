package io.daemonset.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings an H2 journal created by an earlier release (the plugin's own script: BLOB payloads, ordering's identity
 * cache of 32) to the settings of today's script where that needs no row rewritten, at every start.
 *
 * <p>Why: such a file keeps its tables (converting its payload columns would rewrite the whole journal while the
 * member starts), but two of the costs the new script removes are settings: the identity's cache (H2 commits the
 * sequence's high-water mark on its own each time the cache runs out, a whole store with WRITE_DELAY=0) and where
 * H2 keeps a BLOB (above {@code MAX_LENGTH_INPLACE_LOB}, 256 B by default, in its LOB maps; at or below it in the
 * row). Both are metadata: no row moves, rows written before keep their place, and a previous release reads the
 * file as before. A database created by today's script already has both (VARBINARY payloads need no LOB setting).
 */
final class H2SchemaUpkeep {
  /** The identity cache of today's script (docs/persistence.md, "The H2 schema"). */
  static final long ORDERING_CACHE = 1000;
  /** Payloads up to this size stay in the row of a BLOB column; above it (view snapshots) in the LOB maps. */
  static final int INPLACE_LOB_BYTES = 64 * 1024;

  private H2SchemaUpkeep() {}

  /** Applies what is missing to the journal in {@code schema}; returns the statements it ran (none: up to date). */
  static List<String> apply(Connection connection, String schema) throws SQLException {
    List<String> ran = new ArrayList<>();
    String journal = "\"" + schema + "\".\"event_journal\"";
    Optional<Long> cache = column(connection, schema, "ordering", "IDENTITY_CACHE").map(Long::parseLong);
    if (cache.isPresent() && cache.get() < ORDERING_CACHE) {
      ran.add(execute(connection, "ALTER TABLE " + journal + " ALTER COLUMN \"ordering\" SET CACHE " + ORDERING_CACHE));
    }
    boolean blobPayloads = column(connection, schema, "event_payload", "DATA_TYPE")
        .filter(type -> type.equals("BINARY LARGE OBJECT")).isPresent();
    if (blobPayloads && inplaceLobBytes(connection) < INPLACE_LOB_BYTES) {
      ran.add(execute(connection, "SET MAX_LENGTH_INPLACE_LOB " + INPLACE_LOB_BYTES));
    }
    return ran;
  }

  /** The database's MAX_LENGTH_INPLACE_LOB (persistent, not listed in INFORMATION_SCHEMA.SETTINGS). */
  static int inplaceLobBytes(Connection connection) throws SQLException {
    return connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local
        ? local.getDatabase().getMaxLengthInplaceLob() : Integer.MAX_VALUE; // a remote session: leave it alone
  }

  private static Optional<String> column(Connection connection, String schema, String column, String property)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT " + property + " FROM INFORMATION_SCHEMA.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'event_journal' AND COLUMN_NAME = ?")) {
      s.setString(1, schema);
      s.setString(2, column);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    }
  }

  private static String execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
    return sql;
  }
}
