package io.daemonset.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * What one measured interval cost: wall time, process CPU, threads started, journal events written (the journal's
 * ordering advanced), and the live heap it left behind (after a full GC at both ends).
 */
final class Meter {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final LongSupplier ordering;
  private final long startNanos;
  private final long startCpu;
  private final long startThreads;
  private final long startOrdering;
  private final long startHeap;
  private final RunQueue startJit;
  private long endNanos;
  private RunQueue endJit;
  private long endCpu;
  private long endThreads;
  private long endOrdering;

  private Meter(LongSupplier ordering, long startHeap) {
    this.ordering = ordering;
    this.startHeap = startHeap;
    this.startOrdering = ordering.getAsLong();
    this.startThreads = THREADS.getTotalStartedThreadCount();
    this.startCpu = OS.getProcessCpuTime();
    this.startJit = RunQueue.compilers();
    this.startNanos = System.nanoTime();
  }

  /** Starts measuring; with measureHeap, first collects garbage to know the live heap. */
  static Meter start(LongSupplier ordering, boolean measureHeap) {
    return new Meter(ordering, measureHeap ? liveHeap() : -1);
  }

  /** Ends the interval (CPU, time, events); the heap is taken separately, since a GC costs time. */
  Meter stop() {
    endNanos = System.nanoTime();
    endCpu = OS.getProcessCpuTime();
    endThreads = THREADS.getTotalStartedThreadCount();
    endOrdering = ordering.getAsLong();
    endJit = RunQueue.compilers();
    return this;
  }

  /**
   * CPU seconds the JIT's compiler threads ran during the interval (Linux; 0 elsewhere): on two cores a cold JVM's
   * compiling takes CPU the request path then lacks (docs/performance.md, "reg9", "The JIT on two cores").
   */
  double jitCpuSeconds() {
    return endJit.since(startJit).runNanos() / 1e9;
  }

  long startNanos() {
    return startNanos;
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  double cpuSeconds() {
    return (endCpu - startCpu) / 1e9;
  }

  long threadsStarted() {
    return endThreads - startThreads;
  }

  long events() {
    return endOrdering - startOrdering;
  }

  /** Live heap now minus at the start, per unit (bytes), or -1 if the start was not measured. */
  long heapPer(long units) {
    if (startHeap < 0 || units <= 0) {
      return -1;
    }
    return (liveHeap() - startHeap) / units;
  }

  static long liveHeap() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
