package io.daemonset.audit;

import io.daemonset.journal.Journal;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Json;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal replayed for an audit: every event of the control plane in the order it was written, each
 * saying when, who and why. Reading needs no running controller, only the journal.
 */
public final class AuditTrail {
  private AuditTrail() {}

  /** Every event written so far (a finite stream), after the given ordering. */
  public static Source<AuditEntry, NotUsed> replay(JdbcReadJournal journal, long afterOrdering) {
    return journal.currentEventsByTag(Journal.TAG, Offset.sequence(afterOrdering))
        .map(AuditTrail::entry)
        .filter(Optional::isPresent)
        .map(Optional::get);
  }

  /**
   * As {@link #replay(JdbcReadJournal, long)}, with each {@link DaemonSetEntity.PodsAnswered} row unfolded into the
   * PodBound / PodObserved events it stands for (same ordering, each with its own cause): what one pod's story reads,
   * where the row alone would say only "nodes answered for N pods".
   */
  public static Source<AuditEntry, NotUsed> replayEachAnswer(JdbcReadJournal journal, long afterOrdering) {
    return journal.currentEventsByTag(Journal.TAG, Offset.sequence(afterOrdering)).mapConcat(AuditTrail::eachAnswer);
  }

  /**
   * As {@link #replayEachAnswer(JdbcReadJournal, long)}, for one entity only ("DaemonSet|default/fluentd",
   * "Node|n7"; {@code PersistenceId.of(entity type, id)}), in its own order: read through the journal's primary key
   * (persistence id, sequence number), so the cost is that entity's events, not the whole journal's.
   */
  public static Source<AuditEntry, NotUsed> replayEachAnswerOf(JdbcReadJournal journal, String persistenceId) {
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE).mapConcat(AuditTrail::eachAnswer);
  }

  private static java.util.List<AuditEntry> eachAnswer(EventEnvelope envelope) {
    if (envelope.event() instanceof DaemonSetEntity.PodsAnswered answered) {
      long ordering = ((Sequence) envelope.offset()).value();
      return answered.events().stream().map(e -> AuditEntry.of(ordering, envelope.persistenceId(),
          envelope.sequenceNr(), e, e.cause(), Json.write(e))).toList();
    }
    return entry(envelope).map(java.util.List::of).orElse(java.util.List.of());
  }

  /** Only the events of one entity ("DaemonSet default/fluentd", "Node n7"). */
  public static Source<AuditEntry, NotUsed> replay(JdbcReadJournal journal, String entity) {
    return replay(journal, 0L).filter(e -> e.entity().equals(entity));
  }

  static Optional<AuditEntry> entry(EventEnvelope envelope) {
    long ordering = ((Sequence) envelope.offset()).value();
    Object event = envelope.event();
    if (event instanceof DaemonSetEntity.Event e) {
      return Optional.of(AuditEntry.of(ordering, envelope.persistenceId(), envelope.sequenceNr(), e, e.cause(),
          Json.write(e)));
    } else if (event instanceof NodeEntity.Event e) {
      return Optional.of(AuditEntry.of(ordering, envelope.persistenceId(), envelope.sequenceNr(), e, e.cause(),
          Json.write(e)));
    } else if (event instanceof ObjectEntity.Event e) {
      // A Secret's data is in the event only as ciphertext (sealed); the audit shows that it changed, never what.
      return Optional.of(AuditEntry.of(ordering, envelope.persistenceId(), envelope.sequenceNr(), e, e.cause(),
          Json.write(e)));
    }
    return Optional.empty();
  }
}
