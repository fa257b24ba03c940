package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Format 2 links cover the payload's digest instead of the payload (each payload hashed once). A new database is
 * sealed in format 2; one an earlier release already sealed goes on in format 1, so its chains stay verifiable.
 */
class ChainFormatTest {
  private static final HexFormat HEX = HexFormat.of();
  private final String url = "jdbc:h2:mem:chain-format-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final JournalDatabase database = () -> DriverManager.getConnection(url, "sa", "");
  private final AuditKey key = AuditKey.of(Base64.getEncoder().encodeToString(new byte[32]), "test");
  private Connection keepAlive;

  @BeforeEach
  void createJournal() throws Exception {
    keepAlive = database.open();
    TestJournalTable.create(keepAlive);
  }

  @AfterEach
  void close() throws Exception {
    keepAlive.close();
  }

  private static JournalRow row(long seq) {
    return new JournalRow(seq, "Node|a", seq, Instant.ofEpochMilli(1_000 * seq), 1, "E",
        ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void insert(JournalRow row) throws Exception {
    TestJournalTable.insert(keepAlive, row);
  }

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  @Test
  void eachFormatHashesWhatItsDocumentationSays() throws Exception {
    JournalRow row = row(1);
    byte[] previous = new byte[32];
    byte[] meta = ByteBuffer.allocate(12).putLong(1).putInt(1).array();
    byte[] pid = "Node|a".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = "E".getBytes(StandardCharsets.UTF_8);
    byte[] zero = {0};
    byte[] payloadDigest = sha256(row.payload());

    String v1 = HEX.formatHex(sha256(previous, pid, zero, meta, manifest, zero, row.payload()));
    String v2 = HEX.formatHex(sha256(previous, new byte[] {0, 2}, pid, zero, meta, manifest, zero, payloadDigest));

    assertThat(ChainDigest.of(ChainDigest.Format.V1, ChainDigest.GENESIS, row))
        .isEqualTo(new ChainDigest.Digests(HEX.formatHex(payloadDigest), v1));
    assertThat(ChainDigest.of(ChainDigest.Format.V2, ChainDigest.GENESIS, row))
        .isEqualTo(new ChainDigest.Digests(HEX.formatHex(payloadDigest), v2));
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void aNewDatabaseIsSealedInFormat2() throws Exception {
    insert(row(1));
    insert(row(2));
    try (Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO)) {
      sealer.seal();
    }
    try (Connection c = database.open()) {
      assertThat(ChainTables.format(c)).isEqualTo(ChainDigest.Format.V2);
      String first = ChainDigest.chained(ChainDigest.Format.V2, ChainDigest.GENESIS, row(1));
      assertThat(ChainTables.links(c, "Node|a").values()).extracting(ChainTables.Link::digest)
          .containsExactly(first, ChainDigest.chained(ChainDigest.Format.V2, first, row(2)));
    }
  }

  @Test
  void aDatabaseAnEarlierReleaseSealedGoesOnInFormat1() throws Exception {
    insert(row(1));
    String first = ChainDigest.chained(ChainDigest.Format.V1, ChainDigest.GENESIS, row(1));
    try (Connection c = database.open()) {
      ChainTables.create(c);
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE \"audit_format\""); // that release had no such table
      }
      ChainTables.insert(c, List.of(new ChainTables.Link("Node|a", 1, 1, ChainDigest.ofPayload(row(1).payload()),
          first)));
      assertThat(ChainTables.format(c)).as("no table: format 1").isEqualTo(ChainDigest.Format.V1);
    }
    insert(row(2));
    try (Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO)) {
      sealer.seal();
    }
    try (Connection c = database.open()) {
      assertThat(ChainTables.format(c)).as("pinned").isEqualTo(ChainDigest.Format.V1);
      assertThat(ChainTables.links(c, "Node|a").get(2L).digest())
          .isEqualTo(ChainDigest.chained(ChainDigest.Format.V1, first, row(2)));
    }
  }
}
