package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node registers as kubelet does: it creates its Node with its status and then its Lease, and writes no status
 * again before its status period has passed. A status write right after the create would cost every node of a
 * registering fleet a third request and a journal event for nothing.
 */
class NodeRegistrationTest {
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/";

  @TempDir Path tmp;

  @Test
  void aRegistrationIsTheNodeWithItsStatusAndALeaseWithoutAStatusWrite() throws Exception {
    // the global registry counts only into the registries added to it (serve adds Prometheus's)
    SimpleMeterRegistry counted = new SimpleMeterRegistry();
    Metrics.addRegistry(counted);
    try (TestControlPlane api = TestControlPlane.start(tmp)) {
      FleetSettings settings = FleetSettings.of(api.target(), 1).withNamePrefix("reg-")
          .withHeartbeatPeriod(Duration.ofMillis(200));
      double createsBefore = requests("create", "nodes");
      double statusWritesBefore = requests("update", "nodes/status");
      try (HollowFleet fleet = HollowFleet.start(settings)) {
        fleet.registered().get(60, TimeUnit.SECONDS);
        await("the lease of reg-1", Duration.ofSeconds(30))
            .until(() -> api.get(LEASES + "reg-1").code() == 200);
        // a registration that writes the status again does so before it creates the lease, so by now it would show

        assertThat(HollowLeaseTermsTest.reachable(api.read("/api/v1/nodes/reg-1"))).isTrue();
        assertThat(eventsOf(api, "Node|reg-1")).containsExactly("NodeRegistered");
        assertThat(requests("create", "nodes") - createsBefore).isEqualTo(1);
        assertThat(requests("update", "nodes/status") - statusWritesBefore).as("status writes").isZero();
      }
    } finally {
      Metrics.removeRegistry(counted);
    }
  }

  /** The API's request counter (cluster.ApiMetrics, as serve measures), every code, this JVM. */
  private static double requests(String verb, String resource) {
    return Metrics.globalRegistry.find("apiserver.request").tags("verb", verb, "resource", resource).counters()
        .stream().mapToDouble(Counter::count).sum();
  }

  private static List<String> eventsOf(TestControlPlane api, String persistenceId) throws Exception {
    return ControlPlaneSystem.readJournal(api.plane().system())
        .currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .map(e -> e.getClass().getSimpleName())
        .runWith(Sink.seq(), api.plane().system())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
