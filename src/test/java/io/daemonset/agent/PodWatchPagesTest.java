package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.model.Pod;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's pod watch lists in pages (limit/continue), as client-go's reflector does, against the real API: the
 * pages together are the whole list, each pod once, and the watch goes on from the list's resourceVersion.
 */
class PodWatchPagesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int NODES = 5;

  @TempDir Path tmp;

  @Test
  void aListReadInPagesHoldsEveryPodOnceAndTheWatchGoesOnFromIt() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (TestControlPlane api = TestControlPlane.start(tmp);
         HollowFleet fleet = HollowFleet.start(FleetSettings.of(api.target(), NODES).withNamePrefix("page-")
             .withLabels(Map.of("fleet", "page")).withBehavior(HollowBehavior.allReady(Duration.ZERO)))) {
      fleet.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      api.ok("POST", NodeJoinTest.DS, "application/json", NodeJoinTest.daemonSet("paged", "x", "[]")
          .replace("\"nodeSelector\":{\"role\":\"x\"},", ""));
      await("a pod on every node").atMost(WAIT).until(() -> api.pods("paged").size() == NODES);

      List<String> listed = new CopyOnWriteArrayList<>();
      List<String> watched = new CopyOnWriteArrayList<>();
      PodWatch.Sink sink = new PodWatch.Sink() {
        @Override
        public void replace(List<Pod> pods) {
          pods.forEach(p -> listed.add(p.metadata().name()));
        }

        @Override
        public void event(String type, Pod pod) {
          watched.add(type + " " + pod.metadata().name());
        }
      };
      ApiClient client = new ApiClient(api.target(), ApiClient.newHttpClient(api.target(), null), 4);
      try (PodWatch watch = new PodWatch(client, null, sink, scheduler, Duration.ofMillis(50), Duration.ofMillis(500),
          "pod-watch-pages", 2, 2).start()) {
        watch.firstSync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(listed).as("every pod once").hasSize(NODES).doesNotHaveDuplicates()
            .allMatch(name -> name.startsWith("paged-"));
        assertThat(watch.pages()).as("5 pods in pages of 2").isEqualTo(3);

        api.ok("DELETE", NodeJoinTest.DS + "/paged", "application/json", "{\"propagationPolicy\":\"Background\"}");
        await("the deletions arrive by the watch, not by another list").atMost(WAIT)
            .until(() -> watched.stream().filter(e -> e.startsWith("DELETED ")).count() == NODES);
        assertThat(watch.lists()).isEqualTo(1);
      }
    } finally {
      scheduler.shutdownNow();
    }
  }
}
