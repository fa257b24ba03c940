package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;

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

  /** The test URL carries no parameters: the driver property from persistence-postgres.conf must apply. */
  @Test
  void theJournalsConnectionsRewriteBatchedInserts() throws Exception {
    try (ControlPlaneSystem cps = ControlPlaneSystem.start(settings())) {
      var database = ((SlickExtensionImpl) SlickExtension.get(Adapter.toClassic(cps.system())))
          .database(cps.config().getConfig("jdbc-journal")).database();
      try (Connection connection = database.source().createConnection()) {
        assertThat(connection.unwrap(BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled()).isTrue();
      }
    }
  }
}
