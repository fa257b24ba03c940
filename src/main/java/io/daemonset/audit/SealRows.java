package io.daemonset.audit;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the journal rows the sealer chains. In chain format 2 a link covers the payload's SHA-256, not the payload,
 * so the database computes that digest where it can (PostgreSQL's {@code sha256}, H2's {@code HASH}) and the payload
 * neither travels nor is hashed here. Under C1 alone (the image's JIT) Java's SHA-256 runs without the CPU's SHA
 * instructions: hashing every payload was a fifth of a write-bound PostgreSQL journal's CPU, which PostgreSQL does
 * in a fraction of it (docs/performance.md). Format 1 links cover the payload bytes, so format 1 reads them.
 */
final class SealRows {
  /** What the sealer needs of a row; exactly one of {@code payload} and {@code payloadDigest} is set. */
  record Row(long ordering, String persistenceId, long sequenceNr, int serializerId, String manifest,
             byte[] payload, byte[] payloadDigest) {

    boolean isAudited() {
      return JournalRow.isAudited(persistenceId);
    }

    /** The row's two digests, chained from {@code previous}. */
    ChainDigest.Digests digests(ChainDigest.Format format, String previous) {
      if (payloadDigest != null) {
        return ChainDigest.ofPayloadDigest(previous, persistenceId, sequenceNr, serializerId, manifest, payloadDigest);
      }
      return ChainDigest.of(format, previous, new JournalRow(ordering, persistenceId, sequenceNr, Instant.EPOCH,
          serializerId, manifest, payload));
    }
  }

  private final String columns;
  private final boolean digested;

  private SealRows(String payloadColumn, boolean digested) {
    this.columns = "\"ordering\", \"persistence_id\", \"sequence_number\", \"event_ser_id\", \"event_ser_manifest\", "
        + payloadColumn;
    this.digested = digested;
  }

  /** How to read rows chained in {@code format} from the database {@code c} is connected to. */
  static SealRows of(ChainDigest.Format format, Connection c) throws SQLException {
    String digest = format == ChainDigest.Format.V2 ? payloadDigestSql(c.getMetaData()) : null;
    return digest == null ? new SealRows("\"event_payload\"", false) : new SealRows(digest, true);
  }

  /** The SQL expression of the payload's SHA-256 on this database, or null where it has none. */
  static String payloadDigestSql(DatabaseMetaData meta) throws SQLException {
    String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgresql")) {
      return "sha256(\"event_payload\")"; // PostgreSQL 11+
    }
    if (product.equals("h2")) {
      return "HASH('SHA-256', \"event_payload\")";
    }
    return null;
  }

  /** Whether the database computes the payloads' digests. */
  boolean digested() {
    return digested;
  }

  /**
   * The first rows after {@code ordering}, in ordering order: those of the next {@code limit} orderings, or, when these
   * are all holes, of the {@code limit} orderings from the next row on. Fewer than {@code limit} rows do not mean the
   * journal ends there (holes); none means no row follows.
   *
   * <p>Read by a window of orderings, not by {@code LIMIT}: PostgreSQL plans a journal table it has not analyzed yet
   * (a new cluster's, every bench's: autovacuum analyzes a minute or more in) from default estimates, and for
   * {@code "ordering" > ? ORDER BY "ordering" LIMIT n} that plan is a bitmap scan of every row after the position and a
   * sort of them all, payloads included, to keep the first {@code n}: a sealer {@code L} rows behind the head sorted
   * {@code L} rows at every read, ~{@code L²/2n} per pass (docs/performance.md, "audit9"). In a window the same plan
   * touches at most {@code limit} rows, and the digests are taken of those rows only.
   */
  List<Row> after(Connection c, long ordering, int limit) throws SQLException {
    List<Row> rows = window(c, ordering, limit);
    if (rows.isEmpty()) {
      long next = nextOrdering(c, ordering);
      if (next > 0) {
        rows = window(c, next - 1, limit);
      }
    }
    return rows;
  }

  private List<Row> window(Connection c, long after, int orderings) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(windowSql())) {
      s.setLong(1, after);
      s.setLong(2, after > Long.MAX_VALUE - orderings ? Long.MAX_VALUE : after + orderings);
      return read(s);
    }
  }

  /** The read of a window of orderings: after the first parameter, up to the second. */
  String windowSql() {
    return "SELECT " + columns + " FROM \"event_journal\" WHERE \"ordering\" > ? AND \"ordering\" <= ?"
        + " ORDER BY \"ordering\"";
  }

  /** The first ordering after {@code ordering}, 0 if none (MIN on the ordering index, whatever the statistics). */
  private static long nextOrdering(Connection c, long ordering) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT MIN(\"ordering\") FROM \"event_journal\" WHERE "
        + io.daemonset.journal.Journal.AFTER_ORDERING)) {
      s.setLong(1, ordering);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The rows of one entity after a sequence number, in sequence-number order. */
  List<Row> ofEntity(Connection c, String persistenceId, long afterSequenceNr) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM \"event_journal\""
        + " WHERE \"persistence_id\" = ? AND \"sequence_number\" > ? ORDER BY \"sequence_number\"")) {
      s.setString(1, persistenceId);
      s.setLong(2, afterSequenceNr);
      return read(s);
    }
  }

  private List<Row> read(PreparedStatement s) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        byte[] payload = rs.getBytes(6);
        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
            digested ? null : payload, digested ? payload : null));
      }
    }
    return rows;
  }
}
