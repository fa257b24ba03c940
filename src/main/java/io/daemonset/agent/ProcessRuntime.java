package io.daemonset.agent;

import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process runtime (like Nomad's raw_exec): each container's command and args run as a host process with the
 * agent's environment plus the container's env, in {@code <work-dir>/pods/<ns>_<name>/<container>/}, output
 * appended to {@code <work-dir>/pods/<ns>_<name>/<container>.log}. Pods share the node's network: hostIP and podIP
 * are the node's address, probes go to 127.0.0.1.
 * <p>Every start and exit is recorded in the pod's {@link RuntimeRecord}; a new runtime on the same work dir adopts
 * the processes still running (same pid and start time) and does not restart any container until the agent
 * confirms that the pod is still bound here ({@link #ensureRunning}); the agent stops the others.
 */
public final class ProcessRuntime extends HeldPods<ProcessRuntime.PodProcesses> {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

  /**
   * @param workDir where pods' directories, logs and records live
   * @param hostIP the node's address, reported as hostIP and podIP
   * @param backoffBase the first crash backoff (kubelet: 10 s), doubling up to backoffMax (kubelet: 5 min)
   */
  public record Settings(Path workDir, String hostIP, Duration backoffBase, Duration backoffMax) {
    public static Settings defaults(Path workDir, String hostIP) {
      return new Settings(workDir, hostIP, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    public Settings withBackoff(Duration base, Duration max) {
      return new Settings(workDir, hostIP, base, max);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService probeExecutor;
  /** Where ConfigMaps and Secrets come from; without an API every referenced one is missing. */
  private volatile PodConfig.Lookup configLookup = NO_OBJECTS;
  private volatile ConfigCache configCache;
  static final PodConfig.Lookup NO_OBJECTS = new PodConfig.Lookup() {
    @Override
    public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String namespace, String name) {
      return Optional.empty();
    }
  };
  /** How often the lines containers wrote are stamped with the time ({@link LogTimes}). */
  static final Duration LOG_STAMP_PERIOD = Duration.ofMillis(200);
  /** How often mounted ConfigMaps and Secrets are refreshed from the API. */
  static final Duration CONFIG_REFRESH = Duration.ofSeconds(2);

  public ProcessRuntime(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, DaemonThreads.named("process-runtime"));
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
    this.probeExecutor = Executors.newCachedThreadPool(DaemonThreads.named("probe"));
    recover();
    scheduler.scheduleWithFixedDelay(this::stampLogs, LOG_STAMP_PERIOD.toMillis(), LOG_STAMP_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public Settings settings() {
    return settings;
  }

  /**
   * ConfigMaps and Secrets from the API: env and volumes of new containers, and every {@link #CONFIG_REFRESH} the
   * mounted files of running pods (environment variables keep their start-time values, as upstream).
   */
  public void useConfigFrom(ConfigCache cache) {
    this.configCache = cache;
    this.configLookup = cache;
    scheduler.scheduleWithFixedDelay(this::refreshConfig, CONFIG_REFRESH.toMillis(), CONFIG_REFRESH.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  PodConfig.Lookup configLookup() {
    return configLookup;
  }

  private void refreshConfig() {
    try {
      ConfigCache cache = configCache;
      if (cache != null) {
        cache.refresh();
      }
      pods.values().forEach(PodProcesses::refreshVolumes);
    } catch (RuntimeException e) {
      LOG.warn("refreshing mounted configuration failed: {}", e.toString());
    }
  }

  private void stampLogs() {
    Instant now = clock.instant();
    pods.values().forEach(p -> p.all().filter(c -> c.runningProcess().isPresent()).forEach(c -> c.stampLog(now)));
  }

  Clock clock() {
    return clock;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService probeExecutor() {
    return probeExecutor;
  }

  @Override
  protected Pod podOf(PodProcesses record) {
    return record.pod();
  }

  @Override
  public void ensureRunning(Pod pod) {
    String key = PodRuntime.key(pod);
    PodProcesses existing = pods.computeIfAbsent(key, k -> new PodProcesses(this, pod, clock.instant(), null));
    if (!existing.pod().metadata().uid().equals(pod.metadata().uid())) {
      LOG.warn("pod {} has uid {} but the runtime still holds uid {}", key, pod.metadata().uid(),
          existing.pod().metadata().uid());
      return;
    }
    existing.confirm();
  }

  @Override
  public CompletableFuture<Void> stop(String podKey, Duration grace) {
    PodProcesses p = pods.get(podKey);
    return p == null ? CompletableFuture.completedFuture(null) : p.stop(grace);
  }

  @Override
  public void forget(String podKey) {
    PodProcesses p = pods.get(podKey);
    if (p != null) {
      p.forget();
      deleteTree(p.dir());
      pods.remove(podKey, p);
    }
  }

  @Override
  public PodStatus status(Pod pod) {
    PodProcesses p = recordOf(pod);
    if (p == null) {
      return null;
    }
    return PodStatuses.build(pod, p.initContainerStatuses(), p.containerStatuses(), null, null, null, p.startTime(),
        settings.hostIP(), settings.hostIP(), clock.instant());
  }

  /** The log of the previous run of a container of a pod this runtime holds, if it restarted. */
  public Optional<Path> previousLogFile(String namespace, String pod, String container) {
    PodProcesses p = pods.get(namespace + "/" + pod);
    if (p == null) {
      return Optional.empty();
    }
    return p.all().filter(c -> c.name().equals(container)).map(ContainerProcess::previousLogFile)
        .filter(Files::exists).findFirst();
  }

  /** The log file of a container of a pod this runtime holds. */
  public Optional<Path> logFile(String namespace, String pod, String container) {
    PodProcesses p = pods.get(namespace + "/" + pod);
    if (p == null) {
      return Optional.empty();
    }
    return p.all().filter(c -> c.name().equals(container)).map(ContainerProcess::logFile)
        .filter(Files::exists).findFirst();
  }

  /** The running containers' processes: pod key (namespace/name) → container → root process. */
  public Map<String, Map<String, ProcessHandle>> runningContainers() {
    Map<String, Map<String, ProcessHandle>> running = new java.util.HashMap<>();
    pods.forEach((key, p) -> p.all().forEach(c -> c.runningProcess().ifPresent(handle ->
        running.computeIfAbsent(key, k -> new java.util.HashMap<>()).put(c.name(), handle))));
    return running;
  }

  /** Where a running container of a pod this runtime holds runs its process (for exec); empty if it does not run. */
  public Optional<ContainerProcess.ExecContext> execContext(String namespace, String pod, String container) {
    PodProcesses p = pods.get(namespace + "/" + pod);
    if (p == null) {
      return Optional.empty();
    }
    return p.all().filter(c -> c.name().equals(container)).findFirst()
        .flatMap(ContainerProcess::execContext);
  }

  @Override
  public void close(boolean stopPods) {
    if (stopPods) {
      List<CompletableFuture<Void>> stops = new ArrayList<>();
      for (PodProcesses p : pods.values()) {
        stops.add(p.stop(Duration.ofSeconds(p.gracePeriodSeconds())));
      }
      try {
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("not every pod stopped: {}", e.toString());
      }
    } else {
      pods.values().forEach(PodProcesses::detach);
    }
    scheduler.shutdownNow();
    probeExecutor.shutdownNow();
  }

  // ---- recovery

  private void recover() {
    Path root = settings.workDir().resolve("pods");
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        if (!Files.exists(dir.resolve(RuntimeRecord.FILE_NAME))) {
          continue;
        }
        try {
          RuntimeRecord record = RuntimeRecord.read(dir);
          PodProcesses p = new PodProcesses(this, record.pod(), record.podStartTime(), record);
          pods.put(p.key(), p);
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot read the record in {}: {}", dir, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!pods.isEmpty()) {
      LOG.info("recovered {} pod(s) from {}: {}", pods.size(), root, pods.keySet());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", dir, e.toString());
    }
  }


  /**
   * One pod: its init containers and containers, one lock for all of them, its record on disk. The init containers
   * run one at a time, in order, each to completion, before any container starts (kubelet's
   * computeInitContainerActions for restartPolicy Always, OnFailure and Never alike).
   */
  static final class PodProcesses {
    private final ProcessRuntime runtime;
    private final Pod pod;
    private final String key;
    private final Path dir;
    private final Instant startTime;
    private final List<ContainerProcess> initContainers = new ArrayList<>();
    private final List<ContainerProcess> containers = new ArrayList<>();
    private final Object lock = new Object();
    private boolean confirmed;
    private boolean forgotten;
    private CompletableFuture<Void> stopped;

    PodProcesses(ProcessRuntime runtime, Pod pod, Instant startTime, RuntimeRecord record) {
      this.runtime = runtime;
      this.pod = pod;
      this.key = PodRuntime.key(pod);
      this.dir = runtime.settings.workDir().resolve("pods")
          .resolve(pod.metadata().namespace() + "_" + pod.metadata().name());
      this.startTime = startTime;
      if (pod.spec().initContainers() != null) {
        pod.spec().initContainers().forEach(c -> initContainers.add(new ContainerProcess(this, c, true)));
      }
      pod.spec().containersOrEmpty().forEach(c -> containers.add(new ContainerProcess(this, c, false)));
      if (record != null) {
        for (ContainerProcess c : all().toList()) {
          RuntimeRecord.Container rc = record.containers() == null ? null : record.containers().get(c.name());
          if (rc != null) {
            c.recover(rc);
          }
        }
      } else {
        save();
      }
    }

    Object lock() {
      return lock;
    }

    /** Init containers first, then the containers. */
    Stream<ContainerProcess> all() {
      return Stream.concat(initContainers.stream(), containers.stream());
    }

    boolean hasInitContainers() {
      return !initContainers.isEmpty();
    }

    ProcessRuntime runtime() {
      return runtime;
    }

    Pod pod() {
      return pod;
    }

    String key() {
      return key;
    }

    Path dir() {
      return dir;
    }

    Instant startTime() {
      return startTime;
    }

    boolean confirmed() {
      synchronized (lock) {
        return confirmed;
      }
    }

    long gracePeriodSeconds() {
      Long g = pod.spec().terminationGracePeriodSeconds();
      return g == null ? 30 : g;
    }

    void confirm() {
      synchronized (lock) {
        if (stopped != null) {
          return;
        }
        confirmed = true;
        advance();
      }
    }

    /** An init container completed: the next one starts, or the containers once all have (lock held). */
    void initCompleted() {
      synchronized (lock) {
        if (stopped == null && confirmed && !forgotten) {
          advance();
        }
      }
    }

    /**
     * The first init container that has not completed runs (or is restarted per policy); when all have, the
     * containers. A container that has already started (an adopted pod) means the pod was initialized.
     */
    private void advance() {
      boolean initialized = containers.stream().anyMatch(ContainerProcess::hasRun);
      if (!initialized) {
        for (ContainerProcess init : initContainers) {
          if (!init.succeeded()) {
            init.confirm();
            return;
          }
        }
      }
      containers.forEach(ContainerProcess::confirm);
    }

    CompletableFuture<Void> stop(Duration grace) {
      synchronized (lock) {
        if (stopped == null) {
          List<CompletableFuture<Void>> all = all().map(c -> c.stop(grace)).toList();
          stopped = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
          stopped.thenRun(this::changed);
        }
        return stopped;
      }
    }

    void forget() {
      synchronized (lock) {
        forgotten = true;
      }
    }

    /** Leaves the processes running for the next agent: nothing is recorded or restarted from now on. */
    void detach() {
      synchronized (lock) {
        forgotten = true;
        all().forEach(ContainerProcess::detach);
      }
    }

    List<ContainerStatus> containerStatuses() {
      return containers.stream().map(ContainerProcess::status).toList();
    }

    List<ContainerStatus> initContainerStatuses() {
      return initContainers.stream().map(ContainerProcess::status).toList();
    }

    /**
     * The files of the pod's configMap, secret, downwardAPI and projected volumes, under volumes/NAME; an emptyDir is
     * an empty directory there, kept for the pod's life (what init containers hand to containers).
     */
    void writeVolumes() {
      if (pod.spec().volumes() == null) {
        return;
      }
      for (io.daemonset.model.Volume volume : pod.spec().volumes()) {
        if (volume.emptyDir() != null) {
          try {
            Files.createDirectories(dir.resolve("volumes").resolve(volume.name()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          continue;
        }
        if (volume.hostPath() != null && "DirectoryOrCreate".equals(volume.hostPath().type())) {
          try {
            Files.createDirectories(Path.of(volume.hostPath().path()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          continue;
        }
        Map<String, PodConfig.File> files = PodConfig.volumeFiles(pod, volume, runtime.configLookup());
        if (files != null) {
          try {
            if (AtomicWriter.write(dir.resolve("volumes").resolve(volume.name()), files)) {
              LOG.info("pod {}: volume {} written ({} files)", key, volume.name(), files.size());
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    /**
     * A host process has no root filesystem of its own: a mount at /etc/app appears at etc/app under the container's
     * directory (its working directory), a symlink to the volume (to the host's directory for a hostPath volume).
     * With a subPath the link points at that path inside the volume, created as a directory first when it does not
     * exist, as kubelet creates it. Unlike kubelet's bind mount, a subPath into a configMap or secret volume follows
     * the object's updates (a symlink cannot pin the old file).
     */
    void linkMounts(io.daemonset.model.Container container, Path containerDir) throws IOException {
      if (container.volumeMounts() == null) {
        return;
      }
      for (io.daemonset.model.VolumeMount mount : container.volumeMounts()) {
        Path volume = hostPath(mount.name()).orElse(dir.resolve("volumes").resolve(mount.name()));
        String relative = mount.mountPath().replaceFirst("^/+", "");
        if (!Files.isDirectory(volume) || relative.isEmpty()) {
          continue;
        }
        Path target = volume;
        if (mount.subPath() != null && !mount.subPath().isEmpty()) {
          target = volume.resolve(mount.subPath()).normalize();
          if (!target.startsWith(volume)) {
            continue; // validation refuses such a subPath; never link outside the volume
          }
          if (!Files.exists(target)) {
            Files.createDirectories(target);
          }
        }
        Path link = containerDir.resolve(relative).normalize();
        if (!link.startsWith(containerDir) || Files.isSymbolicLink(link)) {
          continue;
        }
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target.toAbsolutePath());
      }
    }

    private Optional<Path> hostPath(String volume) {
      return pod.spec().volumes() == null ? Optional.empty() : pod.spec().volumes().stream()
          .filter(v -> v.name().equals(volume) && v.hostPath() != null && v.hostPath().path() != null)
          .map(v -> Path.of(v.hostPath().path())).findFirst();
    }

    /** Rewrites the volumes with the objects' current data; a missing object keeps the files as they are. */
    void refreshVolumes() {
      synchronized (lock) {
        if (stopped != null || forgotten) {
          return;
        }
        try {
          writeVolumes();
        } catch (PodConfig.Missing | UncheckedIOException e) {
          LOG.debug("pod {}: volumes kept as they are: {}", key, e.getMessage());
        }
      }
    }

    /** Records the pod's state on disk (called with the lock held, after every start and exit). */
    void save() {
      synchronized (lock) {
        if (forgotten) {
          return;
        }
        Map<String, RuntimeRecord.Container> records = new LinkedHashMap<>();
        all().forEach(c -> records.put(c.name(), c.record()));
        new RuntimeRecord(pod, startTime, records).write(dir);
      }
    }

    /** Tells the runtime's listener, on another thread (never under this pod's lock). */
    void changed() {
      try {
        runtime.scheduler.execute(() -> runtime.changed(key));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }
}
