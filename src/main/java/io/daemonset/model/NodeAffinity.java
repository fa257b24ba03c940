package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Required terms decide eligibility; preferred ones do not matter to a DaemonSet. */
public record NodeAffinity(NodeSelector requiredDuringSchedulingIgnoredDuringExecution,
                           JsonNode preferredDuringSchedulingIgnoredDuringExecution) {
  public NodeAffinity {
    preferredDuringSchedulingIgnoredDuringExecution = Json.absentIfNull(preferredDuringSchedulingIgnoredDuringExecution);
  }
}
