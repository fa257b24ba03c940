package io.daemonset.cluster;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The view's snapshot on PostgreSQL, each test in a schema of its own. */
class PostgresViewSnapshotTest extends ViewSnapshotContract {
  @TempDir Path dataDir;
  String schema;

  @BeforeEach
  void database() {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
  }

  @AfterEach
  void dropSchema() throws Exception {
    PostgresTestDatabase.dropSchema(schema);
  }

  @Override
  Settings settings() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.POSTGRES).withClusterPort(0)
        .withSeedNodes(List.of()).withExtraConfig(PostgresTestDatabase.config(schema));
  }
}
