package io.daemonset.view;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the newest usable view snapshot at start, and writes new ones as {@link SnapshotPolicy} says, on a thread
 * of its own: the view is only copied (under its lock, cheap: immutable states) on the thread that asks; the
 * serialization (Pekko's Jackson setup, gzip-compressed) and the database write happen here, one at a time.
 * <p>Whatever goes wrong with a snapshot (missing table, unreadable row, other format, another journal) costs a
 * full replay and a log line, never a failed start.
 */
final class ViewSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(ViewSnapshots.class);
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private final SnapshotPolicy policy;
  private final SnapshotTable table;
  private final Serialization serialization;
  private final String writer;
  private final ExecutorService executor;
  private final AtomicBoolean writing = new AtomicBoolean();
  private long eventsAtLast;
  private long nanosAtLast = System.nanoTime();
  private volatile long lastPosition;

  ViewSnapshots(ActorSystem<?> system, JournalDatabase database, SnapshotPolicy policy) {
    this.policy = policy;
    this.table = new SnapshotTable(database);
    this.serialization = SerializationExtension.get(system.classicSystem());
    this.writer = ((ExtendedActorSystem) system.classicSystem()).provider().getDefaultAddress().toString();
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "view-snapshot");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Restores the newest snapshot that can be read, is of this format, was taken from this journal and that
   * {@code restore} accepts (it returns false, having changed nothing, when the snapshot's objects and states
   * disagree); logs why each newer one was passed over.
   *
   * @param journal the journal's row at an ordering (to check a snapshot's anchor)
   * @return false (after a log line) when there was none: the view then replays the journal
   */
  boolean restoreNewest(JournalRows journal, Predicate<ViewSnapshot> restore) {
    List<SnapshotTable.Entry> entries;
    try {
      entries = table.entries();
    } catch (SQLException e) {
      LOG.warn("cannot read view snapshots ({}): replaying the journal", e.getMessage());
      return false;
    }
    for (SnapshotTable.Entry entry : entries) {
      String unusable;
      try {
        unusable = tryRestore(entry, journal, restore);
      } catch (Exception e) {
        unusable = "unreadable: " + e;
      }
      if (unusable == null) {
        lastPosition = entry.position();
        return true;
      }
      LOG.warn("view snapshot at ordering {} (written by {} at {}) not used: {}", entry.position(), entry.writer(),
          Instant.ofEpochMilli(entry.writtenAt()), unusable);
    }
    if (!entries.isEmpty()) {
      LOG.warn("no usable view snapshot: replaying the whole journal");
    }
    return false;
  }

  /** Restores this snapshot; returns null when it did, else why it cannot be used. */
  private String tryRestore(SnapshotTable.Entry entry, JournalRows journal, Predicate<ViewSnapshot> restore)
      throws Exception {
    if (entry.format() != ViewSnapshot.FORMAT) {
      return "format " + entry.format() + ", this version reads " + ViewSnapshot.FORMAT;
    }
    long t0 = System.nanoTime();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    Optional<SnapshotTable.Payload> payload = table.payload(entry.position());
    if (payload.isEmpty()) {
      return "deleted while reading";
    }
    long t1 = System.nanoTime();
    ViewSnapshot snapshot = (ViewSnapshot) serialization.deserialize(payload.get().bytes(),
        payload.get().serializerId(), payload.get().manifest()).get();
    long t2 = System.nanoTime();
    if (snapshot.format() != ViewSnapshot.FORMAT || snapshot.position() != entry.position()
        || snapshot.anchor() == null) {
      return "its content does not match its row";
    }
    Optional<ViewSnapshot.Anchor> row = journal.at(snapshot.resourceVersion());
    if (!row.equals(Optional.of(snapshot.anchor()))) {
      return "the journal holds " + row.map(Object::toString).orElse("no row") + " at ordering "
          + snapshot.resourceVersion() + ", the snapshot " + snapshot.anchor() + ": taken from another journal";
    }
    if (!restore.test(snapshot)) {
      return "its objects do not match its entities' states";
    }
    LOG.info("view snapshot at ordering {} (written by {}): {} bytes read in {} ms, deserialized in {} ms,"
            + " checked and restored in {} ms; {} ms of CPU", entry.position(), entry.writer(),
        payload.get().bytes().length, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000,
        (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
    return null;
  }

  /** Reads the journal's row at an ordering. */
  interface JournalRows {
    Optional<ViewSnapshot.Anchor> at(long ordering) throws SQLException;
  }

  /**
   * Called on the tail's thread after each read: takes a copy of the view and writes it in the background when the
   * policy says it is due and no write is in flight.
   */
  void afterRead(ClusterView view) {
    long events = view.eventsApplied();
    long now = System.nanoTime();
    if (!policy.due(events - eventsAtLast, Duration.ofNanos(now - nanosAtLast), view.index().size()) || !writing.compareAndSet(false, true)) {
      return;
    }
    eventsAtLast = events;
    nanosAtLast = now;
    ViewSnapshot snapshot = view.capture();
    try {
      executor.execute(() -> {
        try {
          write(snapshot);
        } finally {
          writing.set(false);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      writing.set(false);
    }
  }

  /** The last write, at a graceful shutdown: after any write in flight, of the view as it is then. */
  CompletionStage<Done> writeFinal(ClusterView view) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          write(view.capture());
        } finally {
          done.complete(Done.getInstance());
          executor.shutdown();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException alreadyShutDown) {
      done.complete(Done.getInstance());
    }
    return done;
  }

  private boolean write(ViewSnapshot snapshot) {
    if (snapshot.anchor() == null || snapshot.position() <= lastPosition) {
      return false; // nothing applied yet, or nothing new since the last one
    }
    long started = System.nanoTime();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    try {
      if (table.newestPosition() >= snapshot.position()) {
        lastPosition = snapshot.position();
        return false; // another member wrote one as new
      }
      Serializer serializer = serialization.findSerializerFor(snapshot);
      byte[] bytes = serializer.toBinary(snapshot);
      boolean saved = table.save(new SnapshotTable.Entry(snapshot.position(), snapshot.format(),
              snapshot.resourceVersion(), writer, System.currentTimeMillis()),
          new SnapshotTable.Payload(serializer.identifier(), Serializers.manifestFor(serializer, snapshot), bytes));
      lastPosition = snapshot.position();
      if (saved) {
        LOG.info("view snapshot at ordering {} written: {} bytes in {} ms ({} ms of CPU)", snapshot.position(),
            bytes.length, (System.nanoTime() - started) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
      }
      return saved;
    } catch (Exception e) {
      LOG.warn("cannot write the view snapshot at ordering {}: {}", snapshot.position(), e.toString());
      return false;
    }
  }
}
