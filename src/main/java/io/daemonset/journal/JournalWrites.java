package io.daemonset.journal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * This JVM's journal writes, announced as they commit ({@link PokingJdbcJournal}), so that a reader tailing the
 * journal (the view) looks at once instead of waiting for its next poll. One per ActorSystem.
 */
public final class JournalWrites implements Extension {
  private static final Id ID = new Id();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

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

  private static final class Id extends AbstractExtensionId<JournalWrites> {
    @Override
    public JournalWrites createExtension(ExtendedActorSystem system) {
      return new JournalWrites();
    }
  }
}
