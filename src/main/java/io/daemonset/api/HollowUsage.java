package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Container;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The usage a hollow node reports, in the shape of an agent's {@code /stats}: hollow nodes run nothing and serve no
 * endpoint, so the API server simulates them (as kubemark's hollow kubelet simulates its summary API), so that
 * {@code kubectl top} and the console have figures on a simulated fleet. Pure and deterministic: each running
 * container uses a share of its request (or of a small default) that drifts slowly with time and differs between
 * containers; a node uses a system baseline plus its pods, never more than it has.
 */
final class HollowUsage {
  static final long WINDOW_SECONDS = 15;
  static final long DEFAULT_CPU_NANOS = 10_000_000L; // 10m, when a container requests none
  static final long DEFAULT_MEMORY_BYTES = 32L << 20; // 32Mi
  static final long SYSTEM_CPU_NANOS = 100_000_000L; // 100m for the simulated kubelet and system daemons
  static final long SYSTEM_MEMORY_BYTES = 512L << 20;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private HollowUsage() {}

  /** What the node's agent would answer to /stats now. */
  static ObjectNode stats(Node node, List<Pod> pods, Instant now) {
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode out = F.objectNode();
    ArrayNode podsOut = out.putArray("pods");
    long cpu = SYSTEM_CPU_NANOS;
    long memory = SYSTEM_MEMORY_BYTES;
    for (Pod pod : pods) {
      ObjectNode podOut = null;
      for (Container container : pod.spec().containers()) {
        if (!running(pod, container.name())) {
          continue;
        }
        String seed = pod.metadata().uid() + "/" + container.name();
        long containerCpu = Math.round(request(container, "cpu", 1e9, DEFAULT_CPU_NANOS) * share(seed, now, 0.3));
        long containerMemory = Math.round(request(container, "memory", 1, DEFAULT_MEMORY_BYTES)
            * share(seed + "/memory", now, 0.5));
        if (podOut == null) {
          podOut = podsOut.addObject().put("namespace", pod.metadata().namespace()).put("name", pod.metadata().name())
              .put("timestamp", timestamp).put("windowSeconds", WINDOW_SECONDS);
          podOut.putArray("containers");
        }
        ((ArrayNode) podOut.get("containers")).addObject().put("name", container.name())
            .put("cpuNanoCores", containerCpu).put("memoryBytes", containerMemory);
        cpu += containerCpu;
        memory += containerMemory;
      }
    }
    Map<String, Quantity> capacity = node.status() == null ? Map.of() : node.status().allocatableOrCapacity();
    out.putObject("node").put("timestamp", timestamp).put("windowSeconds", WINDOW_SECONDS)
        .put("cpuNanoCores", Math.min(cpu, limit(capacity, "cpu", 1e9)))
        .put("memoryBytes", Math.min(memory, limit(capacity, "memory", 1)));
    return out;
  }

  /** Whether the pod's agent would say this container runs (hollow pods report their containers as real ones do). */
  private static boolean running(Pod pod, String container) {
    if (pod.status() == null || !"Running".equals(pod.status().phase()) || pod.status().containerStatuses() == null) {
      return false;
    }
    return pod.status().containerStatuses().stream().filter(s -> container.equals(s.name()))
        .map(ContainerStatus::state).anyMatch(state -> state != null && state.running() != null);
  }

  private static double request(Container container, String resource, double unit, long fallback) {
    Quantity q = container.resources() == null || container.resources().requests() == null ? null
        : container.resources().requests().get(resource);
    return q == null || q.value().signum() <= 0 ? fallback : q.value().multiply(BigDecimal.valueOf(unit)).doubleValue();
  }

  private static long limit(Map<String, Quantity> capacity, String resource, double unit) {
    Quantity q = capacity.get(resource);
    return q == null ? Long.MAX_VALUE : q.value().multiply(BigDecimal.valueOf(unit)).longValue();
  }

  /**
   * A share of the request in [low, low + 0.5): a phase from the seed, drifting over a 10-minute cycle, so two
   * containers differ and one container's figure moves between two {@code kubectl top} calls minutes apart.
   */
  static double share(String seed, Instant now, double low) {
    double phase = (seed.hashCode() & 0x7fffffff) / (double) Integer.MAX_VALUE;
    double cycle = (now.getEpochSecond() % 600) / 600.0;
    return low + 0.25 * (1 + Math.sin(2 * Math.PI * (phase + cycle)));
  }
}
