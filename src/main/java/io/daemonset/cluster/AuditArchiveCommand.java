package io.daemonset.cluster;

import io.daemonset.audit.ArchiveFile;
import io.daemonset.audit.Archiver;
import io.daemonset.audit.AuditAnswers;
import io.daemonset.audit.AuditException;
import io.daemonset.audit.AuditKey;
import io.daemonset.audit.AuditOutput.Format;
import io.daemonset.audit.AuditTimes;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit archive --until T --out FILE [--prune]}: archive-then-prune of entities that are gone (see
 * {@link Archiver}); {@code audit archive --check FILE} verifies an archive against its signed cut.
 */
@Command(name = "archive", description = "Archive the history of deleted DaemonSets and removed nodes to JSON Lines"
    + " with a signed cut, then (--prune) delete it from the journal; --check FILE verifies an archive.")
final class AuditArchiveCommand extends AuditCommand.Question {
  @Option(names = "--until", description = "Only entities whose last event is older (RFC 3339 or 30d).") String until;
  @Option(names = "--out", description = "The archive file to write (must not exist).") Path out;
  @Option(names = "--prune", description = "Delete the archived events from the journal once written.") boolean prune;
  @Option(names = "--check", description = "Verify this archive file instead.") Path check;
  @Option(names = "--key-file", description = "The checkpoint key (default: $DS_AUDIT_KEY, else <data-dir>/audit-key).")
  Path keyFile;

  @Override
  int answer(AuditAnswers answers, Format format, PrintWriter stdout) throws Exception {
    Path file = keyFile != null ? keyFile : audit.dataDir.resolve(AuditKey.FILE_NAME);
    AuditKey key = AuditKey.find(keyFile != null ? null : System.getenv(AuditKey.ENV), file)
        .orElseThrow(() -> new AuditException("no audit key (DS_AUDIT_KEY, or " + file + ")"));
    if (check != null) {
      ArchiveFile.Contents contents;
      try (var reader = Files.newBufferedReader(check, StandardCharsets.UTF_8)) {
        contents = ArchiveFile.read(reader);
      }
      var damages = new io.daemonset.audit.Verifier(audit.database(), answers.codec(), key).verifyArchive(contents);
      damages.forEach(d -> stdout.println(d.describe()));
      stdout.println((damages.isEmpty() ? "OK: " : "DAMAGED: ") + contents.rows().size() + " archived events");
      return damages.isEmpty() ? 0 : AuditCommand.DAMAGED;
    }
    if (until == null || out == null) {
      throw new IllegalArgumentException("give --until T and --out FILE (or --check FILE)");
    }
    Instant cut = AuditTimes.parse(until, Instant.now());
    if (Files.exists(out)) {
      throw new IllegalArgumentException(out + " exists: archives are never overwritten");
    }
    Archiver.Result result;
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
      result = new Archiver(audit.database(), answers.codec(), key, Clock.systemUTC()).archive(cut, w, prune);
    }
    if (result.events() == 0) {
      Files.delete(out);
      stdout.println("nothing to archive: no entity gone before " + cut);
      return 0;
    }
    stdout.println("archived " + result.events() + " events of " + result.entities().size() + " entities to " + out
        + " (cut signed as checkpoint " + result.checkpointId() + ")" + (result.pruned() ? "; pruned" : ""));
    return 0;
  }
}
