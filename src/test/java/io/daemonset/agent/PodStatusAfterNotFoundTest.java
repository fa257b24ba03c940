package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.daemonset.model.Container;
import io.daemonset.model.Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a node agent reports its pods' status when the server answers 404 for a pod the agent's watch still shows
 * (its node entity recovering after a database outage): it reports again until the status is taken, as kubelet's
 * status manager does; once the watch says the pod is gone, it stops. Over real HTTP, with the hollow runtime.
 */
class PodStatusAfterNotFoundTest {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final AtomicInteger notFoundLeft = new AtomicInteger();
  private final List<Integer> answers = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private PodManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    if (server != null) {
      server.stop(0);
    }
    scheduler.shutdownNow();
  }

  @Test
  void aStatusAnswered404ForAPodStillBoundIsReportedAgainUntilTaken() throws IOException {
    notFoundLeft.set(2);
    Pod pod = TestPods.pod("default", "agent-x", "node-1", Container.of("app", "agent:1"));

    start().event("ADDED", pod);

    await().atMost(Duration.ofSeconds(30)).until(() -> answers.contains(200));
    assertThat(answers).as("two 404s, then the report that was taken").startsWith(404, 404, 200);
  }

  @Test
  void aPodTheWatchRemovedIsNotReportedAgain() throws IOException {
    notFoundLeft.set(Integer.MAX_VALUE);
    Pod pod = TestPods.pod("default", "agent-y", "node-1", Container.of("app", "agent:1"));
    PodManager pods = start();

    pods.event("ADDED", pod);
    await().atMost(Duration.ofSeconds(30)).until(() -> !answers.isEmpty());
    pods.event("DELETED", pod);
    int seen = answers.size();
    // a report already scheduled may still go out once; none after that
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> answers.size() <= seen + 1);
  }

  private PodManager start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", this::serve);
    server.start();
    ApiTarget target = ApiTarget.of("http://127.0.0.1:" + server.getAddress().getPort(), null, "token");
    ApiClient client = new ApiClient(target, ApiClient.newHttpClient(target, null), 4);
    HollowRuntime runtime = new HollowRuntime(HollowBehavior.allReady(Duration.ZERO), Map.of(), "10.0.0.7", scheduler,
        Clock.systemUTC());
    manager = new PodManager("node-1", client, runtime, scheduler);
    return manager;
  }

  /** Pod status PUTs: 404 while notFoundLeft lasts, then 200 with the pod sent back. */
  private void serve(HttpExchange exchange) throws IOException {
    byte[] sent = exchange.getRequestBody().readAllBytes();
    boolean status = exchange.getRequestURI().getPath().endsWith("/status");
    int code = !status ? 404 : notFoundLeft.getAndDecrement() > 0 ? 404 : 200;
    if (status) {
      answers.add(code);
    }
    byte[] body = code == 200 ? sent : ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
        + "\"reason\":\"NotFound\",\"code\":404}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
