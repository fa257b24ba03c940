package io.daemonset.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.cluster.Store;
import io.daemonset.view.ObjectIndex;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet-scale benchmarks of issue 9, each printing one Markdown table row (docs/performance.md keeps them):
 * a control plane with the HTTPS API and a hollow fleet in one JVM, driven from outside through the API.
 * Prints figures; asserts nothing.
 */
public final class ScaleBench {
  static final String HEADER = "| bench | size | store | figure | CPU s/pod | events/s | heap/pod | threads started"
      + " | PostgreSQL raw insert ceiling |";
  private static final String DS_PATH = "/apis/apps/v1/namespaces/default/daemonsets";

  /** What to run: sizes, store, optional JFR file, hollow pods' ready delay, joining nodes. */
  /** joinRate: joining nodes per second, 0 for all at once; histogram: top classes to print after the figure, 0 none. */
  public record Options(int nodes, int daemonSets, Store store, Path jfr, Duration readyDelay, int joiners,
                        int joinRate, int histogram, Path heapDump, PrintStream out) {}

  private final Options o;

  public ScaleBench(Options options) {
    this.o = options;
  }

  /** Apply D DaemonSets to N registered nodes; time to all scheduled and all Ready. */
  public void converge() throws Exception {
    try (BenchStore store = BenchStore.create(o.store());
         BenchServer server = BenchServer.start(BenchServer.settings(store.dataDir, o.store(), store.config()),
             store.dataDir);
         BenchClient client = new BenchClient(server.admin)) {
      Map<String, double[]> beforeRegistration = HttpFloor.serverTimeByKind();
      Meter register = Meter.start(() -> server.plane.view().resourceVersion(), false);
      server.startFleet(o.nodes(), o.readyDelay());
      register.stop();
      String registration = registration(register, beforeRegistration);
      Meter m = Meter.start(() -> server.plane.view().resourceVersion(), true);
      Map<String, Double> requestsBefore = HttpFloor.requestsByKind();
      DaemonSetPipeline pipeline = DaemonSetPipeline.start();
      try (Profile p = Profile.start(o.jfr())) {
        long applied = System.currentTimeMillis();
        createDaemonSets(client);
        double scheduled = awaitFleet(client, m, s -> s.path("currentNumberScheduled").asInt() == o.nodes()
            && s.path("desiredNumberScheduled").asInt() == o.nodes());
        double ready = awaitFleet(client, m, s -> s.path("numberReady").asInt() == o.nodes());
        m.stop();
        p.close();
        row("converge", String.format("register %.1f s; scheduled %.2f s, Ready %.2f s", register.seconds(),
            scheduled, ready), m, store);
        o.out().println(registration);
        o.out().println(JournalSize.describe(server.plane.system(), store.dataDir));
        o.out().println(JournalTimeline.describe(server.plane.system(), applied));
        o.out().println(pipeline.describe());
        o.out().println(floor(server, requestsBefore, ready));
        o.out().println(HeapPerBinding.measure(o.nodes() * o.daemonSets()));
      }
    }
  }

  /** After a converge, change every DaemonSet's image (maxUnavailable 10%); time to all updated and Ready. */
  public void rollout() throws Exception {
    try (BenchStore store = BenchStore.create(o.store())) {
      rollout(store);
      long closed = JournalSize.h2FileBytes(store.dataDir);
      if (closed > 0) {
        // H2 keeps replaced pages for its retention time while it runs, and compacts when it closes
        o.out().printf("H2 file after the server closed: %.1f MB%n", closed / 1e6);
      }
    }
  }

  private void rollout(BenchStore store) throws Exception {
    try (BenchServer server = BenchServer.start(BenchServer.settings(store.dataDir, o.store(), store.config()),
             store.dataDir);
         BenchClient client = new BenchClient(server.admin)) {
      server.startFleet(o.nodes(), o.readyDelay());
      createDaemonSets(client);
      Meter warm = Meter.start(() -> 0, false);
      awaitFleet(client, warm, s -> s.path("numberReady").asInt() == o.nodes());
      Meter m = Meter.start(() -> server.plane.view().resourceVersion(), true);
      Map<String, Double> requestsBefore = HttpFloor.requestsByKind();
      try (Profile p = Profile.start(o.jfr())) {
        long patched = System.currentTimeMillis();
        for (int d = 1; d <= o.daemonSets(); d++) {
          client.mergePatch(DS_PATH + "/bench-" + d,
              "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"agent:2\"}]}}}}");
        }
        double done = awaitFleet(client, m, s -> s.path("updatedNumberScheduled").asInt() == o.nodes()
            && s.path("numberReady").asInt() == o.nodes() && s.path("numberAvailable").asInt() == o.nodes()
            && s.path("currentNumberScheduled").asInt() == o.nodes());
        m.stop();
        p.close();
        row("rollout", String.format("all updated and Ready %.2f s", done), m, store);
        o.out().println(JournalSize.describe(server.plane.system(), store.dataDir));
        o.out().println(JournalTimeline.describe(server.plane.system(), patched));
        o.out().println(floor(server, requestsBefore, done));
      }
    }
  }

  /** After a converge, M nodes join; per node, the time from its Node appearing to all its daemon pods bound. */
  public void join() throws Exception {
    try (BenchStore store = BenchStore.create(o.store());
         BenchServer server = BenchServer.start(BenchServer.settings(store.dataDir, o.store(), store.config()),
             store.dataDir);
         BenchClient client = new BenchClient(server.admin)) {
      server.startFleet(o.nodes(), o.readyDelay());
      createDaemonSets(client);
      awaitFleet(client, Meter.start(() -> 0, false), s -> s.path("numberReady").asInt() == o.nodes());
      JoinWatch watch = new JoinWatch(o.daemonSets());
      var subscription = server.plane.view().subscribe(server.plane.view().resourceVersion(), watch);
      Meter m = Meter.start(() -> server.plane.view().resourceVersion(), true);
      try (Profile p = Profile.start(o.jfr())) {
        ReconcileRounds roundsBefore = ReconcileRounds.now();
        long joinStart = System.currentTimeMillis();
        server.startJoiners(o.joiners(), o.readyDelay(),
            o.joinRate() <= 0 ? Duration.ZERO : Duration.ofMillis(Math.max(1, 1000 / o.joinRate())));
        Await.until(() -> watch.complete() == o.joiners(), Duration.ofMinutes(10),
            () -> watch.complete() + " of " + o.joiners() + " joined nodes complete");
        m.stop();
        p.close();
        subscription.cancel().run();
        List<Long> latencies = watch.latenciesMillis();
        row("join", String.format("%d nodes join%s: p50 %d ms, p99 %d ms, max %d ms", o.joiners(),
            o.joinRate() <= 0 ? "" : " at " + o.joinRate() + "/s",
            percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100)), m, store,
            (long) o.joiners() * o.daemonSets());
        o.out().println(JoinStages.describe(server.plane.system(), joinStart, "join-", watch.seenAtMillis(),
            watch.completeAtMillis()));
        o.out().println(ReconcileRounds.now().since(roundsBefore, "during the joins", o.joiners()));
      }
    }
  }

  /** Converge, stop everything, start again on the same journal: API ready, all converged, pods replaced. */
  public void restart() throws Exception {
    try (BenchStore store = BenchStore.create(o.store())) {
      var settings = BenchServer.settings(store.dataDir, o.store(), store.config());
      Set<String> uidsBefore;
      try (BenchServer server = BenchServer.start(settings, store.dataDir);
           BenchClient client = new BenchClient(server.admin)) {
        server.startFleet(o.nodes(), o.readyDelay());
        createDaemonSets(client);
        awaitFleet(client, Meter.start(() -> 0, false), s -> s.path("numberReady").asInt() == o.nodes());
        uidsBefore = podUids(server);
      }
      Meter m = Meter.start(() -> 0, false);
      try (Profile p = Profile.start(o.jfr());
           BenchServer server = BenchServer.start(settings, store.dataDir);
           BenchClient client = new BenchClient(server.admin)) {
        server.plane.view().caughtUp().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.MINUTES);
        double apiReady = (System.nanoTime() - m.startNanos()) / 1e9;
        Meter converge = Meter.start(() -> server.plane.view().resourceVersion(), false);
        server.startFleet(o.nodes(), o.readyDelay());
        double converged = awaitFleet(client, m, s -> s.path("numberReady").asInt() == o.nodes()
            && s.path("desiredNumberScheduled").asInt() == o.nodes());
        converge.stop();
        m.stop();
        p.close();
        Set<String> replaced = new HashSet<>(uidsBefore);
        replaced.removeAll(podUids(server));
        row("restart", String.format("API ready %.2f s, converged %.2f s, %d pods replaced", apiReady, converged,
            replaced.size()), converge, store);
      }
    }
  }

  /** An idle server with N nodes: sequential merge patches of a node's label, and reads, p50/p99. */
  public void api() throws Exception {
    try (BenchStore store = BenchStore.create(o.store());
         BenchServer server = BenchServer.start(BenchServer.settings(store.dataDir, o.store(), store.config()),
             store.dataDir);
         BenchClient client = new BenchClient(server.admin)) {
      server.startFleet(o.nodes(), o.readyDelay());
      int n = 200;
      for (int i = 0; i < 20; i++) {
        client.get("/api/v1/nodes/node-1");
      }
      Meter m = Meter.start(() -> server.plane.view().resourceVersion(), false);
      List<Long> writes = new ArrayList<>();
      List<Long> reads = new ArrayList<>();
      try (Profile p = Profile.start(o.jfr())) {
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          client.mergePatch("/api/v1/nodes/node-1", "{\"metadata\":{\"labels\":{\"bench\":\"v" + i + "\"}}}");
          writes.add((System.nanoTime() - t0) / 1000);
          long t1 = System.nanoTime();
          client.get("/api/v1/nodes/node-1");
          reads.add((System.nanoTime() - t1) / 1000);
        }
        m.stop();
        p.close();
      }
      row("api", String.format("node label merge patch p50 %.1f ms, p99 %.1f ms; read p50 %.1f ms",
          percentile(writes, 50) / 1000.0, percentile(writes, 99) / 1000.0, percentile(reads, 50) / 1000.0),
          m, store, n);
      // 5,000 minimal reads from 100 nodes up; fewer for the CI smoke run's handful of nodes
      HttpFloor.Result floor = HttpFloor.measure(server.admin, "/api/v1/nodes/node-1",
          Math.min(5_000, Math.max(200, 50L * o.nodes())), o.jfr() == null ? null : Path.of(o.jfr() + ".floor.jfr"));
      o.out().printf("throughput: %s: %.0f requests/s, %.2f ms CPU per request%n", floor,
          floor.requests() / floor.seconds(), 1000 * floor.cpuSeconds() / floor.requests());
    }
  }

  /** What registering the fleet asked of the server: requests by kind with the server's mean time, CPU per request. */
  private static String registration(Meter register, Map<String, double[]> before) {
    Map<String, double[]> after = HttpFloor.serverTimeByKind();
    double requests = after.values().stream().mapToDouble(v -> v[0]).sum()
        - before.values().stream().mapToDouble(v -> v[0]).sum();
    return String.format("registration: %.1f s, %.0f requests (%s); %.1f CPU s, %.1f ms CPU per request",
        register.seconds(), requests, HttpFloor.serverTimes(before, after), register.cpuSeconds(),
        1000 * register.cpuSeconds() / Math.max(1, requests));
  }

  /** The API requests the measured part made, and how long serving as many minimal ones takes here. */
  private String floor(BenchServer server, Map<String, Double> requestsBefore, double figureSeconds)
      throws Exception {
    long pods = (long) o.nodes() * o.daemonSets();
    Map<String, Double> requestsAfter = HttpFloor.requestsByKind();
    double requests = requestsAfter.values().stream().mapToDouble(Double::doubleValue).sum()
        - requestsBefore.values().stream().mapToDouble(Double::doubleValue).sum();
    HttpFloor.Result floor = HttpFloor.measure(server.admin, "/api/v1/nodes/node-1", (long) requests);
    return String.format("requests: %.0f (%.1f per pod: %s); floor: %s; figure / floor = %.1f", requests,
        requests / Math.max(1, pods), HttpFloor.mix(requestsBefore, requestsAfter, pods), floor,
        figureSeconds / Math.max(0.001, floor.seconds()));
  }

  private void createDaemonSets(BenchClient client) throws Exception {
    for (int d = 1; d <= o.daemonSets(); d++) {
      create(client, "bench-" + d);
    }
  }

  /**
   * As a client that retries: a create that timed out (a 504, or no answer within the client's 60 s: the write's fate
   * unknown either way) is posted again, and an AlreadyExists answer to that retry means the first one was written.
   * On this shared two-core machine a DaemonSet's create right after a 5,000-node registration times out often
   * enough to fail whole runs (the client's own timeout: every join 5,000 x 10 run of join9 under load).
   */
  private static void create(BenchClient client, String name) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        client.post(DS_PATH, daemonSet(name));
        return;
      } catch (java.io.IOException e) {
        String message = String.valueOf(e.getMessage());
        if (attempt > 1 && message.contains(": 409 ")) {
          return;
        }
        boolean timedOut = message.contains(": 504 ") || e instanceof java.net.http.HttpTimeoutException;
        if (attempt >= 5 || !timedOut) {
          throw e;
        }
      }
    }
  }

  private static Map<String, Object> daemonSet(String name) {
    return Map.of("apiVersion", "apps/v1", "kind", "DaemonSet",
        "metadata", Map.of("name", name, "namespace", "default"),
        "spec", Map.of("selector", Map.of("matchLabels", Map.of("app", name)),
            "updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "10%")),
            "template", Map.of("metadata", Map.of("labels", Map.of("app", name)),
                "spec", Map.of("containers", List.of(Map.of("name", "c", "image", "agent:1"))))));
  }

  /** Polls the DaemonSet list (as kubectl get would) until every one of ours meets the condition; seconds since m. */
  private double awaitFleet(BenchClient client, Meter m, java.util.function.Predicate<JsonNode> status)
      throws Exception {
    String[] last = {""};
    Await.until(() -> {
      JsonNode list;
      try {
        list = client.get(DS_PATH);
      } catch (java.io.IOException e) {
        last[0] = " (list failed: " + e + ")";
        return false;
      }
      int done = 0;
      StringBuilder progress = new StringBuilder();
      for (JsonNode ds : list.path("items")) {
        JsonNode s = ds.path("status");
        // as kubectl rollout status: a status that has not observed the current generation says nothing yet
        boolean observed = s.path("observedGeneration").asLong() == ds.path("metadata").path("generation").asLong();
        if (observed && status.test(s)) {
          done++;
        }
        progress.append(String.format(" %s:%d/%d/%d", ds.path("metadata").path("name").asText(),
            s.path("currentNumberScheduled").asInt(), s.path("updatedNumberScheduled").asInt(),
            s.path("numberReady").asInt()));
      }
      last[0] = progress.toString();
      return done == o.daemonSets();
    }, Duration.ofMinutes(15), () -> "scheduled/updated/ready:" + last[0]);
    return (System.nanoTime() - m.startNanos()) / 1e9;
  }

  private static Set<String> podUids(BenchServer server) {
    Set<String> uids = new HashSet<>();
    server.plane.view().index().list(ObjectIndex.PODS).forEach(p ->
        uids.add(((io.daemonset.model.Pod) p.object()).metadata().uid()));
    return uids;
  }

  private void row(String bench, String figure, Meter m, BenchStore store) throws Exception {
    row(bench, figure, m, store, (long) o.nodes() * o.daemonSets());
  }

  private void row(String bench, String figure, Meter m, BenchStore store, long pods) throws Exception {
    long heap = m.heapPer(pods);
    String events = m.events() > 0 ? String.format("%.0f", m.events() / m.seconds()) : "-";
    o.out().println(HEADER);
    o.out().println("|---|---|---|---|---|---|---|---|---|");
    o.out().printf("| %s | %d nodes × %d DS | %s | %s | %.4f | %s | %s | %d | %s |%n", bench, o.nodes(),
        o.daemonSets(), store.store.configName(), figure, m.cpuSeconds() / Math.max(1, pods), events,
        heap < 0 ? "-" : String.format("%.1f KiB", heap / 1024.0), m.threadsStarted(), store.ceiling(20_000));
    o.out().printf("jit: the compiler threads ran %.1f CPU s of the measured part's %.1f (%.0f %%)%n",
        m.jitCpuSeconds(), m.cpuSeconds(), 100 * m.jitCpuSeconds() / Math.max(1e-9, m.cpuSeconds()));
    // the memory goal: every figure with -Xmx1g, server and hollow fleet in this one JVM
    o.out().printf("live heap after a full GC: %d MiB of a %d MiB maximum (-Xmx)%n", Meter.liveHeap() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    if (o.histogram() > 0) {
      // where that live heap goes, class by class (issue 9's memory goal); "per pod" divides by this row's pods
      o.out().print(ClassHistogram.describe(ClassHistogram.take(o.histogram()), pods));
    }
    if (o.heapDump() != null) {
      // live objects only, for finding who holds them (retained sizes, referrers) with a heap analyser
      ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .dumpHeap(o.heapDump().toString(), true);
      o.out().println("heap dump: " + o.heapDump());
    }
  }

  static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
