package io.daemonset.rollout;

import io.daemonset.model.CanaryStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a canary step holds a rolling update, and on which nodes it runs. Pure: the caller persists a passed
 * canary (so that a canary pod restarting later does not re-open the gate) and turns the decision into
 * {@link RolloutControls}.
 *
 * <p>Invariants: the canary nodes are the nodes that should run a pod and match the canary's selector (if any),
 * at most {@code nodes} of them (a number, or a percentage of desiredNumberScheduled rounded up, at least 1);
 * nodes already running the current revision are chosen first, so the set is stable from one reconcile to the
 * next while the fleet changes, then by name. The canary has soaked once every canary node runs an available pod
 * of the current revision and the last of them has been available for soakSeconds.
 */
public final class CanaryGate {

  /**
   * @param canaryNodes where the current revision goes while the canary holds
   * @param holding whether the rolling update is held to the canary nodes
   * @param soaked every canary pod available for soakSeconds (an automatic canary passes then)
   * @param soakEndsAt when the soak will have passed, once every canary pod is available
   */
  public record Decision(Set<String> canaryNodes, boolean holding, boolean soaked, Optional<Instant> soakEndsAt) {}

  private CanaryGate() {}

  /**
   * @param matchingSelector the nodes matching the canary's selector, or null when it has none
   * @param promoted the canary already passed for this revision (persisted by the caller), or the user promoted it
   */
  public static Decision decide(CanaryStrategy canary, List<NodePods> nodes, Set<String> matchingSelector,
                                String currentHash, int minReadySeconds, boolean promoted, Instant now) {
    Set<String> canaryNodes = pick(canary, nodes, matchingSelector, currentHash);
    Optional<Instant> lastAvailableAt = lastAvailableAt(nodes, canaryNodes, currentHash, minReadySeconds, now);
    Optional<Instant> soakEndsAt = lastAvailableAt.map(t -> t.plusSeconds(canary.soakSecondsOrZero()));
    boolean soaked = soakEndsAt.isPresent() && !now.isBefore(soakEndsAt.get());
    boolean passes = promoted || (soaked && !canary.isManual());
    return new Decision(canaryNodes, !passes, soaked, soakEndsAt);
  }

  private static Set<String> pick(CanaryStrategy canary, List<NodePods> nodes, Set<String> matchingSelector,
                                  String hash) {
    int desired = (int) nodes.stream().filter(NodePods::shouldRun).count();
    List<NodePods> eligible = new ArrayList<>(nodes.stream()
        .filter(NodePods::shouldRun)
        .filter(n -> matchingSelector == null || matchingSelector.contains(n.nodeName()))
        .toList());
    eligible.sort(Comparator.comparing((NodePods n) -> !runsRevision(n, hash)).thenComparing(NodePods::nodeName));
    int count = canary.nodes() == null ? eligible.size()
        : Math.max(1, Math.max(0, canary.nodes().scaledValue(desired, true)));
    Set<String> chosen = new LinkedHashSet<>();
    eligible.stream().limit(count).forEach(n -> chosen.add(n.nodeName()));
    return chosen;
  }

  /** When the last canary pod became available, if every canary node runs an available current pod. */
  private static Optional<Instant> lastAvailableAt(List<NodePods> nodes, Set<String> canaryNodes, String hash,
                                                   int minReadySeconds, Instant now) {
    if (canaryNodes.isEmpty()) {
      return Optional.empty();
    }
    Instant last = Instant.MIN;
    int seen = 0;
    for (NodePods node : nodes) {
      if (!canaryNodes.contains(node.nodeName())) {
        continue;
      }
      Optional<PodInfo> current = node.listedPods().stream()
          .filter(p -> !p.deleting() && Availability.updated(p, hash)
              && Availability.available(p, minReadySeconds, now))
          .findFirst();
      if (current.isEmpty() || current.get().readySince() == null) {
        return Optional.empty();
      }
      Instant availableAt = current.get().readySince().plusSeconds(minReadySeconds);
      last = availableAt.isAfter(last) ? availableAt : last;
      seen++;
    }
    return seen == canaryNodes.size() ? Optional.of(last) : Optional.empty();
  }

  private static boolean runsRevision(NodePods node, String hash) {
    return node.listedPods().stream().anyMatch(p -> !p.deleting() && Availability.updated(p, hash));
  }
}
