package io.daemonset.agent;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code fleet}: N hollow node agents in this JVM, until the JVM is told to stop. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Run many hollow node agents in one JVM.",
    footer = {"",
        "One fleet speaks for many nodes, so it needs a system:masters credential (e.g. the admin user of serve's",
        "<data-dir>/kubeconfig: --kubeconfig data/kubeconfig), not the bootstrap token nor a node credential, which",
        "may touch only its own node."})
public final class FleetCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--nodes", required = true, description = "how many hollow nodes")
  int nodes;

  @Option(names = "--name-prefix", defaultValue = FleetSettings.DEFAULT_PREFIX,
      description = "node names are <prefix>1 … <prefix>N")
  String namePrefix;

  @Option(names = "--labels", defaultValue = "", description = "labels of every node: k=v,k2=v2")
  String labels;

  @Option(names = "--taints", defaultValue = "", description = "taints of every node: k=v:NoSchedule")
  String taints;

  @Option(names = "--capacity", defaultValue = "", description = "each node's capacity (default cpu=4,memory=16Gi,pods=110)")
  String capacity;

  @Option(names = "--ready-delay", defaultValue = "1s", description = "time until a pod is Running and Ready")
  String readyDelay;

  @Option(names = "--never-ready-fraction", defaultValue = "0",
      description = "fraction of pods (by name hash) that run but never become ready")
  double neverReadyFraction;

  @Option(names = "--fail-fraction", defaultValue = "0", description = "fraction of pods (by name hash) that fail")
  double failFraction;

  @Option(names = "--never-ready-nodes", defaultValue = "",
      description = "label selector: pods on matching nodes never become ready")
  String neverReadyNodes;

  @Option(names = "--fail-nodes", defaultValue = "", description = "label selector: pods on matching nodes fail")
  String failNodes;

  @Option(names = "--heartbeat-period", defaultValue = "10s", description = "each node's status period")
  String heartbeatPeriod;

  @Option(names = "--max-in-flight", defaultValue = "64", description = "most API requests at once")
  int maxInFlight;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    FleetSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    HollowFleet fleet = HollowFleet.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      fleet.close();
      stopped.countDown();
    }, "fleet-shutdown"));
    System.err.println("fleet of " + nodes + " hollow nodes (" + settings.nodeName(1) + " …) talking to "
        + settings.target().server());
    stopped.await();
    return 0;
  }

  FleetSettings settings() {
    ApiTarget target = connection.target();
    if (io.daemonset.auth.TokenFile.isBootstrapToken(target.token())) {
      throw new IllegalArgumentException("a fleet speaks for many nodes: give it a system:masters token (e.g. "
          + "--kubeconfig <data-dir>/kubeconfig), not the bootstrap token, which joins one node");
    }
    HollowBehavior behavior = new HollowBehavior(Flags.duration(readyDelay), neverReadyFraction, failFraction,
        HollowBehavior.nodeSelector(neverReadyNodes), HollowBehavior.nodeSelector(failNodes));
    return FleetSettings.of(target, nodes)
        .withNamePrefix(namePrefix)
        .withLabels(Flags.labels(labels))
        .withTaints(Flags.taints(taints))
        .withCapacity(Flags.capacity(capacity))
        .withBehavior(behavior)
        .withHeartbeatPeriod(Flags.duration(heartbeatPeriod))
        .withMaxInFlight(maxInFlight);
  }
}
