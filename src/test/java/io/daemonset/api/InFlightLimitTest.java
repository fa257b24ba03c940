package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.auth.Identity;
import io.daemonset.model.Json;
import io.daemonset.model.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** max-in-flight per user class, on a real pekko-http server: 429 with Retry-After beyond the budget, per class. */
class InFlightLimitTest {
  private static final Identity KUBECTL = new Identity("alice", "u1", Set.of("system:masters"));
  private static final Identity NODE = new Identity("system:node:n1", "u2", Set.of(Identity.NODES));

  private ActorSystem<Void> system;
  private ExecutorService executor;
  private HttpClient http;
  private ServerBinding binding;
  private final CompletableFuture<org.apache.pekko.http.javadsl.model.HttpResponse> held = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "in-flight");
    executor = Executors.newFixedThreadPool(4);
    http = HttpClient.newBuilder().executor(executor).build();
    InFlightLimit limit = new InFlightLimit(1, 1);
    // the caller says who it is in a header; "hold" requests wait for the test to release them
    Route route = extractRequest(request -> {
      Identity who = request.getHeader("X-Who").map(h -> h.value()).orElse("").equals("node") ? NODE : KUBECTL;
      boolean hold = request.getUri().query().get("hold").isPresent();
      boolean watch = request.getUri().query().get("watch").isPresent();
      RequestAttributes attributes = RequestInfo.parse("GET", "/api/v1/nodes", watch ? Map.of("watch", "true") : Map.of());
      return limit.limit(who, attributes, () -> completeWithFuture(hold ? held
          : CompletableFuture.completedFuture(org.apache.pekko.http.javadsl.model.HttpResponse.create())));
    });
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get();
  }

  @AfterEach
  void stop() {
    held.complete(org.apache.pekko.http.javadsl.model.HttpResponse.create());
    system.terminate();
    executor.shutdownNow();
  }

  private CompletableFuture<HttpResponse<String>> get(String who, String query) {
    URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/nodes?" + query);
    return http.sendAsync(HttpRequest.newBuilder(uri).header("X-Who", who).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void beyondItsBudgetAClassGets429WithRetryAfterWhileTheOtherClassIsServed() throws Exception {
    CompletableFuture<HttpResponse<String>> first = get("node", "hold=1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get("node", "x=1").get().statusCode()).isEqualTo(429));

    HttpResponse<String> refused = get("node", "x=2").get();
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    Status status = Json.mapper().readValue(refused.body(), Status.class);
    assertThat(status.reason()).isEqualTo("TooManyRequests");
    assertThat(status.code()).isEqualTo(429);

    // kubectl's class has its own budget; watches are not counted
    assertThat(get("kubectl", "x=3").get().statusCode()).isEqualTo(200);
    assertThat(get("node", "watch=1").get().statusCode()).isEqualTo(200);

    held.complete(org.apache.pekko.http.javadsl.model.HttpResponse.create());
    assertThat(first.get().statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get("node", "x=4").get().statusCode()).isEqualTo(200));
  }
}
