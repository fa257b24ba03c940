package io.daemonset.bench;

import io.daemonset.cluster.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench converge|join|rollout|restart|api|journal}: the fleet-scale benchmarks, one table row each. */
public final class ScaleCommands {
  private ScaleCommands() {}

  /** Where every benchmark writes its journal, and whether it profiles the measured part. */
  public static final class StoreAndProfile {
    @Option(names = "--store", defaultValue = "h2",
        description = "h2 (a fresh temp dir) or postgres (a fresh schema in DS_DB_URL, DS_DB_USER, DS_DB_PASSWORD).")
    String store;

    @Option(names = "--jfr", description = "Record the measured part with JFR (the 'profile' settings) to FILE.")
    Path jfr;
  }

  /** The options every fleet benchmark takes. */
  public static final class Common {
    @Option(names = "--nodes", defaultValue = "1000", description = "Hollow nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--daemonsets", defaultValue = "1", description = "DaemonSets (default ${DEFAULT-VALUE}).")
    int daemonSets;

    @Mixin StoreAndProfile where;

    @Option(names = "--ready-delay", defaultValue = "0s",
        description = "How long a hollow pod takes to become Ready (default ${DEFAULT-VALUE}).")
    String readyDelay;

    @Option(names = "--joiners", defaultValue = "100", description = "join: nodes joining (default ${DEFAULT-VALUE}).")
    int joiners;

    @Option(names = "--join-rate", defaultValue = "0",
        description = "join: joining nodes per second, as an autoscaler adds them; 0: all at once (default).")
    int joinRate;

    @Option(names = "--histogram", defaultValue = "0", paramLabel = "N",
        description = "After the figure, print the top N classes of the live heap (in-process, no attach; default none).")
    int histogram;

    @Option(names = "--heap-dump", paramLabel = "FILE",
        description = "After the figure, dump the live heap to FILE (hprof; in-process, no attach).")
    Path heapDump;

    ScaleBench bench() {
      Duration delay = com.typesafe.config.ConfigFactory.parseString("d = " + readyDelay).getDuration("d");
      return new ScaleBench(new ScaleBench.Options(nodes, daemonSets, Store.parse(where.store), where.jfr, delay,
          joiners, joinRate, histogram, heapDump, System.out));
    }
  }

  @Command(name = "converge", description = "Apply DaemonSets to N hollow nodes; time to all scheduled and Ready.")
  public static final class Converge implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.bench().converge();
      return 0;
    }
  }

  @Command(name = "rollout", description = "Converge, then change the image (maxUnavailable 10%%); time to all updated.")
  public static final class Rollout implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.bench().rollout();
      return 0;
    }
  }

  @Command(name = "join", description = "Converge, then --joiners nodes join; per node, time to all its pods bound.")
  public static final class Join implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.bench().join();
      return 0;
    }
  }

  @Command(name = "restart", description = "Converge, stop, start on the same journal; API ready, converged, replaced.")
  public static final class Restart implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.bench().restart();
      return 0;
    }
  }

  @Command(name = "api", description = "Idle server with N nodes: node label merge patch and read latency.")
  public static final class Api implements Callable<Integer> {
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      common.bench().api();
      return 0;
    }
  }

  @Command(name = "journal", description = "Real Node entities persist pod status reports as fast as the journal takes"
      + " them (no HTTP); events/s against raw batched inserts of equal rows in the same run.")
  public static final class JournalWrites implements Callable<Integer> {
    @Option(names = "--entities", defaultValue = "1000", description = "Node entities writing at once (default ${DEFAULT-VALUE}).")
    int entities;

    @Option(names = "--events", defaultValue = "20", description = "Events each entity persists, one after the other (default ${DEFAULT-VALUE}).")
    int events;

    @Mixin StoreAndProfile where;

    @Override
    public Integer call() throws Exception {
      new JournalBench(new JournalBench.Options(entities, events, Store.parse(where.store), where.jfr, System.out))
          .run();
      return 0;
    }
  }
}
