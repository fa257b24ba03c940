package io.daemonset.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Reads {@code event_journal} with plain JDBC, in ordering order, a page at a time (the journal may hold
 * millions of rows; none is kept longer than its consumer keeps it). The same SQL runs on H2 and PostgreSQL:
 * the plugin's tables have lower-case quoted names on both.
 */
public final class JournalRows {
  static final int PAGE = 1_000;
  static final String COLUMNS = "\"ordering\", \"persistence_id\", \"sequence_number\", \"write_timestamp\","
      + " \"event_ser_id\", \"event_ser_manifest\", \"event_payload\"";

  /** Receives rows; may throw to stop the reading. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(JournalRow row) throws Exception;
  }

  private final JournalDatabase database;

  public JournalRows(JournalDatabase database) {
    this.database = database;
  }

  /** Every row with {@code after < ordering <= upTo}, in ordering order. */
  public void forEach(long after, long upTo, RowConsumer consumer) throws Exception {
    try (Connection c = database.open()) {
      long from = after;
      while (true) {
        int read = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM \"event_journal\""
            + " WHERE \"ordering\" > ? AND \"ordering\" <= ? ORDER BY \"ordering\" LIMIT " + PAGE)) {
          s.setLong(1, from);
          s.setLong(2, upTo);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              JournalRow row = row(rs);
              consumer.accept(row);
              from = row.ordering();
              read++;
            }
          }
        }
        if (read < PAGE) {
          return;
        }
      }
    }
  }

  /** Every row. */
  public void forEach(RowConsumer consumer) throws Exception {
    forEach(0L, Long.MAX_VALUE, consumer);
  }

  /** The rows of one entity, in sequence-number order. */
  public void forEachOf(String persistenceId, RowConsumer consumer) throws Exception {
    try (Connection c = database.open()) {
      for (JournalRow row : ofEntity(c, persistenceId, 0)) {
        consumer.accept(row);
      }
    }
  }

  /** The rows of one entity after a sequence number, in sequence-number order, read on the caller's connection. */
  static java.util.List<JournalRow> ofEntity(Connection c, String persistenceId, long afterSequenceNr)
      throws SQLException {
    java.util.List<JournalRow> rows = new java.util.ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM \"event_journal\""
        + " WHERE \"persistence_id\" = ? AND \"sequence_number\" > ? ORDER BY \"sequence_number\"")) {
      s.setString(1, persistenceId);
      s.setLong(2, afterSequenceNr);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    return rows;
  }

  /** The highest ordering written so far, 0 for an empty journal. */
  public long maxOrdering() throws SQLException {
    try (Connection c = database.open(); PreparedStatement s =
        c.prepareStatement("SELECT COALESCE(MAX(\"ordering\"), 0) FROM \"event_journal\"");
         ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static JournalRow row(ResultSet rs) throws SQLException {
    return new JournalRow(rs.getLong(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
        rs.getInt(5), rs.getString(6), rs.getBytes(7));
  }
}
