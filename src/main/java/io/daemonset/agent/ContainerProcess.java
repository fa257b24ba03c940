package io.daemonset.agent;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of the process runtime: its command as a host process in the container's directory, stdout and
 * stderr appended to its log file, restarted per the pod's restartPolicy after the kubelet's crash backoff, with
 * its readiness probe.
 * <p>States (all guarded by the pod's lock): not started; running (a process handle); exited (terminated, and
 * either restarting now, waiting out a backoff as CrashLoopBackOff, or staying down per restartPolicy); not
 * runnable (no command: the process runtime runs commands, not images; never started, never Ready); stopping.
 * <p>Invariants: at most one process per container at any time (a restart happens only after the previous process
 * exited and only from the exit handler or the backoff timer, never both: the timer is cleared when it fires);
 * nothing restarts once stopping; nothing starts before the pod is confirmed (so an adopted pod that is no longer
 * bound to this node is never restarted).
 * <p>An init container runs to completion: it is restarted (with the same backoff) only when it failed, unless
 * restartPolicy is Never, and its success lets the pod start the next one ({@link ProcessRuntime.PodProcesses}).
 */
final class ContainerProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerProcess.class);
  static final String NOT_RUNNABLE = "ImageNotRunnable";

  private final ProcessRuntime.PodProcesses owner;
  private final Container spec;
  private final boolean init;
  /** How soon a container waiting for a missing ConfigMap or Secret looks again. */
  static final Duration CONFIG_RETRY = Duration.ofSeconds(2);
  /**
   * How long a container that exited and must wait out a backoff is shown terminated (Error) before it is shown
   * waiting in CrashLoopBackOff: the kubelet's status shows the exit until its next sync (PLEG relists every second).
   */
  static final Duration EXIT_REPORTED_FOR = Duration.ofSeconds(1);
  private final Path dir;
  private final Path log;

  private ProcessHandle handle;
  private long processStartMillis;
  private long lastPid;
  private Instant startedAt;
  private int restartCount;
  private ContainerState.Terminated terminated;
  private ContainerState.Terminated lastTermination;
  private ContainerState.Waiting waiting;
  private CrashBackoff backoff = CrashBackoff.none();
  private ScheduledFuture<?> restartTimer;
  private ReadinessWorker readiness;
  private ReadinessWorker liveness;
  private ReadinessWorker startup;
  /** Whether the startup probe (if any) of the running process has succeeded: until then no other probe runs. */
  private boolean startupSucceeded;
  private boolean everStarted;
  private boolean stopping;
  private ExecContext execContext;

  /** Where the running container's process runs: what {@code kubectl exec} runs a command in. */
  record ExecContext(Map<String, String> env, Path workingDir) {}

  ContainerProcess(ProcessRuntime.PodProcesses owner, Container spec, boolean init) {
    this.owner = owner;
    this.spec = spec;
    this.init = init;
    this.dir = owner.dir().resolve(spec.name());
    this.log = owner.dir().resolve(spec.name() + ".log");
  }

  String name() {
    return spec.name();
  }

  Path logFile() {
    return log;
  }

  /** The log of the container's previous run (kubectl logs --previous), moved aside when it restarted. */
  Path previousLogFile() {
    return log.resolveSibling(spec.name() + ".previous.log");
  }

  /** The container's process while it runs (the root of the tree its usage is measured over). */
  java.util.Optional<ProcessHandle> runningProcess() {
    synchronized (owner.lock()) {
      return handle != null && handle.isAlive() ? java.util.Optional.of(handle) : java.util.Optional.empty();
    }
  }

  /** The environment and working directory of the container's process, while it runs. */
  java.util.Optional<ExecContext> execContext() {
    synchronized (owner.lock()) {
      return handle != null && handle.isAlive() ? java.util.Optional.ofNullable(execContext)
          : java.util.Optional.empty();
    }
  }

  /** An init container that ran to completion (exit code 0). */
  boolean succeeded() {
    synchronized (owner.lock()) {
      return handle == null && terminated != null && Integer.valueOf(0).equals(terminated.exitCode());
    }
  }

  /** Stamps the lines the container wrote since the last look with {@code now} ({@link LogTimes}). */
  void stampLog(Instant now) {
    try {
      LogTimes.catchUp(log, now);
    } catch (IOException e) {
      LOG.debug("cannot stamp the log of container {} of pod {}: {}", spec.name(), owner.key(), e.toString());
    }
  }

  /** Whether the container has run at all (running, or exited once). */
  boolean hasRun() {
    synchronized (owner.lock()) {
      return handle != null || terminated != null || lastTermination != null;
    }
  }

  boolean runnable() {
    return spec.command() != null && !spec.command().isEmpty();
  }

  // ---- recovery

  /** Takes over what a previous agent recorded: adopts the process if it is still the one recorded. */
  void recover(RuntimeRecord.Container record) {
    synchronized (owner.lock()) {
      restartCount = record.restartCount();
      lastTermination = record.lastTermination();
      terminated = record.terminated();
      backoff = record.backoff() == null ? CrashBackoff.none() : record.backoff();
      startedAt = record.startedAt();
      lastPid = record.pid();
      everStarted = record.startedAt() != null || record.terminated() != null;
      if (record.pid() > 0) {
        ProcessHandle found = ProcessTree.find(record.pid(), record.processStartMillis()).orElse(null);
        if (found != null) {
          LOG.info("adopting container {} of pod {}: pid {}", spec.name(), owner.key(), found.pid());
          handle = found;
          processStartMillis = record.processStartMillis();
          startReadiness();
          found.onExit().thenAccept(h -> exited(h, null));
        } else {
          terminated = new ContainerState.Terminated(null, null, "ContainerStatusUnknown",
              "the process (pid " + record.pid() + ") ended while the agent was down; its exit code is unknown",
              record.startedAt(), owner.runtime().clock().instant(), containerId(record.pid()));
        }
      }
    }
  }

  RuntimeRecord.Container record() {
    synchronized (owner.lock()) {
      return new RuntimeRecord.Container(handle == null ? 0 : handle.pid(), handle == null ? 0 : processStartMillis,
          startedAt, restartCount, terminated, lastTermination, backoff);
    }
  }

  // ---- lifecycle

  /** The pod is (still) bound here: start the container if it never ran, restart it if it is down and may. */
  void confirm() {
    synchronized (owner.lock()) {
      if (stopping || handle != null || restartTimer != null) {
        return;
      }
      if (!everStarted) {
        start();
      } else if (terminated != null) {
        restartPerPolicy();
      }
    }
  }

  /** Stops the process tree (SIGTERM, SIGKILL after grace). Completes when it is gone. */
  CompletableFuture<Void> stop(Duration grace) {
    ProcessHandle h;
    synchronized (owner.lock()) {
      stopping = true;
      if (restartTimer != null) {
        restartTimer.cancel(false);
        restartTimer = null;
      }
      stopReadiness();
      if (waiting != null && !NOT_RUNNABLE.equals(waiting.reason())) {
        waiting = null;
      }
      h = handle;
    }
    owner.changed();
    if (h == null) {
      return CompletableFuture.completedFuture(null);
    }
    LOG.info("stopping container {} of pod {} (pid {}, grace {} s)", spec.name(), owner.key(), h.pid(),
        grace.toSeconds());
    return ProcessTree.terminate(h, grace, owner.runtime().scheduler());
  }

  /** Stops probing and timers only (the agent is shutting down and leaves the process for its successor). */
  void detach() {
    synchronized (owner.lock()) {
      stopping = true;
      handle = null;
      if (restartTimer != null) {
        restartTimer.cancel(false);
        restartTimer = null;
      }
      stopReadiness();
    }
  }

  private void start() {
    Pod pod = owner.pod();
    everStarted = true;
    Instant now = owner.runtime().clock().instant();
    if (!runnable()) {
      waiting = new ContainerState.Waiting(NOT_RUNNABLE, "the process runtime runs a container's command as a host "
          + "process; it cannot run image " + (spec.image() == null ? "(none)" : "\"" + spec.image() + "\"")
          + " without one: set command");
      owner.changed();
      return;
    }
    Optional<String> unresolved = PodConfig.missingReference(pod, spec, owner.runtime().configLookup());
    if (unresolved.isPresent()) {
      waitForConfig(unresolved.get());
      return;
    }
    Map<String, String> fromObjects;
    try {
      // resolved again to be used: an object deleted in between still makes the container wait
      fromObjects = PodConfig.environment(pod, spec, owner.runtime().configLookup());
      owner.writeVolumes();
    } catch (PodConfig.Missing missing) {
      waitForConfig(missing.getMessage());
      return;
    }
    Map<String, String> env = ContainerEnv.variables(pod, spec, owner.runtime().settings().hostIP(), fromObjects);
    List<String> commandLine = ContainerEnv.commandLine(spec, env);
    try {
      owner.linkMounts(spec, dir);
      Files.createDirectories(dir);
      Path cwd = spec.workingDir() == null || spec.workingDir().isEmpty() ? dir : dir.resolve(spec.workingDir());
      Files.createDirectories(cwd);
      ProcessBuilder builder = new ProcessBuilder(commandLine)
          .directory(cwd.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      execContext = new ExecContext(java.util.Collections.unmodifiableMap(new java.util.HashMap<>(env)), cwd);
      handle = process.toHandle();
      processStartMillis = ProcessTree.startMillis(handle);
      lastPid = handle.pid();
      startedAt = now;
      waiting = null;
      terminated = null;
      LOG.info("started container {} of pod {}: pid {} {}", spec.name(), owner.key(), handle.pid(), commandLine);
      ProcessHandle started = handle;
      process.onExit().thenAccept(p -> exited(started, p.exitValue()));
      startReadiness();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot start container {} of pod {}: {}", spec.name(), owner.key(), e.getMessage());
      terminated = new ContainerState.Terminated(128, null, "StartError", String.valueOf(e.getMessage()), null, now,
          null);
      restartPerPolicy();
    }
    owner.save();
    owner.changed();
  }

  /**
   * A referenced ConfigMap, Secret or key is missing: wait as CreateContainerConfigError and try again shortly, as
   * the kubelet's sync loop does (called with the lock held).
   */
  private void waitForConfig(String message) {
    everStarted = false;
    waiting = new ContainerState.Waiting("CreateContainerConfigError", message);
    restartTimer = owner.runtime().scheduler().schedule(() -> {
      synchronized (owner.lock()) {
        restartTimer = null;
        if (!stopping && handle == null) {
          start();
        }
      }
    }, CONFIG_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    owner.changed();
  }

  private void exited(ProcessHandle which, Integer exitCode) {
    synchronized (owner.lock()) {
      if (handle == null || handle.pid() != which.pid()) {
        return;
      }
      Instant now = owner.runtime().clock().instant();
      handle = null;
      stopReadiness();
      stampLog(now);
      String reason = exitCode == null ? "ContainerStatusUnknown" : exitCode == 0 ? "Completed" : "Error";
      String message = exitCode == null ? "the process was adopted after an agent restart; its exit code is unknown"
          : null;
      terminated = new ContainerState.Terminated(exitCode, null, reason, message, startedAt, now,
          containerId(which.pid()));
      LOG.info("container {} of pod {} exited ({})", spec.name(), owner.key(), exitCode == null ? "code unknown"
          : exitCode);
      if (!stopping && owner.confirmed()) {
        restartPerPolicy();
      }
      owner.save();
    }
    owner.changed();
  }

  /** Called with the lock held and the container down: restart now, after a backoff, or never. */
  private void restartPerPolicy() {
    String policy = owner.pod().spec().restartPolicy() == null ? "Always" : owner.pod().spec().restartPolicy();
    Integer code = terminated == null ? null : terminated.exitCode();
    boolean restart = switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> code == null || code != 0;
      default -> !init || code == null || code != 0;
    };
    if (init && code != null && code == 0 && !stopping) {
      owner.initCompleted();
      return;
    }
    if (!restart || stopping) {
      return;
    }
    ProcessRuntime.Settings settings = owner.runtime().settings();
    Instant finishedAt = terminated.finishedAt();
    Instant now = owner.runtime().clock().instant();
    Duration wait = backoff.delayAfter(finishedAt, settings.backoffMax())
        .minus(Duration.between(finishedAt, now));
    if (wait.isNegative() || wait.isZero()) {
      restartNow();
    } else if (wait.compareTo(EXIT_REPORTED_FOR) > 0) {
      // the exit (Error) is what the pod shows until the kubelet's next sync finds the container backing off
      Instant restartAt = now.plus(wait);
      restartTimer = owner.runtime().scheduler().schedule(() -> {
        synchronized (owner.lock()) {
          restartTimer = null;
          if (!stopping) {
            backOffUntil(restartAt);
          }
        }
        owner.changed();
      }, EXIT_REPORTED_FOR.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      backOffUntil(now.plus(wait));
    }
  }

  /** Waits as CrashLoopBackOff, then restarts (lock held). */
  private void backOffUntil(Instant restartAt) {
    waiting = new ContainerState.Waiting("CrashLoopBackOff", "back-off " + Flags.format(backoff.backoff())
        + " restarting failed container=" + spec.name() + " pod=" + owner.pod().metadata().name() + "_"
        + owner.pod().metadata().namespace() + "(" + owner.pod().metadata().uid() + ")");
    Duration left = Duration.between(owner.runtime().clock().instant(), restartAt);
    restartTimer = owner.runtime().scheduler().schedule(() -> {
      synchronized (owner.lock()) {
        restartTimer = null;
        if (!stopping) {
          restartNow();
        }
      }
    }, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void restartNow() {
    try {
      // each run has its own log, as a kubelet keeps the last terminated one for --previous
      if (Files.exists(log)) {
        LogTimes.moveAside(log, previousLogFile(), owner.runtime().clock().instant());
      }
    } catch (IOException e) {
      LOG.warn("cannot keep the previous log of container {} of pod {}: {}", spec.name(), owner.key(),
          e.getMessage());
    }
    ProcessRuntime.Settings settings = owner.runtime().settings();
    backoff = backoff.restarted(terminated.finishedAt(), settings.backoffBase(), settings.backoffMax());
    lastTermination = terminated;
    restartCount++;
    start();
  }

  /**
   * Probing of the process just started (called with the lock held): its startup probe first, if it has one
   * (failureThreshold failures in a row kill it, as a failed liveness probe does); then readiness and liveness.
   */
  private void startReadiness() {
    startupSucceeded = spec.startupProbe() == null;
    if (!startupSucceeded) {
      ProcessHandle probed = handle;
      Probes.Target target = new Probes.Target("127.0.0.1", spec, dir,
          ContainerEnv.variables(owner.pod(), spec, owner.runtime().settings().hostIP()));
      startup = new ReadinessWorker(owner.key() + "/" + spec.name() + " startup", spec.startupProbe(), target,
          startedAt == null ? owner.runtime().clock().instant() : startedAt, owner.runtime().clock(),
          owner.runtime().scheduler(), owner.runtime().probeExecutor(), succeeded -> {
            if (succeeded) {
              startedUp(probed);
            }
          }).onFailureThreshold(() -> livenessFailed(probed, "startup"));
      return;
    }
    startProbesAfterStartup();
  }

  /** The startup probe succeeded: it stops, and readiness and liveness probing begin. */
  private void startedUp(ProcessHandle probed) {
    synchronized (owner.lock()) {
      if (stopping || handle == null || probed == null || handle.pid() != probed.pid() || startupSucceeded) {
        return;
      }
      startupSucceeded = true;
      if (startup != null) {
        startup.stop();
        startup = null;
      }
      startProbesAfterStartup();
    }
    owner.changed();
  }

  private void startProbesAfterStartup() {
    if (spec.readinessProbe() == null && spec.livenessProbe() == null) {
      return;
    }
    Pod pod = owner.pod();
    Probes.Target target = new Probes.Target("127.0.0.1", spec, dir,
        ContainerEnv.variables(pod, spec, owner.runtime().settings().hostIP()));
    Instant started = startedAt == null ? owner.runtime().clock().instant() : startedAt;
    if (spec.readinessProbe() != null) {
      readiness = new ReadinessWorker(owner.key() + "/" + spec.name() + " readiness", spec.readinessProbe(), target,
          started, owner.runtime().clock(), owner.runtime().scheduler(), owner.runtime().probeExecutor(),
          ready -> owner.changed());
    }
    if (spec.livenessProbe() != null) {
      ProcessHandle probed = handle;
      liveness = new ReadinessWorker(owner.key() + "/" + spec.name() + " liveness", spec.livenessProbe(), target,
          started, owner.runtime().clock(), owner.runtime().scheduler(), owner.runtime().probeExecutor(),
          alive -> {
            if (!alive) {
              livenessFailed(probed, "liveness");
            }
          }, new ProbeState(true, null, 0));
    }
  }

  /**
   * failureThreshold liveness probes in a row failed: the kubelet kills the container (with the pod's grace
   * period) and restartPolicy restarts it, counting in restartCount and backing off as after any exit.
   */
  private void livenessFailed(ProcessHandle probed, String probe) {
    ProcessHandle h;
    synchronized (owner.lock()) {
      if (stopping || handle == null || probed == null || handle.pid() != probed.pid()) {
        return;
      }
      h = handle;
      stopReadiness();
    }
    Long graceSeconds = owner.pod().spec().terminationGracePeriodSeconds();
    Duration grace = Duration.ofSeconds(graceSeconds == null ? 30 : graceSeconds);
    LOG.info("container {} of pod {} failed its {} probe: killing it (pid {}, grace {} s)", spec.name(),
        owner.key(), probe, h.pid(), grace.toSeconds());
    ProcessTree.terminate(h, grace, owner.runtime().scheduler());
  }

  private void stopReadiness() {
    if (readiness != null) {
      readiness.stop();
      readiness = null;
    }
    if (liveness != null) {
      liveness.stop();
      liveness = null;
    }
    if (startup != null) {
      startup.stop();
      startup = null;
    }
  }

  // ---- status

  ContainerStatus status() {
    synchronized (owner.lock()) {
      ContainerState state;
      if (handle != null) {
        state = new ContainerState(null, new ContainerState.Running(startedAt), null);
      } else if (waiting != null) {
        state = new ContainerState(waiting, null, null);
      } else if (terminated != null) {
        state = new ContainerState(null, null, terminated);
      } else {
        // kubelet's default waiting reason: PodInitializing for init containers and while they run
        state = new ContainerState(new ContainerState.Waiting(init || owner.hasInitContainers() ? "PodInitializing"
            : "ContainerCreating", null), null, null);
      }
      boolean started = !init && handle != null && (spec.startupProbe() == null || startupSucceeded);
      boolean ready = init ? handle == null && terminated != null && Integer.valueOf(0).equals(terminated.exitCode())
          : started && (spec.readinessProbe() == null || (readiness != null && readiness.ready()));
      ContainerState last = lastTermination == null ? new ContainerState(null, null, null)
          : new ContainerState(null, null, lastTermination);
      return new ContainerStatus(spec.name(), state, last, ready, restartCount,
          spec.image() == null ? "" : spec.image(), "", lastPid > 0 ? containerId(lastPid) : null, started);
    }
  }

  private static String containerId(long pid) {
    return "process://" + pid;
  }
}
