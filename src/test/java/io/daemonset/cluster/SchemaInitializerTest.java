package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema creation on H2; PostgresSchemaInitializerTest does the same on PostgreSQL. */
class SchemaInitializerTest {
  @TempDir Path dir;

  private JdbcTarget h2(String schema) {
    return new JdbcTarget(Store.H2, "jdbc:h2:file:" + dir.resolve("journal") + ";DB_CLOSE_DELAY=-1", "sa", "", schema);
  }

  @Test
  void createsTheTablesOnceThenFindsThem() throws SQLException {
    JdbcTarget target = h2("");
    assertThat(SchemaInitializer.ensureSchema(target)).isTrue();
    assertThat(SchemaInitializer.ensureSchema(target)).as("second run").isFalse();
    assertThat(missingTables(target, "PUBLIC")).isEmpty();
  }

  @Test
  void createsANamedSchemaAndCompletesAHalfCreatedOne() throws SQLException {
    JdbcTarget target = h2("audit_copy");
    assertThat(SchemaInitializer.ensureSchema(target)).isTrue();
    assertThat(missingTables(target, "audit_copy")).isEmpty();
    assertThat(missingTables(target, "PUBLIC")).as("nothing leaks into PUBLIC").hasSize(SchemaInitializer.TABLES.size());

    execute(target, "DROP TABLE \"audit_copy\".\"event_tag\"");
    assertThat(SchemaInitializer.ensureSchema(target)).as("re-creates what is missing").isTrue();
    assertThat(missingTables(target, "audit_copy")).isEmpty();
    assertThat(SchemaInitializer.ensureSchema(target)).isFalse();
  }

  @Test
  void theScriptIsTheJarsWithoutThePublicQualifier() {
    assertThat(SchemaInitializer.statements(Store.H2))
        .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS \"event_journal\""))
        .noneSatisfy(s -> assertThat(s).containsIgnoringCase("public."));
    assertThat(SchemaInitializer.statements(Store.POSTGRES))
        .anySatisfy(s -> assertThat(s).startsWith("CREATE INDEX CONCURRENTLY state_tag_idx"))
        .noneSatisfy(s -> assertThat(s).containsIgnoringCase("public."));
  }

  static java.util.List<String> missingTables(JdbcTarget target, String schema) throws SQLException {
    try (Connection c = target.connect()) {
      return SchemaInitializer.missingTables(c, schema);
    }
  }

  static void execute(JdbcTarget target, String sql) throws SQLException {
    try (Connection c = target.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
