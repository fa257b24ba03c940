package io.daemonset.view;

import io.daemonset.journal.JournalWrites;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One per JVM: the index of every API object, fed by tailing the journal ({@link JournalTail}), and the fan-out of
 * their changes to watchers. The journal's global ordering is the resourceVersion, so "watch from N" means
 * "changes from events after ordering N", and it resumes from any N still in the recent-changes window, which
 * keeps changes by age (as kube-apiserver's watch cache does), not by count.
 */
public final class ClusterView {
  /** How long and how many recent changes a watch can resume from; older resourceVersions get 410 Gone. */
  public record Window(Duration age, int maxChanges) {
    public static final Window DEFAULT = new Window(Duration.ofSeconds(75), 500_000);
  }

  private final ObjectIndex index;
  private final ArrayDeque<Recent> recent = new ArrayDeque<>();
  private final List<Consumer<WatchEvent>> watchers = new CopyOnWriteArrayList<>();
  private final Map<String, Long> sequenceNrs = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Window window;
  private final Executor replies;
  private volatile long lastOrdering;
  private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();
  private long caughtUpTarget = -1;
  private long windowStart;
  private JournalTail tail;

  record Waiter(String persistenceId, long sequenceNr, CompletableFuture<Long> done) {}

  private record Recent(WatchEvent change, long atNanos) {}

  /** The outcome of subscribing: the changes to replay first, or gone when the window no longer has them. */
  public record Subscription(boolean gone, Runnable cancel) {}

  /** The objects of one resource exactly as they were at resourceVersion. */
  public record Snapshot(long resourceVersion, Collection<StoredObject> objects) {}

  private record VersionWaiter(long resourceVersion, CompletableFuture<Long> done) {}

  private final List<VersionWaiter> versionWaiters = new ArrayList<>();

  ClusterView(ObjectIndex index, Window window, Executor replies) {
    this.index = index;
    this.window = window;
    this.replies = replies;
  }

  public static ClusterView start(ActorSystem<?> system, String tag) {
    var config = system.settings().config();
    Window window = config.hasPath("daemonset.view.watch-window")
        ? new Window(config.getDuration("daemonset.view.watch-window"),
            config.getInt("daemonset.view.watch-window-max-changes"))
        : Window.DEFAULT;
    Duration idle = config.hasPath("daemonset.view.idle-poll")
        ? config.getDuration("daemonset.view.idle-poll") : Duration.ofMillis(100);
    ClusterView view = new ClusterView(new ObjectIndex(new io.daemonset.objects.ObjectSealing(
        io.daemonset.journal.EncryptionKeys.get(system))), window, system.executionContext());
    // Where the journal ends now: until the view has applied that much, it is replaying history. The tail asks first
    // (again after a failure: a journal table not created yet on a slow start), or caughtUp would never complete.
    view.tail = new JournalTail(system, 0, ObjectIndex::isIndexed, view::applyRows, view::catchUpTo, idle,
        Duration.ofSeconds(5));
    JournalWrites.get(system).onWrite(view.tail::poke);
    view.tail.start();
    system.getWhenTerminated().thenRun(view.tail::close);
    return view;
  }

  public ObjectIndex index() {
    return index;
  }

  /** Completes once the view has applied every event the journal held when it started (for /readyz). */
  public CompletionStage<Long> caughtUp() {
    return caughtUp;
  }

  private synchronized void catchUpTo(long target) {
    caughtUpTarget = target;
    if (lastOrdering >= target) {
      caughtUp.complete(lastOrdering);
    }
  }

  public long resourceVersion() {
    return lastOrdering;
  }

  /** Reads the journal now (a write whose reply this JVM got, wherever its entity lives, has committed). */
  public void poke() {
    if (tail != null) {
      tail.poke();
    }
  }

  /** Completes with the view's resourceVersion once it has applied the entity's event with this sequence number. */
  public CompletionStage<Long> awaitApplied(String persistenceId, long sequenceNr) {
    synchronized (this) {
      if (sequenceNrs.getOrDefault(persistenceId, 0L) >= sequenceNr) {
        return CompletableFuture.completedFuture(lastOrdering);
      }
      CompletableFuture<Long> done = new CompletableFuture<>();
      waiters.add(new Waiter(persistenceId, sequenceNr, done));
      return done;
    }
  }

  /**
   * Registers a watcher that first receives every buffered change after fromResourceVersion, then live ones;
   * one lock orders the two so that no change is missed or seen twice.
   */
  public synchronized Subscription subscribe(long fromResourceVersion, Consumer<WatchEvent> watcher) {
    if (fromResourceVersion > 0 && fromResourceVersion < windowStart) {
      return new Subscription(true, () -> { });
    }
    for (Recent r : recent) {
      if (r.change().resourceVersion() > fromResourceVersion) {
        watcher.accept(r.change());
      }
    }
    watchers.add(watcher);
    return new Subscription(false, () -> watchers.remove(watcher));
  }

  /**
   * One resource's objects as they were at resourceVersion {@code at} (the latest when negative), rebuilt from the
   * live index by undoing, newest first, the changes after it that the recent-changes window holds; empty when the
   * window no longer reaches back to {@code at} (a list continued from there answers 410 Expired, as upstream does
   * once etcd has compacted that revision). A version newer than the view is served as the latest.
   */
  public Optional<Snapshot> snapshot(String resource, long at) {
    long version = at < 0 ? lastOrdering : Math.min(at, lastOrdering);
    // Copied without the lock: whatever changed while copying is in `recent` (applied and recorded under the
    // lock) with a newer version, so undoing those restores every key to its state at `version`.
    Map<String, StoredObject> objects = new HashMap<>();
    for (StoredObject o : index.list(resource)) {
      objects.put(o.key(), o);
    }
    synchronized (this) {
      if (version < windowStart) {
        return Optional.empty();
      }
      Iterator<Recent> newestFirst = recent.descendingIterator();
      while (newestFirst.hasNext()) {
        WatchEvent change = newestFirst.next().change();
        if (change.resourceVersion() <= version) {
          break;
        }
        if (change.resource().equals(resource)) {
          if (change.previous() == null) {
            objects.remove(change.key());
          } else {
            objects.put(change.key(), change.previous());
          }
        }
      }
    }
    return Optional.of(new Snapshot(version, objects.values()));
  }

  /** Completes once the view has applied every event up to this resourceVersion (never fails; callers bound it). */
  public CompletionStage<Long> awaitResourceVersion(long resourceVersion) {
    synchronized (this) {
      if (lastOrdering >= resourceVersion) {
        return CompletableFuture.completedFuture(lastOrdering);
      }
      CompletableFuture<Long> done = new CompletableFuture<>();
      versionWaiters.add(new VersionWaiter(resourceVersion, done));
      poke();
      return done;
    }
  }

  private void applyRows(List<JournalTail.Row> rows) {
    List<Waiter> done = new ArrayList<>();
    for (JournalTail.Row row : rows) {
      apply(row.persistenceId(), row.ordering(), row.sequenceNr(), row.event(), done);
      if (caughtUp.isDone()) {
        io.daemonset.journal.Meters.viewLag(Duration.ofMillis(System.currentTimeMillis() - row.writeTimestamp()));
      }
    }
    long rv = lastOrdering;
    // Not on the tail's thread: what a reply does next (render, send) must not delay the next read.
    done.forEach(w -> replies.execute(() -> w.done().complete(rv)));
  }

  void apply(String persistenceId, long ordering, long sequenceNr, Object event, List<Waiter> done) {
    long now = System.nanoTime();
    synchronized (this) {
      // Under the lock with the recording of its changes, so a snapshot can undo every change the index shows.
      List<WatchEvent> changes = index.apply(persistenceId, ordering, event);
      lastOrdering = Math.max(lastOrdering, ordering);
      for (WatchEvent change : changes) {
        recent.addLast(new Recent(change, now));
        watchers.forEach(w -> w.accept(change));
      }
      trimWindow(now);
      sequenceNrs.merge(persistenceId, sequenceNr, Math::max);
      collectWaiters(done);
      completeVersionWaiters();
      if (caughtUpTarget >= 0 && lastOrdering >= caughtUpTarget) {
        caughtUp.complete(lastOrdering);
      }
    }
  }

  private void trimWindow(long now) {
    long oldest = now - window.age().toNanos();
    while (!recent.isEmpty() && (recent.size() > window.maxChanges() || recent.peekFirst().atNanos() < oldest)) {
      windowStart = recent.removeFirst().change().resourceVersion();
    }
  }

  private void completeVersionWaiters() {
    if (versionWaiters.isEmpty()) {
      return;
    }
    long rv = lastOrdering;
    versionWaiters.removeIf(w -> {
      if (w.resourceVersion() > rv) {
        return false;
      }
      replies.execute(() -> w.done().complete(rv));
      return true;
    });
  }

  private void collectWaiters(List<Waiter> done) {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      if (sequenceNrs.getOrDefault(w.persistenceId(), 0L) >= w.sequenceNr()) {
        done.add(w);
        it.remove();
      }
    }
  }
}
