package io.daemonset;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code java -jar daemonset-controller.jar <command>}. */
@Command(
    name = "daemonset-controller",
    mixinStandardHelpOptions = true,
    version = "daemonset-controller 0.1.0",
    description = "A clustered DaemonSet control plane with a Kubernetes-compatible API.",
    subcommands = {
      io.daemonset.cluster.ServeCommand.class,
      io.daemonset.agent.AgentCommand.class,
      io.daemonset.agent.FleetCommand.class,
      io.daemonset.agent.PlanCommand.class,
      io.daemonset.cluster.AuditCommand.class,
      Main.Bench.class,
    })
public final class Main implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Main());
    CommandLine.IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
    commandLine.setParameterExceptionHandler(
        (e, rest) -> io.daemonset.cluster.AuditCommand.isUnderAudit(e) ? io.daemonset.cluster.AuditCommand.oneLine(e)
            : usage.handleParseException(e, rest));
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  @Command(name = "bench", description = "Run a benchmark and print its figures (see docs/performance.md).",
      subcommands = {Main.PlacementBench.class, Main.ReplayBench.class, Main.ReconcileBench.class,
          io.daemonset.bench.ScaleCommands.Converge.class, io.daemonset.bench.ScaleCommands.Join.class,
          io.daemonset.bench.ScaleCommands.Rollout.class, io.daemonset.bench.ScaleCommands.Restart.class,
          io.daemonset.bench.ScaleCommands.Api.class,
          io.daemonset.bench.ScaleCommands.JournalWrites.class})
  static final class Bench implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(System.out);
      return 0;
    }
  }

  @Command(name = "replay", description = "Time how long this JVM's view takes to replay an existing journal.")
  static final class ReplayBench implements Callable<Integer> {
    @CommandLine.Option(names = "--data-dir", required = true, description = "A data dir with an H2 journal.")
    java.nio.file.Path dataDir;

    @Override
    public Integer call() throws Exception {
      io.daemonset.bench.PlacementBenchmark.replay(dataDir, System.out);
      return 0;
    }
  }

  @Command(name = "reconcile", description = "Time the pure reconcile alone on a synthetic converge of N nodes.")
  static final class ReconcileBench implements Callable<Integer> {
    @CommandLine.Option(names = "--nodes", defaultValue = "5000", description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--facts", defaultValue = "1250",
        description = "Node answers per round at most (default ${DEFAULT-VALUE}).")
    int facts;

    @CommandLine.Option(names = "--repeats", defaultValue = "5",
        description = "Runs of the scenario; the first warm the JIT up (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() {
      new io.daemonset.daemonset.ReconcileBenchmark(nodes, facts, System.out).run(repeats);
      return 0;
    }
  }

  @Command(name = "placement", description = "Place one DaemonSet on N in-process nodes, then time its recovery.")
  static final class PlacementBench implements Callable<Integer> {
    @CommandLine.Option(names = "--nodes", defaultValue = "1000", description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--store", defaultValue = "h2",
        description = "h2 (a fresh temp dir) or postgres (DS_DB_URL, DS_DB_USER, DS_DB_PASSWORD).")
    String store;

    @Override
    public Integer call() throws Exception {
      java.nio.file.Path dir = io.daemonset.bench.PlacementBenchmark.tempDataDir();
      new io.daemonset.bench.PlacementBenchmark(nodes, io.daemonset.cluster.Store.parse(store), System.out).run(dir);
      return 0;
    }
  }
}
