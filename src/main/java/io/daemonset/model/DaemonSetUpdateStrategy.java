package io.daemonset.model;

/** type is RollingUpdate or OnDelete. */
public record DaemonSetUpdateStrategy(String type, RollingUpdateDaemonSet rollingUpdate) {

  public static final String ROLLING_UPDATE = "RollingUpdate";
  public static final String ON_DELETE = "OnDelete";

  public boolean isRollingUpdate() {
    return ROLLING_UPDATE.equals(type);
  }
}
