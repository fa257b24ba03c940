package io.daemonset.agent;

import io.daemonset.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one container's readiness (or liveness): the first probe once initialDelaySeconds have passed since the
 * container started, then every periodSeconds; each result goes through {@link ProbeState}; a change of the outcome
 * is reported to the listener. A probe still running when the next is due is not overlapped. Readiness starts as
 * Failure, liveness as Success (upstream's initial values), so a liveness listener hears false once failureThreshold
 * probes in a row have failed.
 */
final class ReadinessWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessWorker.class);

  private final Probe probe;
  private final Probes.Target target;
  private final Executor probeExecutor;
  private final Consumer<Boolean> onChange;
  private final String name;
  private final ScheduledFuture<?> ticks;
  private ProbeState state;
  private boolean probing;
  private volatile boolean stopped;
  private volatile Runnable onFailureThreshold = () -> { };

  ReadinessWorker(String name, Probe probe, Probes.Target target, Instant containerStartedAt, Clock clock,
                  ScheduledExecutorService scheduler, Executor probeExecutor, Consumer<Boolean> onChange) {
    this(name, probe, target, containerStartedAt, clock, scheduler, probeExecutor, onChange, ProbeState.initial());
  }

  ReadinessWorker(String name, Probe probe, Probes.Target target, Instant containerStartedAt, Clock clock,
                  ScheduledExecutorService scheduler, Executor probeExecutor, Consumer<Boolean> onChange,
                  ProbeState initial) {
    this.state = initial;
    this.name = name;
    this.probe = probe;
    this.target = target;
    this.probeExecutor = probeExecutor;
    this.onChange = onChange;
    long sinceStart = Duration.between(containerStartedAt, clock.instant()).toMillis();
    long firstDelay = Math.max(0, probe.initialDelaySecondsOrDefault() * 1000L - sinceStart);
    long period = Math.max(1, probe.periodSecondsOrDefault()) * 1000L;
    this.ticks = scheduler.scheduleAtFixedRate(this::tick, firstDelay, period, TimeUnit.MILLISECONDS);
  }

  /** Also told each time a run of failures reaches failureThreshold (a startup probe's verdict). */
  ReadinessWorker onFailureThreshold(Runnable listener) {
    this.onFailureThreshold = listener;
    return this;
  }

  synchronized boolean ready() {
    return state.ready();
  }

  void stop() {
    stopped = true;
    ticks.cancel(false);
  }

  private void tick() {
    synchronized (this) {
      if (probing || stopped) {
        return;
      }
      probing = true;
    }
    try {
      probeExecutor.execute(this::probeOnce);
    } catch (RuntimeException e) {
      synchronized (this) {
        probing = false;
      }
    }
  }

  private void probeOnce() {
    Probes.Result result = Probes.run(probe, target);
    boolean changed;
    boolean ready;
    boolean thresholdReached;
    synchronized (this) {
      probing = false;
      if (stopped) {
        return;
      }
      boolean before = state.ready();
      state = state.next(result.success(), probe.successThresholdOrDefault(), probe.failureThresholdOrDefault());
      ready = state.ready();
      changed = before != ready;
      thresholdReached = !result.success() && state.run() == Math.max(1, probe.failureThresholdOrDefault());
    }
    if (!result.success()) {
      LOG.debug("probe of {} failed: {}", name, result.message());
    }
    if (changed) {
      LOG.info("{}: probe outcome now {}", name, ready ? "success" : "failure");
      onChange.accept(ready);
    }
    if (thresholdReached) {
      onFailureThreshold.run();
    }
  }
}
