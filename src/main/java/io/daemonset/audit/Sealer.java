package io.daemonset.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tails the journal and extends each entity's hash chain ({@code audit_chain}), then signs checkpoints of the
 * heads that moved ({@code audit_checkpoint}). One per cluster (a cluster singleton runs it); idempotent, so a
 * second one during a hand-over only loses a race.
 *
 * <p>It reads by ordering. An ordering not yet visible (a transaction that took its number but has not
 * committed) holds the scan position back for {@link #holeGrace}; later rows are sealed meanwhile and skipped
 * when read again. A hole older than that is taken as a rolled-back insert; if its row commits after all, the
 * entity's next row (read by the scan with no sealed predecessor) sends the sealer back to that entity by persistence
 * id, so its chain goes on.
 *
 * <p>It keeps one connection from call to call and opens a new one only after a failure: on PostgreSQL a connection
 * costs a SCRAM handshake (PBKDF2 on both sides), which at one seal a second was 4 % of a write-bound journal's CPU.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class Sealer implements AutoCloseable {
  static final int BATCH = 2_000;
  /** Re-read this far behind the last sealed ordering after a start, for rows committed late before a crash. */
  static final long RESTART_LOOKBACK = 10_000;
  /** Entities read by persistence id per call when the scan has left them behind (rare: a very late commit). */
  static final int CATCH_UP_ENTITIES = 100;

  private final JournalDatabase database;
  private final AuditKey key;
  private final Clock clock;
  private final Duration holeGrace;
  private final Map<String, Checkpoint.Head> heads = new HashMap<>();
  private final Map<String, Checkpoint.Head> unsigned = new LinkedHashMap<>();
  private final Map<Long, Instant> holes = new HashMap<>();
  /** Entities whose chain waits for a row the scan has passed (committed after its hole was taken as rolled back). */
  private final java.util.Set<String> behind = new java.util.LinkedHashSet<>();
  private boolean loaded;
  private long cursor;
  /**
   * The last checkpoint's watermark: every ordering up to it was sealed, or given up as rolled back, before it was
   * signed. A restart re-reads rows below it ({@link #RESTART_LOOKBACK}) but neither waits again at its holes nor
   * signs a lower one.
   */
  private long signedWatermark;
  private Checkpoint.Signed last;
  private Connection connection;
  private ChainDigest.Format format;
  private SealRows reader;

  public Sealer(JournalDatabase database, AuditKey key, Clock clock, Duration holeGrace) {
    this.database = database;
    this.key = key;
    this.clock = clock;
    this.holeGrace = holeGrace;
  }

  /** Seals what the journal holds beyond the chain; returns the number of rows read. */
  public int seal() throws SQLException {
    return withConnection(c -> {
      load(c);
      int sealed = 0;
      while (true) {
        long before = cursor;
        int batch = sealBatch(c);
        sealed += batch;
        // a read of fewer than BATCH rows may end at holes (SealRows.after reads a window of orderings): only an
        // empty read, or a cursor held at a hole, ends the pass
        if (batch == 0 || cursor == before) {
          catchUp(c);
          return sealed;
        }
      }
    });
  }

  /** Signs a checkpoint of the heads that moved since the last one; empty when none moved. */
  public Optional<Checkpoint> checkpoint() throws SQLException {
    return withConnection(c -> {
      load(c);
      if (unsigned.isEmpty()) {
        return Optional.empty();
      }
      long id = last == null ? 1 : last.id() + 1;
      Checkpoint cp = new Checkpoint(Checkpoint.VERSION, id, clock.instant(), last == null ? "" : last.mac(),
          watermark(), unsigned, Map.of());
      String body = cp.body();
      String mac = key.sign(body);
      ChainTables.insertCheckpoint(c, cp, body, mac);
      last = new Checkpoint.Signed(id, body, mac);
      unsigned.clear();
      return Optional.of(cp);
    });
  }

  /** Closes the connection kept between calls; the next call opens a new one. */
  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is being dropped: a connection that cannot close cleanly is broken anyway
      }
      connection = null;
    }
  }

  private interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  /** Runs on the kept connection; after any failure drops it, since its state (or the database) is unknown. */
  private <T> T withConnection(Work<T> work) throws SQLException {
    if (connection == null) {
      connection = database.open();
    }
    try {
      return work.on(connection);
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The ordering up to which every row is sealed. */
  public long watermark() {
    return Math.max(cursor, signedWatermark);
  }

  private void load(Connection c) throws SQLException {
    if (loaded) {
      return;
    }
    ChainTables.create(c);
    format = ChainTables.pinFormat(c);
    reader = SealRows.of(format, c);
    long maxSealed = 0;
    for (ChainTables.Link l : ChainTables.heads(c).values()) {
      heads.put(l.persistenceId(), new Checkpoint.Head(l.seq(), l.digest()));
      maxSealed = Math.max(maxSealed, l.ordering());
    }
    last = ChainTables.lastCheckpoint(c).orElse(null);
    signedWatermark = last == null ? 0 : Checkpoint.parse(last.body()).watermark();
    if (last != null) {
      // heads sealed after the last checkpoint are signed by the next one
      Map<String, Checkpoint.Head> signed = new HashMap<>();
      for (Checkpoint.Signed s : ChainTables.checkpoints(c)) {
        signed.putAll(Checkpoint.parse(s.body()).heads());
      }
      heads.forEach((pid, head) -> {
        if (!head.equals(signed.get(pid))) {
          unsigned.put(pid, head);
        }
      });
    } else {
      unsigned.putAll(heads);
    }
    cursor = Math.max(0, maxSealed - RESTART_LOOKBACK);
    loaded = true;
  }

  private int sealBatch(Connection c) throws SQLException {
    List<SealRows.Row> read = reader.after(c, cursor, BATCH);
    List<SealRows.Row> waiting = new ArrayList<>();
    seal(c, read, waiting);
    advance(read);
    // A row whose predecessor is not sealed is read again while the scan is held back at a hole; once the scan has
    // passed it, only a read by entity finds the predecessor (a write that committed after its hole was given up).
    waiting.stream().filter(row -> row.ordering() <= cursor).forEach(row -> behind.add(row.persistenceId()));
    return read.size();
  }

  /** Extends the chains with the rows that follow their heads; collects the rows whose predecessor is not sealed. */
  private void seal(Connection c, List<SealRows.Row> read, List<SealRows.Row> waiting) throws SQLException {
    List<ChainTables.Link> links = new ArrayList<>();
    Map<String, Checkpoint.Head> moved = new LinkedHashMap<>();
    for (SealRows.Row row : read) {
      if (!row.isAudited()) {
        continue;
      }
      Checkpoint.Head head = moved.getOrDefault(row.persistenceId(), heads.get(row.persistenceId()));
      long next = head == null ? 1 : head.seq() + 1;
      if (row.sequenceNr() != next) {
        if (row.sequenceNr() > next) {
          waiting.add(row); // its predecessor is not visible yet
        }
        continue; // or sealed already
      }
      ChainDigest.Digests digests = row.digests(format, head == null ? ChainDigest.GENESIS : head.digest());
      links.add(new ChainTables.Link(row.persistenceId(), row.sequenceNr(), row.ordering(), digests.payload(),
          digests.chained()));
      moved.put(row.persistenceId(), new Checkpoint.Head(row.sequenceNr(), digests.chained()));
    }
    if (!links.isEmpty()) {
      write(c, links);
      heads.putAll(moved);
      unsigned.putAll(moved);
    }
  }

  /**
   * Reads the entities left behind by the scan by persistence id, from their heads on, and seals what follows. Without
   * it such an entity's chain stopped for good, and every later row of it was reported as inserted once a checkpoint's
   * watermark passed it. An entity stays behind while its next row is missing (still open, or deleted: the verifier
   * says which); at most {@link #CATCH_UP_ENTITIES} are read per call.
   */
  private void catchUp(Connection c) throws SQLException {
    List<String> now = behind.stream().limit(CATCH_UP_ENTITIES).toList();
    for (String persistenceId : now) {
      Checkpoint.Head head = heads.get(persistenceId);
      List<SealRows.Row> waiting = new ArrayList<>();
      seal(c, reader.ofEntity(c, persistenceId, head == null ? 0 : head.seq()), waiting);
      if (waiting.isEmpty()) {
        behind.remove(persistenceId);
      }
    }
  }

  private void write(Connection c, List<ChainTables.Link> links) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      ChainTables.insert(c, links);
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      loaded = false; // another sealer got there first: start again from what the tables say
      heads.clear();
      unsigned.clear();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Moves the cursor over the contiguous orderings read, and over holes older than the grace. */
  private void advance(List<SealRows.Row> read) {
    Instant now = clock.instant();
    long position = cursor;
    for (SealRows.Row row : read) {
      while (position + 1 < row.ordering()) {
        long hole = position + 1;
        if (hole <= signedWatermark) {
          position = hole; // given up before a checkpoint signed past it: waiting again would hold the scan back
          continue;
        }
        Instant seen = holes.computeIfAbsent(hole, h -> now);
        if (Duration.between(seen, now).compareTo(holeGrace) < 0) {
          cursor = position;
          return;
        }
        holes.remove(hole);
        position = hole;
      }
      position = row.ordering();
    }
    cursor = position;
  }
}
