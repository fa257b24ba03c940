package io.daemonset.rollout;

import java.util.Objects;

/**
 * Why the planner wants a pod created or deleted, for the audit trail: a stable kind that events can
 * be filtered by, and a human detail ("revision 5d4f8c9b7, 2 of 5 nodes updated, maxUnavailable 1").
 */
public record Reason(Kind kind, String detail) {

  /** Stable names: they are journaled, so rename none of them. */
  public enum Kind {
    /** manage: an eligible node has no daemon pod. */
    NODE_NEEDS_POD,
    /** manage: the node no longer tolerates or selects the pod (NoExecute taint, label removed…). */
    NODE_NO_LONGER_ELIGIBLE,
    /** manage: the node has left the cluster; its pods can only be removed. */
    NODE_GONE,
    /** manage: a Failed pod is deleted (per-node backoff) so that a fresh one replaces it. */
    FAILED_POD_REPLACED,
    /** manage: a pod that ran to completion is removed; a daemon pod should never complete. */
    SUCCEEDED_POD_REMOVED,
    /** manage: more pods on a node than allowed; all but the oldest (per revision when surging) go. */
    DUPLICATE_POD,
    /** rolling update without surge: an old pod that is not available anyway is replaced at once. */
    ROLLING_UPDATE_REPLACE_UNAVAILABLE,
    /** rolling update without surge: an available old pod is replaced within maxUnavailable. */
    ROLLING_UPDATE,
    /** rolling update with surge: a new pod beside an available old one, within maxSurge. */
    SURGE_NEW_POD,
    /** rolling update with surge: a new pod beside an old one that is unavailable, at once. */
    SURGE_REPLACE_UNAVAILABLE,
    /** rolling update with surge: the old pod goes because the new one beside it took over. */
    SURGE_OLD_POD_RETIRED
  }

  public Reason {
    Objects.requireNonNull(kind, "kind");
    detail = detail == null ? "" : detail;
  }

  public static Reason of(Kind kind, String detail) {
    return new Reason(kind, detail);
  }

  @Override
  public String toString() {
    return detail.isEmpty() ? kind.name() : kind + " (" + detail + ")";
  }
}
