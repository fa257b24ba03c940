package io.daemonset.bench;

import io.daemonset.agent.ApiTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit a figure is compared with, measured in the same run: how long this JVM takes to serve as many
 * API requests as the measured part made, each the cheapest useful one (an authenticated read of one Node from the
 * view: TLS, HTTP, authentication, routing, JSON), at the hollow fleet's concurrency. A converge cannot be faster
 * than its own requests without persistence, reconciles or agents; "at least 50% of the limit" is read against this.
 *
 * <p>Requests are made as the agents make theirs (agent.ApiClient): blocking sends on a pool of threads, one per
 * request in flight. Not sendAsync: the JDK client completes every sendAsync response on CompletableFuture's default
 * executor, which on 2 cores starts a thread per response, and the floor would measure thread starts.
 */
final class HttpFloor {
  static final int IN_FLIGHT = 64;

  private HttpFloor() {}

  /**
   * The requests served so far by kind ("verb resource", e.g. "update leases"), for the mix a figure made; first
   * makes sure the API's request counter (ApiMetrics) records somewhere.
   */
  static java.util.Map<String, Double> requestsByKind() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
    java.util.Map<String, Double> kinds = new java.util.TreeMap<>();
    for (Counter c : Metrics.globalRegistry.find("apiserver.request").counters()) {
      kinds.merge(c.getId().getTag("verb") + " " + c.getId().getTag("resource"), c.count(), Double::sum);
    }
    return kinds;
  }

  /** Server time so far by kind ("verb resource"): requests timed and their total seconds (ApiMetrics' timer). */
  static java.util.Map<String, double[]> serverTimeByKind() {
    requestsByKind(); // makes sure a registry records
    java.util.Map<String, double[]> kinds = new java.util.TreeMap<>();
    for (io.micrometer.core.instrument.Timer t : Metrics.globalRegistry.find("apiserver.request.duration").timers()) {
      kinds.merge(t.getId().getTag("verb") + " " + t.getId().getTag("resource"),
          new double[] {t.count(), t.totalTime(java.util.concurrent.TimeUnit.SECONDS)},
          (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    }
    return kinds;
  }

  /**
   * Between two {@link #serverTimeByKind()} snapshots, largest count first: "create nodes 1000 × 412 ms, …", the
   * mean time the server took to answer (from the request's arrival to its response: what a client waits beyond
   * its own queue and the network).
   */
  static String serverTimes(java.util.Map<String, double[]> before, java.util.Map<String, double[]> after) {
    return after.entrySet().stream()
        .map(e -> {
          double[] b = before.getOrDefault(e.getKey(), new double[2]);
          return java.util.Map.entry(e.getKey(), new double[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
        })
        .filter(e -> e.getValue()[0] > 0)
        .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
        .map(e -> String.format("%s %.0f × %.0f ms", e.getKey().strip(), e.getValue()[0],
            1000 * e.getValue()[1] / e.getValue()[0]))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The mix between two {@link #requestsByKind()} snapshots, largest first, per pod: "update pods/status 1.9, …". */
  static String mix(java.util.Map<String, Double> before, java.util.Map<String, Double> after, long pods) {
    return after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() > 0)
        .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> String.format("%s %.2f", e.getKey().strip(), e.getValue() / Math.max(1, pods)))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  record Result(long requests, double seconds, double cpuSeconds) {
    @Override
    public String toString() {
      return String.format("%d node reads at %d in flight take %.2f s (%.2f CPU s)", requests, IN_FLIGHT, seconds,
          cpuSeconds);
    }
  }

  /** Sends the request {@code requests} times from {@link #IN_FLIGHT} threads, each as soon as its last answered. */
  private static void send(HttpClient http, HttpRequest request, long requests, ExecutorService senders)
      throws Exception {
    AtomicLong left = new AtomicLong(requests);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      workers.add(senders.submit(() -> {
        while (left.getAndDecrement() > 0) {
          HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            throw new IllegalStateException("floor request answered " + response.statusCode());
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  /** Measures; with a JFR file, profiles the measured requests only (not the warm-up's TLS handshakes). */
  static Result measure(ApiTarget target, String path, long requests, Path jfr) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT, daemon("bench-floor-send"));
    ExecutorService client = Executors.newFixedThreadPool(2, daemon("bench-floor-client"));
    try {
      HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(client)
          .connectTimeout(Duration.ofSeconds(60));
      if (target.sslContext() != null) {
        builder.sslContext(target.sslContext());
      }
      HttpClient http = builder.build();
      HttpRequest request = HttpRequest.newBuilder(target.resolve(path, null)).timeout(Duration.ofSeconds(60))
          .header("Accept", "application/json").header("Authorization", "Bearer " + target.token()).GET().build();
      send(http, request, 4L * IN_FLIGHT, senders); // opens the connections (TLS handshakes are not per request)
      try (Profile p = Profile.start(jfr)) {
        Meter m = Meter.start(() -> 0, false);
        send(http, request, requests, senders);
        m.stop();
        return new Result(requests, m.seconds(), m.cpuSeconds());
      }
    } finally {
      senders.shutdownNow();
      client.shutdownNow();
    }
  }

  static Result measure(ApiTarget target, String path, long requests) throws Exception {
    return measure(target, path, requests, null);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
