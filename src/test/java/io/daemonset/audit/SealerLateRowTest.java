package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write that commits after the sealer gave up its hole as rolled back (a transaction held up longer than the grace:
 * a stalled JVM, a database that came back): its row, and every later row of its entity, must still be sealed.
 * They used to stay unsealed for good, and the verifier called them inserted once a checkpoint's watermark passed them.
 */
class SealerLateRowTest {
  private final String url = "jdbc:h2:mem:sealer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
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

  private void insert(long ordering, String persistenceId, long seq) throws Exception {
    try (PreparedStatement s = keepAlive.prepareStatement("INSERT INTO \"event_journal\" VALUES (?, ?, ?, ?, 1, 'E', ?)")) {
      s.setLong(1, ordering);
      s.setString(2, persistenceId);
      s.setLong(3, seq);
      s.setLong(4, System.currentTimeMillis());
      s.setBytes(5, ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
      s.executeUpdate();
    }
  }

  private long sealed(String persistenceId) throws Exception {
    try (Connection c = database.open()) {
      return ChainTables.links(c, persistenceId).size();
    }
  }

  @Test
  void aRowCommittedAfterItsHoleWasPassedIsSealed_andSoAreTheRowsAfterIt() throws Exception {
    // no grace: a hole is passed over at once, as one older than the grace would be
    Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO);
    insert(1, "Node|a", 1);
    insert(3, "Node|b", 1); // ordering 2 is taken by Node|a #2, whose transaction is still open
    sealer.seal();
    assertThat(sealer.watermark()).isEqualTo(3);

    insert(2, "Node|a", 2); // it commits after all, below the scan position
    insert(4, "Node|a", 3);
    insert(5, "Node|b", 2);
    sealer.seal();

    assertThat(sealed("Node|a")).as("a's chain goes on past the late row").isEqualTo(3);
    assertThat(sealed("Node|b")).isEqualTo(2);
    assertThat(sealer.watermark()).isEqualTo(5);
  }

  @Test
  void anEntityWhoseNextRowIsStillMissingIsAskedAgainAndSealedOnceItCommits() throws Exception {
    Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO);
    insert(1, "Node|a", 1);
    insert(3, "Node|a", 3); // #2 took ordering 2 and is neither visible nor rolled back yet
    sealer.seal();
    sealer.seal();
    assertThat(sealed("Node|a")).isEqualTo(1);

    insert(2, "Node|a", 2);
    sealer.seal();

    assertThat(sealed("Node|a")).isEqualTo(3);
  }

  @Test
  void verifyNamesARowSealedBelowASignedWatermark_andNoOther() throws Exception {
    Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO);
    insert(1, "Node|a", 1);
    insert(3, "Node|b", 1); // ordering 2 is given up at once (no grace)
    sealer.seal();
    sealer.checkpoint(); // signs watermark 3

    insert(2, "Node|a", 2); // a late commit, or a row inserted at the given-up ordering: the sealer cannot tell
    insert(4, "Node|a", 3);
    sealer.seal();
    insert(5, "Node|c", 1);
    sealer.seal(); // Node|a #2 is signed by the next checkpoint; Node|c #1 by none yet
    sealer.checkpoint();
    insert(6, "Node|c", 2);
    sealer.seal();

    VerifyReport report;
    try (EventCodec codec = EventCodec.offline()) {
      report = new Verifier(database, codec, key).verify();
    }
    assertThat(report.notices()).extracting(VerifyReport.Damage::persistenceId, VerifyReport.Damage::sequenceNr,
        VerifyReport.Damage::kind).containsExactly(org.assertj.core.groups.Tuple.tuple("Node|a", 2L, "sealed-late"));
    assertThat(report.notices().get(0).detail()).contains("ordering 2", "checkpoint 1's watermark 3");
    assertThat(report.damages()).extracting(VerifyReport.Damage::kind)
        .as("these test rows are not events; nothing else is wrong").containsOnly("undeserializable");
  }

  @Test
  void aLateRowNotYetSignedIsNamedToo() throws Exception {
    Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO);
    insert(1, "Node|a", 1);
    insert(3, "Node|b", 1);
    sealer.seal();
    sealer.checkpoint();
    insert(2, "Node|a", 2);
    insert(4, "Node|a", 3); // the scan meets #3 without #2 sealed, and goes back for it
    sealer.seal();

    VerifyReport report;
    try (EventCodec codec = EventCodec.offline()) {
      report = new Verifier(database, codec, key).verify();
    }
    assertThat(report.notices()).extracting(VerifyReport.Damage::persistenceId, VerifyReport.Damage::sequenceNr)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Node|a", 2L));
  }

  /**
   * A restarted sealer re-reads the journal's last rows and meets again the holes it gave up before: they must not hold
   * its watermark back below the one already signed (it had signed 3, then signed 1 for the hole's grace).
   */
  @Test
  void aRestartedSealerNeverSignsAWatermarkBelowTheLastSigned() throws Exception {
    java.time.Instant[] now = {java.time.Instant.parse("2026-12-04T00:00:00Z")};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() { return now[0]; }
    };
    Duration grace = Duration.ofSeconds(5);
    Sealer first = new Sealer(database, key, clock, grace);
    insert(1, "Node|a", 1);
    insert(3, "Node|b", 1); // ordering 2 was rolled back
    first.seal();
    now[0] = now[0].plus(grace).plusSeconds(1);
    first.seal();
    assertThat(first.checkpoint()).hasValueSatisfying(cp -> assertThat(cp.watermark()).isEqualTo(3));
    first.close();

    Sealer restarted = new Sealer(database, key, clock, grace);
    insert(4, "Node|c", 1);
    restarted.seal();
    assertThat(restarted.watermark()).isEqualTo(4);
    assertThat(restarted.checkpoint()).hasValueSatisfying(cp -> assertThat(cp.watermark()).isEqualTo(4));
  }
}
