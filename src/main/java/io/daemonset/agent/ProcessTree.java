package io.daemonset.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stopping a container's whole process tree as a container runtime does: SIGTERM to every process of the tree
 * ({@link ProcessHandle#destroy}), then, for whatever is still alive when the grace period ends, SIGKILL
 * ({@link ProcessHandle#destroyForcibly}) to it and to everything it started meanwhile.
 * <p>The tree is taken before signalling, since a child whose parent dies is re-parented and no longer a
 * descendant. A zombie (exited, not yet reaped by its new parent) counts as gone.
 */
public final class ProcessTree {
  private static final long POLL_MILLIS = 50;

  private ProcessTree() {}

  /** The process and its descendants, alive now. */
  public static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    if (alive(root)) {
      tree.add(root);
    }
    root.descendants().filter(ProcessTree::alive).forEach(tree::add);
    return tree;
  }

  /** SIGTERM now, SIGKILL after grace; completes when the whole tree is gone. */
  public static CompletableFuture<Void> terminate(ProcessHandle root, Duration grace,
                                                  ScheduledExecutorService scheduler) {
    Set<ProcessHandle> tree = snapshot(root);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (tree.isEmpty()) {
      done.complete(null);
      return done;
    }
    if (grace.isZero() || grace.isNegative()) {
      kill(tree);
    } else {
      tree.forEach(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    AtomicReference<ScheduledFuture<?>> poll = new AtomicReference<>();
    poll.set(scheduler.scheduleWithFixedDelay(() -> {
      if (System.nanoTime() - deadline >= 0) {
        kill(tree);
      }
      tree.removeIf(p -> !alive(p));
      if (tree.isEmpty()) {
        done.complete(null);
        ScheduledFuture<?> f = poll.get();
        if (f != null) {
          f.cancel(false);
        }
      }
    }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS));
    done.whenComplete((v, e) -> {
      ScheduledFuture<?> f = poll.get();
      if (f != null) {
        f.cancel(false);
      }
    });
    return done;
  }

  /** SIGKILL to every living member of tree and its current descendants (which join the tree). */
  private static void kill(Set<ProcessHandle> tree) {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    for (ProcessHandle p : tree) {
      if (alive(p)) {
        all.add(p);
        p.descendants().filter(ProcessTree::alive).forEach(all::add);
      }
    }
    all.forEach(ProcessHandle::destroyForcibly);
    tree.addAll(all);
  }

  /** Alive and not a zombie. */
  public static boolean alive(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    try {
      String s = Files.readString(stat);
      int close = s.lastIndexOf(')');
      return close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return p.isAlive();
    }
  }

  /**
   * The live process with this pid, if it is the one that started at startedAt (within a tolerance: start times
   * are measured in clock ticks), so a pid reused by another process is never adopted or killed.
   */
  public static Optional<ProcessHandle> find(long pid, long startedAtMillis) {
    return ProcessHandle.of(pid)
        .filter(ProcessTree::alive)
        .filter(p -> p.info().startInstant()
            .map(Instant::toEpochMilli)
            .map(s -> Math.abs(s - startedAtMillis) <= 1000)
            .orElse(false));
  }

  /** The start time of a process, in epoch milliseconds (0 when the OS does not tell). */
  public static long startMillis(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
