package io.daemonset.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code agent}: one node agent, until the JVM is told to stop. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run a node agent that registers a node and runs its pods.",
    footer = {"",
        "Joining a node: give --token-file the bootstrap token serve wrote to <data-dir>/node-token. The agent",
        "exchanges it once for this node's own credential (user system:node:<node-name>), keeps that in",
        "<work-dir>/node-credential and uses it from then on, after restarts too. With it the agent may register",
        "and update only its own Node and write the status of (and confirm the deletion of) only the pods bound to",
        "it. Any other token (a node credential, an admin token) is used as it is.",
        "",
        "  java -jar daemonset-controller.jar agent --server https://10.0.0.1:6443 --ca-file data/ca.crt \\",
        "      --token-file data/node-token --node-name worker-1 --work-dir /var/lib/daemonset-agent"})
public final class AgentCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--node-name", required = true, description = "this node's name")
  String nodeName;

  @Option(names = "--labels", defaultValue = "", description = "node labels: k=v,k2=v2")
  String labels;

  @Option(names = "--taints", defaultValue = "", description = "node taints: k=v:NoSchedule,k2:NoExecute")
  String taints;

  @Option(names = "--capacity", defaultValue = "", description = "cpu=4,memory=8Gi,pods=110 (default: this machine)")
  String capacity;

  @Option(names = "--runtime", defaultValue = "process", description = "process (host processes) or hollow (pretend)")
  String runtime;

  @Option(names = "--work-dir", defaultValue = "agent-data", description = "pods' directories, logs and records")
  Path workDir;

  @Option(names = "--heartbeat-period", defaultValue = "10s", description = "node status period, e.g. 10s")
  String heartbeatPeriod;

  @Option(names = "--node-ip", description = "InternalIP to report (default: this host's address)")
  String nodeIP;

  @Option(names = "--log-address", defaultValue = "127.0.0.1",
      description = "address the log, stats and exec endpoints bind to (TLS; only the API server's client "
          + "certificate is answered)")
  String logAddress;

  @Option(names = "--log-port", defaultValue = "0", description = "container-log endpoint port (0: any, -1: none)")
  int logPort;

  @Option(names = "--crash-backoff", defaultValue = "10s", description = "first restart backoff (doubles up to 5m)")
  String crashBackoff;

  @Option(names = "--ready-delay", defaultValue = "1s", description = "hollow runtime: time until a pod is ready")
  String readyDelay;

  @Option(names = "--never-ready-fraction", defaultValue = "0", description = "hollow runtime: pods never ready")
  double neverReadyFraction;

  @Option(names = "--fail-fraction", defaultValue = "0", description = "hollow runtime: pods that fail")
  double failFraction;

  @Option(names = "--stop-pods-on-exit", description = "stop every pod when the agent exits (default: leave them"
      + " running for the next agent to adopt)")
  boolean stopPodsOnExit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    NodeAgent.Settings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    NodeAgent agent = NodeAgent.start(settings, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    System.err.println("agent " + nodeName + " (" + settings.runtime() + " runtime) talking to "
        + settings.target().server() + (agent.logEndpoint() == null ? "" : "; logs at " + agent.logEndpoint()));
    stopped.await();
    return 0;
  }

  public NodeAgent.Settings settings() {
    ApiTarget target = connection.target();
    HollowBehavior hollow = new HollowBehavior(Flags.duration(readyDelay), neverReadyFraction, failFraction, null,
        null);
    java.time.Duration backoff = Flags.duration(crashBackoff);
    return NodeAgent.Settings.defaults(target, nodeName, workDir.toAbsolutePath())
        .withLabels(Flags.labels(labels))
        .withTaints(Flags.taints(taints))
        .withCapacity(Flags.capacity(capacity))
        .withRuntime(runtime, hollow)
        .withHeartbeatPeriod(Flags.duration(heartbeatPeriod))
        .withNodeIP(nodeIP)
        .withLogEndpoint(logAddress, logPort)
        .withBackoff(backoff, java.time.Duration.ofMinutes(5).compareTo(backoff) < 0 ? backoff
            : java.time.Duration.ofMinutes(5))
        .withStopPodsOnExit(stopPodsOnExit);
  }
}
