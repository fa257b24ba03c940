package io.daemonset.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.model.Json;
import io.daemonset.model.KubeList;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The agent's client of the API: the few calls a kubelet makes (register and update its Node and the Node's status,
 * list and watch pods, report pod status, confirm pod deletion), over one {@link HttpClient} with the bearer token.
 * <p>Calls are asynchronous; at most {@code maxInFlight} run at once (the others queue, in order, and are never
 * refused), so a fleet of thousands of hollow nodes does not open thousands of connections. Each of the at most
 * maxInFlight senders sends one call at a time and hands the answer to two answer threads, where it is read and the
 * caller's callbacks run: a slow callback never holds a sender. A 429 TooManyRequests (the server's max-in-flight) is
 * sent again after its Retry-After, as client-go does. Watches do not count against that limit: they hold a
 * connection each for as long as they last.
 */
public final class ApiClient {
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final JavaType POD_LIST = MAPPER.getTypeFactory().constructType(new TypeReference<KubeList<Pod>>() {});

  /** client-go's maxRetries for 429 answers: how often a call waits the server's Retry-After and is sent again. */
  static final int TOO_MANY_REQUESTS_ATTEMPTS = 10;
  /** The wait after a 429 that names no Retry-After (client-go's default is 1 s as well). */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private final ApiTarget target;
  private final HttpClient http;
  private final int maxInFlight;
  /** Where the senders run: a thread is started only when none is idle; at most maxInFlight are busy (see send). */
  private final java.util.concurrent.ThreadPoolExecutor senders;
  /** Where answers are read and callers' callbacks run: never on a sender, so a slow callback never stops a send. */
  private final java.util.concurrent.ThreadPoolExecutor callbacks;
  private final Queue<Call> waiting = new ArrayDeque<>();
  /** Senders running (each takes calls from {@link #waiting} until it is empty): at most maxInFlight. */
  private int senderCount;
  private volatile boolean closed;
  private volatile String token;
  private final ServerSkew skew;

  public ApiClient(ApiTarget target, HttpClient http, int maxInFlight) {
    this(target, http, maxInFlight, io.daemonset.model.Release.runningVersion());
  }

  /** A client that states agentVersion as its own (a test standing in for another release). */
  public ApiClient(ApiTarget target, HttpClient http, int maxInFlight, java.util.Optional<String> agentVersion) {
    this.skew = new ServerSkew(agentVersion);
    this.target = target;
    this.token = target.token();
    this.http = http;
    this.maxInFlight = Math.max(1, maxInFlight);
    // Never rejects: at most maxInFlight senders are asked for (send), and a sender that has just finished may not be
    // idle yet, so the pool itself is unbounded; a thread is started only when none is idle, and kept a minute.
    this.senders = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
        DaemonThreads.named("api-client-send"));
    // two threads started as needed, each kept a minute; the queue is unbounded (one task per answer)
    this.callbacks = new java.util.concurrent.ThreadPoolExecutor(2, 2, 60, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(), DaemonThreads.named("api-client-answer"));
    this.callbacks.allowCoreThreadTimeOut(true);
  }


  /**
   * Where responses complete when the caller gives no executor: two daemon threads shared by every such client. Never
   * the JDK's defaults: with 2 cores ForkJoinPool.commonPool() has parallelism 1, and CompletableFuture then starts a
   * thread per async task.
   */
  private static final Executor SHARED = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "api-client");
    t.setDaemon(true);
    return t;
  });

  /**
   * An HTTP/2 client (HTTP/1.1 where the server offers no h2 by ALPN, or over http://) trusting the target's CA; one
   * connection carries every call and watch. Executor null for a small pool shared by such clients.
   */
  public static HttpClient newHttpClient(ApiTarget target, Executor executor) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    if (target.sslContext() != null) {
      builder.sslContext(target.sslContext());
    }
    builder.executor(executor != null ? executor : SHARED);
    return builder.build();
  }

  public ApiTarget target() {
    return target;
  }

  /** The API server's version as its last answer named it (every answer does); empty before any, or if it names none. */
  public java.util.Optional<String> serverVersion() {
    return skew.serverVersion();
  }

  /** How the server's release stands to this agent's (logged when it changes, never a failure). */
  public io.daemonset.model.Release.Skew serverSkew() {
    return skew.skew();
  }

  /** The bearer token calls carry now (the node's credential once exchanged). */
  public String token() {
    return token;
  }

  /** From now on, every call (and every watch opened from now on) carries this bearer token. */
  public void useToken(String value) {
    this.token = value;
  }

  // ---- node credentials

  /**
   * Exchanges a bootstrap token for this node's credential: {@code POST /bootstrap/node-credentials} with
   * {@code {"nodeName": NAME}}, authenticated with bootstrapToken (whatever token the client uses otherwise).
   * Completes with the node's token.
   */
  public CompletableFuture<String> exchangeBootstrapToken(String bootstrapToken, String nodeName) {
    return send("POST", "/bootstrap/node-credentials", null, Map.of("nodeName", nodeName),
        MAPPER.getTypeFactory().constructType(JsonNode.class), "exchange the bootstrap token for node " + nodeName,
        bootstrapToken)
        .thenApply(answer -> {
          String issued = ((JsonNode) answer).path("token").asText("");
          if (issued.isEmpty()) {
            throw new IllegalStateException("the answer to the bootstrap token exchange holds no token");
          }
          return issued;
        });
  }

  /**
   * Asks the cluster CA for this agent's serving certificate: {@code POST /bootstrap/node-serving-certificate} with
   * the node name, a PEM certificate signing request and the addresses the certificate must name. Completes with the
   * answer ({@code certificate} and {@code ca}, both PEM).
   */
  public CompletableFuture<JsonNode> issueServingCertificate(String nodeName, String csrPem, List<String> addresses) {
    return send("POST", "/bootstrap/node-serving-certificate", null,
        Map.of("nodeName", nodeName, "csr", csrPem, "addresses", addresses),
        MAPPER.getTypeFactory().constructType(JsonNode.class), "get the serving certificate of node " + nodeName);
  }

  // ---- nodes

  public CompletableFuture<Node> createNode(Node node) {
    return send("POST", "/api/v1/nodes", null, node, Node.class, "create node " + node.name());
  }

  public CompletableFuture<Node> getNode(String name) {
    return send("GET", "/api/v1/nodes/" + seg(name), null, null, Node.class, "get node " + name);
  }

  public CompletableFuture<Node> updateNode(Node node) {
    return send("PUT", "/api/v1/nodes/" + seg(node.name()), null, node, Node.class, "update node " + node.name());
  }

  public CompletableFuture<Node> updateNodeStatus(Node node) {
    return send("PUT", "/api/v1/nodes/" + seg(node.name()) + "/status", null, node, Node.class,
        "update status of node " + node.name());
  }

  /** PUT (or, the first time, POST) of the node's Lease in kube-node-lease: the heartbeat. */
  public CompletableFuture<io.daemonset.model.Lease> renewLease(io.daemonset.model.Lease lease, boolean create) {
    String base = "/apis/coordination.k8s.io/v1/namespaces/" + io.daemonset.model.Lease.NODE_LEASE_NAMESPACE
        + "/leases";
    String name = lease.metadata().name();
    return create ? send("POST", base, null, lease, io.daemonset.model.Lease.class, "create lease " + name)
        : send("PUT", base + "/" + seg(name), null, lease, io.daemonset.model.Lease.class, "renew lease " + name);
  }

  /** GET of any object by its path, as JSON (ConfigMaps and Secrets for the pods' configuration). */
  public CompletableFuture<JsonNode> getObject(String path) {
    return send("GET", path, null, null, JsonNode.class, "get " + path);
  }

  // ---- pods

  /** GET /api/v1/pods?fieldSelector=… (null: every pod). */
  public CompletableFuture<KubeList<Pod>> listPods(String fieldSelector) {
    String query = fieldSelector == null ? null : "fieldSelector=" + enc(fieldSelector);
    return send("GET", "/api/v1/pods", query, null, POD_LIST, "list pods");
  }

  /** One page of at most {@code limit} pods, from the start (continueToken null) or where the last page ended. */
  public CompletableFuture<KubeList<Pod>> listPods(String fieldSelector, int limit, String continueToken) {
    StringBuilder query = new StringBuilder("limit=").append(limit);
    if (fieldSelector != null) {
      query.append("&fieldSelector=").append(enc(fieldSelector));
    }
    if (continueToken != null) {
      query.append("&continue=").append(enc(continueToken));
    }
    return send("GET", "/api/v1/pods", query.toString(), null, POD_LIST, "list pods");
  }

  public CompletableFuture<Pod> getPod(String namespace, String name) {
    return send("GET", podPath(namespace, name), null, null, Pod.class, "get pod " + namespace + "/" + name);
  }

  /**
   * PUT of the pod's status. Completes when the server accepted it; the pod it answers with is not decoded (the agent
   * learns of the pod from its watch: decoding every answer into a Pod was work nobody read).
   */
  public CompletableFuture<Void> updatePodStatus(Pod pod) {
    String ns = pod.metadata().namespace();
    String name = pod.metadata().name();
    return send("PUT", podPath(ns, name) + "/status", null, pod, (JavaType) null,
        "update status of pod " + ns + "/" + name);
  }

  /**
   * The kubelet's confirmation that a pod's containers are gone: DELETE with gracePeriodSeconds=0 (in DeleteOptions,
   * and in the query for servers that read only that) and a uid precondition, so a new pod of the same name is never
   * deleted by mistake. Completes normally when the pod is gone or was replaced (404, 409).
   */
  public CompletableFuture<Void> confirmPodDeleted(String namespace, String name, String uid) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("kind", "DeleteOptions");
    options.put("apiVersion", "v1");
    options.put("gracePeriodSeconds", 0);
    if (uid != null) {
      options.put("preconditions", Map.of("uid", uid));
    }
    return send("DELETE", podPath(namespace, name), "gracePeriodSeconds=0", options, JsonNode.class,
        "delete pod " + namespace + "/" + name)
        .handle((answer, error) -> {
          ApiError api = ApiError.of(error);
          if (error != null && (api == null || !(api.isNotFound() || api.isConflict()))) {
            throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
          }
          return null;
        });
  }

  /**
   * Opens a pod watch (blocking until the response headers arrive) and returns its body: a stream of JSON watch
   * events. The caller reads and closes it.
   *
   * @throws ApiError for an error answer (410 Gone when resourceVersion is too old)
   */
  public InputStream watchPods(String fieldSelector, String resourceVersion, int timeoutSeconds)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("watch=true&allowWatchBookmarks=true");
    if (fieldSelector != null) {
      query.append("&fieldSelector=").append(enc(fieldSelector));
    }
    if (resourceVersion != null) {
      query.append("&resourceVersion=").append(enc(resourceVersion));
    }
    if (timeoutSeconds > 0) {
      query.append("&timeoutSeconds=").append(timeoutSeconds);
    }
    HttpRequest request = request(target.resolve("/api/v1/pods", query.toString()), token)
        .GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    skew.observed(response.headers().firstValue(io.daemonset.model.Release.HEADER));
    if (response.statusCode() / 100 != 2) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readAllBytes();
      }
      throw error(response.statusCode(), body, "watch pods");
    }
    return response.body();
  }

  // ---- plumbing

  private <T> CompletableFuture<T> send(String method, String path, String query, Object body, Class<T> type,
                                        String what) {
    return send(method, path, query, body, MAPPER.getTypeFactory().constructType(type), what);
  }

  private <T> CompletableFuture<T> send(String method, String path, String query, Object body, JavaType type,
                                        String what) {
    return send(method, path, query, body, type, what, token);
  }

  private <T> CompletableFuture<T> send(String method, String path, String query, Object body, JavaType type,
                                        String what, String bearer) {
    // Built (the body encoded) by the sender that sends it, not by the caller: the caller of a pod status report is
    // the hollow fleet's one pod watch, for every pod of the fleet (docs/performance.md, ready9).
    Request request = new Request(() -> {
      HttpRequest.BodyPublisher publisher;
      try {
        publisher = body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode the body to " + what, e);
      }
      HttpRequest.Builder builder = request(target.resolve(path, query), bearer).timeout(REQUEST_TIMEOUT)
          .method(method, publisher);
      if (body != null) {
        builder.header("Content-Type", "application/json");
      }
      return builder.build();
    });
    CompletableFuture<T> result = new CompletableFuture<>();
    enqueue(new Call(request, response -> {
      skew.observed(response.headers().firstValue(io.daemonset.model.Release.HEADER));
      if (response.statusCode() / 100 != 2) {
        throw error(response.statusCode(), response.body(), what);
      }
      if (type == null) {
        return null; // the caller does not read the answer
      }
      try {
        return MAPPER.<T>readValue(response.body(), type);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the answer to " + what, e);
      }
    }, result, 1));
    return result;
  }

  /** A request built once, when first sent (a 429's retry sends the same one again). */
  private static final class Request {
    private final java.util.function.Supplier<HttpRequest> build;
    private HttpRequest built;

    Request(java.util.function.Supplier<HttpRequest> build) {
      this.build = build;
    }

    synchronized HttpRequest get() {
      if (built == null) {
        built = build.get();
      }
      return built;
    }
  }

  /** A request waiting to be sent, what its answer means, and the future its caller holds. */
  private record Call(Request request, java.util.function.Function<HttpResponse<byte[]>, ?> read,
                      CompletableFuture<?> result, int attempt) {
    Call again() {
      return new Call(request, read, result, attempt + 1);
    }

    @SuppressWarnings("unchecked")
    void answer(HttpResponse<byte[]> response) {
      try {
        ((CompletableFuture<Object>) result).complete(read.apply(response));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }

  /**
   * Queues a call and starts a sender if fewer than maxInFlight run. The limit is the number of senders, each of which
   * sends one call at a time (blocking) until the queue is empty: the calls beyond the limit wait in the queue, in
   * order, and a sender's thread is never held by what callers do with an answer, which runs on {@link #callbacks}.
   */
  private void enqueue(Call call) {
    boolean start;
    synchronized (waiting) {
      if (closed) {
        call.result().completeExceptionally(new java.util.concurrent.CancellationException("the client is closed"));
        return;
      }
      waiting.add(call);
      start = senderCount < maxInFlight;
      if (start) {
        senderCount++;
      }
    }
    if (start) {
      try {
        senders.execute(this::sendWhileWaiting);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        synchronized (waiting) {
          senderCount--;
        }
        close();
      }
    }
  }

  /** A sender: sends the waiting calls one by one; returns (and is counted out) when none waits. */
  private void sendWhileWaiting() {
    while (true) {
      Call call;
      synchronized (waiting) {
        call = closed ? null : waiting.poll();
        if (call == null) {
          senderCount--;
          return;
        }
      }
      try {
        // Blocking, not sendAsync: the JDK client hands every sendAsync response to CompletableFuture's default
        // executor, which on 2 cores starts a thread per response (HttpClientImpl's "ASYNC_POOL").
        HttpResponse<byte[]> response = http.send(call.request().get(), HttpResponse.BodyHandlers.ofByteArray());
        Duration retryAfter = retryAfter(response, call.attempt());
        if (retryAfter != null) {
          // the server is over its budget of requests in flight: wait as it says, without holding a sender
          // (enqueue is short: it runs on the JDK's one delay thread)
          Executor later = CompletableFuture.delayedExecutor(retryAfter.toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS, Runnable::run);
          later.execute(() -> enqueue(call.again()));
        } else {
          callbacks.execute(() -> call.answer(response));
        }
      } catch (IOException e) {
        fail(call, new UncheckedIOException(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(call, new java.util.concurrent.CancellationException("interrupted"));
      } catch (RuntimeException e) {
        fail(call, e);
      }
    }
  }

  private void fail(Call call, RuntimeException error) {
    try {
      callbacks.execute(() -> call.result().completeExceptionally(error));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      call.result().completeExceptionally(error);
    }
  }

  /**
   * How long to wait before sending again, when the answer is 429 TooManyRequests and attempts remain (as client-go
   * does: its Retry-After, in seconds, else 1 s; at most {@link #TOO_MANY_REQUESTS_ATTEMPTS} attempts); else null.
   */
  static Duration retryAfter(HttpResponse<?> response, int attempt) {
    if (response.statusCode() != 429 || attempt >= TOO_MANY_REQUESTS_ATTEMPTS) {
      return null;
    }
    return response.headers().firstValue("Retry-After").flatMap(ApiClient::seconds).orElse(DEFAULT_RETRY_AFTER);
  }

  private static java.util.Optional<Duration> seconds(String value) {
    try {
      long s = Long.parseLong(value.trim());
      return s < 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofSeconds(Math.min(s, 60)));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty(); // an HTTP date: not sent by our server; the default wait
    }
  }

  /** Stops this client's sending threads (calls waiting or in flight fail). */
  public void close() {
    List<Call> dropped;
    synchronized (waiting) {
      closed = true;
      dropped = List.copyOf(waiting);
      waiting.clear();
    }
    dropped.forEach(c -> c.result().completeExceptionally(
        new java.util.concurrent.CancellationException("the client is closed")));
    senders.shutdownNow();
    callbacks.shutdown();
  }

  private HttpRequest.Builder request(URI uri, String bearer) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "application/json")
        .header("User-Agent", "daemonset-agent/" + skew.agentVersion());
    if (bearer != null && !bearer.isEmpty()) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private static ApiError error(int code, byte[] body, String what) {
    Status status = null;
    try {
      if (body != null && body.length > 0) {
        status = MAPPER.readValue(body, Status.class);
      }
    } catch (IOException | RuntimeException e) {
      status = Status.failure(code, "Unknown",
          new String(body, StandardCharsets.UTF_8).lines().findFirst().orElse(""), null);
    }
    return new ApiError(code, status, what);
  }

  private static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + seg(namespace) + "/pods/" + seg(name);
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
