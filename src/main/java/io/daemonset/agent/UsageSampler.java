package io.daemonset.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Measured usage of the node and of each running container, as the kubelet's resource metrics give metrics-server:
 * every {@link #sample()} (the agent calls it on a fixed period) reads the CPU time and memory of each container's
 * process tree and of the machine; CPU is the rate between the last two samples (nanocores), memory the last
 * resident size. {@link #json()} is what the agent's {@code /stats} answers.
 */
final class UsageSampler {
  /** The running containers: pod key (namespace/name) → container name → root process. */
  @FunctionalInterface
  interface Running {
    Map<String, Map<String, ProcessHandle>> containers();
  }

  private record Sample(Instant at, Map<String, ProcStats.Usage> byContainer, Optional<ProcStats.Usage> machine) {}

  private final Running running;
  private final Clock clock;
  private final Supplier<Optional<ProcStats.Usage>> machine;
  private Sample previous;
  private Sample last;

  UsageSampler(Running running, Clock clock) {
    this(running, clock, ProcStats::machine);
  }

  UsageSampler(Running running, Clock clock, Supplier<Optional<ProcStats.Usage>> machine) {
    this.running = running;
    this.clock = clock;
    this.machine = machine;
  }

  void sample() {
    Map<String, ProcStats.Usage> usage = new HashMap<>();
    running.containers().forEach((pod, containers) -> containers.forEach((name, root) -> {
      ProcStats.Usage sum = ProcStats.NONE;
      for (ProcessHandle p : ProcessTree.snapshot(root)) {
        sum = sum.plus(ProcStats.process(p.pid()).orElse(ProcStats.NONE));
      }
      usage.put(pod + "/" + name, sum);
    }));
    Sample now = new Sample(clock.instant(), usage, machine.get());
    synchronized (this) {
      previous = last;
      last = now;
    }
  }

  /**
   * {"node": {timestamp, windowSeconds, cpuNanoCores, memoryBytes}, "pods": [{namespace, name, containers: [{name,
   * cpuNanoCores, memoryBytes}]}]}; before two samples, no figures (as metrics-server has none for a new node).
   */
  String json() {
    Sample before;
    Sample after;
    synchronized (this) {
      before = previous;
      after = last;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode pods = out.putArray("pods");
    if (before == null || after == null) {
      return Json.write(out);
    }
    double seconds = Math.max(0.001, (after.at().toEpochMilli() - before.at().toEpochMilli()) / 1000.0);
    after.machine().ifPresent(m -> {
      ObjectNode node = out.putObject("node");
      node.put("timestamp", after.at().toString()).put("windowSeconds", seconds)
          .put("cpuNanoCores", nanoCores(before.machine().map(ProcStats.Usage::cpuTicks).orElse(m.cpuTicks()),
              m.cpuTicks(), seconds))
          .put("memoryBytes", m.memoryBytes());
    });
    Map<String, ObjectNode> byPod = new HashMap<>();
    after.byContainer().forEach((key, usage) -> {
      ProcStats.Usage was = before.byContainer().get(key);
      if (was == null) {
        return; // started since the previous sample: no rate yet
      }
      String[] parts = key.split("/", 3);
      ObjectNode pod = byPod.computeIfAbsent(parts[0] + "/" + parts[1], k -> {
        ObjectNode p = pods.addObject().put("namespace", parts[0]).put("name", parts[1])
            .put("timestamp", after.at().toString()).put("windowSeconds", seconds);
        p.putArray("containers");
        return p;
      });
      ((ArrayNode) pod.get("containers")).addObject().put("name", parts[2])
          .put("cpuNanoCores", nanoCores(was.cpuTicks(), usage.cpuTicks(), seconds))
          .put("memoryBytes", usage.memoryBytes());
    });
    return Json.write(out);
  }

  /** Ticks spent over a window as nanocores (never negative: a restarted process starts its count again). */
  static long nanoCores(long beforeTicks, long afterTicks, double seconds) {
    long ticks = Math.max(0, afterTicks - beforeTicks);
    return Math.round(ticks * (1_000_000_000.0 / ProcStats.TICKS_PER_SECOND) / seconds);
  }
}
