package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped control plane leaves an H2 file of about its live data: without {@link H2Housekeeping}, a journal of many
 * small commits (H2 with WRITE_DELAY=0, as the journal runs) leaves most of the file as sparse chunks.
 */
class H2HousekeepingTest {
  @TempDir Path dir;

  /** The journal's options (persistence-h2.conf). */
  private JdbcTarget target(String name) {
    return new JdbcTarget(Store.H2, "jdbc:h2:file:" + dir.resolve(name)
        + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "", "");
  }

  /** Small commits that each replace a 2 KB row: the live data stays at 200 rows, the garbage grows. */
  private static void churn(JdbcTarget target, int commits) throws Exception {
    try (Connection c = target.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, payload BLOB)");
      try (PreparedStatement merge = c.prepareStatement("MERGE INTO t KEY (id) VALUES (?, ?)")) {
        for (int i = 0; i < commits; i++) {
          merge.setInt(1, i % 200);
          merge.setBytes(2, new byte[2048]);
          merge.executeUpdate();
        }
      }
    }
  }

  private static long rows(JdbcTarget target) throws Exception {
    try (Connection c = target.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void theCompactionOnStopLeavesAboutTheLiveData() throws Exception {
    JdbcTarget target = target("stop");
    churn(target, 5_000);
    long before = Files.size(dir.resolve("stop.mv.db"));

    H2Housekeeping.compactFile(target, Duration.ofSeconds(10));

    long after = Files.size(dir.resolve("stop.mv.db"));
    assertThat(after).as("after %d B, before %d B", after, before).isLessThan(before / 2);
    assertThat(rows(target)).isEqualTo(200);
  }

  @Test
  void aDatabaseThatIsNotEmbeddedH2IsLeftAlone() {
    JdbcTarget unreachable = new JdbcTarget(Store.POSTGRES, "jdbc:postgresql://127.0.0.1:1/none", "u", "p", "");
    H2Housekeeping.compactFile(unreachable, Duration.ofMillis(100)); // logs and returns
  }
}
