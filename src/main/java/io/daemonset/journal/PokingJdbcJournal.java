package io.daemonset.journal;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal, which also announces every committed write to {@link JournalWrites}: the view
 * of this JVM then reads the new rows at once (docs/architecture.md, "A write learns its resourceVersion").
 */
public final class PokingJdbcJournal extends JdbcAsyncWriteJournal {
  private final JournalWrites writes;

  public PokingJdbcJournal(Config config) {
    super(config);
    this.writes = JournalWrites.get(context().system());
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    Future<Seq<Try<BoxedUnit>>> result = super.asyncWriteMessages(messages);
    result.onComplete(done -> {
      writes.written();
      return BoxedUnit.UNIT;
    }, scala.concurrent.ExecutionContext.parasitic$.MODULE$);
    return result;
  }
}
