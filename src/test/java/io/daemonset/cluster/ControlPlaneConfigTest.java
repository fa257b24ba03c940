package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration the control plane starts with, from explicit settings, files and defaults. */
class ControlPlaneConfigTest {
  @TempDir Path dataDir;

  private Settings base() {
    return Settings.defaults().withDataDir(dataDir).withClusterHost("127.0.0.1").withClusterPort(25599)
        .withSeedNodes(List.of());
  }

  @Test
  void defaultsToAnH2FileUnderTheDataDirAndALoopbackClusterWithKeepMajority() {
    Config config = ControlPlaneConfig.load(base().withStore(Store.H2));

    JdbcTarget target = JdbcTarget.of(config);
    assertThat(target.store()).isEqualTo(Store.H2);
    assertThat(target.url()).isEqualTo("jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal;"
        + "DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    assertThat(config.getString(StoreConfig.SHARED_DB_PATH + ".profile")).isEqualTo("slick.jdbc.H2Profile$");
    assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
    assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("127.0.0.1");
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25599);
    assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
    assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(config.getString("pekko.actor.serialization-bindings.\"io.daemonset.journal.JsonSerializable\""))
        .isEqualTo("jackson-json");
    assertThat(config.getString("daemonset.api.bind")).isEqualTo("127.0.0.1");
    assertThat(config.getInt("daemonset.api.port")).isEqualTo(6443);
  }

  @Test
  void everyPluginUsesTheOneSharedDatabaseAndTheReadJournalIsTuned() {
    Config config = ControlPlaneConfig.load(base());
    for (String plugin : List.of("jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal")) {
      assertThat(config.getString(plugin + ".use-shared-db")).as(plugin).isEqualTo("slick");
    }
    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString("pekko.persistence.snapshot-store.plugin")).isEqualTo("jdbc-snapshot-store");
    assertThat(config.getDuration("jdbc-read-journal.refresh-interval")).isEqualTo(Duration.ofMillis(100));
    assertThat(config.getDuration("jdbc-read-journal.journal-sequence-retrieval.query-delay"))
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void postgresGetsBatchedInsertRewritingAndTheSchemaReachesEveryTable() {
    Config config = ControlPlaneConfig.load(base().withStore(Store.POSTGRES)
        .withExtraConfig("daemonset.persistence.schema = control_plane"));

    JdbcTarget target = JdbcTarget.of(config);
    assertThat(target.store()).isEqualTo(Store.POSTGRES);
    assertThat(target.schema()).isEqualTo("control_plane");
    assertThat(config.getString(StoreConfig.SHARED_DB_PATH + ".profile")).isEqualTo("slick.jdbc.PostgresProfile$");
    assertThat(config.getBoolean(StoreConfig.SHARED_DB_PATH + ".db.properties.reWriteBatchedInserts")).isTrue();
    for (String table : List.of("jdbc-journal.tables.event_journal", "jdbc-journal.tables.event_tag",
        "jdbc-journal-sharding.tables.event_journal", "jdbc-snapshot-store.tables.snapshot",
        "jdbc-read-journal.tables.event_journal", "jdbc-read-journal.tables.event_tag")) {
      assertThat(config.getString(table + ".schemaName")).as(table).isEqualTo("control_plane");
    }
  }

  /**
   * Sharding's stores write through a journal of their own (its own queue and breaker), on the same tables: a burst
   * of entity writes must not time out the coordinator's (docs/performance.md, "Idle machine after the write budget").
   */
  @Test
  void clusterShardingWritesThroughItsOwnJournalOnTheSameDatabase() {
    Config config = ControlPlaneConfig.load(base());
    assertThat(config.getString("pekko.cluster.sharding.journal-plugin-id")).isEqualTo("jdbc-journal-sharding");
    Config sharding = config.getConfig("jdbc-journal-sharding");
    assertThat(sharding.getString("class"))
        .isEqualTo("org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal");
    assertThat(sharding.getString("use-shared-db")).isEqualTo("slick");
    assertThat(sharding.getConfig("tables")).isEqualTo(config.getConfig("jdbc-journal.tables"));
    assertThat(sharding.getDuration("circuit-breaker.reset-timeout"))
        .isEqualTo(config.getDuration("jdbc-journal.circuit-breaker.reset-timeout"));
  }

  @Test
  void seedNodesMayBeGivenAsHostAndPort() {
    Config config = ControlPlaneConfig.load(base().withSeedNodes(List.of("10.0.0.5:25520", " pekko://daemonset@h:1 ")));
    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://daemonset@10.0.0.5:25520", "pekko://daemonset@h:1");
  }

  @Test
  void theRepositoryConfDirLoadsAndChangesNothingByDefault() {
    Path confDir = Path.of("conf");
    assertThat(confDir.resolve("application.conf")).isRegularFile();
    assertThat(ControlPlaneConfig.load(base().withConfDir(confDir))).isEqualTo(ControlPlaneConfig.load(base()));
  }

  @Test
  void aConfDirOverridesTheBundledDefaultsButNotExplicitSettings() throws Exception {
    Path confDir = Files.createDirectories(dataDir.resolve("conf"));
    Files.writeString(confDir.resolve("application.conf"), """
        include "cluster.conf"
        daemonset.persistence.store = postgres
        """);
    Files.writeString(confDir.resolve("cluster.conf"), """
        daemonset.cluster.port = 31000
        pekko.cluster.sharding.number-of-shards = 7
        """);

    Config config = ControlPlaneConfig.load(base().withConfDir(confDir));
    assertThat(StoreConfig.store(config)).isEqualTo(Store.POSTGRES);
    assertThat(config.getInt("pekko.cluster.sharding.number-of-shards")).isEqualTo(7);
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).as("explicit setting wins").isEqualTo(25599);
  }

  @Test
  void rejectsAnUnknownStoreAndAnUnsafeSchemaName() {
    assertThatThrownBy(() -> ControlPlaneConfig.load(base().withExtraConfig("daemonset.persistence.store = mysql")))
        .hasMessageContaining("expected h2 or postgres");
    Config config = ControlPlaneConfig.load(base().withExtraConfig("daemonset.persistence.schema = \"x; DROP\""));
    assertThatThrownBy(() -> JdbcTarget.of(config)).isInstanceOf(IllegalArgumentException.class);
  }
}
