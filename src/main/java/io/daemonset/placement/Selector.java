package io.daemonset.placement;

import io.daemonset.model.LabelSelector;
import io.daemonset.model.LabelSelectorRequirement;
import io.daemonset.placement.Requirement.Operator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A label selector: the AND of its requirements, as upstream's {@code labels.Selector}.
 *
 * <p>Invariants: requirements are sorted by key (stable), so equal queries give equal selectors and print the same;
 * {@code nothing()} has no requirements and matches no label set; an empty selector that is not {@code nothing()}
 * matches every label set. Construct through {@link #parse}, {@link #fromLabelSelector}, {@link #everything},
 * {@link #nothing} or {@link #of}.
 */
public record Selector(List<Requirement> requirements, boolean matchesNothing) {

  private static final Selector EVERYTHING = new Selector(List.of(), false);
  private static final Selector NOTHING = new Selector(List.of(), true);

  public Selector {
    List<Requirement> sorted = new ArrayList<>(requirements);
    sorted.sort(Comparator.comparing(Requirement::key));
    requirements = List.copyOf(sorted);
    if (matchesNothing && !requirements.isEmpty()) {
      throw new IllegalArgumentException("a selector that matches nothing has no requirements");
    }
  }

  /**
   * Parses label selector query syntax ({@code a=b,c!=d,env in (x,y),env notin (z),k,!k,n>1,n<9}).
   *
   * @throws SelectorParseException with upstream's message and the position of the problem
   */
  public static Selector parse(String query) {
    return new Selector(SelectorParser.parse(query == null ? "" : query), false);
  }

  /**
   * Upstream {@code metav1.LabelSelectorAsSelector}: null selects nothing, an empty selector selects everything,
   * matchLabels become {@code k=v} and matchExpressions In, NotIn, Exists, DoesNotExist.
   *
   * @throws SelectorParseException for another operator or an invalid key, value or value count
   */
  public static Selector fromLabelSelector(LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    if (selector.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (Map.Entry<String, String> e : selector.matchLabelsOrEmpty().entrySet()) {
      requirements.add(Requirement.of(e.getKey(), Operator.EQUALS, e.getValue()));
    }
    for (LabelSelectorRequirement expr : selector.matchExpressionsOrEmpty()) {
      Operator op = switch (expr.operator() == null ? "" : expr.operator()) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new SelectorParseException(
            "\"" + expr.operator() + "\" is not a valid label selector operator");
      };
      requirements.add(new Requirement(expr.key(), op, expr.valuesOrEmpty()));
    }
    return new Selector(requirements, false);
  }

  /** The AND of the given requirements; no requirements means everything. */
  public static Selector of(List<Requirement> requirements) {
    return new Selector(requirements, false);
  }

  public static Selector everything() {
    return EVERYTHING;
  }

  public static Selector nothing() {
    return NOTHING;
  }

  public boolean matches(Map<String, String> labels) {
    if (matchesNothing) {
      return false;
    }
    Map<String, String> set = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) {
      if (!r.matches(set)) {
        return false;
      }
    }
    return true;
  }

  /** True when the selector has no requirements and so matches everything (upstream {@code Empty()}). */
  public boolean isEmpty() {
    return !matchesNothing && requirements.isEmpty();
  }

  /**
   * Query syntax that {@link #parse} turns back into an equal selector. Like upstream, both everything and nothing
   * print as the empty string; use {@link #matchesNothing()} to tell them apart.
   */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }
}
