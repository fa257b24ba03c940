package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet larger than its renewal rate allows (node.LeaseTerms): the server grants every node a longer lease, the
 * agents renew every quarter of it instead of at every tick, and the silence in between is not unreachability.
 * Scaled down: a renewal rate of 0.1 a second for 3 nodes grants 120 s leases, so the agents (ticking every 200 ms)
 * renew every 30 s, while the grace period is 2 s.
 */
class HollowLeaseTermsTest {
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/";

  @TempDir Path tmp;

  @Test
  void agentsOfALargeFleetRenewTheLongerLeaseTheServerGrantsAndStayReachable() throws Exception {
    try (TestControlPlane api = TestControlPlane.start(tmp,
        "daemonset.node.heartbeat-grace = 2s\ndaemonset.node.lease-renewals-per-second = 0.1")) {
      FleetSettings settings = FleetSettings.of(api.target(), 3).withNamePrefix("leased-")
          .withLabels(Map.of("fleet", "leased")).withHeartbeatPeriod(Duration.ofMillis(200));
      try (HollowFleet fleet = HollowFleet.start(settings)) {
        fleet.registered().get(60, TimeUnit.SECONDS);
        for (String node : new String[] {"leased-1", "leased-2", "leased-3"}) {
          await(node + "'s lease granted for 120 s", Duration.ofSeconds(60)).until(() -> api.kubectl().output(
              "get", "lease", node, "-n", "kube-node-lease", "-o", "jsonpath={.spec.leaseDurationSeconds}")
              .equals("120"));
        }
        String renewed = api.read(LEASES + "leased-1").path("spec").path("renewTime").asText();

        // 20 ticks and twice the grace period pass without a renewal, and the node stays Ready and untainted
        await("no renewal before a quarter of the lease", Duration.ofSeconds(30)).during(Duration.ofSeconds(5))
            .until(() -> api.read(LEASES + "leased-1").path("spec").path("renewTime").asText().equals(renewed)
                && reachable(api.read("/api/v1/nodes/leased-1")));
      }
    }
  }

  static boolean reachable(JsonNode node) {
    boolean tainted = node.path("spec").path("taints").toString().contains("node.kubernetes.io/unreachable");
    boolean ready = false;
    for (JsonNode c : node.path("status").path("conditions")) {
      ready |= c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True");
    }
    return ready && !tainted;
  }
}
