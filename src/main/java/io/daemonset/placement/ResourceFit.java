package io.daemonset.placement;

import io.daemonset.model.Container;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Node admission arithmetic, as the scheduler's NodeResourcesFit filter ({@code fitsRequest}) and
 * {@code resourcehelper.PodRequests} do it, so that a node never over-commits.
 *
 * <p>Rules: a pod fits when, for every resource it requests more than 0 of, the request is at most the node's
 * allocatable minus what already-admitted pods request; a resource the node does not list counts as 0 allocatable.
 * When the node lists {@code pods}, admitting one more pod than that is {@code Too many pods}. Amounts are rounded
 * up per pod as upstream's integer bookkeeping does: cpu to the millicore, everything else to the unit.
 */
public final class ResourceFit {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  private ResourceFit() {}

  /** Checks one more pod against a node's allocatable and the requests of the pods it already admitted. */
  public static FitResult check(Map<String, Quantity> allocatable, Collection<Map<String, Quantity>> alreadyAdmittedRequests,
      Map<String, Quantity> podRequests) {
    List<String> insufficient = new ArrayList<>();
    Quantity allowedPods = allocatable.get(PODS);
    if (allowedPods != null && alreadyAdmittedRequests.size() + 1 > rounded(PODS, allowedPods).longValue()) {
      insufficient.add("Too many pods");
    }
    for (String resource : inSchedulerOrder(podRequests.keySet())) {
      BigDecimal requested = rounded(resource, podRequests.get(resource));
      if (resource.equals(PODS) || requested.signum() <= 0) {
        continue;
      }
      BigDecimal used = BigDecimal.ZERO;
      for (Map<String, Quantity> admitted : alreadyAdmittedRequests) {
        Quantity q = admitted.get(resource);
        used = q == null ? used : used.add(rounded(resource, q));
      }
      Quantity offered = allocatable.get(resource);
      BigDecimal free = (offered == null ? BigDecimal.ZERO : rounded(resource, offered)).subtract(used);
      if (requested.compareTo(free) > 0) {
        insufficient.add("Insufficient " + resource);
      }
    }
    return FitResult.of(insufficient);
  }

  /**
   * What a pod reserves: the sum of its containers' requests, raised per resource to any single init container's
   * request (init containers run one at a time, before the others). A container that sets a limit but no request
   * for a resource requests its limit, as API defaulting makes it. Pod overhead and sidecar (restartable) init
   * containers are not modelled.
   */
  public static Map<String, Quantity> podRequests(PodSpec spec) {
    Map<String, BigDecimal> sum = new HashMap<>();
    for (Container c : spec.containersOrEmpty()) {
      effectiveRequests(c).forEach((k, v) -> sum.merge(k, v.value(), BigDecimal::add));
    }
    if (spec.initContainers() != null) {
      for (Container c : spec.initContainers()) {
        effectiveRequests(c).forEach((k, v) -> sum.merge(k, v.value(), BigDecimal::max));
      }
    }
    Map<String, Quantity> out = new TreeMap<>();
    sum.forEach((k, v) -> out.put(k, Quantity.of(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Quantity> effectiveRequests(Container c) {
    ResourceRequirements r = c.resources();
    if (r == null) {
      return Map.of();
    }
    Map<String, Quantity> requests = new HashMap<>(r.limitsOrEmpty());
    requests.putAll(r.requestsOrEmpty());
    return requests;
  }

  private static BigDecimal rounded(String resource, Quantity q) {
    return q.value().setScale(resource.equals(CPU) ? 3 : 0, RoundingMode.CEILING);
  }

  // The scheduler reports cpu, memory and ephemeral-storage first, then other (scalar) resources.
  private static List<String> inSchedulerOrder(Collection<String> resources) {
    List<String> ordered = new ArrayList<>();
    for (String first : List.of(CPU, MEMORY, EPHEMERAL_STORAGE)) {
      if (resources.contains(first)) {
        ordered.add(first);
      }
    }
    for (String other : new TreeSet<>(resources)) {
      if (!ordered.contains(other)) {
        ordered.add(other);
      }
    }
    return ordered;
  }
}
