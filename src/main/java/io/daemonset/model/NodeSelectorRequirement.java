package io.daemonset.model;

import java.util.List;

/** operator: In, NotIn, Exists, DoesNotExist, Gt, Lt. */
public record NodeSelectorRequirement(String key, String operator, List<String> values) {

  public List<String> valuesOrEmpty() {
    return values == null ? List.of() : values;
  }
}
