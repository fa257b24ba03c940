package io.daemonset.view;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a gap in the journal's orderings can still fill, asked of the database instead of waited out.
 * <p>A row's ordering is taken from the table's sequence inside the inserting transaction, which holds a
 * {@code RowExclusiveLock} on the table from before it takes the number (PostgreSQL locks an INSERT's target
 * relation while parsing the statement) until it commits or rolls back. A missing ordering below a row the tail has
 * seen was taken before that row's transaction took its own, so by a transaction that began before the tail's read.
 * If no transaction holding that lock began at or before this check (which runs after the read), the missing row's
 * transaction has ended: it rolled back (the gap is for ever: a write refused in a database outage, a connection cut
 * mid-batch), or it committed, and then the next read sees the row. Either way the tail need not wait.
 * <p>Only PostgreSQL answers; on other databases (H2, one JVM) {@link #unknown} keeps the tail on its timeout.
 */
interface JournalWriters {
  /** True when no transaction that began at or before now could still write the journal table. */
  boolean noneStartedBefore(Connection connection) throws SQLException;

  /** No way to know: a gap is waited for until it times out. */
  JournalWriters UNKNOWN = connection -> false;

  /** What the database behind this connection can answer. */
  static JournalWriters of(Connection connection, String journalTable) throws SQLException {
    return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())
        ? new Postgres(journalTable) : UNKNOWN;
  }

  /**
   * PostgreSQL's lock table, joined with the sessions for when their transactions began. A session whose start is
   * hidden (another role without pg_read_all_stats) counts as a writer that may fill the gap: waiting is the safe side.
   */
  record Postgres(String journalTable) implements JournalWriters {
    static final String QUERY = "SELECT EXISTS (SELECT 1 FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
        + " WHERE l.locktype = 'relation' AND l.relation = to_regclass(?) AND l.mode = 'RowExclusiveLock'"
        + " AND l.pid <> pg_backend_pid() AND (a.xact_start IS NULL OR a.xact_start <= statement_timestamp()))";

    @Override
    public boolean noneStartedBefore(Connection connection) throws SQLException {
      try (PreparedStatement s = connection.prepareStatement(QUERY)) {
        s.setString(1, journalTable);
        try (ResultSet r = s.executeQuery()) {
          return r.next() && !r.getBoolean(1);
        }
      }
    }
  }
}
