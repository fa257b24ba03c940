package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sealer's rows in chain format 2 carry the payload's SHA-256 as the database computed it: the links it makes
 * from them must be the ones the verifier and the archiver compute from the payload bytes, on H2 and on PostgreSQL.
 */
class SealRowsTest {
  @Test
  void h2DigestsThePayloadsAsJavaDoes() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:seal-rows-" + UUID.randomUUID(), "sa", "")) {
      checkBothFormats(c, "BLOB");
    }
  }

  @Test
  void postgresDigestsThePayloadsAsJavaDoes() throws Exception {
    PostgresTestDatabase.assumeReachable();
    String schema = PostgresTestDatabase.uniqueSchema();
    try (Connection c = PostgresTestDatabase.connect(schema)) {
      checkBothFormats(c, "BYTEA");
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  private void checkBothFormats(Connection c, String bytesType) throws SQLException {
    List<JournalRow> written = createAndFill(c, bytesType);

    SealRows v2 = SealRows.of(ChainDigest.Format.V2, c);
    assertThat(v2.digested()).as("format 2 lets the database hash the payloads").isTrue();
    assertSameLinks(ChainDigest.Format.V2, v2.after(c, 0, 100), written);
    assertSameLinks(ChainDigest.Format.V2, v2.ofEntity(c, "Node|a", 0), written);
    assertThat(v2.ofEntity(c, "Node|a", 5)).extracting(SealRows.Row::sequenceNr).containsExactly(6L, 7L);

    SealRows v1 = SealRows.of(ChainDigest.Format.V1, c);
    assertThat(v1.digested()).as("a format 1 link covers the payload bytes").isFalse();
    assertSameLinks(ChainDigest.Format.V1, v1.after(c, 0, 100), written);
  }

  /** Each read row, chained from the previous one, gives the digests the verifier computes from the written row. */
  private static void assertSameLinks(ChainDigest.Format format, List<SealRows.Row> read, List<JournalRow> written) {
    assertThat(read).extracting(SealRows.Row::ordering).containsExactlyElementsOf(
        written.stream().map(JournalRow::ordering).toList());
    String previous = ChainDigest.GENESIS;
    for (int i = 0; i < read.size(); i++) {
      ChainDigest.Digests expected = ChainDigest.of(format, previous, written.get(i));
      assertThat(read.get(i).digests(format, previous)).as("row %d", i).isEqualTo(expected);
      previous = expected.chained();
    }
  }

  /** Rows of one entity whose payloads cross SHA-256's block sizes, one empty, one of non-ASCII JSON. */
  private static List<JournalRow> createAndFill(Connection c, String bytesType) throws SQLException {
    TestJournalTable.create(c, bytesType);
    Random random = new Random(9);
    List<byte[]> payloads = new ArrayList<>(List.of(new byte[0],
        "{\"name\":\"nœud-é\",\"n\":1}".getBytes(StandardCharsets.UTF_8)));
    for (int size : new int[] {55, 56, 64, 935, 4_097}) {
      byte[] p = new byte[size];
      random.nextBytes(p);
      payloads.add(p);
    }
    List<JournalRow> rows = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      JournalRow row = new JournalRow(i + 1, "Node|a", i + 1, Instant.ofEpochMilli(1_000 + i), 33,
          "PodStatusUpdated", payloads.get(i));
      TestJournalTable.insert(c, row);
      rows.add(row);
    }
    return rows;
  }
}
