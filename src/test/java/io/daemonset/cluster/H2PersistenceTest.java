package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on the default store: an H2 file database under the data directory. */
class H2PersistenceTest extends JournalRoundTripContract {
  @TempDir Path dataDir;

  @Override
  Settings settings() {
    return Settings.defaults()
        .withDataDir(dataDir)
        .withStore(Store.H2)
        .withClusterPort(0)
        .withSeedNodes(List.of());
  }

  @AfterEach
  void theJournalIsAFileUnderTheDataDir() {
    assertThat(dataDir.resolve("journal.mv.db")).isRegularFile();
  }
}
