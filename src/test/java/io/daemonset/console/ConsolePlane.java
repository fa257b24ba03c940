package io.daemonset.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.agent.ApiTarget;
import io.daemonset.agent.FleetSettings;
import io.daemonset.agent.HollowBehavior;
import io.daemonset.agent.HollowFleet;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.api.Authorizer;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.Store;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A real single-member control plane on H2 (or PostgreSQL), the real API server over HTTPS with the console mounted as serve mounts
 * it, hollow nodes in two zones (zone=a, zone=b) joined through the API, real kubectl, and an HTTP client trusting
 * the server's CA: what the browser tests drive.
 */
final class ConsolePlane implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(180);

  final Path dir;
  final ControlPlane plane;
  final ApiServer server;
  final String adminToken;
  final String viewerToken;
  final HttpClient http;
  private final ExecutorService httpExecutor = Executors.newFixedThreadPool(2);
  private final List<HollowFleet> fleets = new ArrayList<>();

  private ConsolePlane(Path dir, ControlPlane plane, ApiServer server) {
    this.dir = dir;
    this.plane = plane;
    this.server = server;
    this.adminToken = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    this.viewerToken = server.tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
    this.http = HttpClient.newBuilder().executor(httpExecutor)
        .sslContext(Pki.clientSslContext(dir.resolve("api").resolve(Pki.CA_CRT)))
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static ConsolePlane start(Path dir) throws Exception {
    return start(dir, Store.H2, com.typesafe.config.ConfigFactory.empty());
  }

  /** On another store: extra is its configuration (PostgresTestDatabase.config(schema) for PostgreSQL). */
  static ConsolePlane start(Path dir, Store store, com.typesafe.config.Config extra) throws Exception {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(System.getProperty("console.test.log"), Level.WARN));
    }
    ControlPlane plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(dir.resolve("plane"))
        .withStore(store).withClusterPort(0).withSeedNodes(List.of()).withExtraConfig(extra), Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(WAIT);
      // not view().caughtUp(): the journal is new, and under heavy load its first query can time out, which
      // (ClusterView's catch-up fold is not restarted) would leave caughtUp() incomplete for good
      ApiServer server = ApiServer.start(plane.system(), ApiSettings.defaults(dir.resolve("api")).withPort(0),
          Authorizer.standard(), ResourceRoutes.create(plane.store(), Clock.systemUTC()),
          Console.routes(plane.system(), plane.view(), plane.member().readJournal(), Clock.systemUTC(),
              Console.Settings.DEFAULT))
          .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return new ConsolePlane(dir, plane, server);
    } catch (Exception | Error e) {
      plane.close();
      throw e;
    }
  }

  /** Hollow nodes PREFIX1…PREFIXn labelled zone=ZONE, whose pods become Ready after readyDelay. */
  HollowFleet fleet(String prefix, int nodes, String zone, Duration readyDelay) throws Exception {
    ApiTarget target = ApiTarget.of(server.url(), server.pki().caCertificate(), adminToken);
    HollowFleet fleet = HollowFleet.start(FleetSettings.of(target, nodes).withNamePrefix(prefix)
        .withLabels(Map.of("zone", zone)).withBehavior(HollowBehavior.allReady(readyDelay))
        .withHeartbeatPeriod(Duration.ofSeconds(10)));
    fleets.add(fleet);
    fleet.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return fleet;
  }

  String consoleUrl() {
    return server.url() + "/console/";
  }

  record Answer(int code, String body, HttpResponse<String> response) {}

  Answer call(String method, String path, String bearer, String cookie, String contentType, String body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
          .timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      if (cookie != null) {
        request.header("Cookie", cookie);
      }
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GET through the API as admin, as JSON. */
  JsonNode api(String path) {
    Answer answer = call("GET", path, adminToken, null, null, null);
    if (answer.code() != 200) {
      throw new AssertionError("GET " + path + ": " + answer.code() + " " + answer.body());
    }
    return Json.read(answer.body(), JsonNode.class);
  }

  /** Runs the real kubectl with the server's kubeconfig (admin), with a private HOME and cache; returns stdout. */
  String kubectl(String... args) {
    io.daemonset.testing.Kubectl.Result r = new io.daemonset.testing.Kubectl(server.kubeconfigPath(),
        dir.resolve("kubectl")).run(args);
    if (r.exit() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + r.all());
    }
    return r.out();
  }

  /** kubectl apply of a manifest given as text. */
  String apply(String manifest) {
    try {
      Path file = Files.createTempFile(dir, "manifest", ".yaml");
      Files.writeString(file, manifest);
      return kubectl("apply", "-f", file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    fleets.forEach(HollowFleet::close);
    server.stop().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    plane.close();
    httpExecutor.shutdownNow();
  }
}
