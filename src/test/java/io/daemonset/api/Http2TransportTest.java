package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.daemonset.agent.ApiClient;
import io.daemonset.agent.ApiTarget;
import io.daemonset.auth.Identity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * The HTTPS server offers HTTP/2 by ALPN and the node agents' client takes it (h2x9: less CPU per request for a
 * fleet); a client that offers HTTP/1.1 only (kubectl's exec and watch upgrades) still gets it, and a request that is
 * never answered gets the request timeout's 504 on both protocols (pekko-http times only HTTP/1.1 itself).
 */
class Http2TransportTest {
  @TempDir Path dataDir;

  private ActorSystem<Void> system;
  private ApiServer server;
  private ExecutorService executor;
  private String token;
  private final CompletableFuture<org.apache.pekko.http.javadsl.model.HttpResponse> never = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http2-transport", ConfigFactory
        .parseString("pekko.http.server.request-timeout = 2s").withFallback(ConfigFactory.load()));
    // the resource routes: ?hold is never answered, anything else at once
    Route resources = extractRequest(request -> completeWithFuture(request.getUri().query().get("hold").isPresent()
        ? never : CompletableFuture.completedFuture(org.apache.pekko.http.javadsl.model.HttpResponse.create())));
    server = ApiServer.start(system, ApiSettings.defaults(dataDir).withPort(0), Authorizer.standard(), resources)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    token = server.tokens().issue(new Identity("system:node:n1", "n1", Set.of(Identity.MASTERS)));
    executor = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    system.terminate();
    executor.shutdownNow();
  }

  @Test
  void theAgentsClientSpeaksHttp2AndAnHttp11ClientIsStillServed() throws Exception {
    HttpResponse<String> agent = get(agentsClient(), "");
    assertThat(agent.statusCode()).isEqualTo(200);
    assertThat(agent.version()).isEqualTo(HttpClient.Version.HTTP_2);

    HttpResponse<String> http11 = get(http11Client(), "");
    assertThat(http11.statusCode()).isEqualTo(200);
    assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void aRequestNeverAnsweredTimesOutOnBothProtocols() throws Exception {
    for (HttpClient client : new HttpClient[] {agentsClient(), http11Client()}) {
      HttpResponse<String> held = get(client, "hold=1");
      assertThat(held.statusCode()).as(held.version().toString()).isEqualTo(504);
      assertThat(held.body()).contains("\"reason\":\"Timeout\"");
    }
  }

  private HttpClient agentsClient() {
    return ApiClient.newHttpClient(ApiTarget.of(server.url(), server.pki().caCertificate(), token), executor);
  }

  private HttpClient http11Client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .sslContext(ApiTarget.of(server.url(), server.pki().caCertificate(), token).sslContext()).build();
  }

  private HttpResponse<String> get(HttpClient client, String query) throws Exception {
    URI uri = URI.create(server.url() + "/api/v1/nodes?" + query);
    return client.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString()).get(60, TimeUnit.SECONDS);
  }
}
