package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sealer runs every second for the life of a member; on PostgreSQL each new connection is a SCRAM handshake.
 * It keeps one connection between calls and replaces it only after a failure.
 */
class SealerConnectionTest {
  private final String url = "jdbc:h2:mem:sealer-conn-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final List<Connection> opened = new ArrayList<>();
  private final JournalDatabase database = () -> {
    Connection c = DriverManager.getConnection(url, "sa", "");
    opened.add(c);
    return c;
  };
  private final AuditKey key = AuditKey.of(Base64.getEncoder().encodeToString(new byte[32]), "test");
  private Connection keepAlive;
  private long ordering;

  @BeforeEach
  void createJournal() throws Exception {
    keepAlive = DriverManager.getConnection(url, "sa", "");
    TestJournalTable.create(keepAlive);
  }

  @AfterEach
  void close() throws Exception {
    keepAlive.close();
  }

  private void append(String persistenceId, long seq) throws SQLException {
    try (PreparedStatement s = keepAlive.prepareStatement("INSERT INTO \"event_journal\" VALUES (?, ?, ?, ?, 1, 'E', ?)")) {
      s.setLong(1, ++ordering);
      s.setString(2, persistenceId);
      s.setLong(3, seq);
      s.setLong(4, System.currentTimeMillis());
      s.setBytes(5, ("{\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
      s.executeUpdate();
    }
  }

  @Test
  void sealsAndCheckpointsOnOneConnection() throws Exception {
    try (Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO)) {
      for (int seq = 1; seq <= 3; seq++) {
        append("Node|a", seq);
        assertThat(sealer.seal()).as("rows read").isEqualTo(1);
        assertThat(sealer.checkpoint()).isPresent();
      }
      assertThat(opened).hasSize(1);
      assertThat(opened.get(0).isClosed()).isFalse();
    }
    assertThat(opened.get(0).isClosed()).as("closing the sealer closes its connection").isTrue();
  }

  @Test
  void aFailedCallDropsItsConnectionAndTheNextOpensANewOne() throws Exception {
    try (Sealer sealer = new Sealer(database, key, Clock.systemUTC(), Duration.ZERO)) {
      append("Node|a", 1);
      sealer.seal();
      opened.get(0).close(); // the database dropped it

      assertThatThrownBy(sealer::seal).isInstanceOf(SQLException.class);
      append("Node|a", 2);
      sealer.seal();

      assertThat(opened).hasSize(2);
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        assertThat(ChainTables.links(c, "Node|a")).hasSize(2);
      }
    }
  }
}
