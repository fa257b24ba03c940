package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a node's pod manager sends to pods/status, over real HTTP: the pod's identity and status without its spec; the
 * watch's echo of its own report computes nothing again; a Ready condition someone else changed is reported again; a
 * report answered 404 for a pod the watch still shows (its node entity recovering after a database outage) is sent
 * again until taken, as kubelet's status manager does, and no more once the watch says the pod is gone.
 */
class PodStatusReportTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<JsonNode> puts = new CopyOnWriteArrayList<>();
  /** How many pods/status PUTs are still answered 404 NotFound (then 200). */
  private final AtomicInteger notFoundLeft = new AtomicInteger();
  /** The answer codes of the pods/status PUTs, in order. */
  private final List<Integer> answers = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private ApiClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
    scheduler.shutdownNow();
  }

  /**
   * An API that records every pods/status PUT and answers with its body, as a server answers with the pod (or 404
   * while {@link #notFoundLeft} lasts).
   */
  private ApiClient start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::serve);
    server.start();
    ApiTarget target = ApiTarget.of("http://127.0.0.1:" + server.getAddress().getPort(), null, "token");
    client = new ApiClient(target, ApiClient.newHttpClient(target, null), 4);
    return client;
  }

  private void serve(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    int code = 200;
    if (exchange.getRequestMethod().equals("PUT") && exchange.getRequestURI().getPath().endsWith("/status")) {
      puts.add(Json.mapper().readTree(new String(body, StandardCharsets.UTF_8)));
      code = notFoundLeft.getAndDecrement() > 0 ? 404 : 200;
      answers.add(code);
    }
    if (code == 404) {
      body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
          + "\"code\":404}").getBytes(StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void reportsTheStatusWithoutTheSpecAndTheEchoOfItsOwnReportComputesNothing() throws Exception {
    CountingRuntime runtime = new CountingRuntime(hollowRuntime());
    PodManager manager = new PodManager("node-1", start(), runtime, scheduler);
    Pod pod = TestPods.pod("p", TestPods.container("c", "true"));

    manager.event("ADDED", pod);
    await("the first report").until(() -> puts.size() == 1 && manager.idle());
    JsonNode body = puts.get(0);
    assertThat(body.has("spec")).as("the spec is not sent: pods/status takes the status").isFalse();
    assertThat(body.path("metadata").path("name").asText()).isEqualTo("p");
    assertThat(body.path("metadata").path("uid").asText()).isEqualTo(pod.metadata().uid());
    assertThat(body.path("status").path("phase").asText()).isEqualTo("Running");
    PodStatus reported = Json.mapper().treeToValue(body.path("status"), PodStatus.class);
    assertThat(PodStatus.isReady(reported)).isTrue();

    // the watch brings the pod back with the status just reported (as decoded from the wire)
    int computed = runtime.statuses.get();
    manager.event("MODIFIED", Json.read(Json.write(pod.withStatus(reported)), Pod.class));
    assertThat(manager.idle()).isTrue();
    assertThat(runtime.statuses.get()).as("no status computed for the echo").isEqualTo(computed);
    assertThat(puts).hasSize(1);

    // someone else marks it not Ready (the control plane's MarkPodsNotReady): reported again, Ready
    PodStatus notReady = new PodStatus(reported.phase(), reported.conditionsOrEmpty().stream()
        .map(c -> c.type().equals(PodStatuses.READY)
            ? new PodCondition(c.type(), "False", null, c.lastTransitionTime(), "NodeNotReady", null) : c)
        .toList(), null, null, reported.hostIP(), reported.podIP(), reported.startTime(),
        reported.containerStatuses(), reported.initContainerStatuses());
    manager.event("MODIFIED", Json.read(Json.write(pod.withStatus(notReady)), Pod.class));
    await("reported again").until(() -> puts.size() == 2 && manager.idle());
    assertThat(PodStatus.isReady(Json.mapper().treeToValue(puts.get(1).path("status"), PodStatus.class))).isTrue();
  }

  @Test
  void aStatusAnswered404ForAPodStillWatchedIsReportedAgainUntilTaken() throws Exception {
    notFoundLeft.set(2);
    PodManager manager = new PodManager("node-1", start(), hollowRuntime(), scheduler);

    manager.event("ADDED", TestPods.pod("p", TestPods.container("c", "true")));

    await("the report taken after two 404s").atMost(Duration.ofSeconds(30)).until(() -> answers.contains(200));
    assertThat(answers).startsWith(404, 404, 200);
  }

  @Test
  void aPodTheWatchRemovedIsNotReportedAgain() throws Exception {
    notFoundLeft.set(Integer.MAX_VALUE);
    PodManager manager = new PodManager("node-1", start(), hollowRuntime(), scheduler);
    Pod pod = TestPods.pod("p", TestPods.container("c", "true"));

    manager.event("ADDED", pod);
    await("the first report answered").atMost(Duration.ofSeconds(30)).until(() -> !answers.isEmpty());
    manager.event("DELETED", pod);
    int seen = answers.size();
    // a report already scheduled may still go out once; none after that
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> answers.size() <= seen + 1);
  }

  private HollowRuntime hollowRuntime() {
    return new HollowRuntime(HollowBehavior.allReady(Duration.ZERO), Map.of(), "10.0.0.1", scheduler,
        Clock.systemUTC());
  }

  /** The hollow runtime, counting the statuses asked of it. */
  private static final class CountingRuntime implements PodRuntime {
    final AtomicInteger statuses = new AtomicInteger();
    private final PodRuntime runtime;

    CountingRuntime(PodRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void onChange(Consumer<String> listener) {
      runtime.onChange(listener);
    }

    @Override
    public Map<String, String> pods() {
      return runtime.pods();
    }

    @Override
    public Pod held(String podKey) {
      return runtime.held(podKey);
    }

    @Override
    public void ensureRunning(Pod pod) {
      runtime.ensureRunning(pod);
    }

    @Override
    public CompletableFuture<Void> stop(String podKey, Duration grace) {
      return runtime.stop(podKey, grace);
    }

    @Override
    public void forget(String podKey) {
      runtime.forget(podKey);
    }

    @Override
    public PodStatus status(Pod pod) {
      statuses.incrementAndGet();
      return runtime.status(pod);
    }

    @Override
    public void close(boolean stopPods) {
      runtime.close(stopPods);
    }
  }
}
