package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sealer's read touches at most the rows it returns on a journal PostgreSQL has never analyzed (a new cluster's
 * first minute, every bench): there the planner's defaults make {@code ORDER BY "ordering" LIMIT n} a bitmap scan and
 * a sort of every row after the position, payloads included, so a sealer far behind sorted the whole tail at every
 * read. The window of orderings ({@link SealRows#after}) bounds what any plan touches.
 */
class SealRowsPlanTest {
  private static final int ROWS = 20_000;
  private static final Pattern ACTUAL_ROWS = Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+)");

  @Test
  void aReadFarBehindTheHeadTouchesOneWindowOfRows_customAndGenericPlans() throws Exception {
    PostgresTestDatabase.assumeReachable();
    String schema = PostgresTestDatabase.uniqueSchema();
    try (Connection c = PostgresTestDatabase.connect(schema); Statement s = c.createStatement()) {
      TestJournalTable.create(c, "BYTEA");
      s.execute("ALTER TABLE \"event_journal\" SET (autovacuum_enabled = false)"); // the state under test
      s.execute("INSERT INTO \"event_journal\" SELECT i, 'Node|n' || (i % 1000), i / 1000 + 1, 0, 31,"
          + " 'PodStatusUpdated', decode(repeat('ab', 935), 'hex') FROM generate_series(1, " + ROWS + ") i");
      try (ResultSet r = s.executeQuery("SELECT last_analyze IS NULL AND last_autoanalyze IS NULL"
          + " FROM pg_stat_user_tables WHERE schemaname = '" + schema + "' AND relname = 'event_journal'")) {
        assertThat(r.next() && r.getBoolean(1)).as("the table has never been analyzed").isTrue();
      }
      SealRows reader = SealRows.of(ChainDigest.Format.V2, c);
      String read = reader.windowSql();

      assertThat(largestActualRows(c, "EXPLAIN (ANALYZE) " + read)).as("custom plan").isLessThanOrEqualTo(2_000);
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE sealer_read(bigint, bigint) AS " + read.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
      assertThat(largestActualRows(c, "EXPLAIN (ANALYZE) EXECUTE sealer_read(0, 2000)")).as("generic plan")
          .isLessThanOrEqualTo(2_000);
      s.execute("RESET plan_cache_mode");

      assertThat(reader.after(c, 0, 2_000)).extracting(SealRows.Row::ordering).hasSize(2_000)
          .startsWith(1L).endsWith(2_000L);
    } finally {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  /** The most rows any node of the read's plan produced, reading from the start of the journal. */
  private static int largestActualRows(Connection c, String explain) throws SQLException {
    List<String> plan = new ArrayList<>();
    int largest = 0;
    try (PreparedStatement s = c.prepareStatement(explain)) {
      if (s.getParameterMetaData().getParameterCount() == 2) {
        s.setLong(1, 0);
        s.setLong(2, 2_000);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          plan.add(r.getString(1));
          Matcher m = ACTUAL_ROWS.matcher(r.getString(1));
          if (m.find()) {
            largest = Math.max(largest, Integer.parseInt(m.group(1)));
          }
        }
      }
    }
    assertThat(largest).as(String.join("\n", plan)).isPositive();
    return largest;
  }
}
