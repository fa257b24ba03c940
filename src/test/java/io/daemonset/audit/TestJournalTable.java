package io.daemonset.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The journal table as the sealer and the verifier read it, for tests on an in-memory H2 database. */
final class TestJournalTable {
  private TestJournalTable() {}

  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE \"event_journal\" (\"ordering\" BIGINT NOT NULL PRIMARY KEY,"
          + " \"persistence_id\" VARCHAR(255) NOT NULL, \"sequence_number\" BIGINT NOT NULL,"
          + " \"write_timestamp\" BIGINT NOT NULL, \"event_ser_id\" INT NOT NULL,"
          + " \"event_ser_manifest\" VARCHAR(255) NOT NULL, \"event_payload\" BLOB NOT NULL)");
    }
  }
}
