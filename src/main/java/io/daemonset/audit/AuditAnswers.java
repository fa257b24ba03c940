package io.daemonset.audit;

import io.daemonset.audit.AuditOutput.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The audit's questions with their answers written out, shared by the {@code audit} command and the
 * {@code /audit} routes. Arguments arrive parsed ({@link ObjectRef#parse}, {@link AuditTimes#parse},
 * {@link Format#parse}): bad input is refused before anything is written.
 */
public final class AuditAnswers {
  private final JournalDatabase database;
  private final EventCodec codec;
  private final Clock clock;

  public AuditAnswers(JournalDatabase database, EventCodec codec, Clock clock) {
    this.database = database;
    this.codec = codec;
    this.clock = clock;
  }

  public EventCodec codec() {
    return codec;
  }

  public AuditReader reader() {
    return new AuditReader(database, codec);
  }

  public void history(ObjectRef ref, Instant since, Instant until, Format format, Writer out) throws Exception {
    List<AuditRecord> records = reader().history(ref, since, until);
    out.write(AuditOutput.history(records, format, clock.instant()));
  }

  public void pod(String namespace, String name, Format format, Writer out) throws Exception {
    out.write(AuditOutput.pod(reader().pod(namespace, name), format, clock.instant()));
  }

  public void node(String name, Format format, Writer out) throws Exception {
    out.write(AuditOutput.node(reader().node(name), format, clock.instant()));
  }

  /** ref null: every object. Fails (one line) when the object did not exist then. */
  public void at(Instant instant, ObjectRef ref, Format format, Writer out) throws Exception {
    List<Object> objects = reader().at(instant, ref);
    if (ref != null && objects.isEmpty()) {
      throw new AuditException(ref.resource() + " \"" + ref.name() + "\" did not exist at " + instant);
    }
    out.write(AuditOutput.objects(objects, ref != null, format == Format.HUMAN ? Format.YAML : format));
  }

  /** JSON Lines, one per event, written as the journal is replayed (nothing is held back). */
  public void export(Instant since, Instant until, Writer out) throws Exception {
    reader().export(since, until, r -> {
      try {
        out.write(AuditOutput.exportLine(r));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Returns whether the journal is intact. */
  public boolean verify(AuditKey key, Format format, Writer out) throws Exception {
    VerifyReport report = new Verifier(database, codec, key).verify();
    out.write(AuditOutput.verify(report, format));
    return report.ok();
  }
}
