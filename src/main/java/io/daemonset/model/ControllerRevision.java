package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;

/** apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's template and its revision number. */
public record ControllerRevision(String apiVersion, String kind, ObjectMeta metadata, JsonNode data, long revision) {

  public static final String KIND = "ControllerRevision";
}
