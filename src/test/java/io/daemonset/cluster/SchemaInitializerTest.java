package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Our H2 script is the plugin's but for what it says it changes: the same tables with the same columns (names,
   * order, nullability, types), payloads VARBINARY instead of BLOB, ordering the primary key with an identity cache
   * of 1000, (persistence_id, sequence_number) unique instead of the key.
   */
  @Test
  void theH2ScriptIsThePluginsWithPayloadsInTheRowAndOrderingAsTheKey() throws SQLException {
    JdbcTarget ours = h2("");
    SchemaInitializer.ensureSchema(ours);
    Path pluginDir = dir.resolve("plugin");
    PluginH2Schema.create(pluginDir);
    try (Connection o = ours.connect(); Connection p = DriverManager.getConnection(PluginH2Schema.url(pluginDir), "sa", "")) {
      for (String table : SchemaInitializer.PLUGIN_TABLES) {
        List<String> expected = columns(p, table).stream()
            .map(c -> c.replace("BINARY LARGE OBJECT", "BINARY VARYING")).toList();
        assertThat(columns(o, table)).as(table).isEqualTo(expected);
      }
      assertThat(columns(o, "event_journal")).contains("event_payload BINARY VARYING NO", "meta_payload BINARY VARYING YES");
      assertThat(constraints(o, "event_journal")).containsExactlyInAnyOrder("PRIMARY KEY ordering",
          "UNIQUE persistence_id,sequence_number");
      assertThat(constraints(p, "event_journal")).containsExactlyInAnyOrder("PRIMARY KEY persistence_id,sequence_number",
          "UNIQUE ordering");
      assertThat(constraints(o, "event_tag")).isEqualTo(constraints(p, "event_tag"));
      assertThat(identityCache(o)).isEqualTo(H2SchemaUpkeep.ORDERING_CACHE);
      assertThat(H2SchemaUpkeep.apply(o, "PUBLIC")).as("nothing to bring up to date").isEmpty();
    }
  }

  /**
   * A file the plugin's script created gets the identity cache and the in-row BLOB size at start, and nothing else:
   * its columns stay, and orderings go on after the last one.
   */
  @Test
  void anEarlierReleasesH2FileGetsTheSettingsOnlyOnce() throws SQLException {
    PluginH2Schema.create(dir);
    long before;
    try (Connection c = DriverManager.getConnection(PluginH2Schema.url(dir), "sa", "")) {
      before = H2PluginSchemaPersistenceTest.insert(c, "Counter|a", 1, "{\"amount\":1}");
      assertThat(identityCache(c)).isEqualTo(32);
      assertThat(H2SchemaUpkeep.inplaceLobBytes(c)).isEqualTo(256);
    }
    JdbcTarget target = h2("");
    assertThat(SchemaInitializer.ensureSchema(target)).as("the view's table was missing").isTrue();
    try (Connection c = target.connect()) {
      assertThat(identityCache(c)).isEqualTo(H2SchemaUpkeep.ORDERING_CACHE);
      assertThat(H2SchemaUpkeep.inplaceLobBytes(c)).isEqualTo(H2SchemaUpkeep.INPLACE_LOB_BYTES);
      assertThat(H2PluginSchemaPersistenceTest.type(c, "event_journal", "event_payload")).isEqualTo("BINARY LARGE OBJECT");
      assertThat(H2SchemaUpkeep.apply(c, "PUBLIC")).as("second start").isEmpty();
      assertThat(H2PluginSchemaPersistenceTest.insert(c, "Counter|a", 2, "{\"amount\":2}")).isGreaterThan(before);
    }
  }

  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM"
        + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      s.setString(1, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
        }
      }
    }
    return out;
  }

  /** Primary key and unique constraints of a table, with their columns. */
  private static List<String> constraints(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT t.CONSTRAINT_TYPE, LISTAGG(k.COLUMN_NAME, ',')"
        + " WITHIN GROUP (ORDER BY k.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t"
        + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA"
        + " AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME WHERE t.TABLE_SCHEMA = 'PUBLIC' AND t.TABLE_NAME = ?"
        + " AND t.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') GROUP BY t.CONSTRAINT_NAME, t.CONSTRAINT_TYPE")) {
      s.setString(1, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1) + " " + r.getString(2));
        }
      }
    }
    return out;
  }

  private static long identityCache(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT IDENTITY_CACHE FROM"
        + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'ordering'")) {
      r.next();
      return r.getLong(1);
    }
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
