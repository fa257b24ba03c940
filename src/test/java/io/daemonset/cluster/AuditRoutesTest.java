package io.daemonset.cluster;

import static io.daemonset.cluster.ControllerScenarioContract.awaitPods;
import static io.daemonset.cluster.ControllerScenarioContract.create;
import static io.daemonset.cluster.ControllerScenarioContract.register;
import static io.daemonset.cluster.Fixtures.daemonSet;
import static io.daemonset.cluster.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.auth.Identity;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The audit over HTTP on the API port, as serve wires it: masters and viewers may read it, others may not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditRoutesTest {
  @TempDir static Path dir;
  ControlPlane plane;
  ApiServer server;
  HttpClient http;
  ExecutorService httpExecutor = Executors.newFixedThreadPool(2);

  @BeforeAll
  void start() throws Exception {
    plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(dir.resolve("plane"))
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of())
        .withExtraConfig("daemonset.audit.seal-interval = 100ms\ndaemonset.audit.checkpoint-interval = 300ms"),
        Clock.systemUTC());
    plane.member().awaitMemberUp(Duration.ofSeconds(60));
    server = ApiServer.start(plane.system(), ApiSettings.defaults(dir.resolve("api")).withPort(0),
        AdminRoutes.create(plane)).toCompletableFuture().get(60, TimeUnit.SECONDS);
    http = HttpClient.newBuilder().executor(httpExecutor)
        .sslContext(Pki.clientSslContext(dir.resolve("api").resolve(Pki.CA_CRT))).build();
    try (InProcessAgents agents = new InProcessAgents(plane)) {
      register(plane, node("n1", Map.of(), null));
      create(plane, daemonSet("web", "nginx:1", null, null));
      awaitPods(plane, "web", 1);
    }
  }

  @AfterAll
  void stop() throws Exception {
    server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    plane.close();
    httpExecutor.shutdownNow();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String admin() {
    return server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
  }

  String viewer() {
    return server.tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
  }

  @Test
  void mastersAndViewersReadTheHistory() throws Exception {
    for (String token : List.of(admin(), viewer())) {
      HttpResponse<String> history = get("/audit/history/daemonset/web?output=json", token);
      assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
      JsonNode doc = Json.read(history.body(), JsonNode.class);
      assertThat(doc.get("kind").asText()).isEqualTo("History");
      assertThat(doc.get("items").get(0).get("event").asText()).isEqualTo("DaemonSetCreated");
      assertThat(doc.get("items").get(0).get("actor").asText()).isEqualTo("alice");
    }
    HttpResponse<String> human = get("/audit/node/n1", viewer());
    assertThat(human.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(human.body()).contains("Pods placed on n1").contains("web-");
  }

  @Test
  void exportStreamsJsonLinesAndVerifyPasses() throws Exception {
    HttpResponse<String> export = get("/audit/export", admin());
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("application/jsonl");
    assertThat(export.body().lines().toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(Json.read(l, JsonNode.class).get("apiVersion").asText())
            .isEqualTo("audit.daemonset.io/v1"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> verify = get("/audit/verify?output=json", viewer());
      JsonNode report = Json.read(verify.body(), JsonNode.class).get("value");
      assertThat(report.get("ok").asBoolean()).as(verify.body()).isTrue();
      assertThat(report.get("checkpoints").asLong()).isPositive();
      assertThat(report.get("signaturesChecked").asBoolean()).isTrue();
    });
    HttpResponse<String> at = get("/audit/at?time=1m&all=true", admin());
    assertThat(at.statusCode()).isEqualTo(200);
  }

  @Test
  void badInputIsA400StatusAndOthersAreForbidden() throws Exception {
    HttpResponse<String> bad = get("/audit/history/widget/x", admin());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.read(bad.body(), JsonNode.class).get("message").asText()).contains("unknown kind 'widget'");
    assertThat(get("/audit/export?since=yesterday", admin()).statusCode()).isEqualTo(400);
    String nodeToken = server.tokens().issue(Identity.node("n1", UUID.randomUUID().toString()));
    assertThat(get("/audit/verify", nodeToken).statusCode()).isEqualTo(403);
  }
}
