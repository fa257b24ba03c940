package io.daemonset.cluster;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on a real PostgreSQL, in a fresh schema per run. */
class PostgresPersistenceTest extends JournalRoundTripContract {
  private static String schema;

  @TempDir Path dataDir;

  @BeforeAll
  static void database() {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
  }

  @AfterAll
  static void dropSchema() throws Exception {
    if (schema != null) {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Override
  Settings settings() {
    return Settings.defaults()
        .withDataDir(dataDir)
        .withStore(Store.POSTGRES)
        .withClusterPort(0)
        .withSeedNodes(List.of())
        .withExtraConfig(PostgresTestDatabase.config(schema));
  }
}
