package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;

/** An environment variable; valueFrom is kept as JSON (this control plane has no ConfigMaps or Secrets). */
public record EnvVar(String name, String value, JsonNode valueFrom) {
  public EnvVar {
    valueFrom = Json.absentIfNull(valueFrom);
  }


  public static EnvVar of(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
