package io.daemonset.audit;

import io.daemonset.audit.VerifyReport.Damage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code audit verify}: recomputes every entity's chain from the journal rows and compares it with the sealed
 * links and with every signed checkpoint. It names each damaged event with its kind:
 * <ul>
 *   <li>missing: a sequence number skipped (a row deleted);</li>
 *   <li>edited / reordered: the payload differs from the one sealed (it is another event's: reordered);</li>
 *   <li>inserted: a row older than the last checkpoint that was never sealed;</li>
 *   <li>undeserializable: the serializers cannot read it;</li>
 *   <li>rewritten: the chain does not reach the digest a checkpoint signed (the chain table was rewritten to
 *       match an edit);</li>
 *   <li>truncated: events a checkpoint or the chain table saw are gone from the end;</li>
 *   <li>forged / unchained: a checkpoint whose signature or link to the previous one is wrong.</li>
 * </ul>
 */
public final class Verifier {
  private final JournalDatabase database;
  private final EventCodec codec;
  private final AuditKey key;

  /** @param key null: check the chain and the checkpoints' contents, not their signatures */
  public Verifier(JournalDatabase database, EventCodec codec, AuditKey key) {
    this.database = database;
    this.codec = codec;
    this.key = key;
  }

  public VerifyReport verify() throws Exception {
    List<Damage> damages = new ArrayList<>();
    List<Damage> notices = new ArrayList<>();
    try (Connection c = database.open()) {
      boolean chained = ChainTables.exist(c);
      ChainDigest.Format format = ChainTables.format(c);
      List<Checkpoint.Signed> signed = chained ? ChainTables.checkpoints(c) : List.of();
      Signatures signatures = checkSignatures(signed, damages);
      Set<String> entities = new LinkedHashSet<>(journalEntities(c));
      if (chained) {
        entities.addAll(ChainTables.chainedEntities(c));
      }
      entities.addAll(signatures.claims().keySet());
      long events = 0;
      long[] windows = new long[2];
      for (String pid : entities) {
        events += verifyEntity(c, pid, chained, format, signatures, damages, notices, windows);
      }
      return new VerifyReport(damages.isEmpty(), entities.size(), events, signed.size(), signatures.lastAt(),
          key != null, key == null ? null : key.source(), windows[0], windows[1], damages, notices);
    }
  }

  /**
   * Checks an archive file on its own: each entity's chain recomputed from its first archived event must reach the
   * digest its cut signed, and the cut's signature must verify.
   */
  public List<Damage> verifyArchive(ArchiveFile.Contents archive) {
    List<Damage> damages = new ArrayList<>();
    if (archive.cut() == null) {
      damages.add(new Damage("archive", 0, "truncated", "no Cut line: the file is incomplete"));
      return damages;
    }
    if (key != null && !key.verifies(archive.cut().body(), archive.cut().mac())) {
      damages.add(new Damage("checkpoint", archive.cut().id(), "forged", "the cut's signature does not match"));
    }
    Map<String, Checkpoint.Head> cuts = Checkpoint.parse(archive.cut().body()).cuts();
    Map<String, String> previous = new HashMap<>();
    Map<String, Long> expected = new HashMap<>();
    damages.addAll(chain(archive, previous, expected));
    cuts.forEach((pid, head) -> {
      if (!head.digest().equals(previous.get(pid)) || expected.getOrDefault(pid, 1L) != head.seq() + 1) {
        damages.add(new Damage(pid, head.seq(), "rewritten", "the archived chain does not reach the signed cut"));
      }
    });
    return damages;
  }

  /** The chain of archived rows alone (each entity from its first event), against the digests the file lists. */
  public List<Damage> verifyArchiveChain(ArchiveFile.Contents archive) {
    return chain(archive, new HashMap<>(), new HashMap<>());
  }

  private static List<Damage> chain(ArchiveFile.Contents archive, Map<String, String> previous,
                                    Map<String, Long> expected) {
    List<Damage> damages = new ArrayList<>();
    for (int i = 0; i < archive.rows().size(); i++) {
      JournalRow row = archive.rows().get(i);
      long want = expected.getOrDefault(row.persistenceId(), 1L);
      if (row.sequenceNr() != want) {
        damages.add(new Damage(row.persistenceId(), want, "missing", "the archive skips to #" + row.sequenceNr()));
      }
      String digest = ChainDigest.chained(archive.format(), previous.getOrDefault(row.persistenceId(), ChainDigest.GENESIS),
          row);
      if (!digest.equals(archive.digests().get(i))) {
        damages.add(new Damage(row.persistenceId(), row.sequenceNr(), "edited", "the archived row's digest differs"));
      }
      previous.put(row.persistenceId(), digest);
      expected.put(row.persistenceId(), row.sequenceNr() + 1);
    }
    return damages;
  }

  /** What the checkpoints claim, per entity: sequence number → (checkpoint id, digest). */
  /** watermarks: checkpoint id → the highest watermark signed up to and including it. */
  record Signatures(Map<String, TreeMap<Long, Claim>> claims, Map<String, Claim> cuts, long watermark,
                    TreeMap<Long, Long> watermarks, Instant lastAt,
                    long lastId) {}

  record Claim(long checkpoint, String digest) {}

  private Signatures checkSignatures(List<Checkpoint.Signed> signed, List<Damage> damages) {
    Map<String, TreeMap<Long, Claim>> claims = new HashMap<>();
    Map<String, Claim> cuts = new HashMap<>();
    Map<String, Long> cutSeqs = new HashMap<>();
    String previousMac = "";
    long expectedId = 1;
    long watermark = 0;
    TreeMap<Long, Long> watermarks = new TreeMap<>();
    Instant lastAt = null;
    for (Checkpoint.Signed s : signed) {
      if (key != null && !key.verifies(s.body(), s.mac())) {
        damages.add(new Damage("checkpoint", s.id(), "forged", "its signature does not match the key from "
            + key.source()));
      }
      Checkpoint cp;
      try {
        cp = Checkpoint.parse(s.body());
      } catch (IllegalArgumentException e) {
        damages.add(new Damage("checkpoint", s.id(), "forged", e.getMessage()));
        continue;
      }
      if (cp.id() != s.id() || s.id() != expectedId || !cp.previous().equals(previousMac)) {
        damages.add(new Damage("checkpoint", s.id(), "unchained", "expected checkpoint " + expectedId
            + " following the signature of the one before it"));
      }
      cp.heads().forEach((pid, head) -> claims.computeIfAbsent(pid, p -> new TreeMap<>())
          .put(head.seq(), new Claim(cp.id(), head.digest())));
      cp.cuts().forEach((pid, head) -> {
        if (head.seq() > cutSeqs.getOrDefault(pid, 0L)) {
          cutSeqs.put(pid, head.seq());
          cuts.put(pid, new Claim(head.seq(), head.digest()));
        }
      });
      previousMac = s.mac();
      expectedId = s.id() + 1;
      watermark = Math.max(watermark, cp.watermark());
      watermarks.put(cp.id(), watermark);
      lastAt = cp.createdAt();
    }
    return new Signatures(claims, cuts, watermark, watermarks, lastAt, expectedId - 1);
  }

  /** Checks one entity; returns the number of its events read. windows: [unsealed, uncheckpointed]. */
  private long verifyEntity(Connection c, String pid, boolean chained, ChainDigest.Format format, Signatures signatures,
                            List<Damage> damages, List<Damage> notices,
                            long[] windows) throws Exception {
    Map<Long, ChainTables.Link> links = chained ? ChainTables.links(c, pid) : Map.of();
    Map<String, Long> sealedPayloads = new HashMap<>();
    links.values().forEach(l -> sealedPayloads.putIfAbsent(l.payloadDigest(), l.seq()));
    TreeMap<Long, Claim> claims = signatures.claims().getOrDefault(pid, new TreeMap<>());
    Optional<Claim> cut = Optional.ofNullable(signatures.cuts().get(pid));
    long lastSigned = claims.isEmpty() ? 0 : claims.lastKey();
    long expected = cut.map(k -> k.checkpoint() + 1).orElse(1L);
    String previous = cut.map(Claim::digest).orElse(ChainDigest.GENESIS);
    long count = 0;
    long lastSeq = expected - 1;
    for (JournalRow row : rowsOf(c, pid)) {
      count++;
      if (row.sequenceNr() > expected) {
        damages.add(new Damage(pid, expected, "missing", row.sequenceNr() - expected == 1
            ? "row deleted (the next is #" + row.sequenceNr() + ")"
            : "rows #" + expected + "..#" + (row.sequenceNr() - 1) + " deleted"));
        ChainTables.Link before = links.get(row.sequenceNr() - 1);
        previous = before == null ? previous : before.digest();
      } else if (row.sequenceNr() < expected) {
        damages.add(new Damage(pid, row.sequenceNr(), "inserted", "a row before the archived cut at #"
            + (expected - 1)));
        continue;
      }
      try {
        codec.decode(row);
      } catch (RuntimeException e) {
        damages.add(new Damage(pid, row.sequenceNr(), "undeserializable", String.valueOf(e.getMessage())));
      }
      ChainDigest.Digests digests = ChainDigest.of(format, previous, row);
      String digest = digests.chained();
      String payloadDigest = digests.payload();
      ChainTables.Link link = links.get(row.sequenceNr());
      if (link == null) {
        if (row.ordering() <= signatures.watermark()) {
          damages.add(new Damage(pid, row.sequenceNr(), "inserted", "ordering " + row.ordering()
              + " is older than the last checkpoint's watermark " + signatures.watermark() + " but was never sealed"));
        } else {
          windows[0]++;
        }
      } else if (!link.payloadDigest().equals(payloadDigest)) {
        Long other = sealedPayloads.get(payloadDigest);
        damages.add(other != null && other != row.sequenceNr()
            ? new Damage(pid, row.sequenceNr(), "reordered", "holds the payload sealed as #" + other)
            : new Damage(pid, row.sequenceNr(), "edited", "the payload differs from the one sealed"));
      } else if (!link.digest().equals(digest) && damages.stream().noneMatch(d -> d.persistenceId().equals(pid))) {
        damages.add(new Damage(pid, row.sequenceNr(), "edited", "the chain breaks here (sealed digest differs)"));
      }
      Claim claim = claims.get(row.sequenceNr());
      if (claim != null && !claim.digest().equals(digest)) {
        damages.add(new Damage(pid, row.sequenceNr(), "rewritten", "the chain does not reach the digest checkpoint "
            + claim.checkpoint() + " signed: an event up to here was changed, removed or added"));
      }
      if (link != null && row.sequenceNr() > lastSigned) {
        windows[1]++;
      }
      if (link != null) {
        sealedLate(pid, row, claims, signatures).ifPresent(notices::add);
      }
      previous = digest;
      lastSeq = row.sequenceNr();
      expected = row.sequenceNr() + 1;
    }
    long sealedEnd = links.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    long end = Math.max(lastSigned, sealedEnd);
    if (end > lastSeq) {
      String witness = lastSigned > lastSeq ? "checkpoint " + claims.get(lastSigned).checkpoint() + " signed #"
          + lastSigned : "the chain sealed #" + sealedEnd;
      damages.add(new Damage(pid, lastSeq + 1, "truncated", "events #" + (lastSeq + 1) + "..#" + end
          + " are gone (" + witness + ")"));
    }
    return count;
  }

  /**
   * A row sealed after a checkpoint's watermark had passed its ordering: its write committed after the sealer gave
   * its ordering up as rolled back (a transaction held up past the hole grace), or someone inserted it there later.
   * The sealer cannot tell the two apart, so the verifier names every such row; the checkpoint that first signed its
   * sequence number, and the highest watermark signed before that one, say it was late. Not damage: a stalled writer
   * does it too. Rows not yet signed are compared with the last watermark.
   */
  private static Optional<Damage> sealedLate(String pid, JournalRow row, TreeMap<Long, Claim> claims,
                                             Signatures signatures) {
    Map.Entry<Long, Claim> signing = claims.ceilingEntry(row.sequenceNr());
    Map.Entry<Long, Long> before = signing == null ? signatures.watermarks().lastEntry()
        : signatures.watermarks().lowerEntry(signing.getValue().checkpoint());
    if (before == null || row.ordering() > before.getValue()) {
      return Optional.empty();
    }
    return Optional.of(new Damage(pid, row.sequenceNr(), "sealed-late", "ordering " + row.ordering()
        + " was already below checkpoint " + before.getKey() + "'s watermark " + before.getValue()
        + " when the row was sealed: a write that committed late, or a row inserted there afterwards"));
  }

  private static List<String> journalEntities(Connection c) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT \"persistence_id\" FROM \"event_journal\"");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        if (!rs.getString(1).startsWith("/")) {
          out.add(rs.getString(1));
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static List<JournalRow> rowsOf(Connection c, String pid) throws Exception {
    return JournalRows.ofEntity(c, pid, 0);
  }
}
