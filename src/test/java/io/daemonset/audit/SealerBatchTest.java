package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A seal pass writes its links in multi-row INSERTs ({@link ChainTables#insert}): for many entities interleaved,
 * more rows than one read returns and counts that cross every statement size, each row gets exactly the link the
 * verifier recomputes from the row, on H2 and on PostgreSQL, and a checkpoint of them verifies.
 */
class SealerBatchTest {
  /** More than one read of the sealer ({@link Sealer#BATCH}): 2,000 + 417 rows, 15 and 3 full INSERTs and every power of two below. */
  private static final int ROWS = Sealer.BATCH + 417;
  private static final int ENTITIES = 301;
  private final AuditKey key = AuditKey.of(Base64.getEncoder().encodeToString(new byte[32]), "test");

  @Test
  void insertSizesAreFullStatementsThenTheRestsBinaryDigits() {
    record Case(int links, int[] sizes) {}
    for (Case c : List.of(
        new Case(0, new int[0]),
        new Case(1, new int[] {1}),
        new Case(127, new int[] {64, 32, 16, 8, 4, 2, 1}),
        new Case(128, new int[] {128}),
        new Case(129, new int[] {128, 1}),
        new Case(300, new int[] {128, 128, 32, 8, 4}),
        new Case(2_000, new int[] {128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 64,
            16}))) {
      assertThat(ChainTables.insertSizes(c.links())).as("%d links", c.links()).containsExactly(c.sizes());
    }
  }

  @Test
  void h2SealsEveryRowWithTheVerifiersLink() throws Exception {
    String url = "jdbc:h2:mem:sealer-batch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection keep = DriverManager.getConnection(url, "sa", "")) {
      sealAndCheck(() -> DriverManager.getConnection(url, "sa", ""), keep, "BLOB");
    }
  }

  @Test
  void postgresSealsEveryRowWithTheVerifiersLink() throws Exception {
    PostgresTestDatabase.assumeReachable();
    String schema = PostgresTestDatabase.uniqueSchema();
    try (Connection keep = PostgresTestDatabase.connect(schema)) {
      sealAndCheck(() -> PostgresTestDatabase.connect(schema), keep, "BYTEA");
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  /** The read goes by windows of orderings: a gap wider than a window (rolled-back writes) does not end the chain. */
  @Test
  void aGapWiderThanOneReadIsCrossedInTheSamePass() throws Exception {
    String url = "jdbc:h2:mem:sealer-gap-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JournalDatabase database = () -> DriverManager.getConnection(url, "sa", "");
    try (Connection c = database.open()) {
      TestJournalTable.create(c);
      long gapEnd = 10 + 3L * Sealer.BATCH;
      for (long ordering : new long[] {1, 2, 3, gapEnd + 1, gapEnd + 2}) {
        long seq = ordering < gapEnd ? ordering : ordering - gapEnd + 3;
        TestJournalTable.insert(c, new JournalRow(ordering, "Node|a", seq, Instant.EPOCH, 31, "E",
            ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8)));
      }
      Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO); // holes given up at once
      assertThat(sealer.seal()).isEqualTo(5);
      assertThat(sealer.watermark()).isEqualTo(gapEnd + 2);
      assertThat(ChainTables.links(c, "Node|a")).hasSize(5);
      sealer.close();
    }
  }

  private void sealAndCheck(JournalDatabase database, Connection c, String bytesType) throws Exception {
    TestJournalTable.create(c, bytesType);
    List<JournalRow> rows = fill(c);
    Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO);
    assertThat(sealer.seal()).isEqualTo(ROWS);
    assertThat(sealer.watermark()).isEqualTo(ROWS);
    sealer.checkpoint();
    sealer.close();

    Map<String, String> previous = new HashMap<>();
    Map<String, Map<Long, ChainTables.Link>> sealed = new HashMap<>();
    int links = 0;
    for (String pid : ChainTables.chainedEntities(c)) {
      Map<Long, ChainTables.Link> of = ChainTables.links(c, pid);
      sealed.put(pid, of);
      links += of.size();
    }
    assertThat(links).as("one link per row, none twice").isEqualTo(ROWS);
    assertThat(sealed).hasSize(ENTITIES);
    for (JournalRow row : rows) {
      ChainDigest.Digests expected = ChainDigest.of(ChainDigest.Format.V2,
          previous.getOrDefault(row.persistenceId(), ChainDigest.GENESIS), row);
      previous.put(row.persistenceId(), expected.chained());
      ChainTables.Link link = sealed.get(row.persistenceId()).get(row.sequenceNr());
      assertThat(link).as("%s #%d", row.persistenceId(), row.sequenceNr()).isEqualTo(new ChainTables.Link(
          row.persistenceId(), row.sequenceNr(), row.ordering(), expected.payload(), expected.chained()));
    }

    VerifyReport report;
    try (EventCodec codec = EventCodec.offline()) {
      report = new Verifier(database, codec, key).verify();
    }
    assertThat(report.damages()).extracting(VerifyReport.Damage::kind)
        .as("these test rows are not events; nothing else is wrong").containsOnly("undeserializable");
    assertThat(report.notices()).isEmpty();
  }

  /** Rows of {@link #ENTITIES} entities in a shuffled order of writes, each entity's in sequence. */
  private static List<JournalRow> fill(Connection c) throws SQLException {
    Random random = new Random(9);
    Map<String, Long> seq = new HashMap<>();
    List<JournalRow> rows = new ArrayList<>();
    for (int ordering = 1; ordering <= ROWS; ordering++) {
      String pid = "Node|n-" + (ordering <= ENTITIES ? ordering - 1 : random.nextInt(ENTITIES));
      long n = seq.merge(pid, 1L, Long::sum);
      byte[] payload = ("{\"n\":" + n + ",\"pad\":\"" + "x".repeat(random.nextInt(1_000)) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      rows.add(new JournalRow(ordering, pid, n, Instant.ofEpochMilli(1_000 + ordering), 31, "PodStatusUpdated",
          payload));
    }
    TestJournalTable.insertAll(c, rows);
    return rows;
  }
}
