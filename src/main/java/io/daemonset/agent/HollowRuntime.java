package io.daemonset.agent;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodReferences;
import io.daemonset.model.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The hollow runtime (like kubemark's hollow kubelet): runs nothing. A pod's containers are ContainerCreating, then
 * after the ready delay Running and Ready, or Running and never Ready, or terminated with exit code 1 and the pod
 * Failed, as {@link HollowBehavior} decides. Stopping is immediate. One instance per hollow node; the scheduler is
 * shared by the whole fleet.
 * <p>Given ConfigMaps and Secrets ({@link #useConfigFrom}), a pod that references a missing one (or a missing key)
 * waits with CreateContainerConfigError, looked at again every {@link ContainerProcess#CONFIG_RETRY}, as the process
 * runtime's containers do ({@link PodConfig#missingReference}, the decision both take); its ready delay starts once
 * everything it references exists. Init containers complete at once.
 */
public final class HollowRuntime extends HeldPods<HollowRuntime.HollowPod> {
  private final HollowBehavior behavior;
  private final Map<String, String> nodeLabels;
  private final String hostIP;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  /** Where ConfigMaps and Secrets come from; null: references are not checked. */
  private volatile PodConfig.Lookup configLookup;

  public HollowRuntime(HollowBehavior behavior, Map<String, String> nodeLabels, String hostIP,
                       ScheduledExecutorService scheduler, Clock clock) {
    this.behavior = behavior;
    this.nodeLabels = Map.copyOf(nodeLabels);
    this.hostIP = hostIP;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** A pod this runtime pretends to run. Mutable fields are guarded by the instance. */
  static final class HollowPod {
    final Pod pod;
    final Instant startTime;
    final HollowBehavior.Fate fate;
    final Duration readyDelay;
    Instant settledAt;
    Instant stoppedAt;
    /** The missing ConfigMap, Secret or key the pod waits for (CreateContainerConfigError), or null. */
    String configError;
    ScheduledFuture<?> timer;

    HollowPod(Pod pod, Instant startTime, HollowBehavior.Fate fate, Duration readyDelay) {
      this.pod = pod;
      this.startTime = startTime;
      this.fate = fate;
      this.readyDelay = readyDelay;
    }
  }

  @Override
  protected Pod podOf(HollowPod record) {
    return record.pod;
  }

  /** Checks the ConfigMaps and Secrets pods reference from now on (before, none is checked). */
  public void useConfigFrom(PodConfig.Lookup lookup) {
    this.configLookup = lookup;
  }

  @Override
  public void ensureRunning(Pod pod) {
    String key = PodRuntime.key(pod);
    PodConfig.Lookup lookup = configLookup;
    boolean references = lookup != null && pod.spec() != null
        && !(PodReferences.configMaps(pod.spec()).isEmpty() && PodReferences.secrets(pod.spec()).isEmpty());
    pods.computeIfAbsent(key, k -> {
      Instant adoptedSince = runningSince(pod);
      Instant start = adoptedSince != null && pod.status().startTime() != null ? pod.status().startTime()
          : clock.instant();
      HollowPod p = newPod(pod, start);
      if (adoptedSince != null) {
        // a restarted fleet takes over what it pretended before, as it was reported
        p.settledAt = adoptedSince;
        return p;
      }
      if (references) {
        // looking the objects up may wait on the API: on the timer thread, not in this map's lock
        p.configError = "";
        schedule(p, () -> checkReferences(key, p, lookup), Duration.ZERO);
        return p;
      }
      begin(key, p, p.startTime);
      return p;
    });
  }

  /** The pod may wait for what it references no longer: its containers start (and settle after the ready delay). */
  private void begin(String key, HollowPod p, Instant startedAt) {
    Runnable settle = () -> {
      synchronized (p) {
        if (p.stoppedAt == null) {
          p.settledAt = clock.instant();
        }
      }
      changed(key);
      scheduleRestarts(key, p);
    };
    if (p.readyDelay.isZero()) {
      synchronized (p) {
        p.settledAt = startedAt;
      }
      scheduleRestarts(key, p);
    } else {
      schedule(p, settle, p.readyDelay);
    }
  }

  /** Starts the pod once every ConfigMap, Secret and key it references exists; until then it waits, saying which. */
  private void checkReferences(String key, HollowPod p, PodConfig.Lookup lookup) {
    java.util.Optional<String> missing = java.util.Optional.empty();
    for (Container c : allContainers(p.pod)) {
      missing = PodConfig.missingReference(p.pod, c, lookup);
      if (missing.isPresent()) {
        break;
      }
    }
    String before;
    synchronized (p) {
      if (p.stoppedAt != null) {
        return;
      }
      before = p.configError;
      p.configError = missing.orElse(null);
    }
    if (missing.isPresent()) {
      schedule(p, () -> checkReferences(key, p, lookup), ContainerProcess.CONFIG_RETRY);
    } else {
      begin(key, p, clock.instant());
    }
    if (!java.util.Objects.equals(before, missing.orElse(null))) {
      changed(key);
    }
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> all = new java.util.ArrayList<>();
    if (pod.spec().initContainers() != null) {
      all.addAll(pod.spec().initContainers());
    }
    all.addAll(pod.spec().containersOrEmpty());
    return all;
  }

  /** The fate the pod's template gives it on this node for its revision, else the one the hollow node decides. */
  private HollowPod newPod(Pod pod, Instant start) {
    Map<String, String> annotations = pod.metadata().annotations() == null ? Map.of() : pod.metadata().annotations();
    Map<String, String> labels = pod.metadata().labels() == null ? Map.of() : pod.metadata().labels();
    String node = pod.spec() == null || pod.spec().nodeName() == null ? "" : pod.spec().nodeName();
    var templateFate = HollowFate.parse(annotations.get(HollowFate.ANNOTATION))
        .filter(f -> f.appliesTo(node, nodeLabels, labels.getOrDefault("controller-revision-hash", "")));
    if (templateFate.isEmpty()) {
      return new HollowPod(pod, start, behavior.fate(pod.metadata().name(), nodeLabels), behavior.readyDelay());
    }
    HollowFate f = templateFate.get();
    return switch (f.kind()) {
      case CRASH_LOOP -> new HollowPod(pod, start, HollowBehavior.Fate.CRASH_LOOP, behavior.readyDelay());
      case NEVER_READY -> new HollowPod(pod, start, HollowBehavior.Fate.NEVER_READY, behavior.readyDelay());
      case READY_AFTER -> new HollowPod(pod, start, HollowBehavior.Fate.READY, f.readyAfter());
    };
  }

  /** A crash-looping pod's status changes at every restart: tell the reporter then. */
  private void scheduleRestarts(String key, HollowPod p) {
    Instant settled;
    synchronized (p) {
      settled = p.settledAt;
      if (p.fate != HollowBehavior.Fate.CRASH_LOOP || settled == null || p.stoppedAt != null) {
        return;
      }
    }
    Instant now = clock.instant();
    Instant next = HollowFate.nextRestartAt(settled, HollowFate.restartsBy(settled, now) + 1);
    schedule(p, () -> {
      changed(key);
      scheduleRestarts(key, p);
    }, Duration.between(now, next));
  }

  private void schedule(HollowPod p, Runnable task, Duration delay) {
    try {
      synchronized (p) {
        p.timer = scheduler.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** When the pod's containers started, if the API already has it running (or failed) from an earlier run. */
  private static Instant runningSince(Pod pod) {
    PodStatus status = pod.status();
    if (status == null || !("Running".equals(status.phase()) || "Failed".equals(status.phase()))
        || status.containerStatuses() == null) {
      return null;
    }
    return status.containerStatuses().stream()
        .map(c -> c.state() == null ? null : c.state().running() != null ? c.state().running().startedAt()
            : c.state().terminated() != null ? c.state().terminated().startedAt() : null)
        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  @Override
  public CompletableFuture<Void> stop(String podKey, Duration grace) {
    HollowPod p = pods.get(podKey);
    if (p != null) {
      synchronized (p) {
        if (p.timer != null) {
          p.timer.cancel(false);
        }
        if (p.stoppedAt == null) {
          p.stoppedAt = clock.instant();
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void forget(String podKey) {
    pods.remove(podKey);
  }

  @Override
  public PodStatus status(Pod pod) {
    HollowPod p = recordOf(pod);
    if (p == null) {
      return null;
    }
    Instant settled;
    Instant stopped;
    String configError;
    synchronized (p) {
      settled = p.settledAt;
      stopped = p.stoppedAt;
      configError = p.configError;
    }
    List<Container> containers = pod.spec().containersOrEmpty();
    Instant now = clock.instant();
    if (configError != null && stopped == null) {
      return waitingForConfig(pod, p, configError.isEmpty() ? null : configError);
    }
    List<ContainerStatus> statuses = containers.stream()
        .map(c -> p.fate == HollowBehavior.Fate.CRASH_LOOP && settled != null && stopped == null
            ? crashLooping(pod, c, settled, now) : containerStatus(pod, c, p.fate, settled, stopped)).toList();
    boolean failed = settled != null && p.fate == HollowBehavior.Fate.FAIL;
    boolean crashLooping = settled != null && stopped == null && p.fate == HollowBehavior.Fate.CRASH_LOOP;
    return PodStatuses.build(pod, initStatuses(pod, p.startTime), statuses, failed ? "Failed" : crashLooping ? "Running" : null, failed ? "HollowFailure" : null,
        failed ? "this hollow node was told to fail this pod" : null, p.startTime, hostIP, hostIP, clock.instant());
  }

  /**
   * A pod waiting for what it references: the first container (an init container if it has some) waits with
   * CreateContainerConfigError (ContainerCreating until the first look), the others PodInitializing if there are init
   * containers, as the process runtime shows it.
   */
  private PodStatus waitingForConfig(Pod pod, HollowPod p, String message) {
    boolean inits = pod.spec().initContainers() != null && !pod.spec().initContainers().isEmpty();
    List<Container> all = allContainers(pod);
    List<ContainerStatus> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Container c = all.get(i);
      ContainerState.Waiting waiting = i > 0 && inits ? new ContainerState.Waiting("PodInitializing", null)
          : message == null ? new ContainerState.Waiting("ContainerCreating", null)
          : new ContainerState.Waiting("CreateContainerConfigError", message);
      statuses.add(new ContainerStatus(c.name(), new ContainerState(waiting, null, null),
          new ContainerState(null, null, null), false, 0, c.image() == null ? "" : c.image(), "", null, false));
    }
    int split = inits ? pod.spec().initContainers().size() : 0;
    return PodStatuses.build(pod, statuses.subList(0, split), statuses.subList(split, statuses.size()), null, null,
        null, p.startTime, hostIP, hostIP, clock.instant());
  }

  /** A hollow pod's init containers complete at once, when the pod starts. */
  private static List<ContainerStatus> initStatuses(Pod pod, Instant start) {
    if (pod.spec().initContainers() == null) {
      return List.of();
    }
    return pod.spec().initContainers().stream().map(c -> {
      String id = "hollow://" + pod.metadata().uid() + "/" + c.name();
      ContainerState done = new ContainerState(null, null,
          new ContainerState.Terminated(0, null, "Completed", null, start, start, id));
      return new ContainerStatus(c.name(), done, new ContainerState(null, null, null), true, 0,
          c.image() == null ? "" : c.image(), "hollow", id, false);
    }).toList();
  }

  /**
   * A daemon pod always restarts (restartPolicy Always): a container that exits at once is Running between restarts
   * only for an instant, and otherwise waits in CrashLoopBackOff with its last exit as lastState, as kubelet shows it.
   */
  private static ContainerStatus crashLooping(Pod pod, Container c, Instant settled, Instant now) {
    String id = "hollow://" + pod.metadata().uid() + "/" + c.name();
    String image = c.image() == null ? "" : c.image();
    int restarts = HollowFate.restartsBy(settled, now);
    Instant lastStart = HollowFate.nextRestartAt(settled, restarts);
    ContainerState waiting = new ContainerState(new ContainerState.Waiting("CrashLoopBackOff",
        "back-off restarting failed container " + c.name() + " in pod " + pod.metadata().name()), null, null);
    ContainerState last = new ContainerState(null, null,
        new ContainerState.Terminated(1, null, "Error", "hollow crash loop", lastStart, lastStart, id));
    return new ContainerStatus(c.name(), waiting, last, false, restarts, image, "hollow", id, false);
  }

  private static ContainerStatus containerStatus(Pod pod, Container c, HollowBehavior.Fate fate, Instant settled,
                                                 Instant stopped) {
    String id = "hollow://" + pod.metadata().uid() + "/" + c.name();
    String image = c.image() == null ? "" : c.image();
    ContainerState none = new ContainerState(null, null, null);
    if (settled == null) {
      ContainerState state = stopped != null
          ? new ContainerState(null, null, new ContainerState.Terminated(0, null, "Completed", null, null, stopped, null))
          : new ContainerState(new ContainerState.Waiting("ContainerCreating", null), null, null);
      return new ContainerStatus(c.name(), state, none, false, 0, image, "", null, false);
    }
    if (fate == HollowBehavior.Fate.FAIL) {
      ContainerState state = new ContainerState(null, null,
          new ContainerState.Terminated(1, null, "Error", "hollow failure", settled, settled, id));
      return new ContainerStatus(c.name(), state, none, false, 0, image, "hollow", id, false);
    }
    if (stopped != null) {
      ContainerState state = new ContainerState(null, null,
          new ContainerState.Terminated(0, null, "Completed", null, settled, stopped, id));
      return new ContainerStatus(c.name(), state, none, false, 0, image, "hollow", id, false);
    }
    ContainerState running = new ContainerState(null, new ContainerState.Running(settled), null);
    return new ContainerStatus(c.name(), running, none, fate == HollowBehavior.Fate.READY, 0, image, "hollow", id,
        true);
  }

  @Override
  public void close(boolean stopPods) {
    pods.values().forEach(p -> {
      synchronized (p) {
        if (p.timer != null) {
          p.timer.cancel(false);
        }
      }
    });
  }
}
