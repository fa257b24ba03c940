package io.daemonset.model;

import java.time.Instant;

/**
 * When, who and why: carried by every persisted event so that an audit can explain each pod.
 * actor is the authenticated user ("admin", "system:node:n1") or "daemonset-controller";
 * reason is a human sentence ("node n7: label ssd removed", "rollout of revision 3: step 2").
 */
public record Cause(Instant at, String actor, String reason) {

  public static final String CONTROLLER = "daemonset-controller";

  public static Cause byController(Instant at, String reason) {
    return new Cause(at, CONTROLLER, reason);
  }

  public static Cause byUser(Instant at, String user, String reason) {
    return new Cause(at, user, reason);
  }

  public Cause because(String newReason) {
    return new Cause(at, actor, newReason);
  }
}
