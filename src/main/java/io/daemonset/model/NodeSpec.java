package io.daemonset.model;

import java.util.List;

/** NodeSpec: taints and unschedulable decide, with labels, where daemon pods go. */
public record NodeSpec(String podCIDR, String providerID, Boolean unschedulable, List<Taint> taints) {

  public List<Taint> taintsOrEmpty() {
    return taints == null ? List.of() : taints;
  }

  public boolean isUnschedulable() {
    return Boolean.TRUE.equals(unschedulable);
  }
}
