package io.daemonset.model;

import java.util.Map;

/** Resource requests (what admission reserves) and limits. */
public record ResourceRequirements(Map<String, Quantity> limits, Map<String, Quantity> requests) {

  public Map<String, Quantity> requestsOrEmpty() {
    return requests == null ? Map.of() : requests;
  }

  public Map<String, Quantity> limitsOrEmpty() {
    return limits == null ? Map.of() : limits;
  }
}
