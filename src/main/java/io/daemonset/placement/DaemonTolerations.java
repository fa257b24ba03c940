package io.daemonset.placement;

import io.daemonset.model.PodSpec;
import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tolerations every daemon pod gets, as upstream's {@code util.AddOrUpdateDaemonPodTolerations}: a daemon pod
 * must survive the taints the node lifecycle controller puts on sick nodes, or it would be evicted exactly when it
 * is needed (a log shipper on a node under disk pressure, a CNI agent on a node whose network is not ready yet).
 *
 * <p>Invariants: an automatic toleration is appended only when no toleration with the same key, operator, value and
 * effect exists; such a user toleration (whatever its tolerationSeconds) is replaced in place by the automatic one,
 * which has none, so applying this twice changes nothing; every other toleration keeps its place.
 */
public final class DaemonTolerations {

  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

  private DaemonTolerations() {}

  /** The automatic tolerations, in upstream's order; network-unavailable only for a hostNetwork pod. */
  public static List<Toleration> automatic(boolean hostNetwork) {
    List<Toleration> auto = new ArrayList<>(List.of(
        Toleration.exists(NOT_READY, Taint.NO_EXECUTE),
        Toleration.exists(UNREACHABLE, Taint.NO_EXECUTE),
        Toleration.exists(DISK_PRESSURE, Taint.NO_SCHEDULE),
        Toleration.exists(MEMORY_PRESSURE, Taint.NO_SCHEDULE),
        Toleration.exists(PID_PRESSURE, Taint.NO_SCHEDULE),
        Toleration.exists(UNSCHEDULABLE, Taint.NO_SCHEDULE)));
    if (hostNetwork) {
      auto.add(Toleration.exists(NETWORK_UNAVAILABLE, Taint.NO_SCHEDULE));
    }
    return List.copyOf(auto);
  }

  /** The spec with the automatic daemon tolerations added or updated; the input is not changed. */
  public static PodSpec withDaemonTolerations(PodSpec spec) {
    List<Toleration> tolerations = new ArrayList<>(spec.tolerationsOrEmpty());
    for (Toleration auto : automatic(spec.usesHostNetwork())) {
      addOrUpdate(tolerations, auto);
    }
    return spec.withTolerations(List.copyOf(tolerations));
  }

  // Upstream AddOrUpdateTolerationInPodSpec: entries that MatchToleration are replaced, else append.
  private static void addOrUpdate(List<Toleration> tolerations, Toleration auto) {
    boolean updated = false;
    for (int i = 0; i < tolerations.size(); i++) {
      if (sameToleration(tolerations.get(i), auto)) {
        tolerations.set(i, auto);
        updated = true;
      }
    }
    if (!updated) {
      tolerations.add(auto);
    }
  }

  // Upstream MatchToleration: key, operator, value and effect equal; tolerationSeconds is not compared.
  private static boolean sameToleration(Toleration a, Toleration b) {
    return TaintToleration.orEmpty(a.key()).equals(TaintToleration.orEmpty(b.key()))
        && TaintToleration.orEmpty(a.operator()).equals(TaintToleration.orEmpty(b.operator()))
        && TaintToleration.orEmpty(a.value()).equals(TaintToleration.orEmpty(b.value()))
        && TaintToleration.orEmpty(a.effect()).equals(TaintToleration.orEmpty(b.effect()));
  }
}
