package io.daemonset.model;

import java.time.Instant;

/** core/v1 Event, derived from the journal so that kubectl describe and get events explain what happened. */
public record Event(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ObjectReference involvedObject,
    String reason,
    String message,
    EventSource source,
    Instant firstTimestamp,
    Instant lastTimestamp,
    Integer count,
    String type,
    String reportingComponent,
    String reportingInstance) {

  /** Which component reported the event, and from where. */
  public record EventSource(String component, String host) {}
}
