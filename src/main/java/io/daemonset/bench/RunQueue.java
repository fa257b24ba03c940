package io.daemonset.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How long this process's threads ran on a CPU and how long they waited, runnable, for one (Linux schedstat of every
 * thread: {@code /proc/self/task/<tid>/schedstat}, "time on CPU, time waiting on a run queue, timeslices", in ns).
 * On a machine shared with other work, a wait as long as the run time says the process was starved of CPU, not idle.
 * Threads that ended within the interval are not counted (per thread: a thread's time is its time at the end less
 * its time at the start, or all of it if it started within). Zero where /proc has no schedstat.
 *
 * @param byTask each thread's {run, wait} by thread id, to tell the threads that ended from those that ran
 */
record RunQueue(long runNanos, long waitNanos, Map<String, long[]> byTask) {

  static RunQueue now() {
    return of(name -> true);
  }

  /** The JIT's compiler threads alone (Linux names them "C1 CompilerThre…", "C2 CompilerThre…"). */
  static RunQueue compilers() {
    return of(name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
  }

  /** The threads whose name (their {@code comm}, 15 characters at most) passes {@code named}. */
  static RunQueue of(java.util.function.Predicate<String> named) {
    Map<String, long[]> byTask = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (!named.test(Files.readString(task.resolve("comm")).trim())) {
            continue;
          }
          String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          byTask.put(task.getFileName().toString(), new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])});
        } catch (IOException | RuntimeException ended) {
          // the thread ended while we listed them
        }
      }
    } catch (IOException | RuntimeException noProc) {
      return of(Map.of());
    }
    return of(byTask);
  }

  static RunQueue of(Map<String, long[]> byTask) {
    long run = 0;
    long wait = 0;
    for (long[] t : byTask.values()) {
      run += t[0];
      wait += t[1];
    }
    return new RunQueue(run, wait, byTask);
  }

  /**
   * What the threads running now did since {@code start}. Subtracting totals instead went negative when a thread
   * ended within (the JIT stops compiler threads it no longer needs): its time at the start was subtracted, its time
   * at the end was not there to subtract from.
   */
  RunQueue since(RunQueue start) {
    Map<String, long[]> delta = new HashMap<>();
    byTask.forEach((task, end) -> {
      long[] begin = start.byTask.getOrDefault(task, new long[2]);
      delta.put(task, new long[] {end[0] - begin[0], end[1] - begin[1]});
    });
    return of(delta);
  }

  @Override
  public String toString() {
    return String.format("its threads ran %.2f s on a CPU and waited %.2f s, runnable, for one", runNanos / 1e9,
        waitNanos / 1e9);
  }
}
