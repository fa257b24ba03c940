package io.daemonset.cluster;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The audit scenario on PostgreSQL, in a schema of its own; the key file stays in the data directory. */
class PostgresAuditScenarioTest extends AuditScenarioContract {
  @TempDir static Path dataDir;
  String schema;

  @Override
  @BeforeAll
  void runTheScenario() throws Exception {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    super.runTheScenario();
  }

  @AfterAll
  void dropSchema() throws Exception {
    PostgresTestDatabase.dropSchema(schema);
  }

  @Override
  Settings settings() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.POSTGRES).withClusterPort(0)
        .withSeedNodes(List.of()).withExtraConfig(PostgresTestDatabase.config(schema));
  }

  @Override
  List<String> databaseFlags() {
    return List.of("--data-dir", dataDir.toString(), "--db-url", PostgresTestDatabase.URL, "--db-user",
        PostgresTestDatabase.USER, "--db-password", PostgresTestDatabase.PASSWORD, "--db-schema", schema);
  }
}
