package io.daemonset.model;

import java.time.Instant;

/** A node taint; effect is NoSchedule, PreferNoSchedule or NoExecute. */
public record Taint(String key, String value, String effect, Instant timeAdded) {

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  public static Taint of(String key, String value, String effect) {
    return new Taint(key, value, effect, null);
  }
}
