package io.daemonset.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The journal table as the sealer and the verifier read it, for tests on H2 (and PostgreSQL). */
final class TestJournalTable {
  private TestJournalTable() {}

  /** On H2. */
  static void create(Connection c) throws SQLException {
    create(c, "BLOB");
  }

  /** With payloads of {@code bytesType}: BLOB on H2, BYTEA on PostgreSQL. */
  static void create(Connection c, String bytesType) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE \"event_journal\" (\"ordering\" BIGINT NOT NULL PRIMARY KEY,"
          + " \"persistence_id\" VARCHAR(255) NOT NULL, \"sequence_number\" BIGINT NOT NULL,"
          + " \"write_timestamp\" BIGINT NOT NULL, \"event_ser_id\" INT NOT NULL,"
          + " \"event_ser_manifest\" VARCHAR(255) NOT NULL, \"event_payload\" " + bytesType + " NOT NULL)");
    }
  }

  static void insert(Connection c, JournalRow row) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      bind(s, row);
      s.executeUpdate();
    }
  }

  /** The rows in one batch and one transaction. */
  static void insertAll(Connection c, List<JournalRow> rows) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (JournalRow row : rows) {
        bind(s, row);
        s.addBatch();
      }
      s.executeBatch();
      c.commit();
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static final String INSERT = "INSERT INTO \"event_journal\" VALUES (?, ?, ?, ?, ?, ?, ?)";

  private static void bind(PreparedStatement s, JournalRow row) throws SQLException {
    s.setLong(1, row.ordering());
    s.setString(2, row.persistenceId());
    s.setLong(3, row.sequenceNr());
    s.setLong(4, row.writtenAt().toEpochMilli());
    s.setInt(5, row.serializerId());
    s.setString(6, row.manifest());
    s.setBytes(7, row.payload());
  }
}
