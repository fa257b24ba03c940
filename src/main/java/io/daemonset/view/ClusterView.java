package io.daemonset.view;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One per JVM: the index of every API object, fed by the journal's eventsByTag stream, and the fan-out of
 * their changes to watchers. The journal's global ordering is the resourceVersion, so "watch from N" means
 * "changes from events after ordering N", and it resumes from any N still in the recent-changes window.
 */
public final class ClusterView {
  /** How many recent changes a watch can resume from; older resourceVersions get 410 Gone. */
  static final int WINDOW = 20_000;

  private final ObjectIndex index;
  private final ArrayDeque<WatchEvent> recent = new ArrayDeque<>();
  private final List<Consumer<WatchEvent>> watchers = new CopyOnWriteArrayList<>();
  private final Map<String, Long> sequenceNrs = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile long lastOrdering;
  private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();
  private long caughtUpTarget = -1;
  private long windowStart;

  private record Waiter(String persistenceId, long sequenceNr, CompletableFuture<Long> done) {}

  /** The outcome of subscribing: the changes to replay first, or gone when the window no longer has them. */
  public record Subscription(boolean gone, Runnable cancel) {}

  private ClusterView(ObjectIndex index) {
    this.index = index;
  }

  public static ClusterView start(ActorSystem<?> system, String tag) {
    ClusterView view = new ClusterView(new ObjectIndex(new io.daemonset.objects.ObjectSealing(
        io.daemonset.journal.EncryptionKeys.get(system))));
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    RestartSettings restart = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
    // Where the journal ends now: until the view has applied that much, it is replaying history. Asked again if the
    // query fails (a journal table not created yet on a slow start), or caughtUp would never complete.
    RestartSource.onFailuresWithBackoff(restart, () -> journal.currentEventsByTag(tag, Offset.noOffset())
            .fold(0L, (last, envelope) -> ((Sequence) envelope.offset()).value()))
        .runWith(Sink.head(), system)
        .thenAccept(view::catchUpTo);
    RestartSource.withBackoff(restart, () -> journal.eventsByTag(tag, Offset.sequence(view.lastOrdering)))
        .runForeach(view::apply, system);
    return view;
  }

  /** Where the journal ends now; asked again after a failure (a slow or unreachable database at start). */
  private static void findJournalEnd(ClusterView view, JdbcReadJournal journal, String tag, ActorSystem<?> system) {
    journal.currentEventsByTag(tag, Offset.noOffset())
        .runFold(0L, (last, envelope) -> ((Sequence) envelope.offset()).value(), system)
        .whenComplete((end, failure) -> {
          if (failure == null) {
            view.catchUpTo(end);
          } else if (!system.whenTerminated().isCompleted()) {
            system.scheduler().scheduleOnce(Duration.ofSeconds(1), () -> findJournalEnd(view, journal, tag, system),
                system.executionContext());
          }
        });
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
    for (WatchEvent change : recent) {
      if (change.resourceVersion() > fromResourceVersion) {
        watcher.accept(change);
      }
    }
    watchers.add(watcher);
    return new Subscription(false, () -> watchers.remove(watcher));
  }

  void apply(EventEnvelope envelope) {
    long ordering = ((Sequence) envelope.offset()).value();
    List<WatchEvent> changes = index.apply(envelope.persistenceId(), ordering, envelope.event());
    if (caughtUp.isDone()) {
      io.daemonset.journal.Meters.viewLag(java.time.Duration.ofMillis(System.currentTimeMillis() - envelope.timestamp()));
    }
    synchronized (this) {
      lastOrdering = Math.max(lastOrdering, ordering);
      for (WatchEvent change : changes) {
        recent.addLast(change);
        if (recent.size() > WINDOW) {
          windowStart = recent.removeFirst().resourceVersion();
        }
        watchers.forEach(w -> w.accept(change));
      }
      sequenceNrs.merge(envelope.persistenceId(), envelope.sequenceNr(), Math::max);
      completeWaiters();
      if (caughtUpTarget >= 0 && lastOrdering >= caughtUpTarget) {
        caughtUp.complete(lastOrdering);
      }
    }
  }

  private void completeWaiters() {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      if (sequenceNrs.getOrDefault(w.persistenceId(), 0L) >= w.sequenceNr()) {
        w.done().complete(lastOrdering);
        it.remove();
      }
    }
  }
}
