package io.daemonset.model;

import java.util.List;
import java.util.Map;

/** metav1.LabelSelector: the AND of matchLabels and matchExpressions. */
public record LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {

  public static LabelSelector ofLabels(Map<String, String> labels) {
    return new LabelSelector(labels, null);
  }

  public Map<String, String> matchLabelsOrEmpty() {
    return matchLabels == null ? Map.of() : matchLabels;
  }

  public List<LabelSelectorRequirement> matchExpressionsOrEmpty() {
    return matchExpressions == null ? List.of() : matchExpressions;
  }

  /** Upstream treats a selector with no requirements as selecting nothing for controllers. */
  public boolean isEmpty() {
    return matchLabelsOrEmpty().isEmpty() && matchExpressionsOrEmpty().isEmpty();
  }
}
