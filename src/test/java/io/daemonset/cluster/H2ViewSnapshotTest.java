package io.daemonset.cluster;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The view's snapshot on the embedded default: an H2 file database in a fresh data directory. */
class H2ViewSnapshotTest extends ViewSnapshotContract {
  @TempDir Path dataDir;

  @Override
  Settings settings() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of());
  }
}
