package io.daemonset.journal;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal, which also announces every committed write to {@link JournalWrites}: the view
 * of this JVM then reads the new rows at once (docs/architecture.md, "A write learns its resourceVersion"), and
 * takes the events it wrote from there instead of deserializing their rows.
 */
public final class PokingJdbcJournal extends JdbcAsyncWriteJournal {
  private final JournalWrites writes;

  public PokingJdbcJournal(Config config) {
    super(config);
    this.writes = JournalWrites.get(context().system());
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    messages.foreach(write -> {
      write.payload().foreach(repr -> {
        writes.writing(repr.persistenceId(), repr.sequenceNr(), event(repr));
        return BoxedUnit.UNIT;
      });
      return BoxedUnit.UNIT;
    });
    Future<Seq<Try<BoxedUnit>>> result = super.asyncWriteMessages(messages);
    result.onComplete(done -> {
      boolean allWritten = done.isSuccess() && done.get().forall(Try::isSuccess);
      if (!allWritten) {
        forget(messages, done.isSuccess() ? done.get() : null);
      }
      writes.written();
      return BoxedUnit.UNIT;
    }, scala.concurrent.ExecutionContext.parasitic$.MODULE$);
    return result;
  }

  /** The event as its row holds it: the payload, without the tags pekko-persistence-typed wraps it in. */
  private static Object event(PersistentRepr repr) {
    Object payload = repr.payload();
    return payload instanceof Tagged tagged ? tagged.payload() : payload;
  }

  /** The writes that failed (all of them when the whole call failed) are not kept for the view. */
  private void forget(Seq<AtomicWrite> messages, Seq<Try<BoxedUnit>> results) {
    for (int i = 0; i < messages.size(); i++) {
      if (results == null || i >= results.size() || results.apply(i).isFailure()) {
        messages.apply(i).payload().foreach(repr -> {
          writes.failed(repr.persistenceId(), repr.sequenceNr());
          return BoxedUnit.UNIT;
        });
      }
    }
  }
}
