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

  /** Up to {@code limit} rows after {@code ordering}, in ordering order. */
  List<Row> after(Connection c, long ordering, int limit) throws SQLException {
    // The digest is taken of the limited rows (the subquery), not of every row the scan passes before the limit: on a
    // table PostgreSQL has not analyzed yet, the plan reads all rows after the cursor and sorts them, and the digests
    // of a sealer far behind were computed for all of them at every read (docs/performance.md, "pg9").
    try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM (SELECT \"ordering\","
        + " \"persistence_id\", \"sequence_number\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\""
        + " FROM \"event_journal\" WHERE " + io.daemonset.journal.Journal.AFTER_ORDERING + " ORDER BY \"ordering\""
        + " LIMIT " + limit + ") r ORDER BY \"ordering\"")) {
      s.setLong(1, ordering);
      return read(s);
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
