package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.daemonset.model.Json;
import io.daemonset.model.KubeList;
import io.daemonset.model.Pod;
import io.daemonset.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reflector for pods: list, then watch from the list's resourceVersion; on 410 Gone list again; on a lost
 * connection watch again from the last resourceVersion seen, after a backoff that doubles (with jitter) up to a
 * maximum; a watch that ends normally (the server's timeoutSeconds) is renewed at once.
 * <p>Invariants: the sink sees {@link Sink#replace} with the complete set after every list, then every event after
 * that list's resourceVersion exactly once per watch, in order, on this watch's one thread. A watch that stays silent
 * for longer than its timeout plus a margin is presumed dead (a half-open connection) and closed.
 */
public final class PodWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWatch.class);

  /** Where pods go. Called on the watch thread only. */
  public interface Sink {
    /** The complete set of pods after a list. */
    void replace(List<Pod> pods);

    /** One change: ADDED, MODIFIED or DELETED. */
    void event(String type, Pod pod);
  }

  private final ApiClient client;
  private final String fieldSelector;
  private final Sink sink;
  private final ScheduledExecutorService scheduler;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Thread thread;
  private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile InputStream current;
  private volatile long lastActivity = System.nanoTime();
  private volatile int lists;
  private volatile int pages;
  private volatile int watches;
  private final int pageSize;
  /** Reads the current watch's stream (one watch at a time, so one thread). */
  private final ExecutorService readers;
  /** Decodes its events, in parallel when more than one. */
  private final ExecutorService decoders;

  public PodWatch(ApiClient client, String fieldSelector, Sink sink, ScheduledExecutorService scheduler,
                  Duration minBackoff, Duration maxBackoff, String name) {
    this(client, fieldSelector, sink, scheduler, minBackoff, maxBackoff, name, PAGE, 1);
  }

  /**
   * With {@code decoders} threads decoding the watch's events (the hollow fleet's one watch carries every pod's
   * events; a node's own watch, few).
   */
  public PodWatch(ApiClient client, String fieldSelector, Sink sink, ScheduledExecutorService scheduler,
                  Duration minBackoff, Duration maxBackoff, String name, int pageSize, int decoders) {
    this.pageSize = pageSize;
    this.client = client;
    this.fieldSelector = fieldSelector;
    this.sink = sink;
    this.scheduler = scheduler;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.readers = Executors.newSingleThreadExecutor(DaemonThreads.named(name + "-read"));
    this.decoders = Executors.newFixedThreadPool(Math.max(1, decoders), DaemonThreads.named(name + "-decode"));
  }


  public PodWatch start() {
    thread.start();
    return this;
  }

  /** Completes after the first successful list has been handed to the sink. */
  public CompletableFuture<Void> firstSync() {
    return firstSync;
  }

  /** How many list pages have been read, over every list. */
  int pages() {
    return pages;
  }

  /** How many watch requests have been made (the first, then one per renewal or reconnection). */
  public int watches() {
    return watches;
  }

  /** How many lists have been made (the first, then one per 410 Gone). */
  public int lists() {
    return lists;
  }

  private void run() {
    String resourceVersion = null;
    Duration backoff = minBackoff;
    while (running) {
      try {
        if (resourceVersion == null) {
          Listed listed = list();
          sink.replace(listed.pods());
          lists++;
          resourceVersion = listed.resourceVersion();
          firstSync.complete(null);
        }
        resourceVersion = watch(resourceVersion);
        backoff = minBackoff;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        ApiError api = ApiError.of(e instanceof ExecutionException ? e.getCause() : e);
        if (api != null && api.isGone()) {
          LOG.info("pod watch ({}): resourceVersion {} is too old, listing again", label(), resourceVersion);
          resourceVersion = null;
          continue;
        }
        LOG.warn("pod watch ({}) lost: {}; retrying in {} ms", label(), e.getMessage() == null ? e : e.getMessage(),
            backoff.toMillis());
        if (!sleep(jitter(backoff))) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
  }

  /** Pods per list page. */
  static final int PAGE = 500;

  private record Listed(List<Pod> pods, String resourceVersion) {}

  /**
   * The list in pages of {@link #PAGE}, as client-go's reflector lists: a whole fleet's list was one response of
   * ~2 KB per pod (112 MB at 55,000 pods), rendered, encrypted and read as one piece, and the server's TLS stage kept
   * the last such piece after sending it (docs/performance.md, "mem9"). The pages are one consistent list (the
   * continue token carries its resourceVersion); a token too old answers 410, and the caller lists again.
   */
  private Listed list() throws Exception {
    List<Pod> pods = new java.util.ArrayList<>();
    String token = null;
    String resourceVersion;
    do {
      KubeList<Pod> page = client.listPods(fieldSelector, pageSize, token).get();
      pages++;
      if (page.items() != null) {
        pods.addAll(page.items());
      }
      resourceVersion = page.metadata() == null ? null : page.metadata().resourceVersion();
      token = page.metadata() == null ? null : page.metadata().continueToken();
    } while (token != null && !token.isEmpty());
    return new Listed(pods, resourceVersion);
  }

  /** One watch request; returns the resourceVersion to continue from, or null to list again. */
  private String watch(String resourceVersion) throws IOException, InterruptedException {
    int timeoutSeconds = ThreadLocalRandom.current().nextInt(300, 600);
    String rv = resourceVersion;
    InputStream in = client.watchPods(fieldSelector, rv, timeoutSeconds);
    watches++;
    current = in;
    long opened = System.nanoTime();
    lastActivity = opened;
    int seen = 0;
    long idleLimit = TimeUnit.SECONDS.toNanos(timeoutSeconds + 30L);
    ScheduledFuture<?> watchdog = scheduler.scheduleWithFixedDelay(() -> {
      if (System.nanoTime() - lastActivity > idleLimit) {
        LOG.warn("pod watch ({}) silent for {} s, reconnecting", label(), timeoutSeconds + 30);
        closeQuietly(in);
      }
    }, 30, 30, TimeUnit.SECONDS);
    BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(FRAMES);
    AtomicBoolean stop = new AtomicBoolean();
    try (in) {
      readers.execute(() -> read(in, frames, stop));
      while (running) {
        Frame frame = frames.take();
        if (frame.failure() != null) {
          throw frame.failure();
        }
        if (frame.event() == null) {
          break; // the stream ended
        }
        Event event = decoded(frame.event());
        if (event == null) {
          continue; // not an event (the old tree reader ignored it too)
        }
        seen++;
        switch (event.type()) {
          case "ERROR" -> {
            Status status = Json.mapper().treeToValue(event.tree(), Status.class);
            if (status != null && status.code() != null && status.code() == 410) {
              throw new ApiError(410, status, "watch pods");
            }
            throw new IOException("watch error: " + (status == null ? event.tree() : status.message()));
          }
          case "BOOKMARK" -> rv = event.tree().path("metadata").path("resourceVersion").asText(rv);
          case "ADDED", "MODIFIED", "DELETED" -> {
            Pod pod = event.pod();
            if (pod.metadata() != null && pod.metadata().resourceVersion() != null) {
              rv = pod.metadata().resourceVersion();
            }
            sink.event(event.type(), pod);
          }
          default -> LOG.debug("pod watch ({}): ignoring event type {}", label(), event.type());
        }
      }
      long lasted = System.nanoTime() - opened;
      if (running && lasted < TimeUnit.SECONDS.toNanos(timeoutSeconds) - TimeUnit.SECONDS.toNanos(5)) {
        // Before its timeout: the server ended it, as it ends a watch that falls too far behind its changes
        // (api.WatchRoute's buffer); each such end costs a new watch (a scan of the resource on the server).
        LOG.info("pod watch ({}) ended by the server after {} events in {} ms; watching again from {}", label(),
            seen, TimeUnit.NANOSECONDS.toMillis(lasted), rv);
      }
      return rv;
    } finally {
      stop.set(true);
      watchdog.cancel(false);
      current = null;
    }
  }

  /** Read-ahead of one watch: at most this many events read and not yet handed to the sink. */
  static final int FRAMES = 512;

  /** One item of the read-ahead: an event being decoded, the stream's failure, or (neither) its end. */
  private record Frame(CompletableFuture<Event> event, IOException failure) {
    static final Frame END = new Frame(null, null);
  }

  /**
   * The reader of one watch (on {@link #readers}): cuts the stream into events and has them decoded on
   * {@link #decoders}, in the order read. Reading apart from decoding and from the sink keeps the server's buffer for
   * this watch drained: the fleet's one watch, read, decoded and acted on by one thread, fell more than the server's
   * buffer (api.WatchRoute, 1,000 events) behind its 10,000 events in a 5,000-node converge and was ended and
   * restarted six times, each new watch getting 1,000 events (docs/performance.md, ready9).
   */
  private void read(InputStream in, BlockingQueue<Frame> frames, AtomicBoolean stop) {
    JsonFrames values = new JsonFrames(in);
    try {
      for (byte[] value = values.next(); value != null; value = values.next()) {
        lastActivity = System.nanoTime();
        byte[] bytes = value;
        if (!put(frames, new Frame(CompletableFuture.supplyAsync(() -> decode(bytes), decoders), null), stop)) {
          return;
        }
      }
      put(frames, Frame.END, stop);
    } catch (IOException e) {
      put(frames, new Frame(null, e), stop);
    } catch (RuntimeException e) {
      put(frames, new Frame(null, new IOException(e)), stop);
    }
  }

  /** Waits for room, unless the watch has ended meanwhile (its loop takes nothing more). */
  private static boolean put(BlockingQueue<Frame> frames, Frame frame, AtomicBoolean stop) {
    try {
      while (!stop.get()) {
        if (frames.offer(frame, 100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** One value of the stream: an event, or null for anything else (a value that is not an object). */
  private static Event decode(byte[] value) {
    try (JsonParser p = Json.mapper().createParser(value)) {
      return p.nextToken() == JsonToken.START_OBJECT ? event(p) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Event decoded(CompletableFuture<Event> event) throws IOException, InterruptedException {
    try {
      return event.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    }
  }

  /** A watch event: its type, and its object as a Pod (a pod event) or as a tree (anything else). */
  private record Event(String type, Pod pod, JsonNode tree) {}

  /**
   * Reads one event, the parser on its START_OBJECT. The server writes "type" before "object", so a pod event's
   * object is decoded straight into a Pod: a tree first, then the Pod from the tree, cost the fleet's watch twice
   * (4% of a 1,000-node converge). An object before its type (another server) is kept as a tree and converted.
   */
  private static Event event(JsonParser p) throws IOException {
    String type = "";
    Pod pod = null;
    JsonNode tree = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = p.getValueAsString("");
      } else if (field.equals("object") && isPodEvent(type)) {
        pod = p.currentToken() == JsonToken.VALUE_NULL ? null : Json.mapper().readValue(p, Pod.class);
      } else if (field.equals("object")) {
        tree = Json.mapper().readTree(p);
      } else {
        p.skipChildren();
      }
    }
    if (pod == null && tree != null && isPodEvent(type)) {
      pod = Json.mapper().treeToValue(tree, Pod.class);
    }
    return new Event(type, pod, tree);
  }

  private static boolean isPodEvent(String type) {
    return type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED");
  }

  private String label() {
    return fieldSelector == null ? "all pods" : fieldSelector;
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return running;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration jitter(Duration d) {
    return Duration.ofMillis((long) (d.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // the reader sees the failure and reconnects
    }
  }

  @Override
  public void close() {
    running = false;
    InputStream in = current;
    if (in != null) {
      closeQuietly(in);
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.shutdownNow();
    decoders.shutdownNow();
  }
}
