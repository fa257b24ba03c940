package io.daemonset.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How long this process's threads ran on a CPU and how long they waited, runnable, for one (Linux schedstat of every
 * thread: {@code /proc/self/task/<tid>/schedstat}, "time on CPU, time waiting on a run queue, timeslices", in ns).
 * On a machine shared with other work, a wait as long as the run time says the process was starved of CPU, not idle.
 * Threads that ended within the interval are not counted. Zero where /proc has no schedstat.
 */
record RunQueue(long runNanos, long waitNanos) {

  static RunQueue now() {
    return of(name -> true);
  }

  /** The JIT's compiler threads alone (Linux names them "C1 CompilerThre…", "C2 CompilerThre…"). */
  static RunQueue compilers() {
    return of(name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
  }

  /** The threads whose name (their {@code comm}, 15 characters at most) passes {@code named}. */
  static RunQueue of(java.util.function.Predicate<String> named) {
    long run = 0;
    long wait = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (!named.test(Files.readString(task.resolve("comm")).trim())) {
            continue;
          }
          String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          run += Long.parseLong(fields[0]);
          wait += Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException ended) {
          // the thread ended while we listed them
        }
      }
    } catch (IOException | RuntimeException noProc) {
      return new RunQueue(0, 0);
    }
    return new RunQueue(run, wait);
  }

  RunQueue since(RunQueue start) {
    return new RunQueue(runNanos - start.runNanos, waitNanos - start.waitNanos);
  }

  @Override
  public String toString() {
    return String.format("its threads ran %.2f s on a CPU and waited %.2f s, runnable, for one", runNanos / 1e9,
        waitNanos / 1e9);
  }
}
