package io.daemonset.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little of label-selector matching that validation needs ("does the selector select its own template?").
 * Placement owns the full matcher; this stays private to the model so the model depends on nothing above it.
 */
final class Selectors {
  private Selectors() {}

  /**
   * upstream LabelSelectorAsSelector then Matches: empty if the selector is malformed (upstream skips the check
   * then); a null selector selects nothing, an empty one everything.
   */
  static Optional<Boolean> matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return Optional.of(false);
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    boolean all = true;
    for (Map.Entry<String, String> e : selector.matchLabelsOrEmpty().entrySet()) {
      if (!NameRules.labelKey(e.getKey()).isEmpty() || e.getValue() == null
          || !NameRules.labelValue(e.getValue()).isEmpty()) {
        return Optional.empty();
      }
      all &= e.getValue().equals(l.get(e.getKey()));
    }
    for (LabelSelectorRequirement r : selector.matchExpressionsOrEmpty()) {
      List<String> values = r.valuesOrEmpty();
      String op = r.operator() == null ? "" : r.operator();
      if (r.key() == null || !NameRules.labelKey(r.key()).isEmpty()
          || values.stream().anyMatch(v -> v == null || !NameRules.labelValue(v).isEmpty())) {
        return Optional.empty();
      }
      switch (op) {
        case "In" -> {
          if (values.isEmpty()) {
            return Optional.empty();
          }
          all &= l.containsKey(r.key()) && values.contains(l.get(r.key()));
        }
        case "NotIn" -> {
          if (values.isEmpty()) {
            return Optional.empty();
          }
          all &= !l.containsKey(r.key()) || !values.contains(l.get(r.key()));
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            return Optional.empty();
          }
          all &= l.containsKey(r.key()) == op.equals("Exists");
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(all);
  }

  /** upstream's semantic equality: a missing map or list equals an empty one. */
  static boolean semanticallyEqual(LabelSelector a, LabelSelector b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.matchLabelsOrEmpty().equals(b.matchLabelsOrEmpty())
        && a.matchExpressionsOrEmpty().size() == b.matchExpressionsOrEmpty().size()
        && java.util.stream.IntStream.range(0, a.matchExpressionsOrEmpty().size()).allMatch(i -> {
          LabelSelectorRequirement x = a.matchExpressionsOrEmpty().get(i);
          LabelSelectorRequirement y = b.matchExpressionsOrEmpty().get(i);
          return java.util.Objects.equals(x.key(), y.key()) && java.util.Objects.equals(x.operator(), y.operator())
              && x.valuesOrEmpty().equals(y.valuesOrEmpty());
        });
  }
}
