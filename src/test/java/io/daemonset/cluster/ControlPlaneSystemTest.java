package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting members: initializers, forming a cluster alone, joining through a seed node. */
class ControlPlaneSystemTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  private Settings member(String name) {
    return Settings.defaults().withDataDir(dataDir.resolve(name)).withStore(Store.H2).withClusterPort(0);
  }

  @Test
  void runsTheInitializersInOrderThenFormsASingleMemberCluster() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    Settings settings = member("solo").withSeedNodes(List.of())
        .withInitializer(system -> calls.add("first:" + system.name()))
        .withInitializer(system -> calls.add("second:" + Cluster.get(system).selfMember().status()));

    try (ControlPlaneSystem solo = ControlPlaneSystem.start(settings)) {
      assertThat(calls).as("before joining").containsExactly("first:daemonset", "second:" + MemberStatus.removed());
      solo.awaitMemberUp(TIMEOUT);
      assertThat(Cluster.get(solo.system()).state().getMembers()).hasSize(1);
    }
  }

  @Test
  void aSecondMemberJoinsThroughASeedNodeGivenAsHostAndPort() throws Exception {
    try (ControlPlaneSystem seed = ControlPlaneSystem.start(member("seed").withSeedNodes(List.of()))) {
      seed.awaitMemberUp(TIMEOUT);
      String hostPort = seed.selfAddress().getHost().get() + ":" + seed.selfAddress().getPort().get();
      try (ControlPlaneSystem joiner = ControlPlaneSystem.start(member("joiner").withSeedNodes(List.of(hostPort)))) {
        joiner.awaitMemberUp(TIMEOUT);
        ActorSystem<?> system = joiner.system();
        assertThat(Cluster.get(system).state().getMembers()).hasSize(2);
      }
    }
  }
}
