package io.daemonset.cluster;

import static io.daemonset.cluster.SchemaInitializerTest.execute;
import static io.daemonset.cluster.SchemaInitializerTest.missingTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schema creation on a real PostgreSQL, each test in a fresh schema. */
class PostgresSchemaInitializerTest {
  private String schema;

  @BeforeAll
  static void database() {
    PostgresTestDatabase.assumeReachable();
  }

  @BeforeEach
  void freshSchema() {
    schema = PostgresTestDatabase.uniqueSchema();
  }

  @AfterEach
  void dropSchema() throws Exception {
    PostgresTestDatabase.dropSchema(schema);
  }

  @Test
  void createsTheTablesOnceThenFindsThemAndCompletesAHalfCreatedSchema() throws Exception {
    JdbcTarget target = PostgresTestDatabase.target(schema);
    assertThat(SchemaInitializer.ensureSchema(target)).isTrue();
    assertThat(SchemaInitializer.ensureSchema(target)).as("second run").isFalse();
    assertThat(missingTables(target, schema)).isEmpty();

    execute(target, "DROP TABLE \"" + schema + "\".event_tag, \"" + schema + "\".durable_state");
    assertThat(SchemaInitializer.ensureSchema(target)).as("re-creates what is missing").isTrue();
    assertThat(missingTables(target, schema)).isEmpty();
    assertThat(SchemaInitializer.ensureSchema(target)).isFalse();
  }

  /** The tags' foreign key made every event's tag row look up and lock its journal row (PostgresSchemaUpkeep). */
  @Test
  void theTagsHaveNoForeignKeyToTheJournalInANewSchemaNorAfterTheNextStartOfAnOldOne() throws Exception {
    JdbcTarget target = PostgresTestDatabase.target(schema);
    SchemaInitializer.ensureSchema(target);
    assertThat(hasTagForeignKey()).as("new schema").isFalse();

    // a schema the plugin's script created, as every release before this one left it
    execute(target, "ALTER TABLE \"" + schema + "\".event_tag ADD CONSTRAINT fk_event_journal FOREIGN KEY (event_id)"
        + " REFERENCES \"" + schema + "\".event_journal (ordering) ON DELETE CASCADE");
    assertThat(hasTagForeignKey()).isTrue();
    assertThat(SchemaInitializer.ensureSchema(target)).as("nothing created").isFalse();
    assertThat(hasTagForeignKey()).as("after the next start").isFalse();
  }

  private boolean hasTagForeignKey() throws Exception {
    try (java.sql.Connection c = PostgresTestDatabase.connect(schema)) {
      return PostgresSchemaUpkeep.hasTagForeignKey(c, schema);
    }
  }

  @Test
  void usesTheSearchPathWhenNoSchemaIsConfigured() throws Exception {
    PostgresTestDatabase.execute("CREATE SCHEMA \"" + schema + "\"");
    JdbcTarget target = new JdbcTarget(Store.POSTGRES, PostgresTestDatabase.URL + "?currentSchema=" + schema,
        PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD, "");
    assertThat(SchemaInitializer.ensureSchema(target)).isTrue();
    assertThat(missingTables(target, schema)).isEmpty();
    assertThat(SchemaInitializer.ensureSchema(target)).isFalse();
  }

  /** Separate connections are separate sessions to PostgreSQL, exactly as separate JVMs would be. */
  @Test
  void concurrentStartsCreateTheTablesExactlyOnce() throws Exception {
    JdbcTarget target = PostgresTestDatabase.target(schema);
    int starters = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(starters);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < starters; i++) {
        Callable<Boolean> start = () -> {
          go.await();
          return SchemaInitializer.ensureSchema(target);
        };
        results.add(pool.submit(start));
      }
      go.countDown();
      List<Boolean> created = new ArrayList<>();
      for (Future<Boolean> result : results) {
        created.add(result.get(60, TimeUnit.SECONDS));
      }
      assertThat(created).containsOnlyOnce(true);
      assertThat(missingTables(target, schema)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
