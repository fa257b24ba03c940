package io.daemonset.bench;

import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.InProcessAgents;
import io.daemonset.cluster.Store;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Quantity;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ObjectIndex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Places one DaemonSet on N nodes through the real entities and journal, then restarts the control plane
 * and measures how long the DaemonSet with N pod bindings takes to recover. Prints figures; asserts nothing.
 */
public final class PlacementBenchmark {
  private final int nodes;
  private final Store store;
  private final PrintStream out;

  public PlacementBenchmark(int nodes, Store store, PrintStream out) {
    this.nodes = nodes;
    this.store = store;
    this.out = out;
  }

  public void run(Path dataDir) throws Exception {
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir).withStore(store)
        .withClusterPort(0).withSeedNodes(List.of())
        // In-process agents do not heartbeat; the node lifecycle is not what this measures.
        .withExtraConfig("daemonset.node.heartbeat-grace = 1h");
    out.printf("placement benchmark: %d nodes, 1 DaemonSet, store %s, data %s%n", nodes, store, dataDir);
    try (ControlPlane plane = start(settings); InProcessAgents agents = new InProcessAgents(plane)) {
      long t0 = System.nanoTime();
      List<CompletableFuture<?>> registrations = new ArrayList<>();
      for (int i = 1; i <= nodes; i++) {
        Node node = node("node-" + i);
        registrations.add(plane.store().node(node.name(), r -> new NodeEntity.Register(node, cause(), r))
            .toCompletableFuture());
        if (registrations.size() >= 500) {
          CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
          registrations.clear();
        }
      }
      CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      report("register nodes", t0, nodes, "nodes");

      long t1 = System.nanoTime();
      plane.store().daemonSet("default", "bench", r -> new DaemonSetEntity.Create(daemonSet(), cause(), r))
          .toCompletableFuture().get(1, TimeUnit.MINUTES);
      await(() -> status(plane, "numberReady") == nodes, Duration.ofMinutes(10),
          () -> progress(plane));
      report("place, admit, run and observe ready pods", t1, nodes, "pods");
      out.printf("  pods in the view: %d%n", plane.view().index().list(ObjectIndex.PODS).size());
    }

    // Recovery alone: a member without entities, and a probe that recovers the DaemonSet as its entity would.
    try (ControlPlaneSystem member = ControlPlaneSystem.start(settings)) {
      member.awaitMemberUp(Duration.ofMinutes(1));
      for (int attempt = 1; attempt <= 3; attempt++) {
        var probe = member.system().systemActorOf(RecoveryProbe.create("default/bench"), "recovery-" + attempt,
            org.apache.pekko.actor.typed.Props.empty());
        RecoveryProbe.Result result = org.apache.pekko.actor.typed.javadsl.AskPattern.<RecoveryProbe.Recovered,
            RecoveryProbe.Result>ask(probe, RecoveryProbe.Recovered::new, Duration.ofMinutes(2),
            member.system().scheduler()).toCompletableFuture().get(2, TimeUnit.MINUTES);
        out.printf("  recover DaemonSet with %d bindings (snapshot + tail), run %d: %d ms%n",
            result.state().bindings().size(), attempt, result.recovery().toMillis());
      }
    }

    replay(dataDir, out);
  }

  /** A member starting on an existing journal: how long until its view has applied all of it. */
  public static void replay(Path dataDir, PrintStream out) throws Exception {
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir)
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of())
        .withExtraConfig("daemonset.node.heartbeat-grace = 1h");
    try (ControlPlane plane = start(settings)) {
      long t3 = System.nanoTime();
      plane.view().caughtUp().toCompletableFuture().get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - t3) / 1e9;
      out.printf("  view replays the journal on start: up to ordering %d in %.2f s; %d pods, %d nodes%n",
          plane.view().resourceVersion(), seconds, plane.view().index().list(ObjectIndex.PODS).size(),
          plane.view().index().list(ObjectIndex.NODES).size());
    }
  }

  private static ControlPlane start(ControlPlaneSystem.Settings settings) throws Exception {
    ControlPlane plane = ControlPlane.start(settings, Clock.systemUTC());
    plane.member().awaitMemberUp(Duration.ofMinutes(1));
    return plane;
  }

  private void report(String what, long startNanos, long count, String unit) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    out.printf("  %s: %d %s in %.2f s (%.0f %s/s)%n", what, count, unit, seconds, count / seconds, unit);
  }

  private static int status(ControlPlane plane, String counter) {
    return plane.view().index().get(ObjectIndex.DAEMONSETS, "default", "bench")
        .map(o -> ((DaemonSet) o.object()).status())
        .map(s -> "numberReady".equals(counter) ? s.numberReady() : s.desiredNumberScheduled())
        .orElse(-1);
  }

  private static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + ": " + progress.get());
      }
      if (System.nanoTime() > nextReport) {
        System.out.println("  … " + progress.get());
        nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(20);
    }
  }

  private static String progress(ControlPlane plane) {
    return plane.view().index().get(ObjectIndex.DAEMONSETS, "default", "bench")
        .map(o -> ((DaemonSet) o.object()).status())
        .map(s -> "desired " + s.desiredNumberScheduled() + ", current " + s.currentNumberScheduled()
            + ", ready " + s.numberReady())
        .orElse("no DaemonSet yet") + ", pods in view " + plane.view().index().list(ObjectIndex.PODS).size();
  }

  private static Cause cause() {
    return Cause.byUser(Instant.now(), "bench", "placement benchmark");
  }

  private static Node node(String name) {
    Instant now = Instant.now();
    return new Node("v1", "Node", ObjectMeta.named(null, name), new NodeSpec(null, null, null, null),
        new NodeStatus(Map.of("cpu", Quantity.parse("4"), "memory", Quantity.parse("8Gi")), null,
            List.of(new NodeCondition("Ready", "True", now, now, "AgentReady", "bench")), null, null));
  }

  private static DaemonSet daemonSet() {
    Map<String, String> labels = Map.of("app", "bench");
    return DaemonSetDefaults.daemonSet(new DaemonSet("apps/v1", "DaemonSet", ObjectMeta.named("default", "bench"),
        new DaemonSetSpec(LabelSelector.ofLabels(labels), new PodTemplateSpec(ObjectMeta.named(null, null)
            .withLabels(labels), PodSpec.of(List.of(Container.of("agent", "agent:1")))), null, null, null, null),
        null));
  }

  public static Path tempDataDir() throws java.io.IOException {
    return Files.createTempDirectory("daemonset-bench");
  }
}
