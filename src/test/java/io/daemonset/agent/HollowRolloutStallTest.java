package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Quiet;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: a fleet of 200 hollow nodes, 20 of which (10%) never get a pod ready, and a DaemonSet with RollingUpdate
 * maxUnavailable 10% (20, rounded up from 200 × 10%) rolled to a new image. The rollout stalls exactly where
 * upstream's rollingUpdate (pkg/controller/daemon/update.go, maxSurge 0) stalls:
 * <ol>
 *   <li>first pass: the 20 old pods on the never-ready nodes are not available, so they are replaced at once,
 *       and each counts as unavailable (numUnavailable++, as upstream does since it counts allowedReplacementPods):
 *       20 of a budget of 20, so no available old pod is a candidate;</li>
 *   <li>their new pods never become ready: 20 unavailable new pods keep the budget spent; nothing more moves.</li>
 * </ol>
 * So, for good: desiredNumberScheduled 200, currentNumberScheduled 200, updatedNumberScheduled 20 (exactly the
 * never-ready nodes), numberReady 180, numberAvailable 180, numberUnavailable 20, and {@code kubectl rollout status}
 * waits with "20 out of 200 new pods have been updated".
 */
class HollowRolloutStallTest {
  static final Duration WAIT = Duration.ofSeconds(45);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";
  static final String PODS = "/api/v1/namespaces/default/pods?labelSelector=app%3Dstall";
  static final int NODES = 200;

  @TempDir Path tmp;

  @Test
  void aRolloutOverTwoHundredNodesWithTwentyNeverReadyStallsWithinMaxUnavailable() throws Exception {
    Set<String> neverReady = IntStream.rangeClosed(1, NODES).filter(i -> i % 10 == 3).mapToObj(i -> "stall-" + i)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(neverReady).hasSize(20);
    try (TestControlPlane api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 60s")) {
      ApiTarget target = api.target();
      HollowBehavior behavior = new HollowBehavior(Duration.ofMillis(100), 0, 0,
          HollowBehavior.nodeSelector("kubernetes.io/hostname in (" + String.join(",", neverReady) + ")"), null);
      FleetSettings settings = FleetSettings.of(target, NODES).withNamePrefix("stall-")
          .withLabels(Map.of("fleet", "stall")).withBehavior(behavior).withHeartbeatPeriod(Duration.ofSeconds(10));
      try (HollowFleet fleet = HollowFleet.start(settings)) {
        fleet.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        fleet.synced().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        api.ok("POST", DS, "application/json", daemonSet());
        JsonNode first = awaitStatus(api, "the first revision everywhere, 180 available",
            s -> s.path("updatedNumberScheduled").asInt() == NODES && s.path("numberAvailable").asInt() == 180
                && s.path("numberUnavailable").asInt() == 20);
        assertThat(first.path("desiredNumberScheduled").asInt()).isEqualTo(NODES);
        assertThat(first.path("numberReady").asInt()).isEqualTo(180);

        api.ok("PATCH", DS + "/stall", "application/strategic-merge-patch+json",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"pause:2\"}]}}}}");
        long generation = api.read(DS + "/stall").path("metadata").path("generation").asLong();
        JsonNode stalled = awaitStatus(api, "the rollout stalled on the never-ready nodes",
            s -> s.path("observedGeneration").asLong() == generation && s.path("updatedNumberScheduled").asInt() == 20
                && s.path("numberAvailable").asInt() == 180 && s.path("currentNumberScheduled").asInt() == NODES);
        assertStalled(stalled);
        assertPods(api, neverReady);

        // and it stays so: another reconcile replaces nothing more; from the stalled list up to a marker written
        // after it, no pod was added, removed or deleted
        String stalledAt = Quiet.resourceVersion(api.read(PODS));
        assertStalled(Quiet.reconciled(api, DS + "/stall").path("status"));
        String marked = api.pods("stall").get(0).path("metadata").path("name").asText();
        assertThat(Quiet.eventsBefore(api, PODS, stalledAt, Quiet.podMarker(api, "default", marked)))
            .noneMatch(Quiet::removesOrAdds);
        assertPods(api, neverReady);

        if (Kubectl.available()) {
          Kubectl.Result rollout = api.kubectl().run("rollout", "status", "daemonset/stall", "--timeout=2s");
          assertThat(rollout.exit()).as(rollout.err()).isNotZero();
          assertThat(rollout.out()).contains("Waiting for daemon set \"stall\" rollout to finish: "
              + "20 out of 200 new pods have been updated...");
          Kubectl.Result get = api.kubectl().run("get", "ds", "stall", "--no-headers");
          assertThat(get.out().trim().split("\\s+")).startsWith("stall", "200", "200", "180", "20", "180");
        } else {
          Assumptions.abort("kubectl is not installed: the status was checked through the API only");
        }
      }
    }
  }

  private static void assertStalled(JsonNode status) {
    assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(NODES);
    assertThat(status.path("currentNumberScheduled").asInt()).isEqualTo(NODES);
    assertThat(status.path("updatedNumberScheduled").asInt()).isEqualTo(20);
    assertThat(status.path("numberReady").asInt()).isEqualTo(180);
    assertThat(status.path("numberAvailable").asInt()).isEqualTo(180);
    assertThat(status.path("numberUnavailable").asInt()).isEqualTo(20);
    assertThat(status.path("numberMisscheduled").asInt()).isZero();
  }

  /** New pods exactly on the never-ready nodes (none ready), old ready pods on all the others, none terminating. */
  private static void assertPods(TestControlPlane api, Set<String> neverReady) {
    List<JsonNode> pods = api.pods("stall");
    assertThat(pods).hasSize(NODES);
    assertThat(pods).allSatisfy(p -> assertThat(p.path("metadata").path("deletionTimestamp").isMissingNode())
        .isTrue());
    Set<String> updated = pods.stream()
        .filter(p -> p.path("spec").path("containers").get(0).path("image").asText().equals("pause:2"))
        .map(p -> p.path("spec").path("nodeName").asText()).collect(Collectors.toCollection(TreeSet::new));
    assertThat(updated).isEqualTo(neverReady);
    assertThat(pods.stream().filter(TestControlPlane::ready)
        .map(p -> p.path("spec").path("containers").get(0).path("image").asText()).collect(Collectors.toSet()))
        .containsExactly("pause:1");
    assertThat(pods.stream().filter(TestControlPlane::ready).count()).isEqualTo(180);
  }

  private static JsonNode awaitStatus(TestControlPlane api, String what, Predicate<JsonNode> done) {
    return await(what, WAIT).until(() -> api.read(DS + "/stall").path("status"), done);
  }

  static String daemonSet() {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"stall"},
         "spec":{"selector":{"matchLabels":{"app":"stall"}},
           "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"10%"}},
           "template":{"metadata":{"labels":{"app":"stall"}},
             "spec":{"nodeSelector":{"fleet":"stall"},"containers":[{"name":"c","image":"pause:1"}]}}}}
        """;
  }
}
