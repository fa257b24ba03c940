package io.daemonset.api;

import static io.daemonset.api.ApiDirectives.apiRequest;
import static io.daemonset.api.ApiDirectives.completeJson;
import static io.daemonset.testing.Eventually.await;
import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.auth.Pki;
import io.daemonset.auth.ServerCipherSuites;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Json;
import io.daemonset.model.KubeList;
import io.daemonset.model.ListMeta;
import io.daemonset.model.Node;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestLogging;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl 1.32 against ApiServer over HTTPS with the generated kubeconfig. The inner route stands in for
 * the resource routes: an empty node list (as a list or a Table) and an echoing DaemonSet create.
 */
class KubectlIntegrationTest {
  @TempDir
  static Path tmp;

  private static ActorSystem<Void> system;
  private static ApiServer server;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    TestLogging.quiet();
    system = ActorSystem.create(Behaviors.empty(), "kubectl-it");
    server = ApiServer.start(system, ApiSettings.defaults(tmp.resolve("data")).withPort(0), testResources())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    kubectl = new Kubectl(server.kubeconfigPath(), Files.createDirectories(tmp.resolve("kubectl")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Empty nodes (list or Table), and POST daemonsets echoing the object back with 201. */
  static Route testResources() {
    return apiRequest((who, req) -> {
      if (req.resource().equals("nodes") && req.verb().equals("list")) {
        return extractRequest(http -> Responses.wantsTable(http)
            ? complete(Responses.table(Tables.nodes(List.of(), new ListMeta("7", null, null), Instant.now(),
                Tables.IncludeObject.parse(http.getUri().query().get("includeObject").orElse(null)))))
            : completeJson(200, new KubeList<Node>("v1", "NodeList", new ListMeta("7", null, null), List.of())));
      }
      if (req.resource().equals("daemonsets") && req.verb().equals("create")) {
        return entity(Unmarshaller.entityToString(), body -> {
          ObjectNode ds = (ObjectNode) Json.read(body, JsonNode.class);
          ((ObjectNode) ds.path("metadata")).put("uid", "11111111-2222-3333-4444-555555555555")
              .put("resourceVersion", "8").put("creationTimestamp", Instant.now().toString());
          return concat(completeJson(201, ds));
        });
      }
      if (!req.resourceRequest() && req.path().equals("/admin/ping")) {
        return completeJson(200, java.util.Map.of("pong", who.user()));
      }
      return reject();
    });
  }

  @Test
  void getNodesPrintsNoResourcesFound() {
    Kubectl.Result result = kubectl.run("get", "nodes");
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.all()).contains("No resources found");
  }

  @Test
  void versionReportsServerMinor32() {
    Kubectl.Result result = kubectl.run("version", "-o", "json");
    assertThat(result.exit()).as(result.all()).isZero();
    JsonNode version = Json.read(result.out(), JsonNode.class);
    assertThat(version.path("serverVersion").path("major").asText()).isEqualTo("1");
    assertThat(version.path("serverVersion").path("minor").asText()).isEqualTo("32");
    assertThat(version.path("serverVersion").path("gitVersion").asText()).isEqualTo("v1.32.0");
  }

  @Test
  void apiResourcesListsDaemonSetsWithShortNameDs() {
    Kubectl.Result result = kubectl.run("api-resources");
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out().lines().map(l -> List.of(l.trim().split("\\s+"))))
        .anySatisfy(cols -> assertThat(cols).containsExactly("daemonsets", "ds", "apps/v1", "true", "DaemonSet"))
        .anySatisfy(cols -> assertThat(cols).containsExactly("nodes", "no", "v1", "false", "Node"))
        .anySatisfy(cols -> assertThat(cols).containsExactly("pods", "po", "v1", "true", "Pod"))
        .anySatisfy(cols -> assertThat(cols).containsExactly("controllerrevisions", "apps/v1", "true",
            "ControllerRevision"));
    assertThat(result.err()).doesNotContain("Warning");
  }

  @Test
  void wrongTokenMustLogIn() {
    Kubectl.Result result = kubectl.run("--token", "wrong", "get", "nodes");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("You must be logged in to the server");
  }

  @Test
  void viewerMayListButNotDelete() {
    Kubectl.Result list = kubectl.run("--context", "daemonset-viewer", "get", "nodes");
    assertThat(list.exit()).as(list.all()).isZero();
    assertThat(list.all()).contains("No resources found");

    Kubectl.Result delete = kubectl.run("--context", "daemonset-viewer", "delete", "ds", "x");
    assertThat(delete.exit()).isEqualTo(1);
    assertThat(delete.err()).contains("Error from server (Forbidden): daemonsets.apps \"x\" is forbidden: "
        + "User \"viewer\" cannot delete resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
  }

  @Test
  void rawHealthz() {
    Kubectl.Result result = kubectl.run("get", "--raw", "/healthz");
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out().trim()).isEqualTo("ok");
  }

  @Test
  void adminPathsReachTheInnerRoutesForMastersOnly() {
    Kubectl.Result admin = kubectl.run("get", "--raw", "/admin/ping");
    assertThat(admin.exit()).as(admin.all()).isZero();
    assertThat(admin.out()).contains("\"pong\":\"admin\"");
    Kubectl.Result viewer = kubectl.run("--context", "daemonset-viewer", "get", "--raw", "/admin/ping");
    assertThat(viewer.exit()).isEqualTo(1);
    assertThat(viewer.err()).contains("forbidden: User \"viewer\" cannot get path \"/admin/ping\"");
    Kubectl.Result missing = kubectl.run("get", "--raw", "/admin/nothing");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("NotFound");
  }

  @Test
  void createValidatesAgainstOpenApiWithoutValidateFalse() throws IOException {
    Path manifest = tmp.resolve("ds.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: fluentd
        spec:
          selector:
            matchLabels: {name: fluentd}
          template:
            metadata:
              labels: {name: fluentd}
            spec:
              containers:
              - name: fluentd
                image: fluent/fluentd:v1.16-1
        """);
    Kubectl.Result result = kubectl.run("create", "-f", manifest.toString());
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("daemonset.apps/fluentd created");

    Path ext = tmp.resolve("ds-ext.yaml");
    Files.writeString(ext, Files.readString(manifest).replace("apps/v1", "extensions/v1beta1"));
    Kubectl.Result extResult = kubectl.run("create", "-f", ext.toString());
    assertThat(extResult.exit()).as(extResult.all()).isZero();
    assertThat(extResult.out()).contains("daemonset.extensions/fluentd created");
  }

  @Test
  void errorsAreStatusJsonOverHttpsTrustingTheCa() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(Pki.clientSslContext(tmp.resolve("data").resolve(Pki.CA_CRT)))
        .connectTimeout(Duration.ofSeconds(10)).build();
    String admin = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();

    HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/apis/nope/v1/x"))
        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(Json.read(unknown.body(), JsonNode.class).path("reason").asText()).isEqualTo("NotFound");

    byte[] big = new byte[(int) ApiSettings.DEFAULT_MAX_REQUEST_BYTES + 1];
    HttpRequest oversized = HttpRequest.newBuilder(
            URI.create(server.url() + "/apis/apps/v1/namespaces/default/daemonsets"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
    // The server answers 413 from the Content-Length and closes; a client still writing the body on a busy
    // machine may see the reset instead of the answer (an IOException: not yet). Ask again; the answer must come
    // and be the 413.
    HttpResponse<String> tooLarge = await("an answer to the oversized request")
        .until(() -> client.send(oversized, HttpResponse.BodyHandlers.ofString()), answer -> true);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    JsonNode status = Json.read(tooLarge.body(), JsonNode.class);
    assertThat(status.path("reason").asText()).isEqualTo("RequestEntityTooLarge");
    assertThat(status.path("message").asText()).isEqualTo("Request entity too large: limit is 3145728");

    HttpResponse<String> noToken = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/api")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.body()).contains("\"reason\":\"Unauthorized\"");
  }

  @Test
  void theApiServersCipherOrderDecidesTheSuite() throws Exception {
    URI url = URI.create(server.url());
    SSLContext trusting = Pki.clientSslContext(tmp.resolve("data").resolve(Pki.CA_CRT));
    try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
      socket.startHandshake();
      // the JDK client offers AES-256-GCM first; ChaCha20 when this JVM's AES-GCM is plain Java (no C2)
      assertThat(socket.getSession().getCipherSuite()).isEqualTo(ServerCipherSuites.prefersChaCha20()
          ? "TLS_CHACHA20_POLY1305_SHA256" : "TLS_AES_256_GCM_SHA384");
    }
  }

  @Test
  void plainHttpOnLoopbackServesKubectlWithoutToken() throws Exception {
    Path data = tmp.resolve("plain");
    ApiServer plain = ApiServer.start(system, ApiSettings.defaults(data).withPort(0).withPlainHttp(true),
        testResources()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      assertThat(plain.url()).startsWith("http://127.0.0.1:");
      Kubectl.Result result = new Kubectl(plain.kubeconfigPath(), Files.createDirectories(tmp.resolve("k2")))
          .run("get", "nodes");
      assertThat(result.exit()).as(result.all()).isZero();
      assertThat(result.all()).contains("No resources found");
    } finally {
      plain.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
