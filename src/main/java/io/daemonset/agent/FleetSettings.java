package io.daemonset.agent;

import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet of hollow nodes: {@code nodes} nodes named {@code <namePrefix>1 … <namePrefix>N} (stable, so that a
 * restarted fleet finds its nodes again), all with the same labels, taints and capacity, all running pods as
 * {@code behavior} says.
 *
 * @param maxInFlight the most API requests in flight at once, for the whole fleet
 * @param heartbeatPeriod each node's heartbeat period; the nodes' heartbeats are spread evenly over it
 */
public record FleetSettings(ApiTarget target, int nodes, String namePrefix, Map<String, String> labels,
                            List<Taint> taints, Map<String, Quantity> capacity, HollowBehavior behavior,
                            Duration heartbeatPeriod, int maxInFlight) {

  public static final String DEFAULT_PREFIX = "node-";

  public FleetSettings {
    if (nodes < 0) {
      throw new IllegalArgumentException("--nodes must not be negative");
    }
    if (namePrefix == null || namePrefix.isEmpty()) {
      namePrefix = DEFAULT_PREFIX;
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    taints = taints == null ? List.of() : List.copyOf(taints);
    capacity = capacity == null || capacity.isEmpty() ? defaultCapacity() : capacity;
    behavior = behavior == null ? HollowBehavior.allReady(Duration.ofSeconds(1)) : behavior;
    heartbeatPeriod = heartbeatPeriod == null ? Duration.ofSeconds(10) : heartbeatPeriod;
    maxInFlight = maxInFlight <= 0 ? 64 : maxInFlight;
  }

  /** n nodes named node-1 … node-n, 4 cpus and 16Gi each, pods ready after 1 s, heartbeats every 10 s. */
  public static FleetSettings of(ApiTarget target, int nodes) {
    return new FleetSettings(target, nodes, DEFAULT_PREFIX, Map.of(), List.of(), null, null, null, 0);
  }

  public FleetSettings withNamePrefix(String value) {
    return new FleetSettings(target, nodes, value, labels, taints, capacity, behavior, heartbeatPeriod, maxInFlight);
  }

  public FleetSettings withLabels(Map<String, String> value) {
    return new FleetSettings(target, nodes, namePrefix, value, taints, capacity, behavior, heartbeatPeriod, maxInFlight);
  }

  public FleetSettings withTaints(List<Taint> value) {
    return new FleetSettings(target, nodes, namePrefix, labels, value, capacity, behavior, heartbeatPeriod, maxInFlight);
  }

  public FleetSettings withCapacity(Map<String, Quantity> value) {
    return new FleetSettings(target, nodes, namePrefix, labels, taints, value, behavior, heartbeatPeriod, maxInFlight);
  }

  public FleetSettings withBehavior(HollowBehavior value) {
    return new FleetSettings(target, nodes, namePrefix, labels, taints, capacity, value, heartbeatPeriod, maxInFlight);
  }

  public FleetSettings withHeartbeatPeriod(Duration value) {
    return new FleetSettings(target, nodes, namePrefix, labels, taints, capacity, behavior, value, maxInFlight);
  }

  public FleetSettings withMaxInFlight(int value) {
    return new FleetSettings(target, nodes, namePrefix, labels, taints, capacity, behavior, heartbeatPeriod, value);
  }

  /** The name of node i (1-based). */
  public String nodeName(int i) {
    return namePrefix + i;
  }

  /** A made-up, unique InternalIP for node i: 10.x.y.z. */
  public static String nodeIP(int i) {
    return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
  }

  private static Map<String, Quantity> defaultCapacity() {
    Map<String, Quantity> c = new LinkedHashMap<>();
    c.put("cpu", Quantity.parse("4"));
    c.put("memory", Quantity.parse("16Gi"));
    c.put("pods", Quantity.parse("110"));
    return Map.copyOf(c);
  }
}
