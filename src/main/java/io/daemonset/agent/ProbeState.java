package io.daemonset.agent;

/**
 * The readiness a probe worker reports, from a run of results, as upstream's prober worker: a result that repeats
 * the last one extends the run, another starts a new run of 1; the reported readiness changes only when a run of
 * successes reaches successThreshold or a run of failures reaches failureThreshold. A container starts unready
 * (readiness probes' initial value is Failure).
 *
 * @param ready what is reported
 * @param last the last result, null before the first probe
 * @param run how many times in a row {@code last} came
 */
public record ProbeState(boolean ready, Boolean last, int run) {

  public static ProbeState initial() {
    return new ProbeState(false, null, 0);
  }

  public ProbeState next(boolean success, int successThreshold, int failureThreshold) {
    int nextRun = last != null && last == success ? run + 1 : 1;
    boolean belowThreshold = success ? nextRun < Math.max(1, successThreshold) : nextRun < Math.max(1, failureThreshold);
    return new ProbeState(belowThreshold ? ready : success, success, nextRun);
  }
}
