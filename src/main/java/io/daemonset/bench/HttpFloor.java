package io.daemonset.bench;

import io.daemonset.agent.ApiTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The physical limit a figure is compared with, measured in the same run: how long this JVM takes to serve as many
 * API requests as the measured part made, each the cheapest useful one (an authenticated read of one Node from the
 * view: TLS, HTTP, authentication, routing, JSON), at the hollow fleet's concurrency. A converge cannot be faster
 * than its own requests without persistence, reconciles or agents; "at least 50% of the limit" is read against this.
 */
final class HttpFloor {
  private HttpFloor() {}

  /** Makes sure the API's request counter (ApiMetrics) records somewhere, and returns the requests served so far. */
  static double requestsServed() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
    return Metrics.globalRegistry.find("apiserver.request").counters().stream().mapToDouble(Counter::count).sum();
  }

  record Result(long requests, double seconds, double cpuSeconds) {
    @Override
    public String toString() {
      return String.format("%d node reads at 64 in flight take %.2f s (%.2f CPU s)", requests, seconds, cpuSeconds);
    }
  }

  private static void send(HttpClient http, HttpRequest request, long requests, ExecutorService executor)
      throws Exception {
    Semaphore inFlight = new Semaphore(64);
    CompletableFuture<?>[] all = new CompletableFuture<?>[(int) requests];
    for (int i = 0; i < requests; i++) {
      inFlight.acquire();
      all[i] = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenCompleteAsync((response, error) -> inFlight.release(), executor);
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
  }

  static Result measure(ApiTarget target, String path, long requests) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-floor");
      t.setDaemon(true);
      return t;
    });
    try {
      HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .connectTimeout(Duration.ofSeconds(60));
      if (target.sslContext() != null) {
        builder.sslContext(target.sslContext());
      }
      HttpClient http = builder.build();
      HttpRequest request = HttpRequest.newBuilder(target.resolve(path, null)).timeout(Duration.ofSeconds(60))
          .header("Accept", "application/json").header("Authorization", "Bearer " + target.token()).GET().build();
      send(http, request, 64, executor); // opens the connections (TLS handshakes are not per request)
      Meter m = Meter.start(() -> 0, false);
      send(http, request, requests, executor);
      m.stop();
      return new Result(requests, m.seconds(), m.cpuSeconds());
    } finally {
      executor.shutdownNow();
    }
  }
}
