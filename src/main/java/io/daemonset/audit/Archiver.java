package io.daemonset.audit;

import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Archive-then-prune: the whole history of entities that are gone (a DaemonSet deleted with all its pods
 * accounted for, a node removed with no pod left) and whose last event is older than the instant given and
 * covered by a signed checkpoint, written to JSON Lines ({@link ArchiveFile}) with a new signed checkpoint that
 * records the cut (each entity's last archived sequence number and digest); then, with prune, deleted from the
 * journal. The chain stays verifiable across the cut: {@code audit verify} continues each entity's chain from the
 * digest the cut signed, and checks the archive file against the same cut.
 *
 * <p>Why only entities that are gone: the journal-fed view replays every event from the start when a JVM starts,
 * so pruning the history of a live object would make it vanish from the API. Once the view starts from a
 * snapshot (docs/architecture.md, decision 4), the same cut can move up to each entity's latest snapshot.
 */
public final class Archiver {
  private final JournalDatabase database;
  private final EventCodec codec;
  private final AuditKey key;
  private final Clock clock;

  /** What was archived: events, entities, the checkpoint recording the cut (0 when nothing qualified). */
  public record Result(long events, List<String> entities, long checkpointId, boolean pruned) {}

  public Archiver(JournalDatabase database, EventCodec codec, AuditKey key, Clock clock) {
    this.database = database;
    this.codec = codec;
    this.key = key;
    this.clock = clock;
  }

  public Result archive(Instant until, Writer out, boolean prune) throws Exception {
    try (Connection c = database.open()) {
      if (!ChainTables.exist(c)) {
        throw new AuditException("the journal has no chain yet (serve seals it): nothing can be archived");
      }
      Signed signed = signedState(c);
      ChainDigest.Format format = ChainTables.format(c);
      Map<String, List<JournalRow>> chosen = new LinkedHashMap<>();
      Map<String, Checkpoint.Head> cuts = new LinkedHashMap<>();
      for (String pid : ChainTables.chainedEntities(c)) {
        List<JournalRow> rows = new ArrayList<>();
        new JournalRows(database).forEachOf(pid, rows::add);
        Checkpoint.Head cut = archivable(pid, rows, until, signed, format);
        if (cut != null) {
          chosen.put(pid, rows);
          cuts.put(pid, cut);
        }
      }
      if (chosen.isEmpty()) {
        return new Result(0, List.of(), 0, false);
      }
      Checkpoint.Signed checkpoint = signCut(c, signed, cuts);
      Writer w = ArchiveFile.buffered(out);
      ArchiveFile.writeHeader(w, clock.instant(), "entities gone before " + until, format);
      long events = 0;
      for (var e : chosen.entrySet()) {
        String previous = ChainDigest.GENESIS;
        for (JournalRow row : e.getValue()) {
          previous = ChainDigest.chained(format, previous, row);
          ArchiveFile.writeRow(w, row, previous);
          events++;
        }
      }
      ArchiveFile.writeCut(w, checkpoint);
      w.flush();
      if (prune) {
        prune(c, cuts);
      }
      return new Result(events, List.copyOf(chosen.keySet()), checkpoint.id(), prune);
    }
  }

  private record Signed(Map<String, Checkpoint.Head> heads, Map<String, Checkpoint.Head> cuts,
                        Checkpoint.Signed last, long watermark) {}

  /** The checkpoints, each checked against the key: archiving is refused over a forged one. */
  private Signed signedState(Connection c) throws Exception {
    Map<String, Checkpoint.Head> heads = new HashMap<>();
    Map<String, Checkpoint.Head> cuts = new HashMap<>();
    Checkpoint.Signed last = null;
    long watermark = 0;
    for (Checkpoint.Signed s : ChainTables.checkpoints(c)) {
      if (!key.verifies(s.body(), s.mac())) {
        throw new AuditException("checkpoint " + s.id() + " does not verify with the key from " + key.source()
            + " (run audit verify)");
      }
      Checkpoint cp = Checkpoint.parse(s.body());
      cp.heads().forEach((pid, h) -> heads.merge(pid, h, (a, b) -> a.seq() >= b.seq() ? a : b));
      cuts.putAll(cp.cuts());
      last = s;
      watermark = Math.max(watermark, cp.watermark());
    }
    return new Signed(heads, cuts, last, watermark);
  }

  /** The cut for an entity whose whole history may go, or null. */
  private Checkpoint.Head archivable(String pid, List<JournalRow> rows, Instant until, Signed signed,
                                       ChainDigest.Format format) {
    if (rows.isEmpty() || signed.cuts().containsKey(pid) || rows.get(0).sequenceNr() != 1) {
      return null;
    }
    JournalRow last = rows.get(rows.size() - 1);
    Checkpoint.Head head = signed.heads().get(pid);
    if (last.writtenAt().isAfter(until) || head == null || head.seq() != last.sequenceNr()) {
      return null;
    }
    Replay replay = new Replay(null);
    String digest = ChainDigest.GENESIS;
    for (JournalRow row : rows) {
      replay.apply(row, codec.decode(row));
      digest = ChainDigest.chained(format, digest, row);
    }
    if (!digest.equals(head.digest())) {
      throw new AuditException(pid + " does not match its signed checkpoint (run audit verify)");
    }
    return gone(replay, rows.get(0)) ? new Checkpoint.Head(last.sequenceNr(), digest) : null;
  }

  private static boolean gone(Replay replay, JournalRow row) {
    String id = row.entityId();
    if ("DaemonSet".equals(row.entityType())) {
      int slash = id.indexOf('/');
      return replay.index().daemonSetState(id.substring(0, slash), id.substring(slash + 1))
          .map(s -> !s.exists() && s.bindings().isEmpty()).orElse(true);
    }
    return replay.index().nodeState(id).map(s -> !s.exists() && s.pods().isEmpty()).orElse(true);
  }

  private Checkpoint.Signed signCut(Connection c, Signed signed, Map<String, Checkpoint.Head> cuts)
      throws Exception {
    long id = signed.last() == null ? 1 : signed.last().id() + 1;
    Checkpoint cp = new Checkpoint(Checkpoint.VERSION, id, clock.instant(),
        signed.last() == null ? "" : signed.last().mac(), signed.watermark(), Map.of(), cuts);
    String body = cp.body();
    String mac = key.sign(body);
    ChainTables.insertCheckpoint(c, cp, body, mac);
    return new Checkpoint.Signed(id, body, mac);
  }

  /**
   * Deletes the archived events, their tags and their links but the last, the sealer's anchor. The tags are deleted
   * here: on PostgreSQL no foreign key cascades to them (cluster.PostgresSchemaUpkeep says why).
   */
  private static void prune(Connection c, Map<String, Checkpoint.Head> cuts) throws Exception {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement tags = c.prepareStatement("DELETE FROM \"event_tag\" WHERE \"event_id\" IN (SELECT"
        + " \"ordering\" FROM \"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" <= ?)");
         PreparedStatement events = c.prepareStatement("DELETE FROM \"event_journal\" WHERE \"persistence_id\" = ?"
        + " AND \"sequence_number\" <= ?");
         PreparedStatement links = c.prepareStatement("DELETE FROM \"audit_chain\" WHERE \"persistence_id\" = ?"
             + " AND \"sequence_number\" < ?")) {
      for (var e : cuts.entrySet()) {
        tags.setString(1, e.getKey());
        tags.setLong(2, e.getValue().seq());
        tags.executeUpdate();
        events.setString(1, e.getKey());
        events.setLong(2, e.getValue().seq());
        events.executeUpdate();
        links.setString(1, e.getKey());
        links.setLong(2, e.getValue().seq());
        links.executeUpdate();
      }
      c.commit();
    } catch (Exception e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
