package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static io.daemonset.testing.Eventually.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.daemonset.model.Container;
import io.daemonset.model.ContainerPort;
import io.daemonset.model.ExecAction;
import io.daemonset.model.HttpGetAction;
import io.daemonset.model.HttpHeader;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Probe;
import io.daemonset.model.TcpSocketAction;
import io.daemonset.testing.TestLogging;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Probes against real processes, a real HTTP server and real sockets; the readiness worker's timing. */
class ProbesTest {
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger answer = new AtomicInteger(200);
  private final List<String> headers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final ExecutorService probeThreads = Executors.newCachedThreadPool();

  @BeforeEach
  void startServer() throws Exception {
    TestLogging.quiet();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      headers.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("X-Probe") + " "
          + exchange.getRequestHeaders().getFirst("User-Agent"));
      int code = answer.get();
      if (code / 100 == 3) {
        exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    scheduler.shutdownNow();
    probeThreads.shutdownNow();
  }

  private Probes.Target target(Container container) {
    return new Probes.Target("127.0.0.1", container, dir, Map.of("WANT", "yes"));
  }

  private Probe http(Object port) {
    IntOrString p = port instanceof Integer i ? IntOrString.of(i) : IntOrString.of((String) port);
    return new Probe(null, new HttpGetAction("/healthz", p, null, null, List.of(new HttpHeader("X-Probe", "1"))),
        null, null, null, null, null, null, null);
  }

  @ParameterizedTest
  @CsvSource({"200, true", "204, true", "302, true", "399, true", "404, false", "500, false", "503, false"})
  void httpGetSucceedsOn2xxAnd3xxWithoutFollowingRedirects(int code, boolean success) {
    answer.set(code);
    Probes.Result r = Probes.run(http(server.getAddress().getPort()), target(null));
    assertThat(r.success()).as(String.valueOf(r.message())).isEqualTo(success);
    assertThat(headers).last().isEqualTo("/healthz 1 kube-probe/1.32");
  }

  @Test
  void httpGetToANamedPortAndToAClosedPort() throws Exception {
    Container c = new Container("web", null, null, null, null, null, null,
        List.of(new ContainerPort("health", server.getAddress().getPort(), null, null, "TCP")), null, null, null, null,
        null, null, null, null, null, null, null, null);
    assertThat(Probes.run(http("health"), target(c)).success()).isTrue();
    assertThat(Probes.run(http("nope"), target(c)).message()).contains("no port named nope");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Probes.Result r = Probes.run(http(closed), target(null));
    assertThat(r.success()).isFalse();
    assertThat(r.message()).contains("Connection refused");
  }

  @Test
  void tcpSocketSucceedsWhenAConnectionOpens() throws Exception {
    Probe open = new Probe(null, null, new TcpSocketAction(IntOrString.of(server.getAddress().getPort()), null),
        null, null, null, null, null, null);
    assertThat(Probes.run(open, target(null)).success()).isTrue();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Probe shut = new Probe(null, null, new TcpSocketAction(IntOrString.of(closed), "127.0.0.1"), null, null, null,
        null, null, null);
    assertThat(Probes.run(shut, target(null)).success()).isFalse();
  }

  @Test
  void execSucceedsOnExitZeroInTheContainerDirectoryWithItsEnvironment() throws Exception {
    Files.writeString(dir.resolve("ready"), "");
    assertThat(Probes.run(Probe.exec(List.of("test", "-f", "ready")), target(null)).success()).isTrue();
    assertThat(Probes.run(Probe.exec(List.of("sh", "-c", "test \"$WANT\" = yes")), target(null)).success()).isTrue();
    Probes.Result missing = Probes.run(Probe.exec(List.of("test", "-f", "absent")), target(null));
    assertThat(missing.success()).isFalse();
    assertThat(missing.message()).contains("exited with 1");
    assertThat(Probes.run(Probe.exec(List.of("/no/such/probe")), target(null)).success()).isFalse();
  }

  @Test
  void execTimesOutAndKillsTheProbe() {
    Probe slow = new Probe(new ExecAction(List.of("sh", "-c", "sleep 20")), null, null, null, null, 1, null, null,
        null);
    long t0 = System.nanoTime();
    Probes.Result r = Probes.run(slow, target(null));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(r.success()).isFalse();
    assertThat(r.message()).contains("timed out");
  }

  @Test
  void readinessWaitsTheInitialDelayThenNeedsSuccessThresholdSuccessesAndFailureThresholdFailures() {
    answer.set(200);
    Probe probe = TestPods.probe(http(server.getAddress().getPort()), 1, 1, 1, 2, 2);
    List<Boolean> changes = new CopyOnWriteArrayList<>();
    Instant started = Instant.now();
    ReadinessWorker worker = new ReadinessWorker("test", probe, target(null), started, Clock.systemUTC(), scheduler,
        probeThreads, changes::add);
    try {
      holdsFor("no probe within initialDelaySeconds", Duration.ofMillis(700)).until(headers::isEmpty);
      await("ready", Duration.ofSeconds(10)).until(worker::ready);
      Duration tookReady = Duration.between(started, Instant.now());
      // first probe at 1 s, the second success at 2 s
      assertThat(tookReady).isBetween(Duration.ofMillis(1800), Duration.ofMillis(3500));
      assertThat(headers).hasSize(2);

      answer.set(500);
      int before = headers.size();
      await("unready", Duration.ofSeconds(10)).until(() -> !worker.ready());
      assertThat(headers.size() - before).as("two failures in a row").isEqualTo(2);
      assertThat(changes).containsExactly(true, false);
    } finally {
      worker.stop();
    }
  }

  @Test
  void aContainerStartedLongAgoIsProbedAtOnce() {
    Probe probe = TestPods.probe(http(server.getAddress().getPort()), 30, 10, 1, 1, 3);
    ReadinessWorker worker = new ReadinessWorker("test", probe, target(null), Instant.now().minusSeconds(60),
        Clock.systemUTC(), scheduler, probeThreads, ready -> {});
    try {
      await("ready", Duration.ofSeconds(3)).until(worker::ready);
    } finally {
      worker.stop();
    }
  }
}
