package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.daemonset.auth.Identity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * max-in-flight where it matters: the real API server (its authentication, authorization and the configured budgets),
 * callers told apart by their credentials. A hollow fleet that fills the node agents' budget gets 429 with
 * Retry-After, and kubectl's user is served meanwhile. {@link InFlightLimitTest} covers the limit's own rules.
 */
class InFlightLimitServerTest {
  @TempDir Path dataDir;

  private ActorSystem<Void> system;
  private ApiServer server;
  private ExecutorService executor;
  private HttpClient http;
  private final CompletableFuture<org.apache.pekko.http.javadsl.model.HttpResponse> held = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "in-flight-server", ConfigFactory
        .parseString("daemonset.api.max-in-flight.nodes = 1").withFallback(ConfigFactory.load()));
    // the resource routes: a request with ?hold waits for the test to release it, any other is answered at once
    Route resources = extractRequest(request -> completeWithFuture(request.getUri().query().get("hold").isPresent()
        ? held : CompletableFuture.completedFuture(org.apache.pekko.http.javadsl.model.HttpResponse.create())));
    server = ApiServer.start(system, ApiSettings.defaults(dataDir).withPort(0).withPlainHttp(true),
        Authorizer.standard(), resources).toCompletableFuture().get(30, TimeUnit.SECONDS);
    executor = Executors.newFixedThreadPool(4);
    http = HttpClient.newBuilder().executor(executor).build();
  }

  @AfterEach
  void stop() throws Exception {
    held.complete(org.apache.pekko.http.javadsl.model.HttpResponse.create());
    if (server != null) {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    system.terminate();
    executor.shutdownNow();
  }

  @Test
  void aFleetBeyondTheNodeAgentsBudgetGets429WhileKubectlsUserIsServed() throws Exception {
    // the credentials serve makes: the hollow fleet's (a node agent, in system:masters) and a person's
    String fleet = server.tokens().issue(new Identity("system:hollow-fleet", "hollow-fleet", Set.of(Identity.MASTERS)));
    String alice = server.tokens().issue(new Identity("alice", "alice", Set.of(Identity.MASTERS)));

    CompletableFuture<HttpResponse<String>> first = get(fleet, "hold=1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get(fleet, "x=1").get().statusCode()).isEqualTo(429));
    HttpResponse<String> refused = get(fleet, "x=2").get();
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(refused.body()).contains("TooManyRequests");

    assertThat(get(alice, "x=3").get().statusCode()).as("another class's budget").isEqualTo(200);

    held.complete(org.apache.pekko.http.javadsl.model.HttpResponse.create());
    assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get(fleet, "x=4").get().statusCode()).isEqualTo(200));
  }

  private CompletableFuture<HttpResponse<String>> get(String token, String query) {
    URI uri = URI.create(server.url() + "/api/v1/nodes?" + query);
    return http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
