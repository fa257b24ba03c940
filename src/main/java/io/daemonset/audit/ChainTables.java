package io.daemonset.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chain's two tables beside the journal, created if missing (same SQL on H2 and PostgreSQL):
 * {@code audit_chain} (one row per sealed event: its payload digest and chained digest) and
 * {@code audit_checkpoint} (signed heads), and {@code audit_format} (one row: the chain's {@link ChainDigest.Format}).
 * Neither is trusted by itself: an attacker who can write the journal
 * can write these too; only the checkpoints' signatures, made with a key kept outside the database, are.
 */
public final class ChainTables {
  private ChainTables() {}

  /** One sealed event. */
  public record Link(String persistenceId, long seq, long ordering, String payloadDigest, String digest) {}

  public static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS \"audit_chain\" (\"persistence_id\" VARCHAR(255) NOT NULL,"
          + " \"sequence_number\" BIGINT NOT NULL, \"ordering\" BIGINT NOT NULL,"
          + " \"payload_digest\" VARCHAR(64) NOT NULL, \"digest\" VARCHAR(64) NOT NULL,"
          + " PRIMARY KEY (\"persistence_id\", \"sequence_number\"))");
      s.execute("CREATE TABLE IF NOT EXISTS \"audit_checkpoint\" (\"id\" BIGINT NOT NULL PRIMARY KEY,"
          + " \"created_at\" BIGINT NOT NULL, \"body\" VARCHAR NOT NULL, \"mac\" VARCHAR(64) NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS \"audit_format\" (\"id\" INT NOT NULL PRIMARY KEY,"
          + " \"version\" INT NOT NULL)");
    }
  }

  /**
   * The chain format of this database: the one its first sealer pinned, else 1 (tables of a release before formats,
   * or none yet). Not signed, and need not be: a changed format recomputes every chain differently, so every signed
   * head stops matching.
   */
  public static ChainDigest.Format format(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"audit_format\" WHERE \"id\" = 1")) {
      return rs.next() ? ChainDigest.Format.of(rs.getInt(1)) : ChainDigest.Format.V1;
    } catch (SQLException missing) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return ChainDigest.Format.V1;
    }
  }

  /**
   * Pins the format if none is: the newest for a database with nothing sealed or signed yet, 1 where an earlier
   * release already sealed (its links are format 1, and an entity's chain keeps one format).
   */
  static ChainDigest.Format pinFormat(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"audit_format\" WHERE \"id\" = 1")) {
      if (rs.next()) {
        return ChainDigest.Format.of(rs.getInt(1));
      }
    }
    boolean sealedBefore;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM \"audit_chain\" LIMIT 1) a)"
             + " + (SELECT COUNT(*) FROM (SELECT 1 FROM \"audit_checkpoint\" LIMIT 1) b)")) {
      rs.next();
      sealedBefore = rs.getLong(1) > 0;
    }
    ChainDigest.Format format = sealedBefore ? ChainDigest.Format.V1 : ChainDigest.Format.V2;
    try (PreparedStatement s = c.prepareStatement("INSERT INTO \"audit_format\" (\"id\", \"version\") VALUES (1, ?)")) {
      s.setInt(1, format.version);
      s.executeUpdate(); // a second sealer racing here fails on the key, restarts, and reads this row
    }
    return format;
  }

  static boolean exist(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM \"audit_checkpoint\" WHERE 1 = 0").close();
      return true;
    } catch (SQLException missing) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return false;
    }
  }

  /** The last link of every entity. */
  static Map<String, Link> heads(Connection c) throws SQLException {
    Map<String, Link> out = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT c.\"persistence_id\", c.\"sequence_number\", c.\"ordering\","
        + " c.\"payload_digest\", c.\"digest\" FROM \"audit_chain\" c JOIN (SELECT \"persistence_id\","
        + " MAX(\"sequence_number\") AS m FROM \"audit_chain\" GROUP BY \"persistence_id\") h"
        + " ON h.\"persistence_id\" = c.\"persistence_id\" AND h.m = c.\"sequence_number\"");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        Link l = link(rs);
        out.put(l.persistenceId(), l);
      }
    }
    return out;
  }

  /** The links of one entity, by sequence number. */
  static Map<Long, Link> links(Connection c, String persistenceId) throws SQLException {
    Map<Long, Link> out = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT \"persistence_id\", \"sequence_number\", \"ordering\","
        + " \"payload_digest\", \"digest\" FROM \"audit_chain\" WHERE \"persistence_id\" = ?"
        + " ORDER BY \"sequence_number\"")) {
      s.setString(1, persistenceId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Link l = link(rs);
          out.put(l.seq(), l);
        }
      }
    }
    return out;
  }

  /** Every persistence id with a link. */
  static List<String> chainedEntities(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT \"persistence_id\" FROM \"audit_chain\"");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The most links one INSERT carries (5 parameters each; PostgreSQL takes at most 32,767 per statement). */
  static final int LINKS_PER_INSERT = 128;

  /**
   * Inserts the links with multi-row INSERTs (same SQL on H2 and PostgreSQL): as many statements of
   * {@link #LINKS_PER_INSERT} rows as fit, sent as one JDBC batch, then the rest in statements of descending powers of
   * two ({@link #insertSizes}), so a connection prepares at most eight texts. One row per statement, as before, cost
   * PostgreSQL a statement's execution per link and the driver a message per row: with the sealer's connection
   * (no {@code reWriteBatchedInserts}) a JDBC batch is still a statement per row, and the insert was a fifth of the
   * sealer's samples in a write-bound journal (docs/performance.md, "audit9").
   */
  static void insert(Connection c, List<Link> links) throws SQLException {
    int from = 0;
    int[] sizes = insertSizes(links.size());
    for (int i = 0; i < sizes.length; ) {
      int size = sizes[i];
      int statements = 0;
      while (i + statements < sizes.length && sizes[i + statements] == size) {
        statements++;
      }
      try (PreparedStatement s = c.prepareStatement(INSERT_SQL[Integer.numberOfTrailingZeros(size)])) {
        for (int n = 0; n < statements; n++, from += size) {
          bind(s, links.subList(from, from + size));
          if (statements > 1) {
            s.addBatch();
          }
        }
        if (statements > 1) {
          s.executeBatch();
        } else {
          s.executeUpdate();
        }
      }
      i += statements;
    }
  }

  /**
   * The rows per INSERT for {@code links} links: full statements of {@link #LINKS_PER_INSERT}, then the remainder's
   * binary digits, largest first ({@code 300 -> 128, 128, 32, 8, 4}).
   */
  static int[] insertSizes(int links) {
    int full = links / LINKS_PER_INSERT;
    int rest = links % LINKS_PER_INSERT;
    int[] sizes = new int[full + Integer.bitCount(rest)];
    java.util.Arrays.fill(sizes, 0, full, LINKS_PER_INSERT);
    int at = full;
    for (int bit = Integer.highestOneBit(LINKS_PER_INSERT); bit > 0; bit >>= 1) {
      if ((rest & bit) != 0) {
        sizes[at++] = bit;
      }
    }
    return sizes;
  }

  /** The INSERT of {@code 2^i} rows at index {@code i}. */
  private static final String[] INSERT_SQL = java.util.stream.IntStream
      .rangeClosed(0, Integer.numberOfTrailingZeros(LINKS_PER_INSERT)).mapToObj(i -> insertSql(1 << i))
      .toArray(String[]::new);

  private static String insertSql(int rows) {
    StringBuilder sql = new StringBuilder(100 + rows * 16).append("INSERT INTO \"audit_chain\" (\"persistence_id\","
        + " \"sequence_number\", \"ordering\", \"payload_digest\", \"digest\") VALUES ");
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
    }
    return sql.toString();
  }

  private static void bind(PreparedStatement s, List<Link> links) throws SQLException {
    int p = 0;
    for (Link l : links) {
      s.setString(++p, l.persistenceId());
      s.setLong(++p, l.seq());
      s.setLong(++p, l.ordering());
      s.setString(++p, l.payloadDigest());
      s.setString(++p, l.digest());
    }
  }

  static List<Checkpoint.Signed> checkpoints(Connection c) throws SQLException {
    List<Checkpoint.Signed> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT \"id\", \"body\", \"mac\" FROM \"audit_checkpoint\" ORDER BY \"id\"");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(new Checkpoint.Signed(rs.getLong(1), rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  static Optional<Checkpoint.Signed> lastCheckpoint(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT \"id\", \"body\", \"mac\" FROM \"audit_checkpoint\""
        + " WHERE \"id\" = (SELECT MAX(\"id\") FROM \"audit_checkpoint\")");
         ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(new Checkpoint.Signed(rs.getLong(1), rs.getString(2), rs.getString(3)))
          : Optional.empty();
    }
  }

  static void insertCheckpoint(Connection c, Checkpoint checkpoint, String body, String mac) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO \"audit_checkpoint\" (\"id\", \"created_at\","
        + " \"body\", \"mac\") VALUES (?, ?, ?, ?)")) {
      s.setLong(1, checkpoint.id());
      s.setLong(2, checkpoint.createdAt().toEpochMilli());
      s.setString(3, body);
      s.setString(4, mac);
      s.executeUpdate();
    }
  }

  private static Link link(ResultSet rs) throws SQLException {
    return new Link(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5));
  }
}
