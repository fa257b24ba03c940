package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The failover the cluster settings promise, from the configuration a member starts with. */
class FailoverBudgetTest {
  @TempDir Path dataDir;

  private Config config(String overrides) {
    return ControlPlaneConfig.load(Settings.defaults().withDataDir(dataDir).withStore(Store.H2)
        .withClusterHost("127.0.0.1").withClusterPort(25599).withSeedNodes(List.of())
        .withExtraConfig(ConfigFactory.parseString(overrides)));
  }

  @ParameterizedTest(name = "{0} -> {1} ms")
  @CsvSource(delimiter = '|', value = {
      // the bundled settings: 1 + 3 + 0.56 + 0.5 + 1 | 5 + 1 | 0.5 + 1 | 4 | 1 + 1
      "''                                                              | 19560",
      // Pekko's defaults for the margin (= stable-after) and for the ticks: the 23-31 s measured before
      "pekko.cluster.down-removal-margin = off, pekko.cluster.split-brain-resolver.stable-after = 7s,"
          + " pekko.cluster.leader-actions-interval = 1s, pekko.cluster.unreachable-nodes-reaper-interval = 1s,"
          + " pekko.cluster.sharding.retry-interval = 2s                     | 26560",
      // a larger cluster on a noisier network, as the README advises: 20 s each
      "pekko.cluster.split-brain-resolver.stable-after = 20s, pekko.cluster.down-removal-margin = 20s | 50560",
  })
  void addsUpTheStepsAMembersDeathWaitsFor(String overrides, long expectedMillis) {
    FailoverBudget budget = FailoverBudget.of(config(overrides.replace(", ", "\n")));

    assertThat(budget.total()).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @Test
  void theBundledSettingsFailOverWithinTwentySeconds() {
    FailoverBudget budget = FailoverBudget.of(config(""));

    assertThat(budget.total()).isLessThanOrEqualTo(Duration.ofSeconds(20));
    assertThat(budget.margin()).as("the margin still covers the two sides' skew in deciding (~3 s)")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(budget.toString()).startsWith("at most 19.6 s");
  }
}
