package io.daemonset.agent;

import io.daemonset.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many hollow nodes in one JVM, each a real client of the API: it registers its Node, heartbeats, and reports the
 * status of the pods bound to it (which the hollow runtime pretends to run). Built for thousands of nodes on a few
 * cores, as kubemark does it but cheaper:
 * <ul>
 *   <li>one HTTP client and at most {@link FleetSettings#maxInFlight} requests at once for the whole fleet;</li>
 *   <li>one pod watch for the whole fleet ({@code GET /api/v1/pods?watch=true}, no node field selector) whose
 *       events are dispatched by {@code spec.nodeName}, instead of one watch (one connection) per node;</li>
 *   <li>one scheduler: each node heartbeats every period from a random offset, so heartbeats are spread evenly;
 *       a node whose last heartbeat is still in flight skips one.</li>
 * </ul>
 * Node names are {@code <prefix>1 … <prefix>N}: a restarted fleet re-registers the same nodes.
 */
public final class HollowFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HollowFleet.class);

  private final FleetSettings settings;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService httpExecutor;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final PodWatch watch;
  private final ApiClient client;
  private final ConfigCache configs;
  private final CompletableFuture<Void> registered;
  private final AtomicInteger registeredCount = new AtomicInteger();
  private volatile boolean closed;

  /** One hollow node. */
  private static final class Member {
    final NodeReporter reporter;
    final PodManager pods;
    final AtomicBoolean heartbeating = new AtomicBoolean();
    final CompletableFuture<Void> registered = new CompletableFuture<>();

    Member(NodeReporter reporter, PodManager pods) {
      this.reporter = reporter;
      this.pods = pods;
    }
  }

  private HollowFleet(FleetSettings settings, Clock clock) {
    this.settings = settings;
    this.scheduler = new ScheduledThreadPoolExecutor(2, DaemonThreads.named("fleet"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.httpExecutor = Executors.newFixedThreadPool(4, DaemonThreads.named("fleet-http"));
    this.client = new ApiClient(settings.target(), ApiClient.newHttpClient(settings.target(), httpExecutor),
        settings.maxInFlight());
    // one cache for the fleet: its nodes reference the same few ConfigMaps and Secrets
    this.configs = new ConfigCache(client).refreshEvery(ProcessRuntime.CONFIG_REFRESH);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 1; i <= settings.nodes(); i++) {
      String name = settings.nodeName(i);
      String ip = FleetSettings.nodeIP(i);
      NodeReporter reporter = new NodeReporter(client, new NodeReporter.NodeDescription(name, settings.labels(),
          Map.of(), settings.taints(), settings.capacity(), ip, NodeReporter.systemInfo("hollow")), clock);
      HollowRuntime runtime = new HollowRuntime(settings.behavior(), labelsOf(name), ip, scheduler, clock);
      runtime.useConfigFrom(configs);
      Member member = new Member(reporter, new PodManager(name, client, runtime, scheduler));
      members.put(name, member);
      all.add(member.registered);
    }
    this.registered = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    // two decoders: the fleet's one watch carries every pod's events (10,000 in a 5,000-node converge)
    this.watch = new PodWatch(client, null, new Dispatch(), scheduler, Duration.ofMillis(500), Duration.ofSeconds(30),
        "fleet-pod-watch", PodWatch.PAGE, 2);
  }

  /** Starts registering every node (in the background, retried), the shared pod watch and the heartbeats. */
  public static HollowFleet start(FleetSettings settings) {
    return start(settings, Clock.systemUTC());
  }

  public static HollowFleet start(FleetSettings settings, Clock clock) {
    return start(settings, clock, Duration.ZERO);
  }

  /**
   * Nodes arriving one every {@code spacing} (node i registers after i × spacing), as an autoscaler adds them, rather
   * than all at once; zero: all at once.
   */
  public static HollowFleet start(FleetSettings settings, Clock clock, Duration spacing) {
    HollowFleet fleet = new HollowFleet(settings, clock);
    long index = 0;
    for (Member m : fleet.members.values()) {
      long at = spacing.toMillis() * index++;
      if (at == 0) {
        fleet.register(m, 0);
      } else {
        fleet.schedule(() -> fleet.register(m, 0), at);
      }
    }
    fleet.watch.start();
    LOG.info("hollow fleet: {} nodes {}1…{}{} starting", settings.nodes(), settings.namePrefix(),
        settings.namePrefix(), settings.nodes());
    return fleet;
  }

  private Map<String, String> labelsOf(String name) {
    Map<String, String> labels = new HashMap<>(settings.labels());
    labels.put("kubernetes.io/hostname", name);
    return labels;
  }

  private void register(Member m, int attempt) {
    if (closed) {
      return;
    }
    m.reporter.register().whenComplete((node, error) -> {
      if (error == null) {
        int n = registeredCount.incrementAndGet();
        if (n == settings.nodes()) {
          LOG.info("hollow fleet: all {} nodes registered", n);
        }
        m.registered.complete(null);
        long period = settings.heartbeatPeriod().toMillis();
        long offset = ThreadLocalRandom.current().nextLong(Math.max(1, period));
        schedule(() -> scheduler.scheduleAtFixedRate(() -> heartbeat(m), 0, period, TimeUnit.MILLISECONDS), offset);
        return;
      }
      long wait = Math.min(30_000L, 500L << Math.min(attempt, 6));
      wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
      if (attempt == 0 || attempt % 5 == 0) {
        LOG.warn("hollow node {}: cannot register: {}; again in {} ms", m.reporter.name(), error.getMessage(), wait);
      }
      schedule(() -> register(m, attempt + 1), wait);
    });
  }

  private void heartbeat(Member m) {
    if (closed || !m.reporter.heartbeatDue(settings.heartbeatPeriod()) || !m.heartbeating.compareAndSet(false, true)) {
      return;
    }
    m.reporter.heartbeat().whenComplete((node, error) -> {
      m.heartbeating.set(false);
      if (error != null) {
        LOG.debug("hollow node {}: heartbeat failed: {}", m.reporter.name(), error.getMessage());
      }
    });
  }

  private void schedule(Runnable r, long millis) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(r, millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** The shared watch's events, to the node each pod is bound to. */
  private final class Dispatch implements PodWatch.Sink {
    @Override
    public void replace(List<Pod> pods) {
      Map<String, List<Pod>> byNode = new HashMap<>();
      for (Pod pod : pods) {
        String node = pod.spec() == null ? null : pod.spec().nodeName();
        if (node != null && members.containsKey(node)) {
          byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
        }
      }
      members.forEach((name, m) -> m.pods.replace(byNode.getOrDefault(name, List.of())));
    }

    @Override
    public void event(String type, Pod pod) {
      String node = pod.spec() == null ? null : pod.spec().nodeName();
      Member m = node == null ? null : members.get(node);
      if (m != null) {
        m.pods.event(type, pod);
      }
    }
  }

  public FleetSettings settings() {
    return settings;
  }

  /** The nodes' names, in order. */
  public List<String> nodeNames() {
    return List.copyOf(members.keySet());
  }

  /** Completes when every node has registered. */
  public CompletableFuture<Void> registered() {
    return registered;
  }

  public int registeredNodes() {
    return registeredCount.get();
  }

  /** The pods bound to a node of the fleet, as last seen. */
  public List<Pod> pods(String nodeName) {
    Member m = members.get(nodeName);
    return m == null ? List.of() : m.pods.pods();
  }

  /** Completes after the shared watch's first list. */
  public CompletableFuture<Void> synced() {
    return watch.firstSync();
  }

  @Override
  public void close() {
    closed = true;
    watch.close();
    members.values().forEach(m -> {
      m.pods.close();
      m.pods.runtime().close(false);
    });
    scheduler.shutdownNow();
    configs.close();
    client.close();
    httpExecutor.shutdownNow();
    LOG.info("hollow fleet of {} nodes closed", settings.nodes());
  }

}
