package io.daemonset.journal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * This JVM's journal writes, announced as they commit ({@link PokingJdbcJournal}), so that a reader tailing the
 * journal (the view) looks at once instead of waiting for its next poll. One per ActorSystem.
 *
 * <p>It also keeps the events this JVM is writing, by persistence id and sequence number, until the tail reads their
 * rows ({@link #take}): the view then applies the object the entity persisted instead of deserializing the bytes
 * just serialized from it (the view's deserializing was 5% of a 1,000-node converge's CPU, on the view's one thread
 * that every write's answer waits for). Events are immutable records that read back equal to what was written
 * (the golden fixtures and Pekko's test kits check the round trip), so the view sees the same values. A write that
 * fails forgets its events (a restarted entity writes the same sequence numbers again); rows another member wrote,
 * or that the tail reads after more than {@link #KEPT} newer writes, are deserialized as before.
 */
public final class JournalWrites implements Extension {
  /** Written events kept for the tail; well above what one journal batch and the tail's lag hold at once. */
  static final int KEPT = 20_000;
  private static final Id ID = new Id();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Map<Key, Object> written = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
      return size() > KEPT;
    }
  };

  private record Key(String persistenceId, long sequenceNr) {}

  public static JournalWrites get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(system.classicSystem());
  }

  static JournalWrites get(org.apache.pekko.actor.ActorSystem system) {
    return ID.get(system);
  }

  /** Runs listener (cheaply, on the journal's thread: it must only signal) after every committed write. */
  public Runnable onWrite(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void written() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** An event about to be written (before its transaction, so that the tail cannot read its row first). */
  synchronized void writing(String persistenceId, long sequenceNr, Object event) {
    written.put(new Key(persistenceId, sequenceNr), event);
  }

  /** A write that failed: its rows will not be read, and the sequence number may be written again. */
  synchronized void failed(String persistenceId, long sequenceNr) {
    written.remove(new Key(persistenceId, sequenceNr));
  }

  /** The event this JVM wrote at that row, forgotten as it is handed out; null if not kept (deserialize it). */
  public synchronized Object take(String persistenceId, long sequenceNr) {
    return written.isEmpty() ? null : written.remove(new Key(persistenceId, sequenceNr));
  }

  private static final class Id extends AbstractExtensionId<JournalWrites> {
    @Override
    public JournalWrites createExtension(ExtendedActorSystem system) {
      return new JournalWrites();
    }
  }
}
