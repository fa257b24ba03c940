package io.daemonset.agent;

import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.model.SharedParts;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's pod workers, as the kubelet's syncPod / status manager: turns what the pod watch says into runtime
 * actions and what the runtime says into pod status reports.
 * <ul>
 *   <li>A pod bound to this node, not being deleted, not already terminal: the runtime runs it.</li>
 *   <li>A pod with a deletionTimestamp: stopped within its grace period (deletionGracePeriodSeconds, else
 *       terminationGracePeriodSeconds, else 30 s), then confirmed with DELETE gracePeriodSeconds=0 and a uid
 *       precondition (retried until the API answers), then forgotten.</li>
 *   <li>A pod the runtime holds that the API no longer has (deleted outright, or gone while the agent was down):
 *       stopped within its grace period and forgotten, nothing to confirm.</li>
 *   <li>Status: whenever the runtime signals a change, the pod's status is computed, its conditions keep their
 *       transition times, and it is PUT to pods/status unless equal to the last one reported. At most one report per
 *       pod is in flight; a change meanwhile is reported after it; a failed report is retried after a backoff.</li>
 * </ul>
 * Invariants: a pod name is never run under two uids at once (a new uid starts only once the old one is stopped and
 * forgotten); a pod being terminated is never (re)started; the agent never deletes a pod it was not told to delete.
 */
public final class PodManager implements PodWatch.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(PodManager.class);
  private static final Duration RETRY_MIN = Duration.ofMillis(500);
  private static final Duration RETRY_MAX = Duration.ofSeconds(30);

  private final String nodeName;
  private final ApiClient client;
  private final PodRuntime runtime;
  private final ScheduledExecutorService scheduler;

  /** Latest API object of each pod bound here, by key. */
  private final Map<String, Pod> pods = new HashMap<>();
  /** Last status successfully reported (or, after a restart, as the API had it), by key. */
  private final Map<String, PodStatus> reported = new HashMap<>();
  private final Set<String> terminating = new HashSet<>();
  private final Set<String> reporting = new HashSet<>();
  /** The status of the report in flight, by key (its watch event may come before its answer). */
  private final Map<String, PodStatus> sending = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private volatile boolean closed;

  public PodManager(String nodeName, ApiClient client, PodRuntime runtime, ScheduledExecutorService scheduler) {
    this.nodeName = nodeName;
    this.client = client;
    this.runtime = runtime;
    this.scheduler = scheduler;
    runtime.onChange(this::changed);
  }

  public String nodeName() {
    return nodeName;
  }

  public PodRuntime runtime() {
    return runtime;
  }

  /** The pods bound here as last seen from the API. */
  public synchronized List<Pod> pods() {
    return List.copyOf(pods.values());
  }

  // ---- from the watch

  @Override
  public synchronized void replace(List<Pod> list) {
    Map<String, Pod> listed = new HashMap<>();
    for (Pod pod : list) {
      if (nodeName.equals(pod.spec() == null ? null : pod.spec().nodeName())) {
        listed.put(PodRuntime.key(pod), pod);
      }
    }
    Set<String> known = new HashSet<>(pods.keySet());
    known.addAll(runtime.pods().keySet());
    for (String key : known) {
      if (!listed.containsKey(key)) {
        gone(key);
      }
    }
    listed.values().forEach(this::upsert);
  }

  @Override
  public synchronized void event(String type, Pod pod) {
    if ("DELETED".equals(type)) {
      String key = PodRuntime.key(pod);
      Pod current = pods.get(key);
      if (current == null || current.metadata().uid().equals(pod.metadata().uid())) {
        gone(key);
      }
    } else if (nodeName.equals(pod.spec() == null ? null : pod.spec().nodeName())) {
      upsert(pod);
    }
  }

  private void upsert(Pod sent) {
    String key = PodRuntime.key(sent);
    String uid = sent.metadata().uid();
    Pod kept = pods.get(key);
    // the watch sends a whole new copy for each status report: keep what did not change as held already (a spec per
    // version and pod was a fifth of a 50,000-pod benchmark's heap, fleet and server in one JVM)
    Pod pod = kept != null && kept.metadata().uid().equals(uid)
        ? SharedParts.pod(kept, sent, reported.get(key)) : sent;
    Pod before = pods.put(key, pod);
    boolean echo = isEcho(before, pod, key);
    if (before == null && pod.status() != null && !reported.containsKey(key)) {
      reported.put(key, normalize(pod.status()));
    } else if (pod.status() != null && !reporting.contains(key) && readyDiffers(reported.get(key), pod.status())) {
      // Someone else changed the Ready condition (the control plane's MarkPodsNotReady while this node was
      // unreachable): as kubelet's status manager reconciles the API's status with its own, report again (the
      // changed() below compares the runtime's status with the API's now).
      reported.put(key, normalize(pod.status()));
      echo = false;
    }
    String held = runtime.pods().get(key);
    if (held != null && !held.equals(uid)) {
      // the name now stands for another pod: stop the old one first, then take this one on
      if (terminating.add(key)) {
        LOG.info("pod {} was replaced (uid {} -> {}): stopping the old one", key, held, uid);
        runtime.stop(key, Duration.ofSeconds(grace(before != null ? before : pod))).whenComplete((v, e) -> {
          synchronized (this) {
            runtime.forget(key);
            terminating.remove(key);
            reported.remove(key);
            Pod now = pods.get(key);
            if (now != null) {
              upsert(now);
            }
          }
        });
      }
      return;
    }
    if (terminating.contains(key)) {
      return;
    }
    if (pod.metadata().deletionTimestamp() != null) {
      terminate(pod);
      return;
    }
    if (held == null && pod.status() != null
        && ("Succeeded".equals(pod.status().phase()) || "Failed".equals(pod.status().phase()))) {
      return; // a terminal pod is not started again
    }
    runtime.ensureRunning(pod);
    if (!echo || held == null) { // a pod the runtime starts only now has a status to report
      changed(key);
    }
  }

  /**
   * The watch's event of this agent's own report (or of one already reported): nothing the runtime computes from
   * has changed (same pod, same spec: the runtime tells of its own changes through {@link #changed}), so computing
   * the status again would only find it equal to the one reported. Every report came back so, and each such
   * comparison cost a status computation and its normalisation through JSON.
   */
  private boolean isEcho(Pod before, Pod pod, String key) {
    PodStatus status = pod.status();
    return before != null && status != null && before.metadata().uid().equals(pod.metadata().uid())
        && Objects.equals(before.spec(), pod.spec())
        && (status.equals(reported.get(key)) || status.equals(sending.get(key)));
  }

  /** The API no longer has the pod: stop what runs of it, nothing to confirm. */
  private void gone(String key) {
    Pod pod = pods.remove(key);
    reported.remove(key);
    dirty.remove(key);
    if (terminating.contains(key) || !runtime.pods().containsKey(key)) {
      return;
    }
    terminating.add(key);
    Pod held = pod != null ? pod : runtime.held(key);
    long grace = held != null ? grace(held) : 30;
    LOG.info("pod {} is no longer bound to {}: stopping it (grace {} s)", key, nodeName, grace);
    runtime.stop(key, Duration.ofSeconds(grace)).whenComplete((v, e) -> {
      synchronized (this) {
        runtime.forget(key);
        terminating.remove(key);
        Pod again = pods.get(key);
        if (again != null) {
          upsert(again);
        }
      }
    });
  }

  /** Graceful deletion: stop within the grace period, then confirm to the API. */
  private void terminate(Pod pod) {
    String key = PodRuntime.key(pod);
    terminating.add(key);
    long grace = grace(pod);
    LOG.info("pod {} is being deleted: stopping it (grace {} s)", key, grace);
    runtime.stop(key, Duration.ofSeconds(grace))
        .whenComplete((v, e) -> confirmDeleted(pod, 0));
  }

  private void confirmDeleted(Pod pod, int attempt) {
    if (closed) {
      return;
    }
    String key = PodRuntime.key(pod);
    client.confirmPodDeleted(pod.metadata().namespace(), pod.metadata().name(), pod.metadata().uid())
        .whenComplete((v, e) -> {
          if (e != null) {
            Duration wait = backoff(attempt);
            LOG.warn("cannot confirm the deletion of pod {}: {}; again in {} ms", key, e.getMessage(), wait.toMillis());
            schedule(() -> confirmDeleted(pod, attempt + 1), wait);
            return;
          }
          synchronized (this) {
            runtime.forget(key);
            terminating.remove(key);
            reported.remove(key);
            Pod now = pods.get(key);
            if (now != null && now.metadata().uid().equals(pod.metadata().uid())) {
              pods.remove(key);
            } else if (now != null) {
              upsert(now);
            }
          }
        });
  }

  static long grace(Pod pod) {
    Long g = pod.metadata().deletionGracePeriodSeconds();
    if (g == null && pod.spec() != null) {
      g = pod.spec().terminationGracePeriodSeconds();
    }
    return g == null ? 30 : Math.max(0, g);
  }

  // ---- status reports

  private static boolean readyDiffers(PodStatus reported, PodStatus api) {
    return reported != null && !java.util.Objects.equals(readyOf(reported), readyOf(api));
  }

  private static String readyOf(PodStatus status) {
    return status.conditionsOrEmpty().stream().filter(c -> PodStatuses.READY.equals(c.type()))
        .map(io.daemonset.model.PodCondition::status).findFirst().orElse(null);
  }

  /** The runtime says the pod's status may have changed. */
  private synchronized void changed(String key) {
    if (closed) {
      return;
    }
    dirty.add(key);
    if (!reporting.contains(key)) {
      report(key);
    }
  }

  private void report(String key) {
    dirty.remove(key);
    Pod pod = pods.get(key);
    if (pod == null || terminating.contains(key)) {
      return;
    }
    PodStatus computed = runtime.status(pod);
    if (computed == null) {
      return;
    }
    PodStatus previous = reported.get(key);
    PodStatus status = normalize(PodStatuses.keepTransitions(previous, computed));
    if (status.equals(previous)) {
      return;
    }
    reporting.add(key);
    sending.put(key, status);
    // Without the spec: pods/status takes the status only (upstream's status strategy keeps the stored spec, this
    // server keeps everything but the status), and the spec was most of what the agent encoded and the server
    // decoded for every report. The metadata stays, for its identity (name, namespace, uid).
    Pod body = pod.withSpec(null).withStatus(status).withMetadata(pod.metadata().withResourceVersion(null));
    client.updatePodStatus(body).whenComplete((answer, error) -> reported(key, pod, status, error));
  }

  private synchronized void reported(String key, Pod pod, PodStatus status, Throwable error) {
    reporting.remove(key);
    sending.remove(key);
    boolean stillWatched = isWatched(key, pod);
    if (error == null) {
      failures.remove(key);
      if (stillWatched) {
        reported.put(key, status);
      }
      if (dirty.contains(key)) {
        report(key);
      }
      return;
    }
    ApiError api = ApiError.of(error);
    if (api != null && api.isNotFound() && !stillWatched) {
      return; // the pod is gone, and the watch said so
    }
    // A 404 for a pod the watch still shows is not the end: the node that holds it may be recovering (a database
    // outage). Dropping the report there left a pod Pending for ever; as kubelet's status manager does, report again
    // until the status is taken or the watch says the pod is gone.
    int n = failures.merge(key, 1, Integer::sum);
    Duration wait = backoff(n - 1);
    LOG.warn("cannot report the status of pod {}: {}; again in {} ms", key, error.getMessage(), wait.toMillis());
    dirty.add(key);
    reporting.add(key);
    schedule(() -> {
      synchronized (this) {
        reporting.remove(key);
        if (dirty.contains(key)) {
          report(key);
        }
      }
    }, wait);
  }

  /** Whether the watch still shows this pod (the same uid under its key). */
  private boolean isWatched(String key, Pod pod) {
    Pod now = pods.get(key);
    return now != null && now.metadata().uid().equals(pod.metadata().uid());
  }

  /** As the API will store it (times in seconds), so that equal statuses compare equal. */
  private static PodStatus normalize(PodStatus status) {
    return PodStatuses.inSeconds(status);
  }

  private void schedule(Runnable r, Duration wait) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(r, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private static Duration backoff(int attempt) {
    long base = RETRY_MIN.toMillis() << Math.min(attempt, 10);
    long capped = Math.min(base, RETRY_MAX.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** Stops reporting; the runtime is closed by its owner. */
  public void close() {
    closed = true;
  }

  /** For tests and the fleet: completes when every report in flight has been answered. */
  synchronized boolean idle() {
    return reporting.isEmpty() && dirty.isEmpty();
  }
}
