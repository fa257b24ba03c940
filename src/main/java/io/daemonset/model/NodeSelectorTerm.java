package io.daemonset.model;

import java.util.List;

/** The AND of label expressions and field expressions (metadata.name). */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions, List<NodeSelectorRequirement> matchFields) {

  public List<NodeSelectorRequirement> matchExpressionsOrEmpty() {
    return matchExpressions == null ? List.of() : matchExpressions;
  }

  public List<NodeSelectorRequirement> matchFieldsOrEmpty() {
    return matchFields == null ? List.of() : matchFields;
  }
}
