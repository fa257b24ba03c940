package io.daemonset.model;

import java.util.List;

/** The OR of node selector terms. */
public record NodeSelector(List<NodeSelectorTerm> nodeSelectorTerms) {

  public List<NodeSelectorTerm> termsOrEmpty() {
    return nodeSelectorTerms == null ? List.of() : nodeSelectorTerms;
  }
}
