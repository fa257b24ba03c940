package io.daemonset.view;

import io.daemonset.journal.JournalWrites;
import java.sql.SQLException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per JVM: the index of every API object, fed by tailing the journal ({@link JournalTail}), and the fan-out of
 * their changes to watchers. The journal's global ordering is the resourceVersion, so "watch from N" means
 * "changes from events after ordering N", and it resumes from any N still in the recent-changes window, which
 * keeps changes by age (as kube-apiserver's watch cache does), not by count.
 */
public final class ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
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
  /** The journal position read up to: every ordering up to it is applied (guarded by this). */
  private long position;
  /** The journal row of lastOrdering (guarded by this). */
  private ViewSnapshot.Anchor lastEvent;
  private final AtomicLong eventsApplied = new AtomicLong();
  private final AtomicLong journalReads = new AtomicLong();
  private volatile long startedFrom;
  private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();
  private long caughtUpTarget = -1;
  private long windowStart;
  private JournalTail tail;
  private ViewSnapshots snapshots;
  /** An event was passed over (the index could not apply it): this view may differ from the journal's. */
  private volatile boolean divergent;
  private long startNanos;
  private long startCpu;
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  record Waiter(String persistenceId, long sequenceNr, CompletableFuture<Long> done) {}

  private record Recent(WatchEvent change, long atNanos) {}

  /** The outcome of subscribing: the changes to replay first, or gone when the window no longer has them. */
  public record Subscription(boolean gone, Runnable cancel) {}

  /**
   * A watcher that serves someone (a watch stream, a console page) and must learn that the view dropped it for
   * throwing: it then ends what it serves, so that its client starts again, instead of going silent while its
   * connection stays open.
   */
  public interface Watcher extends Consumer<WatchEvent> {
    /** Called once, under the view's lock, after {@link #accept} threw and the view stopped sending changes. */
    void dropped(RuntimeException cause);
  }

  /** A {@link Watcher} of {@code onChange} that runs {@code onDropped} when the view drops it. */
  public static Watcher watcher(Consumer<WatchEvent> onChange, Consumer<RuntimeException> onDropped) {
    return new Watcher() {
      @Override
      public void accept(WatchEvent change) {
        onChange.accept(change);
      }

      @Override
      public void dropped(RuntimeException cause) {
        onDropped.accept(cause);
      }
    };
  }

  /** The objects of one resource exactly as they were at resourceVersion. */
  public record Snapshot(long resourceVersion, Collection<StoredObject> objects) {}

  private record VersionWaiter(long resourceVersion, CompletableFuture<Long> done) {}

  private final List<VersionWaiter> versionWaiters = new ArrayList<>();

  ClusterView(ObjectIndex index, Window window, Executor replies) {
    this.index = index;
    this.window = window;
    this.replies = replies;
  }

  /** This JVM's view: from the newest usable snapshot (when {@code daemonset.view.snapshot.enabled}), then tailing. */
  public static ClusterView start(ActorSystem<?> system, String tag) {
    return start(system, SnapshotPolicy.of(system.settings().config()));
  }

  /**
   * A view with its own snapshot policy; {@link SnapshotPolicy#OFF} replays the whole journal and writes no snapshot
   * (what a restart did before snapshots, and what a test compares a snapshot-started view with).
   */
  public static ClusterView start(ActorSystem<?> system, SnapshotPolicy policy) {
    var config = system.settings().config();
    Window window = config.hasPath("daemonset.view.watch-window")
        ? new Window(config.getDuration("daemonset.view.watch-window"),
            config.getInt("daemonset.view.watch-window-max-changes"))
        : Window.DEFAULT;
    Duration idle = config.hasPath("daemonset.view.idle-poll")
        ? config.getDuration("daemonset.view.idle-poll") : Duration.ofMillis(100);
    ClusterView view = new ClusterView(new ObjectIndex(new io.daemonset.objects.ObjectSealing(
        io.daemonset.journal.EncryptionKeys.get(system))), window, system.executionContext());
    JournalDatabase database = new JournalDatabase(system);
    if (policy.enabled()) {
      view.snapshots = new ViewSnapshots(system, database, policy);
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "view-snapshot",
          () -> view.divergent ? CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance())
              : view.snapshots.writeFinal(view));
    }
    Duration gapTimeout = config.hasPath("daemonset.view.gap-timeout")
        ? config.getDuration("daemonset.view.gap-timeout") : Duration.ofSeconds(5);
    view.tail = new JournalTail(system, database, ObjectIndex::isIndexed, view::applyRows, view::startTail, idle,
        gapTimeout);
    JournalWrites.get(system).onWrite(view.tail::poke);
    view.tail.start();
    system.getWhenTerminated().thenRun(view.tail::close);
    return view;
  }

  /**
   * On the tail's thread, before its first read (again after a failure: a journal table not created yet on a slow
   * start): restores the newest usable snapshot, then learns where the journal ends now; until the view has read
   * that far, it is replaying history (or caughtUp would never complete). Returns the position to read after.
   */
  private long startTail(JournalTail tail) throws SQLException {
    if (startNanos == 0) {
      startNanos = System.nanoTime();
      startCpu = CPU.getCurrentThreadCpuTime();
    }
    if (snapshots != null && startedFrom == 0) {
      long t0 = System.nanoTime();
      if (snapshots.restoreNewest(tail::rowAt, this::restore)) {
        LOG.info("view restored from its snapshot at ordering {} in {} ms; tailing the journal from there",
            startedFrom, (System.nanoTime() - t0) / 1_000_000);
      }
    }
    catchUpTo(tail.maxOrdering());
    synchronized (this) {
      return position;
    }
  }

  /**
   * The whole view now, as a snapshot keeps it: consistent because events are applied under the same lock, and
   * cheap (copies of maps of immutable states; the serialization happens elsewhere).
   */
  synchronized ViewSnapshot capture() {
    return new ViewSnapshot(ViewSnapshot.FORMAT, position, lastOrdering, lastEvent, index.image(),
        Map.copyOf(sequenceNrs));
  }

  /** Makes this view, before it has applied anything, the one of the snapshot; false (nothing changed) if it cannot. */
  synchronized boolean restore(ViewSnapshot snapshot) {
    if (position != 0) {
      throw new IllegalStateException("a view restores a snapshot only before it applies anything");
    }
    try {
      index.restore(snapshot.index());
    } catch (RuntimeException e) {
      LOG.warn("view snapshot at ordering {} does not restore: {}", snapshot.position(), e.getMessage());
      return false;
    }
    position = snapshot.position();
    lastOrdering = snapshot.resourceVersion();
    lastEvent = snapshot.anchor();
    sequenceNrs.putAll(snapshot.sequenceNrs());
    // The changes before the snapshot are not known one by one: a watch from an older resourceVersion gets 410 Gone,
    // as it would once they left the window.
    windowStart = snapshot.resourceVersion();
    startedFrom = snapshot.position();
    return true;
  }

  /**
   * Whether an event was passed over since this view started. Such a view writes no snapshot: the other members
   * would start from its differences (a restart replays the journal, or starts from another member's snapshot).
   */
  public boolean divergent() {
    return divergent;
  }

  /** The journal position this view started from: its snapshot's, or 0 when it replayed the whole journal. */
  public long startedFrom() {
    return startedFrom;
  }

  /** How many times this view has read the journal since it started (what a test waits for to see it keep waiting). */
  public long journalReads() {
    return journalReads.get();
  }

  /** How many journal events this view has applied since it started (those after its snapshot, if any). */
  public long eventsApplied() {
    return eventsApplied.get();
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
    completeCaughtUp();
  }

  /** Caught up once the journal is read up to where it ended at start (its last rows may not be the view's). */
  private void completeCaughtUp() {
    if (caughtUpTarget >= 0 && position >= caughtUpTarget && caughtUp.complete(lastOrdering)) {
      // on the tail's thread, which startTail measured from
      LOG.info("view caught up with the journal at ordering {} in {} ms ({} ms of the tail's CPU): {} events applied"
              + " after ordering {}", position, (System.nanoTime() - startNanos) / 1_000_000,
          (CPU.getCurrentThreadCpuTime() - startCpu) / 1_000_000, eventsApplied.get(), startedFrom);
    }
  }

  public long resourceVersion() {
    return lastOrdering;
  }

  /**
   * At most how many changes a watch from resourceVersion is replayed when it subscribes (every journal ordering after
   * it is at most one change, and the window keeps at most its maximum): what a resumed watch must have room for.
   */
  public int replayBound(long resourceVersion) {
    return (int) Math.max(0, Math.min(lastOrdering - resourceVersion, window.maxChanges()));
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

  /** What {@link #subscribeNow} computed from the index, and the subscription to every change after it. */
  public record Seeded<T>(T value, Subscription subscription) {}

  /**
   * Registers a watcher of the changes after now, with what {@code seed} makes of the index now. Both under the lock
   * that applies changes: a watcher that keeps a tally starting from the seed sees each later change exactly once
   * (the console's Overview counts). seed runs while no change can be applied, so it should be quick.
   */
  public synchronized <T> Seeded<T> subscribeNow(Function<ObjectIndex, T> seed, Consumer<WatchEvent> watcher) {
    T value = seed.apply(index);
    watchers.add(watcher);
    return new Seeded<>(value, new Subscription(false, () -> watchers.remove(watcher)));
  }

  /**
   * One resource's objects as they were at resourceVersion {@code at} (the latest when negative), rebuilt from the
   * live index by undoing, newest first, the changes after it that the recent-changes window holds; empty when the
   * window no longer reaches back to {@code at} (a list continued from there answers 410 Expired, as upstream does
   * once etcd has compacted that revision). A version newer than the view is served as the latest.
   */
  public Optional<Snapshot> snapshot(String resource, long at) {
    return snapshot(resource, at, i -> i.list(resource));
  }

  /**
   * As {@link #snapshot(String, long)}, starting from the part of the resource's objects {@code scope} picks (a node's
   * pods): the snapshot then holds at least every object of that part at {@code at}, and possibly objects of other
   * parts (changes undone are put back whatever part they belong to), so the caller still filters.
   */
  public Optional<Snapshot> snapshot(String resource, long at, Function<ObjectIndex, Collection<StoredObject>> scope) {
    long version = at < 0 ? lastOrdering : Math.min(at, lastOrdering);
    // Copied without the lock: whatever changed while copying is in `recent` (applied and recorded under the
    // lock) with a newer version, so undoing those restores every key to its state at `version`.
    Map<String, StoredObject> objects = new HashMap<>();
    for (StoredObject o : scope.apply(index)) {
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

  private void applyRows(List<JournalTail.Row> rows, long readUpTo) {
    journalReads.incrementAndGet();
    List<Waiter> done = new ArrayList<>();
    long applied;
    synchronized (this) {
      applied = position;
    }
    for (JournalTail.Row row : rows) {
      if (row.ordering() <= applied) {
        continue; // read again after a read whose applying failed part way: applied already
      }
      apply(row.persistenceId(), row.ordering(), row.sequenceNr(), row.event(), done);
      if (caughtUp.isDone()) {
        io.daemonset.journal.Meters.viewLag(Duration.ofMillis(System.currentTimeMillis() - row.writeTimestamp()));
      }
    }
    synchronized (this) {
      position = Math.max(position, readUpTo);
      completeCaughtUp();
    }
    long rv = lastOrdering;
    // Not on the tail's thread: what a reply does next (render, send) must not delay the next read.
    done.forEach(w -> replies.execute(() -> w.done().complete(rv)));
    if (snapshots != null && !divergent) {
      snapshots.afterRead(this);
    }
  }

  /**
   * Applies one row. Nothing here may throw: the rows after it in the same read would be lost to this view (and to
   * every snapshot it writes), so a watcher that fails is dropped and an event the index cannot apply is logged.
   */
  void apply(String persistenceId, long ordering, long sequenceNr, Object event, List<Waiter> done) {
    long now = System.nanoTime();
    synchronized (this) {
      // Under the lock with the recording of its changes, so a snapshot can undo every change the index shows.
      List<WatchEvent> changes;
      try {
        changes = index.apply(persistenceId, ordering, event);
      } catch (RuntimeException e) {
        // The entity's own recovery applies the same handler, so it fails on this event too: a bug to see, not hide.
        LOG.error("journal row {} ({} #{}, {}) does not apply to the view: {}", ordering, persistenceId, sequenceNr,
            event.getClass().getSimpleName(), e.toString(), e);
        changes = List.of();
        divergent = true;
      }
      eventsApplied.incrementAndGet();
      if (ordering > lastOrdering) {
        lastOrdering = ordering;
        lastEvent = new ViewSnapshot.Anchor(persistenceId, sequenceNr);
      }
      position = Math.max(position, ordering);
      for (WatchEvent change : changes) {
        recent.addLast(new Recent(change, now));
        for (Consumer<WatchEvent> w : watchers) {
          tell(w, change);
        }
      }
      trimWindow(now);
      sequenceNrs.merge(persistenceId, sequenceNr, Math::max);
      collectWaiters(done);
      completeVersionWaiters();
      completeCaughtUp();
    }
  }

  /**
   * A watcher that throws is a broken watch (a stream ended under it): it is dropped, and told so if it serves someone
   * ({@link Watcher}); the others still get the change.
   */
  private void tell(Consumer<WatchEvent> watcher, WatchEvent change) {
    try {
      watcher.accept(change);
    } catch (RuntimeException e) {
      watchers.remove(watcher);
      LOG.warn("a watcher failed on {} {} at resourceVersion {} and was dropped: {}", change.resource(), change.key(),
          change.resourceVersion(), e.toString());
      if (watcher instanceof Watcher served) {
        try {
          served.dropped(e);
        } catch (RuntimeException again) {
          LOG.warn("a dropped watcher failed to end what it serves: {}", again.toString());
        }
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
