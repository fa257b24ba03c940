package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Pod affinity; only nodeAffinity affects daemon pod placement. */
public record Affinity(NodeAffinity nodeAffinity, JsonNode podAffinity, JsonNode podAntiAffinity) {
  public Affinity {
    podAffinity = Json.absentIfNull(podAffinity);
    podAntiAffinity = Json.absentIfNull(podAntiAffinity);
  }
}
