package io.daemonset.model;

import java.util.List;

/** One matchExpressions entry: operator is In, NotIn, Exists or DoesNotExist. */
public record LabelSelectorRequirement(String key, String operator, List<String> values) {

  public List<String> valuesOrEmpty() {
    return values == null ? List.of() : values;
  }
}
