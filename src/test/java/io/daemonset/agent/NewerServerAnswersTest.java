package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.daemonset.model.Lease;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.Release;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * This release's agent client reading the next release's answers: the recorded answers under
 * {@code next-release-server/} (this server's answers with fields added at every level) served over real HTTP. Every
 * field this release knows is read, the new ones are ignored, and the client notes the newer server without failing.
 * (The other direction, this server reading a newer agent's requests, runs against the real server in
 * {@link VersionSkewTest}.)
 */
class NewerServerAnswersTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  HttpServer server;
  ExecutorService serverThreads;
  ApiClient client;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.createContext("/api/v1/nodes/n1", exchange -> answer(exchange, "node.json"));
    server.createContext("/api/v1/pods", exchange -> answer(exchange,
        String.valueOf(exchange.getRequestURI().getQuery()).contains("watch=true") ? "watch-pods.jsonl" : "pods.json"));
    server.createContext("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1",
        exchange -> answer(exchange, "lease.json"));
    server.start();
    ApiTarget target = new ApiTarget(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, "t");
    client = new ApiClient(target, ApiClient.newHttpClient(target, null), 4, Optional.of("0.2.0"));
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @Test
  void theAgentReadsTheNextReleasesAnswersAndIgnoresTheirNewFields() throws Exception {
    Node node = client.getNode("n1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(node.name()).isEqualTo("n1");
    assertThat(node.metadata().labels()).containsEntry("kubernetes.io/hostname", "n1");
    assertThat(node.spec().taints()).singleElement().satisfies(t -> assertThat(t.effect()).isEqualTo("NoSchedule"));
    assertThat(node.status().conditions()).singleElement().satisfies(c -> assertThat(c.reason()).isEqualTo("KubeletReady"));
    assertThat(node.status().capacity()).containsKey("pods");

    var pods = client.listPods("spec.nodeName=n1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(pods.metadata().resourceVersion()).isEqualTo("50");
    assertThat(pods.items()).singleElement().satisfies(p -> {
      assertThat(p.spec().nodeName()).isEqualTo("n1");
      assertThat(p.spec().containers()).singleElement().satisfies(c -> assertThat(c.image()).isEqualTo("web:2"));
      assertThat(p.metadata().ownerReferences()).singleElement().satisfies(o -> assertThat(o.name()).isEqualTo("web"));
      assertThat(p.status().phase()).isEqualTo("Pending");
    });

    Lease asked = new Lease("coordination.k8s.io/v1", "Lease", ObjectMeta.named(Lease.NODE_LEASE_NAMESPACE, "n1"),
        new Lease.LeaseSpec("n1", 40, null, null, null));
    Lease renewed = client.renewLease(asked, false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(renewed.spec().leaseDurationSeconds()).isEqualTo(80);

    assertThat(client.serverVersion()).hasValue("0.3.0");
    assertThat(client.serverSkew()).isEqualTo(Release.Skew.ONE_NEWER);
  }

  @Test
  void theAgentsPodWatchReadsTheNextReleasesEvents() {
    List<Pod> seen = new CopyOnWriteArrayList<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    PodWatch.Sink sink = new PodWatch.Sink() {
      @Override
      public void replace(List<Pod> pods) {
        seen.addAll(pods);
      }

      @Override
      public void event(String type, Pod pod) {
        seen.add(pod);
      }
    };
    try (PodWatch watch = new PodWatch(client, "spec.nodeName=n1", sink, scheduler, Duration.ofMillis(50),
        Duration.ofMillis(200), "pod-watch-next-release").start()) {
      await("the listed pod and the watched one", WAIT).untilAsserted(() -> assertThat(seen)
          .extracting(p -> p.spec().containers().get(0).image()).contains("web:2", "web:3"));
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static void answer(HttpExchange exchange, String file) throws IOException {
    byte[] body;
    try (InputStream in = NewerServerAnswersTest.class.getResourceAsStream("next-release-server/" + file)) {
      body = in.readAllBytes();
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add(Release.HEADER, "0.3.0");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
