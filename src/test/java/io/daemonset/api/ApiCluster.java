package io.daemonset.api;

import io.daemonset.auth.Identity;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.Store;
import io.daemonset.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real single-member control plane on H2 in a directory, the real ApiServer over HTTPS with the resource routes,
 * and a JDK HTTP client trusting its CA: what the route tests and the kubectl scenario run against.
 */
final class ApiCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final ControlPlane plane;
  final ApiServer server;
  final HttpClient http;
  final String adminToken;
  final String viewerToken;
  final Path dir;

  private ApiCluster(Path dir, ControlPlane plane, ApiServer server, HttpClient http) {
    this.dir = dir;
    this.plane = plane;
    this.server = server;
    this.http = http;
    this.adminToken = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    this.viewerToken = server.tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
  }

  static ApiCluster start(Path dir) throws Exception {
    return start(dir, ResourceRoutes.Settings.DEFAULT);
  }

  static ApiCluster start(Path dir, ResourceRoutes.Settings settings) throws Exception {
    TestLogging.warningsOnly();
    ControlPlane plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(dir.resolve("plane"))
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of()), Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(WAIT);
      plane.view().caughtUp().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ApiServer server = ApiServer.start(plane.system(), ApiSettings.defaults(dir.resolve("api")).withPort(0),
          ResourceRoutes.create(plane.store(), Clock.systemUTC(), settings)).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newBuilder()
          .sslContext(Pki.clientSslContext(dir.resolve("api").resolve(Pki.CA_CRT)))
          .connectTimeout(Duration.ofSeconds(10)).build();
      return new ApiCluster(dir, plane, server, http);
    } catch (Exception e) {
      plane.close();
      throw e;
    }
  }

  /** A token for node agent system:node:NAME (group system:nodes). */
  String nodeToken(String node) {
    return server.tokens().issue(Identity.node(node, UUID.randomUUID().toString()));
  }

  Kubectl kubectl() throws IOException {
    return new Kubectl(server.kubeconfigPath(), Files.createDirectories(dir.resolve("kubectl")));
  }

  /** One HTTP exchange; body null for none. */
  Response call(String method, String path, String token, String contentType, String body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
          .timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().allValues("Warning"),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Response get(String path) {
    return call("GET", path, adminToken, null, null);
  }

  Response post(String path, String json) {
    return call("POST", path, adminToken, "application/json", json);
  }

  Response put(String path, String json) {
    return call("PUT", path, adminToken, "application/json", json);
  }

  Response patch(String path, String contentType, String json) {
    return call("PATCH", path, adminToken, contentType, json);
  }

  Response delete(String path, String json) {
    return call("DELETE", path, adminToken, json == null ? null : "application/json", json);
  }

  record Response(int code, String body, List<String> warnings, String contentType) {
    JsonNode json() {
      return Json.read(body, JsonNode.class);
    }

    @Override
    public String toString() {
      return code + " " + body;
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException | AssertionError notYet) {
        // not there yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for: " + what);
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
