package io.daemonset.audit;

import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Answers the auditor's questions from the journal alone: the history of an object, the life of a pod, the pods a
 * node ran, the state at an instant, the export. Every answer replays rows through {@link EventCodec} (the
 * entities' serializers and migrations) and {@link Replay} (their event handlers).
 */
public final class AuditReader {
  private final JournalRows rows;
  private final EventCodec codec;

  public AuditReader(JournalDatabase database, EventCodec codec) {
    this.rows = new JournalRows(database);
    this.codec = codec;
  }

  /** Every audited event in journal order, replayed up to {@code until} (null: all). */
  public void replay(Instant until, Consumer<AuditRecord> out) throws Exception {
    Replay replay = new Replay(until);
    rows.forEach(row -> replay.apply(row, decode(row)).ifPresent(out));
  }

  /** The events of an object, decided within [since, until] (either may be null). */
  public List<AuditRecord> history(ObjectRef ref, Instant since, Instant until) throws Exception {
    List<AuditRecord> out = new ArrayList<>();
    Consumer<AuditRecord> keep = r -> {
      if (ref.matches(r) && (since == null || !r.at().isBefore(since)) && (until == null || !r.at().isAfter(until))) {
        out.add(r);
      }
    };
    Optional<String> ownJournal = ref.persistenceId();
    if (ownJournal.isPresent()) {
      // An entity's changes depend on its own events only: replay just those.
      Replay replay = new Replay(null);
      rows.forEachOf(ownJournal.get(), row -> replay.apply(row, decode(row)).ifPresent(keep));
    } else {
      replay(null, keep);
    }
    return out;
  }

  /** The life of one pod (namespace null: any), each node answer with its own cause. */
  public PodLife pod(String namespace, String name) throws Exception {
    PodLife.Builder life = new PodLife.Builder(namespace, name);
    replayEachAnswer(life::accept);
    return life.build();
  }

  /** Every pod ever placed on a node, with why each came and went. */
  public NodeLife node(String name) throws Exception {
    NodeLife.Builder life = new NodeLife.Builder(name);
    replayEachAnswer(life::accept);
    return life.build();
  }

  private void replayEachAnswer(Consumer<AuditRecord> out) throws Exception {
    Replay replay = new Replay(null);
    rows.forEach(row -> replay.applyEachAnswer(row, decode(row)).forEach(out));
  }

  /** The objects as they were at an instant; {@code ref} null: all of them. */
  public List<Object> at(Instant instant, ObjectRef ref) throws Exception {
    Replay replay = new Replay(instant);
    rows.forEach(row -> replay.apply(row, decode(row)));
    List<Object> out = new ArrayList<>();
    for (String resource : List.of(ObjectIndex.NODES, ObjectIndex.DAEMONSETS, ObjectIndex.REVISIONS,
        ObjectIndex.PODS)) {
      replay.index().list(resource).stream()
          .filter(o -> ref == null || ref.isObject(o))
          .sorted(Comparator.comparing(StoredObject::key))
          .forEach(o -> out.add(o.object()));
    }
    return out;
  }

  /** Export: each event decided within [since, until], as it is replayed. */
  public void export(Instant since, Instant until, Consumer<AuditRecord> out) throws Exception {
    replay(until, r -> {
      if (since == null || !r.at().isBefore(since)) {
        out.accept(r);
      }
    });
  }

  private Object decode(JournalRow row) {
    if (!row.isAudited()) {
      return null;
    }
    try {
      return codec.decode(row);
    } catch (RuntimeException e) {
      throw new AuditException("event " + row.persistenceId() + " #" + row.sequenceNr() + " (ordering "
          + row.ordering() + ") does not deserialize: " + e.getMessage() + " (run audit verify)");
    }
  }
}
