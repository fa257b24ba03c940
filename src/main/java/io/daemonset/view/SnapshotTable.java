package io.daemonset.view;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table of view snapshots, beside the journal in the same database, so that every member of a cluster reads
 * them: one row per snapshot, keyed by its journal position; the newest {@value #KEPT} are kept. A new snapshot is
 * inserted and the older ones deleted in one transaction, so the previous snapshot stays readable until the new one
 * is committed, and a reader never sees a half-written row.
 */
public final class SnapshotTable {
  public static final String NAME = "view_snapshot";
  /** The newest one, and the one before it in case the newest cannot be read. */
  static final int KEPT = 2;

  /** A snapshot's row without its payload. */
  record Entry(long position, int format, long resourceVersion, String writer, long writtenAt) {}

  /** A snapshot's payload as Pekko's serialization wrote it. */
  record Payload(int serializerId, String manifest, byte[] bytes) {}

  private final JournalDatabase database;
  private final String table;

  SnapshotTable(JournalDatabase database) {
    this.database = database;
    this.table = database.table(NAME);
  }

  /**
   * The statement that creates the table (in the connection's current schema) when it is missing; the same on H2
   * and PostgreSQL but for the payload's type. On H2 a BLOB, unlike the journal's VARBINARY payloads (its create
   * script says why): a view snapshot is hundreds of KB, written every few seconds at most, and H2's LOB store keeps
   * it out of the B-tree pages whose every rewrite would copy it.
   */
  public static String createStatement(boolean postgres) {
    return "CREATE TABLE IF NOT EXISTS \"" + NAME + "\" (\"position\" BIGINT NOT NULL PRIMARY KEY,"
        + " \"format\" INT NOT NULL, \"resource_version\" BIGINT NOT NULL, \"writer\" VARCHAR(255) NOT NULL,"
        + " \"written_at\" BIGINT NOT NULL, \"ser_id\" INT NOT NULL, \"ser_manifest\" VARCHAR(255) NOT NULL,"
        + " \"payload\" " + (postgres ? "BYTEA" : "BLOB") + " NOT NULL)";
  }

  /** Every snapshot, newest first. */
  List<Entry> entries() throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
        "SELECT \"position\", \"format\", \"resource_version\", \"writer\", \"written_at\" FROM " + table
            + " ORDER BY \"position\" DESC")) {
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Entry(r.getLong(1), r.getInt(2), r.getLong(3), r.getString(4), r.getLong(5)));
        }
      }
    }
    return out;
  }

  /** The newest snapshot's position, 0 when there is none. */
  long newestPosition() throws SQLException {
    try (Connection c = database.connection()) {
      return newestPosition(c);
    }
  }

  /** The payload of the snapshot at this position, if it is still there. */
  Optional<Payload> payload(long position) throws SQLException {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
        "SELECT \"ser_id\", \"ser_manifest\", \"payload\" FROM " + table + " WHERE \"position\" = ?")) {
      s.setLong(1, position);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Payload(r.getInt(1), r.getString(2), r.getBytes(3))) : Optional.empty();
      }
    }
  }

  /**
   * Inserts a snapshot and deletes all but the newest {@value #KEPT}, in one transaction.
   *
   * @return false when a snapshot as new as this one is already there (another member wrote it): nothing written
   */
  boolean save(Entry entry, Payload payload) throws SQLException {
    try (Connection c = database.connection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        if (newestPosition(c) >= entry.position()) {
          c.rollback();
          return false;
        }
        insert(c, entry, payload);
        deleteAllButNewest(c);
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private void insert(Connection c, Entry entry, Payload payload) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (\"position\", \"format\","
        + " \"resource_version\", \"writer\", \"written_at\", \"ser_id\", \"ser_manifest\", \"payload\")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, entry.position());
      s.setInt(2, entry.format());
      s.setLong(3, entry.resourceVersion());
      s.setString(4, entry.writer());
      s.setLong(5, entry.writtenAt());
      s.setInt(6, payload.serializerId());
      s.setString(7, payload.manifest());
      s.setBytes(8, payload.bytes());
      s.executeUpdate();
    }
  }

  private void deleteAllButNewest(Connection c) throws SQLException {
    List<Long> positions = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT \"position\" FROM " + table + " ORDER BY \"position\" DESC");
         ResultSet r = s.executeQuery()) {
      while (r.next()) {
        positions.add(r.getLong(1));
      }
    }
    if (positions.size() > KEPT) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE \"position\" < ?")) {
        s.setLong(1, positions.get(KEPT - 1));
        s.executeUpdate();
      }
    }
  }

  private long newestPosition(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT MAX(\"position\") FROM " + table);
         ResultSet r = s.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    }
  }
}
