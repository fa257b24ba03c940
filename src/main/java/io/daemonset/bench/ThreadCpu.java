package io.daemonset.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU time of this JVM's threads, grouped by name with the numbers taken out ({@code
 * daemonset-pekko.actor.default-dispatcher-7} counts as {@code …default-dispatcher-N}): which part of the pipeline
 * a figure's CPU went to, measured rather than sampled (a JFR recording under load both distorts the shares and costs
 * CPU of its own). Threads that ended within the interval are not counted.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Sample(String group, long cpuNanos) {}

  private final Map<Long, Sample> byThread;

  private ThreadCpu(Map<Long, Sample> byThread) {
    this.byThread = byThread;
  }

  static ThreadCpu now() {
    Map<Long, Sample> byThread = new HashMap<>();
    if (THREADS.isThreadCpuTimeSupported()) {
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info != null) {
          long cpu = THREADS.getThreadCpuTime(info.getThreadId());
          if (cpu >= 0) {
            byThread.put(info.getThreadId(), new Sample(group(info.getThreadName()), cpu));
          }
        }
      }
    }
    return new ThreadCpu(byThread);
  }

  /** A thread's name without its numbers and the actor system's prefix. */
  static String group(String threadName) {
    return threadName.replaceFirst("^daemonset-pekko\\.", "").replaceAll("\\d+", "N");
  }

  /** CPU nanoseconds per group from {@code start} to now, largest first. */
  Map<String, Long> since(ThreadCpu start) {
    Map<String, Long> groups = new HashMap<>();
    byThread.forEach((id, end) -> {
      Sample begin = start.byThread.get(id);
      groups.merge(end.group(), end.cpuNanos() - (begin == null ? 0 : begin.cpuNanos()), Long::sum);
    });
    return groups.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  /** "group 0.041 ms, …" per event for the groups above 2 % of the total. */
  static String perEvent(Map<String, Long> groups, long events) {
    long total = groups.values().stream().mapToLong(Long::longValue).sum();
    return groups.entrySet().stream().filter(e -> e.getValue() * 50 >= total)
        .map(e -> String.format("%s %.3f ms (%.0f %%)", e.getKey(), e.getValue() / 1e6 / Math.max(1, events),
            100.0 * e.getValue() / Math.max(1, total)))
        .collect(Collectors.joining(", "));
  }
}
