package io.daemonset.placement;

import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Whether tolerations tolerate taints, as upstream's {@code Toleration.ToleratesTaint} and
 * {@code FindMatchingUntoleratedTaint}. Null strings in the model mean the empty string of the API.
 */
public final class TaintToleration {

  private TaintToleration() {}

  /**
   * A toleration tolerates a taint when its effect is empty or equal, its key is empty or equal, and its operator
   * holds: {@code Exists} always, {@code Equal} (or empty) when the values are equal, {@code Gt}/{@code Lt} when the
   * taint's value is an integer beyond the toleration's (upstream's newer, feature-gated operators). An empty key
   * with {@code Exists} therefore tolerates every taint (of the effect, or of all effects when that is empty too).
   */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = orEmpty(toleration.effect());
    if (!effect.isEmpty() && !effect.equals(orEmpty(taint.effect()))) {
      return false;
    }
    String key = orEmpty(toleration.key());
    if (!key.isEmpty() && !key.equals(orEmpty(taint.key()))) {
      return false;
    }
    return switch (orEmpty(toleration.operator())) {
      case "", "Equal" -> orEmpty(toleration.value()).equals(orEmpty(taint.value()));
      case "Exists" -> true;
      case "Gt", "Lt" -> compares(toleration, taint);
      default -> false;
    };
  }

  /** True when any of the tolerations tolerates the taint. */
  public static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    return tolerations != null && tolerations.stream().anyMatch(t -> tolerates(t, taint));
  }

  /** The taints that pass the filter and that no toleration tolerates, in the node's order. */
  public static List<Taint> untolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
    return taints.stream().filter(filter).filter(t -> !tolerates(tolerations, t)).collect(Collectors.toList());
  }

  /** kubectl's notation: {@code key=value:Effect}, or {@code key:Effect} without a value. */
  public static String format(Taint taint) {
    String value = orEmpty(taint.value());
    return orEmpty(taint.key()) + (value.isEmpty() ? "" : "=" + value) + ":" + orEmpty(taint.effect());
  }

  private static boolean compares(Toleration toleration, Taint taint) {
    Long bound = Requirement.parseInt64(orEmpty(toleration.value()));
    Long actual = Requirement.parseInt64(orEmpty(taint.value()));
    if (bound == null || actual == null) {
      return false;
    }
    return "Gt".equals(toleration.operator()) ? actual > bound : actual < bound;
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
