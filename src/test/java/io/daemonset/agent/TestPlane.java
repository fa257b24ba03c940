package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.auth.Pki;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.NodeBootstrap;
import io.daemonset.cluster.Store;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A control plane as serve runs it, in this JVM: one cluster member on H2, the API over HTTPS with the node
 * bootstrap route and the resource routes, and serve's bootstrap token in {@code <api-dir>/node-token}. With plain
 * HTTP helpers for the tests (any token) and a runner of the real kubectl against the kubeconfig the API wrote.
 */
final class TestPlane implements AutoCloseable {
  record Answer(int code, String body) {
    JsonNode json() {
      return Json.read(body, JsonNode.class);
    }
  }

  record Kubectl(int exit, String out, String err) {}

  final Path dir;
  final ControlPlane plane;
  final ApiServer server;
  final HttpClient http;
  final String adminToken;
  final Path nodeTokenFile;

  private TestPlane(Path dir, ControlPlane plane, ApiServer server, Path nodeTokenFile) {
    this.dir = dir;
    this.plane = plane;
    this.server = server;
    this.adminToken = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    this.http = ApiClient.newHttpClient(ApiTarget.of(server.url(), server.pki().caCertificate(), adminToken), null);
    this.nodeTokenFile = nodeTokenFile;
  }

  /** extraConfig: HOCON layered over the defaults (e.g. a short daemonset.node.heartbeat-grace). */
  static TestPlane start(Path dir, String extraConfig) throws Exception {
    TestLogging.quiet();
    ControlPlane plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(dir.resolve("plane"))
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of()).withExtraConfig(extraConfig),
        Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(Duration.ofSeconds(60));
      plane.view().caughtUp().toCompletableFuture().get(30, TimeUnit.SECONDS);
      AtomicReference<ApiServer> started = new AtomicReference<>();
      ApiServer server = ApiServer.start(plane.system(), ApiSettings.defaults(dir.resolve("api")).withPort(0),
          NodeBootstrap.route(() -> started.get() == null ? null : started.get().tokens())
              .orElse(ResourceRoutes.create(plane.store(), Clock.systemUTC())))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      started.set(server);
      Path nodeToken = dir.resolve("api").resolve(TokenFile.NODE_TOKEN_FILE);
      server.tokens().ensureBootstrapToken(nodeToken);
      return new TestPlane(dir, plane, server, nodeToken);
    } catch (Exception | Error e) {
      plane.close();
      throw e;
    }
  }

  Path caFile() {
    return dir.resolve("api").resolve(Pki.CA_CRT);
  }

  /** The agent command's flags up to the node name: server, CA file and token file. */
  List<String> agentFlags(Path tokenFile) {
    return new ArrayList<>(List.of("--server", server.url(), "--ca-file", caFile().toString(), "--token-file",
        tokenFile.toString()));
  }

  Answer call(String token, String method, String path, String body, String contentType) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
          .timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** As admin; fails unless 2xx. */
  String send(String method, String path, String body, String contentType) {
    Answer answer = call(adminToken, method, path, body, contentType);
    if (answer.code() / 100 != 2) {
      throw new AssertionError(method + " " + path + ": " + answer.code() + " " + answer.body());
    }
    return answer.body();
  }

  JsonNode get(String path) {
    return Json.read(send("GET", path, null, null), JsonNode.class);
  }

  List<JsonNode> pods(String app) {
    List<JsonNode> out = new ArrayList<>();
    get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + app).path("items").forEach(out::add);
    return out;
  }

  static boolean ready(JsonNode pod) {
    if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
        || !pod.path("status").path("phase").asText().equals("Running")) {
      return false;
    }
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  static boolean kubectlAvailable() {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The real kubectl with the kubeconfig the API wrote (user admin), a private HOME and cache. */
  Kubectl kubectl(String... args) throws Exception {
    Path home = Files.createTempDirectory(dir, "kubectl");
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", server.kubeconfigPath().toString(),
        "--cache-dir", home.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("KUBECONFIG");
    Path out = home.resolve("stdout");
    Path err = home.resolve("stderr");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Kubectl(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      plane.close();
    }
  }
}
