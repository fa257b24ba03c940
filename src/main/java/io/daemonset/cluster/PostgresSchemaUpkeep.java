package io.daemonset.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL journal to today's schema where that changes no row, at every start: the plugin's script
 * declares {@code event_tag.event_id} a foreign key of {@code event_journal.ordering}, which is dropped.
 *
 * <p>Why: the key made every tag row (one per event) run a trigger that looks the journal row up by ordering and
 * locks it ({@code FOR KEY SHARE}, a WAL record of its own), in the write's transaction: with the tag row, ~40 % of
 * the database's time to insert a journal batch, the lock and lookup most of it (docs/performance.md, "pg9"). What
 * it guarded cannot happen here: the journal's writes insert the tag rows from the {@code RETURNING} of the journal
 * rows in the same statement ({@code journal.BatchedJournalDao}); its {@code ON DELETE CASCADE} is done by the one
 * place that deletes journal rows ({@code audit.Archiver}), and a tag row left behind by an older release's archiver
 * is invisible: every read by tag joins the journal row. Dropping the constraint touches no row; it waits at most
 * {@link #LOCK_TIMEOUT} for the two tables' locks (members writing) and is otherwise tried again at the next start. A
 * role that does not own the tables cannot drop it: the member starts as before and logs the statement to run.
 */
final class PostgresSchemaUpkeep {
  static final String TAG_FOREIGN_KEY = "fk_event_journal";
  private static final String LOCK_TIMEOUT = "2s";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSchemaUpkeep.class);

  private PostgresSchemaUpkeep() {}

  /** Applies what is missing to the journal in {@code schema}; returns the statements it ran (none: up to date). */
  static List<String> apply(Connection connection, String schema) throws SQLException {
    if (!hasTagForeignKey(connection, schema)) {
      return List.of();
    }
    String drop = "ALTER TABLE \"" + schema + "\".\"event_tag\" DROP CONSTRAINT IF EXISTS \"" + TAG_FOREIGN_KEY + "\"";
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      s.execute(drop);
      connection.commit();
      return List.of(drop);
    } catch (SQLException e) {
      connection.rollback();
      if ("55P03".equals(e.getSQLState())) { // lock_not_available
        LOG.info("event_tag's foreign key not dropped (the tables stayed locked for {}): again at the next start",
            LOCK_TIMEOUT);
        return List.of();
      }
      if ("42501".equals(e.getSQLState())) { // insufficient_privilege: another role owns the tables
        // the key costs time, not correctness: start as before, and say what the owner may run
        LOG.warn("event_tag's foreign key costs every journal write a lookup and a lock of its journal row, and this"
            + " role may not drop it; the tables' owner may: {}", drop);
        return List.of();
      }
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  static boolean hasTagForeignKey(Connection connection, String schema) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_constraint c JOIN pg_class t"
        + " ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?"
        + " AND t.relname = 'event_tag' AND c.conname = ? AND c.contype = 'f'")) {
      s.setString(1, schema);
      s.setString(2, TAG_FOREIGN_KEY);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }
}
