package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.daemonset.cluster.StoreConfig.JdbcTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What serve's command line means for the member it starts: flags alone must be enough for a cluster. */
class ServeFlagsTest {
  @TempDir Path dataDir;

  private Config configOf(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return ControlPlaneConfig.load(command.settings().withDataDir(dataDir));
  }

  @Test
  void aPostgresUrlSelectsThePostgresStoreWithTheGivenUserAndPassword() {
    Config config = configOf("--db-url", "jdbc:postgresql://db.example:5433/ds", "--db-user", "alice",
        "--db-password", "s3cret", "--cluster-port", "25601", "--seed-nodes", "127.0.0.1:25601,127.0.0.1:25602",
        "--management-port", "7700");

    JdbcTarget target = JdbcTarget.of(config);
    assertThat(target.store()).isEqualTo(Store.POSTGRES);
    assertThat(target.url()).isEqualTo("jdbc:postgresql://db.example:5433/ds");
    assertThat(target.user()).isEqualTo("alice");
    assertThat(target.password()).isEqualTo("s3cret");
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25601);
    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://daemonset@127.0.0.1:25601", "pekko://daemonset@127.0.0.1:25602");
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7700);
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("127.0.0.1");
    assertThat(Management.bootstraps(config)).isFalse();
  }

  @Test
  void withoutDatabaseFlagsTheEmbeddedStoreAndPekkoManagementsDefaultPortRemain() {
    Config config = configOf();
    assertThat(StoreConfig.store(config)).isEqualTo(Store.H2);
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7626);
    assertThat(config.getString("pekko.management.health-checks.readiness-checks.control-plane"))
        .isEqualTo(ReadinessCheck.class.getName());
    assertThat(config.getString("pekko.management.http.routes.metrics")).isEqualTo(MetricsRoute.class.getName());
  }

  @Test
  void aHollowReadyDelayOfZeroMeansPodsReadyAtOnce() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--hollow-nodes", "3", "--hollow-ready-delay", "0s");
    assertThat(command.hollowReadyDelay).isEqualTo(java.time.Duration.ZERO);
    assertThat(io.daemonset.agent.HollowBehavior.allReady(command.hollowReadyDelay)).isNotNull();
    new CommandLine(command).parseArgs("--hollow-ready-delay", "500ms");
    assertThat(command.hollowReadyDelay).isEqualTo(java.time.Duration.ofMillis(500));
    new CommandLine(command).parseArgs();
    assertThat(command.hollowReadyDelay).as("the default").isEqualTo(java.time.Duration.ofSeconds(1));
  }

  @Test
  void contradictoryOrMalformedDatabaseFlagsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> configOf("--store", "h2", "--db-url", "jdbc:postgresql://h/d"))
        .hasMessageContaining("--store h2 contradicts --db-url");
    assertThatThrownBy(() -> configOf("--db-url", "postgres://h/d")).hasMessageContaining("--db-url must be a JDBC URL");
    assertThatThrownBy(() -> configOf("--store", "h2", "--db-user", "x")).hasMessageContaining("--db-user");
  }

  @Test
  void helpNamesEveryFlagWithItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    new CommandLine(new ServeCommand()).usage(new PrintWriter(out));
    String help = out.toString().replaceAll("\\s+", " ");
    for (List<String> flagAndEnv : List.of(List.of("--db-url", "DS_DB_URL"), List.of("--db-user", "DS_DB_USER"),
        List.of("--db-password", "DS_DB_PASSWORD"), List.of("--management-port", "DS_MANAGEMENT_PORT"),
        List.of("--cluster-port", "DS_CLUSTER_PORT"), List.of("--seed-nodes", "DS_SEED_NODES"),
        List.of("--bind", "DS_API_BIND"), List.of("--api-port", "DS_API_PORT"), List.of("--data-dir", "DS_DATA_DIR"),
        List.of("--tls-cert-file", "DS_TLS_CERT_FILE"), List.of("--tls-private-key-file", "DS_TLS_PRIVATE_KEY_FILE"))) {
      assertThat(help).contains(flagAndEnv.get(0)).contains("env " + flagAndEnv.get(1));
    }
  }
}
