package io.daemonset.model;

import java.util.List;
import java.util.Map;

/** NodeStatus as a kubelet reports it. */
public record NodeStatus(
    Map<String, Quantity> capacity,
    Map<String, Quantity> allocatable,
    List<NodeCondition> conditions,
    List<NodeAddress> addresses,
    NodeSystemInfo nodeInfo) {

  public Map<String, Quantity> allocatableOrCapacity() {
    if (allocatable != null && !allocatable.isEmpty()) {
      return allocatable;
    }
    return capacity == null ? Map.of() : capacity;
  }

  public List<NodeCondition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }
}
