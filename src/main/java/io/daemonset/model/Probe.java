package io.daemonset.model;

/** A readiness, liveness or startup probe: exactly one of exec, httpGet, tcpSocket. */
public record Probe(
    ExecAction exec,
    HttpGetAction httpGet,
    TcpSocketAction tcpSocket,
    Integer initialDelaySeconds,
    Integer periodSeconds,
    Integer timeoutSeconds,
    Integer successThreshold,
    Integer failureThreshold,
    Long terminationGracePeriodSeconds) {

  public static Probe exec(java.util.List<String> command) {
    return new Probe(new ExecAction(command), null, null, null, null, null, null, null, null);
  }

  public int initialDelaySecondsOrDefault() {
    return initialDelaySeconds == null ? 0 : initialDelaySeconds;
  }

  public int periodSecondsOrDefault() {
    return periodSeconds == null ? 10 : periodSeconds;
  }

  public int timeoutSecondsOrDefault() {
    return timeoutSeconds == null ? 1 : timeoutSeconds;
  }

  public int successThresholdOrDefault() {
    return successThreshold == null ? 1 : successThreshold;
  }

  public int failureThresholdOrDefault() {
    return failureThreshold == null ? 3 : failureThreshold;
  }
}
