package io.daemonset.bench;

import io.daemonset.agent.PodStatuses;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.Store;
import io.daemonset.cluster.StoreConfig;
import io.daemonset.daemonset.DaemonPods;
import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.Futures;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Quantity;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * {@code bench journal}: the journal as hard as the control plane can drive it, without HTTP. The real control plane
 * (sharding, entities, the view tailing the journal, the audit sealer) on the chosen store; E real Node entities, each
 * holding one pod, each receiving status reports of that pod one after the other (the agent's
 * {@code update pods/status}), so that E writes are in flight at once and every answer is a persisted
 * {@code PodStatusUpdated} event of the size a converge writes. Asks go to the entities directly: the API's wait for the view (read-your-writes) is not measured here.
 * Then the ceiling of the same database in the same run: raw batched inserts of as many rows of the same size
 * ({@link JournalCeiling}). Prints one row; asserts nothing.
 */
public final class JournalBench {
  static final String HEADER = "| bench | entities × events | store | events/s | raw insert ceiling | ratio"
      + " | CPU ms/event | journal settings |";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  /** Entities, events per entity, store, optional JFR file of the measured part. */
  public record Options(int entities, int eventsPerEntity, Store store, Path jfr, PrintStream out) {}

  private final Options o;

  public JournalBench(Options options) {
    this.o = options;
  }

  public void run() throws Exception {
    try (BenchStore store = BenchStore.create(o.store());
         ControlPlane plane = ControlPlane.start(BenchServer.settings(store.dataDir, o.store(), store.config()),
             Clock.systemUTC())) {
      plane.member().awaitMemberUp(Duration.ofMinutes(2));
      ClusterSharding sharding = ClusterSharding.get(plane.system());
      List<String> nodes = new ArrayList<>();
      for (int i = 1; i <= o.entities(); i++) {
        nodes.add("node-" + i);
      }
      Map<String, Pod> pods = setUp(sharding, nodes);
      // Reports before measuring (a quarter of them, 1 to 5 per entity): every entity started and recovered, and the
      // JIT's compilations (process CPU too) mostly done
      int warmUp = Math.max(1, Math.min(5, o.eventsPerEntity() / 4));
      drive(sharding, pods, 0, warmUp);
      JournalCeiling ceiling = JournalCeiling.of(plane.system().settings().config());
      long firstOrdering = ceiling.maxOrdering();
      AtomicLong persisted = new AtomicLong();
      RunQueue queueBefore = RunQueue.now();
      ThreadCpu cpuBefore = ThreadCpu.now();
      LocalProcessCpu dbBefore = LocalProcessCpu.ofPostgres(ceiling.database());
      Meter m = Meter.start(persisted::get, false);
      try (Profile p = Profile.start(o.jfr())) {
        persisted.addAndGet(drive(sharding, pods, warmUp, o.eventsPerEntity()));
        m.stop();
        p.close();
      }
      RunQueue queue = RunQueue.now().since(queueBefore);
      Map<String, Long> cpuByThread = ThreadCpu.now().since(cpuBefore);
      long dbNanos = LocalProcessCpu.ofPostgres(ceiling.database()).nanosSince(dbBefore);
      JournalCeiling.Sample journal = ceiling.written(firstOrdering);
      Meter rawMeter = Meter.start(() -> 0, false);
      JournalCeiling.Result raw = ceiling.measure(journal.rows(), journal.averagePayload());
      rawMeter.stop();
      double eventsPerSecond = m.events() / m.seconds();
      double cpuPerEvent = m.cpuSeconds() / Math.max(1, m.events());
      o.out().println(HEADER);
      o.out().println("|---|---|---|---|---|---|---|---|");
      o.out().printf("| journal | %d × %d | %s | %.0f | %.0f rows/s (%d B) | %.0f %% | %.2f | %s |%n",
          o.entities(), o.eventsPerEntity(), store.store.configName(), eventsPerSecond, raw.rowsPerSecond(),
          journal.averagePayload(), 100 * eventsPerSecond / raw.rowsPerSecond(), 1000 * cpuPerEvent,
          settings(plane.system().settings().config()));
      o.out().printf("measured: %d events in %.2f s, %.2f CPU s (%.0f %% of %d cores; %s); journal rows %d, %d tag"
              + " rows, %d out of order%n", m.events(), m.seconds(), m.cpuSeconds(),
          100 * m.cpuSeconds() / m.seconds() / cores(), cores(), queue, journal.rows(), journal.tagRows(),
          journal.outOfOrder());
      o.out().println("CPU per event by thread: " + ThreadCpu.perEvent(cpuByThread, m.events()));
      if (o.store() == Store.POSTGRES && dbBefore.found()) {
        // Both runs' whole CPU per row on this host (this JVM and the local database). The ceiling is bound by its one
        // connection's commits, not by CPU (it uses a fraction of a core); the journal, by CPU: with the cores to
        // itself, the journal could at most do cores / (its host CPU per event)
        double eventMillis = 1000 * cpuPerEvent + dbNanos / 1e6 / Math.max(1, m.events());
        double rawMillis = (raw.jvmCpuNanos() + raw.databaseCpuNanos()) / 1e6 / raw.rows();
        double bound = cores() * 1000 / eventMillis;
        o.out().printf("host CPU (this JVM + the local postgres processes): %.3f ms per event, of which the database"
                + " %.3f; %.3f ms per raw row, of which the database %.3f (the ceiling used %.2f cores); bound of the"
                + " journal with the host's %d cores to itself: %.0f events/s = %.0f %% of the ceiling%n", eventMillis,
            dbNanos / 1e6 / Math.max(1, m.events()), rawMillis, raw.databaseCpuNanos() / 1e6 / raw.rows(),
            rawMillis * raw.rowsPerSecond() / 1000, cores(), bound, 100 * bound / raw.rowsPerSecond());
      }
      // The bound this process's CPU alone sets, whatever the database does: every event costs cpuPerEvent here
      o.out().printf("ceiling: %d rows in batches of %d from one connection, %.2f s, %.3f ms of this process's CPU"
              + " per row; with a tag row each (same transaction): %.0f rows/s; CPU bound of the journal path: %d"
              + " cores / %.2f ms per event = %.0f events/s (%.0f %% of the ceiling)%n",
          raw.rows(), raw.batchSize(), raw.seconds(), 1000 * rawMeter.cpuSeconds() / raw.rows() / 2,
          raw.withTagsPerSecond(), cores(), 1000 * cpuPerEvent, cores() / cpuPerEvent,
          100 * cores() / cpuPerEvent / raw.rowsPerSecond());
    }
  }

  /** jdbc-journal batchSize and parallelism, and the connection pool, as this run used them. */
  static String settings(com.typesafe.config.Config config) {
    return String.format("batchSize %d, parallelism %d, pool %d", config.getInt("jdbc-journal.batchSize"),
        config.getInt("jdbc-journal.parallelism"), config.getInt(StoreConfig.SHARED_DB_PATH + ".db.numThreads"));
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Registers every node and admits one pod (an orphan: no owner to notify) to each; returns the pods by node. */
  private Map<String, Pod> setUp(ClusterSharding sharding, List<String> nodes) throws Exception {
    Map<String, Pod> pods = new java.util.LinkedHashMap<>();
    DaemonSet ds = daemonSet();
    Instant now = Instant.now();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (String name : nodes) {
      Node node = node(name, now);
      pending.add(JournalBench.<Node>ask(sharding, name, r -> new NodeEntity.Register(node, cause(name, "register"), r)));
      Pod rendered = DaemonPods.render(ds, ds.spec().template(), "6d9f7c8b5", name, "bench-" + name,
          java.util.UUID.randomUUID().toString(), now);
      pods.put(name, rendered.withMetadata(rendered.metadata().withOwnerReferences(null)));
      if (pending.size() >= 500) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    pending.clear();
    for (Map.Entry<String, Pod> e : pods.entrySet()) {
      pending.add(Futures.plain(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, e.getKey())
          .<NodeEntity.AdmitResult>ask(r -> new NodeEntity.AdmitPod(e.getValue(), cause("system:serviceaccount:"
              + "kube-system:daemon-set-controller", "create pod"), r), ASK_TIMEOUT)));
      if (pending.size() >= 500) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    return pods;
  }

  /**
   * Every entity receives reports from..until-1 of its pod's status, one after the other (the next once the previous
   * was answered), all entities at once; returns how many were persisted.
   */
  private long drive(ClusterSharding sharding, Map<String, Pod> pods, int from, int until) throws Exception {
    AtomicLong persisted = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(pods.size());
    Instant base = Instant.now();
    // two reports per pod, alternated: each differs from the last (its conditions' times), so each is persisted, as
    // a real one would be, and building them is not counted as the journal's CPU
    pods.forEach((node, pod) -> report(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, node), node, pod,
        new PodStatus[] {running(pod, node, base), running(pod, node, base.plusMillis(1))}, from, until, persisted,
        failure, done));
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("reports still running after 10 min: " + done.getCount() + " entities");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a status report failed", failure.get());
    }
    return persisted.get();
  }

  private void report(EntityRef<NodeEntity.Command> entity, String node, Pod pod, PodStatus[] statuses, int i,
                      int until, AtomicLong persisted, AtomicReference<Throwable> failure, CountDownLatch done) {
    if (i >= until || failure.get() != null) {
      done.countDown();
      return;
    }
    PodStatus status = statuses[i % 2];
    Futures.plain(entity.<Outcome<Pod>>ask(r -> new NodeEntity.UpdatePodStatus(NodeState.podKey(pod), status,
            cause("system:node:" + node, "update pods/status"), r), ASK_TIMEOUT))
        .whenComplete((outcome, error) -> {
          if (error != null || !outcome.isOk()) {
            failure.compareAndSet(null, error != null ? error : new IllegalStateException(outcome.toString()));
          } else {
            persisted.incrementAndGet();
          }
          report(entity, node, pod, statuses, i + 1, until, persisted, failure, done);
        });
  }

  private static <T> CompletableFuture<Outcome<T>> ask(ClusterSharding sharding, String node,
      Function<ActorRef<Outcome<T>>, NodeEntity.Command> command) {
    return Futures.plain(sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, node).ask(command::apply, ASK_TIMEOUT));
  }

  /** What a hollow agent reports for a running, ready pod (PodStatuses.build, as the agents build it). */
  private static PodStatus running(Pod pod, String node, Instant now) {
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container c : pod.spec().containers()) {
      String id = "hollow://" + pod.metadata().uid() + "/" + c.name();
      containers.add(new ContainerStatus(c.name(), new ContainerState(null, new ContainerState.Running(now), null),
          new ContainerState(null, null, null), true, 0, c.image(), "hollow", id, true));
    }
    return PodStatuses.build(pod, containers, null, null, null, now, "10.0.0.1", "10.244.0.1", now);
  }

  private static Cause cause(String user, String reason) {
    return Cause.byUser(Instant.now(), user, reason);
  }

  private static Node node(String name, Instant now) {
    return new Node("v1", "Node", ObjectMeta.named(null, name)
        .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux")),
        new NodeSpec(null, null, null, null),
        new NodeStatus(Map.of("cpu", Quantity.parse("4"), "memory", Quantity.parse("8Gi"), "pods", Quantity.parse("110")),
            null, List.of(new NodeCondition("Ready", "True", now, now, "KubeletReady", "kubelet is posting ready status")),
            null, null));
  }

  private static DaemonSet daemonSet() {
    Map<String, String> labels = Map.of("app", "bench");
    return DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", "DaemonSet", ObjectMeta.named("default", "bench"),
        new DaemonSetSpec(LabelSelector.ofLabels(labels), new PodTemplateSpec(ObjectMeta.named(null, null)
            .withLabels(labels), PodSpec.of(List.of(Container.of("agent", "registry.example/agent:1.0")))), null,
            null, null, null),
        null));
  }
}
