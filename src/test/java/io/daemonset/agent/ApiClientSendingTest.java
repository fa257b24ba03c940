package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.daemonset.model.Node;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the agent's client sends, over real HTTP: at most maxInFlight requests at once, the others queued and never
 * refused, whatever the callers do with the answers; 429 TooManyRequests sent again after Retry-After.
 */
class ApiClientSendingTest {
  private static final String NODE = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"}}";

  private final ExecutorService serverThreads = Executors.newFixedThreadPool(8);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private HttpServer server;
  private ApiClient client;

  /** A server answering request n (1-based) with answer(n): status code, Retry-After or null. */
  private record Answer(int code, String retryAfter) {}

  private ApiClient start(int maxInFlight, IntFunction<Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> serve(exchange, answer));
    server.start();
    ApiTarget target = ApiTarget.of("http://127.0.0.1:" + server.getAddress().getPort(), null, "token");
    client = new ApiClient(target, ApiClient.newHttpClient(target, null), maxInFlight);
    return client;
  }

  private void serve(HttpExchange exchange, IntFunction<Answer> answers) throws IOException {
    int now = inFlight.incrementAndGet();
    mostInFlight.accumulateAndGet(now, Math::max);
    try {
      exchange.getRequestBody().readAllBytes();
      Answer answer = answers.apply(requests.incrementAndGet());
      // a little work, so that calls overlap when the client lets them
      Thread.sleep(5);
      byte[] body = (answer.code() == 200 ? NODE : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
          + "\"reason\":\"TooManyRequests\",\"code\":" + answer.code() + "}").getBytes(StandardCharsets.UTF_8);
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.code(), body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
    serverThreads.shutdownNow();
  }

  @Test
  void callsBeyondTheLimitQueueAndAreSentWhileCallersAreStillBusyWithAnswers() throws Exception {
    ApiClient c = start(2, n -> new Answer(200, null));
    CountDownLatch callersMayGoOn = new CountDownLatch(1);
    List<CompletableFuture<Node>> calls = new ArrayList<>();
    Thread test = Thread.currentThread();
    for (int i = 0; i < 40; i++) {
      // each caller's callback is slow (a lock, a pause): it must not hold what sends the other calls
      calls.add(c.getNode("n1").whenComplete((node, error) -> {
        if (Thread.currentThread() != test) {
          awaitQuietly(callersMayGoOn);
        }
      }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() == 40);
    callersMayGoOn.countDown();
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(calls).allSatisfy(f -> assertThat(f.join().name()).isEqualTo("n1"));
    assertThat(mostInFlight.get()).isBetween(1, 2);
  }

  @Test
  void tooManyRequestsIsSentAgainAfterItsRetryAfter() throws Exception {
    ApiClient c = start(4, n -> n <= 2 ? new Answer(429, "1") : new Answer(200, null));
    Node node = c.getNode("n1").get(30, TimeUnit.SECONDS);
    assertThat(node.name()).isEqualTo("n1");
    assertThat(requests.get()).isEqualTo(3);
  }

  @Test
  void aServerThatKeepsRefusingFailsTheCallAfterClientGosTenAttempts() throws Exception {
    ApiClient c = start(4, n -> new Answer(429, "0"));
    CompletableFuture<Node> call = c.getNode("n1");
    await().atMost(Duration.ofSeconds(30)).until(call::isDone);
    assertThat(call).isCompletedExceptionally();
    assertThat(ApiError.of(call.handle((v, e) -> e).join()).code()).isEqualTo(429);
    assertThat(requests.get()).isEqualTo(ApiClient.TOO_MANY_REQUESTS_ATTEMPTS);
  }

  @Test
  void retryAfterIsTheServersSecondsElseOneSecondAndOnlyFor429WhileAttemptsRemain() {
    assertThat(ApiClient.retryAfter(answer(429, "3"), 1)).isEqualTo(Duration.ofSeconds(3));
    assertThat(ApiClient.retryAfter(answer(429, null), 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ApiClient.retryAfter(answer(429, "Wed, 21 Oct 2015 07:28:00 GMT"), 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ApiClient.retryAfter(answer(429, "0"), 9)).isEqualTo(Duration.ZERO);
    assertThat(ApiClient.retryAfter(answer(429, "1"), ApiClient.TOO_MANY_REQUESTS_ATTEMPTS)).isNull();
    assertThat(ApiClient.retryAfter(answer(503, "1"), 1)).isNull();
    assertThat(ApiClient.retryAfter(answer(200, "1"), 1)).isNull();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HttpResponse<byte[]> answer(int code, String retryAfter) {
    HttpHeaders headers = HttpHeaders.of(retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter)),
        (k, v) -> true);
    return new HttpResponse<>() {
      @Override public int statusCode() { return code; }
      @Override public java.net.http.HttpRequest request() { return null; }
      @Override public Optional<HttpResponse<byte[]>> previousResponse() { return Optional.empty(); }
      @Override public HttpHeaders headers() { return headers; }
      @Override public byte[] body() { return new byte[0]; }
      @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
      @Override public java.net.URI uri() { return null; }
      @Override public java.net.http.HttpClient.Version version() { return java.net.http.HttpClient.Version.HTTP_1_1; }
    };
  }
}
