package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.journal.Journal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reads of the journal in ordering order (the view's tail, the audit sealer) take the ordering index on a journal
 * table PostgreSQL has never analyzed: a new cluster's for its first minute or more, a bench's for its whole run.
 * With {@code "ordering" > ?} alone the planner's defaults chose a sequential scan of the whole table and a sort, at
 * every read ({@link Journal#AFTER_ORDERING} says why the bounded range does not).
 */
class JournalReadPlanTest {
  private static final String READ = "SELECT \"ordering\", \"persistence_id\", \"sequence_number\", \"event_payload\""
      + " FROM \"event_journal\" WHERE %s ORDER BY \"ordering\" LIMIT 2000";
  private String schema;

  @BeforeAll
  static void database() {
    PostgresTestDatabase.assumeReachable();
  }

  @BeforeEach
  void journalNeverAnalyzed() throws Exception {
    schema = PostgresTestDatabase.uniqueSchema();
    SchemaInitializer.ensureSchema(PostgresTestDatabase.target(schema));
    try (Connection c = PostgresTestDatabase.connect(schema); Statement s = c.createStatement()) {
      // autovacuum must not analyze it meanwhile: the state under test is "never analyzed"
      s.execute("ALTER TABLE \"event_journal\" SET (autovacuum_enabled = false)");
      s.execute("INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\")"
          + " SELECT 'Node|n' || i, 1, 'w', 0, '', 1, 'm', decode(repeat('ab', 900), 'hex')"
          + " FROM generate_series(1, 20000) i");
      try (ResultSet r = s.executeQuery("SELECT last_analyze IS NULL AND last_autoanalyze IS NULL"
          + " FROM pg_stat_user_tables WHERE schemaname = '" + schema + "' AND relname = 'event_journal'")) {
        assertThat(r.next() && r.getBoolean(1)).as("the table has never been analyzed").isTrue();
      }
    }
  }

  @AfterEach
  void dropSchema() throws Exception {
    PostgresTestDatabase.dropSchema(schema);
  }

  @Test
  void theReadAfterAnOrderingUsesTheOrderingIndexOnATableNeverAnalyzed() throws Exception {
    String read = String.format(READ, Journal.AFTER_ORDERING);
    try (Connection c = PostgresTestDatabase.connect(schema)) {
      List<String> custom = plan(c, "EXPLAIN " + read, 19_000L);
      assertThat(String.join("\n", custom)).contains("event_journal_ordering_idx").doesNotContain("Seq Scan");
      // the plan a prepared statement may settle on after its first executions: the parameter unknown
      List<String> generic = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        s.execute("SET plan_cache_mode = force_generic_plan");
        s.execute("PREPARE read_after(bigint) AS " + read.replace("?", "$1"));
        try (ResultSet r = s.executeQuery("EXPLAIN EXECUTE read_after(19000)")) {
          while (r.next()) {
            generic.add(r.getString(1));
          }
        }
      }
      assertThat(String.join("\n", generic)).contains("event_journal_ordering_idx").doesNotContain("Seq Scan");
    }
  }

  @Test
  void theBoundChangesNoResult() throws Exception {
    try (Connection c = PostgresTestDatabase.connect(schema)) {
      assertThat(orderings(c, String.format(READ, Journal.AFTER_ORDERING), 18_500L))
          .isEqualTo(orderings(c, String.format(READ, "\"ordering\" > ?"), 18_500L))
          .hasSize(1_500);
    }
  }

  private static List<String> plan(Connection c, String explain, long after) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(explain)) {
      s.setLong(1, after);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          lines.add(r.getString(1));
        }
      }
    }
    return lines;
  }

  private static List<Long> orderings(Connection c, String read, long after) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(read)) {
      s.setLong(1, after);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getLong(1));
        }
      }
    }
    return out;
  }
}
