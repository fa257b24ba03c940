package io.daemonset.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.agent.ApiClient;
import io.daemonset.agent.ApiTarget;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.Identity;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.IdentityUpkeep;
import io.daemonset.cluster.NodeBootstrap;
import io.daemonset.cluster.NodeCredentials;
import io.daemonset.cluster.Store;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A control plane as {@code serve} runs it, in this JVM: one cluster member on H2 in a directory, the real API server
 * over HTTPS with the node bootstrap route and the resource routes, and serve's bootstrap token in
 * {@link #nodeTokenFile()}. With an HTTP client trusting its CA and helpers for the tests.
 *
 * <pre>{@code
 * @TempDir static Path tmp;
 * static TestControlPlane api;
 * @BeforeAll static void start() throws Exception { api = TestControlPlane.start(tmp); }
 * @AfterAll static void stop() throws Exception { api.close(); }
 *
 * Response created = api.post("/apis/apps/v1/namespaces/default/daemonsets", json);   // as admin, any code
 * JsonNode ds = api.read("/apis/apps/v1/namespaces/default/daemonsets/web");       // as admin, fails unless 2xx
 * Response denied = api.call("DELETE", path, api.nodeToken("n1"), null, null);       // as anyone
 * Kubectl.Result nodes = api.kubectl().run("get", "nodes");                          // the real kubectl, as admin
 * }</pre>
 *
 * Paths under the directory: {@code plane/} the member's data, {@code api/} the API's (CA, tokens.csv, kubeconfig,
 * node-token), {@code kubectl/} kubectl's scratch.
 */
public final class TestControlPlane implements AutoCloseable {
  /** How a test's control plane differs from serve's defaults. */
  public record Options(String extraConfig, ResourceRoutes.Settings routes) {
    public static final Options DEFAULTS = new Options("", ResourceRoutes.Settings.DEFAULT);

    /** HOCON layered over the defaults, e.g. {@code daemonset.node.heartbeat-grace = 3s}. */
    public Options withConfig(String hocon) {
      return new Options(hocon, routes);
    }

    public Options withRoutes(ResourceRoutes.Settings settings) {
      return new Options(extraConfig, settings);
    }
  }

  /** Generous: a machine shared by several builds may take long to start a cluster member. */
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Path dir;
  private final ControlPlane plane;
  private final Options options;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final String adminToken;
  private volatile ApiServer server;
  /** Agents started by {@link #startAgent}, stopped (with their pods) by {@link #close}. */
  private final List<io.daemonset.agent.NodeAgent> agents = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TestControlPlane(Path dir, ControlPlane plane, Options options, ApiServer server) {
    this.dir = dir;
    this.plane = plane;
    this.options = options;
    this.server = server;
    this.adminToken = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    // a cached pool, as the JDK client's default, but named and shut down with the plane: the tests keep several
    // watches open at once, and a bounded pool starves them
    this.httpExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    });
    this.http = ApiClient.newHttpClient(target(), httpExecutor);
  }

  public static TestControlPlane start(Path dir) throws Exception {
    return start(dir, Options.DEFAULTS);
  }

  /** With HOCON layered over the defaults (e.g. a short {@code daemonset.node.heartbeat-grace}). */
  public static TestControlPlane start(Path dir, String extraConfig) throws Exception {
    return start(dir, Options.DEFAULTS.withConfig(extraConfig));
  }

  public static TestControlPlane start(Path dir, Options options) throws Exception {
    TestLogging.warningsOnly();
    ControlPlane plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(dir.resolve("plane"))
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of()).withExtraConfig(options.extraConfig()),
        Clock.systemUTC());
    try {
      plane.member().awaitMemberUp(STARTUP);
      plane.view().caughtUp().toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
      ApiServer server = startApi(dir, plane, options, 0);
      server.tokens().ensureBootstrapToken(dir.resolve("api").resolve(TokenFile.NODE_TOKEN_FILE));
      return new TestControlPlane(dir, plane, options, server);
    } catch (Exception | Error e) {
      plane.close();
      throw e;
    }
  }

  private static ApiServer startApi(Path dir, ControlPlane plane, Options options, int port) throws Exception {
    AtomicReference<ApiServer> started = new AtomicReference<>();
    // Node credentials as serve keeps them: cluster state, not lines of tokens.csv.
    NodeCredentials credentials = NodeCredentials.start(plane.system(), plane.member().readJournal(), Clock.systemUTC());
    ApiServer server = ApiServer.start(plane.system(), ApiSettings.defaults(dir.resolve("api")).withPort(port),
        NodeBootstrap.route(() -> started.get() == null ? null : started.get().tokens(),
                () -> started.get() == null ? null : started.get().clusterCa(),
                () -> started.get() == null ? null : credentials)
            .orElse(io.daemonset.cluster.ApiMetrics.measured(
                ResourceRoutes.create(plane.store(), Clock.systemUTC(), options.routes()))))
        .toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    server.tokens().useClusterCredentials(credentials);
    started.set(server);
    IdentityUpkeep.start(plane.system(), plane.view(), server.tokens(), credentials, server.pki());
    return server;
  }

  // ---- what it is made of

  public Path dir() {
    return dir;
  }

  public ControlPlane plane() {
    return plane;
  }

  public ApiServer server() {
    return server;
  }

  /** The API's base URL, {@code https://127.0.0.1:PORT}. */
  public String url() {
    return server.url();
  }

  /** An HTTP/1.1 client trusting the API's CA, on its own (cached) executor. */
  public HttpClient http() {
    return http;
  }

  // ---- credentials

  /** The token of user admin (group system:masters), as kubectl's default context uses. */
  public String adminToken() {
    return adminToken;
  }

  /** The token of the read-only user the API writes into tokens.csv. */
  public String viewerToken() {
    return server.tokens().tokenFor(TokenFile.VIEWER_USER).orElseThrow();
  }

  /** A fresh token for node agent system:node:NAME (group system:nodes). */
  public String nodeToken(String node) {
    return server.tokens().issue(Identity.node(node, UUID.randomUUID().toString()));
  }

  /** serve's {@code node-token}: the bootstrap token an agent exchanges for its node's credential. */
  public Path nodeTokenFile() {
    return dir.resolve("api").resolve(TokenFile.NODE_TOKEN_FILE);
  }

  /** The API's CA certificate, as {@code --ca-file} takes it. */
  public Path caFile() {
    return dir.resolve("api").resolve(Pki.CA_CRT);
  }

  /** The API as an agent or fleet reaches it, as admin. */
  public ApiTarget target() {
    return ApiTarget.of(server.url(), server.pki().caCertificate(), adminToken);
  }

  /** The agent command's flags up to the node name: {@code --server}, {@code --ca-file}, {@code --token-file}. */
  public List<String> agentFlags(Path tokenFile) {
    return new ArrayList<>(List.of("--server", server.url(), "--ca-file", caFile().toString(), "--token-file",
        tokenFile.toString()));
  }

  /**
   * A real node agent (what {@code agent} runs, same flags) on this control plane, registered before it returns and
   * stopped with its pods when the control plane closes. Defaults, each replaced by the same flag in {@code flags}:
   * work dir {@code dir/NAME}, capacity cpu=2, memory=4Gi, pods=20, heartbeat 500 ms, node IP 127.0.0.1, ready delay
   * 100 ms; the runtime (e.g. {@code --runtime process}) and anything else come from {@code flags}.
   */
  public io.daemonset.agent.NodeAgent startAgent(String nodeName, String... flags) throws Exception {
    List<String> given = List.of(flags);
    List<String> args = agentFlags(nodeTokenFile());
    args.addAll(List.of("--node-name", nodeName));
    defaultFlag(args, given, "--work-dir", dir.resolve(nodeName).toString());
    defaultFlag(args, given, "--capacity", "cpu=2,memory=4Gi,pods=20");
    defaultFlag(args, given, "--heartbeat-period", "500ms");
    defaultFlag(args, given, "--node-ip", "127.0.0.1");
    defaultFlag(args, given, "--ready-delay", "100ms");
    args.addAll(given);
    io.daemonset.agent.AgentCommand command = new io.daemonset.agent.AgentCommand();
    new picocli.CommandLine(command).parseArgs(args.toArray(String[]::new));
    io.daemonset.agent.NodeAgent agent = io.daemonset.agent.NodeAgent.start(command.settings(), Clock.systemUTC());
    agents.add(agent);
    agent.registered().get(60, TimeUnit.SECONDS);
    agent.serving().get(60, TimeUnit.SECONDS);
    return agent;
  }

  private static void defaultFlag(List<String> args, List<String> given, String flag, String value) {
    if (!given.contains(flag)) {
      args.addAll(List.of(flag, value));
    }
  }

  // ---- HTTP

  /** One exchange with the API; token, contentType and body may each be null for none. Any status is returned. */
  public Response call(String method, String path, String token, String contentType, String body) {
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
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** As admin. */
  public Response get(String path) {
    return call("GET", path, adminToken, null, null);
  }

  /** As admin, a JSON body. */
  public Response post(String path, String json) {
    return call("POST", path, adminToken, "application/json", json);
  }

  /** As admin, a JSON body. */
  public Response put(String path, String json) {
    return call("PUT", path, adminToken, "application/json", json);
  }

  /** As admin; contentType names the patch type (merge, json, strategic merge, apply). */
  public Response patch(String path, String contentType, String body) {
    return call("PATCH", path, adminToken, contentType, body);
  }

  /** As admin; json (DeleteOptions) may be null. */
  public Response delete(String path, String json) {
    return call("DELETE", path, adminToken, json == null ? null : "application/json", json);
  }

  /** As admin; fails unless the answer is 2xx. */
  public Response ok(String method, String path, String contentType, String body) {
    Response answer = call(method, path, adminToken, contentType, body);
    if (answer.code() / 100 != 2) {
      throw new AssertionError(method + " " + path + ": " + answer);
    }
    return answer;
  }

  /** GET as admin, the body as JSON; fails unless 2xx. */
  public JsonNode read(String path) {
    return ok("GET", path, null, null).json();
  }

  /** The pods labelled app=APP in namespace default. */
  public List<JsonNode> pods(String app) {
    List<JsonNode> out = new ArrayList<>();
    read("/api/v1/namespaces/default/pods?labelSelector=app%3D" + app).path("items").forEach(out::add);
    return out;
  }

  /** Running, Ready=True and not terminating. */
  public static boolean ready(JsonNode pod) {
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

  /** The real kubectl with the kubeconfig the API wrote (contexts for admin and the viewer). */
  public Kubectl kubectl() {
    return new Kubectl(server.kubeconfigPath(), dir.resolve("kubectl"));
  }

  // ---- life

  /**
   * Stops the API server, waits until its port refuses connections, and starts it again on the same port and data
   * (same CA and tokens): what an API restart looks like to the agents.
   */
  public void restartApi() throws Exception {
    int port = server.port();
    server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Eventually.await("port " + port + " closed").until(() -> !accepts(port));
    server = startApi(dir, plane, options, port);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    agents.forEach(agent -> agent.close(true));
    try {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      httpExecutor.shutdownNow();
      plane.close();
    }
  }
}
