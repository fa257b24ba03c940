package io.daemonset.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * when read again. A hole older than that is taken as a rolled-back insert.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class Sealer {
  static final int BATCH = 2_000;
  /** Re-read this far behind the last sealed ordering after a start, for rows committed late before a crash. */
  static final long RESTART_LOOKBACK = 10_000;

  private final JournalDatabase database;
  private final AuditKey key;
  private final Clock clock;
  private final Duration holeGrace;
  private final Map<String, Checkpoint.Head> heads = new HashMap<>();
  private final Map<String, Checkpoint.Head> unsigned = new LinkedHashMap<>();
  private final Map<Long, Instant> holes = new HashMap<>();
  private boolean loaded;
  private long cursor;
  private Checkpoint.Signed last;

  public Sealer(JournalDatabase database, AuditKey key, Clock clock, Duration holeGrace) {
    this.database = database;
    this.key = key;
    this.clock = clock;
    this.holeGrace = holeGrace;
  }

  /** Seals what the journal holds beyond the chain; returns the number of rows read. */
  public int seal() throws SQLException {
    try (Connection c = database.open()) {
      load(c);
      int sealed = 0;
      while (true) {
        long before = cursor;
        int batch = sealBatch(c);
        sealed += batch;
        if (batch < BATCH || cursor == before) {
          return sealed;
        }
      }
    }
  }

  /** Signs a checkpoint of the heads that moved since the last one; empty when none moved. */
  public Optional<Checkpoint> checkpoint() throws SQLException {
    try (Connection c = database.open()) {
      load(c);
      if (unsigned.isEmpty()) {
        return Optional.empty();
      }
      long id = last == null ? 1 : last.id() + 1;
      Checkpoint cp = new Checkpoint(Checkpoint.VERSION, id, clock.instant(), last == null ? "" : last.mac(),
          cursor, unsigned, Map.of());
      String body = cp.body();
      String mac = key.sign(body);
      ChainTables.insertCheckpoint(c, cp, body, mac);
      last = new Checkpoint.Signed(id, body, mac);
      unsigned.clear();
      return Optional.of(cp);
    }
  }

  /** The ordering up to which every row is sealed. */
  public long watermark() {
    return cursor;
  }

  private void load(Connection c) throws SQLException {
    if (loaded) {
      return;
    }
    ChainTables.create(c);
    long maxSealed = 0;
    for (ChainTables.Link l : ChainTables.heads(c).values()) {
      heads.put(l.persistenceId(), new Checkpoint.Head(l.seq(), l.digest()));
      maxSealed = Math.max(maxSealed, l.ordering());
    }
    last = ChainTables.lastCheckpoint(c).orElse(null);
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
    List<JournalRow> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT \"ordering\", \"persistence_id\", \"sequence_number\","
        + " \"write_timestamp\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\" FROM \"event_journal\""
        + " WHERE \"ordering\" > ? ORDER BY \"ordering\" LIMIT " + BATCH)) {
      s.setLong(1, cursor);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(JournalRows.row(rs));
        }
      }
    }
    List<ChainTables.Link> links = new ArrayList<>();
    Map<String, Checkpoint.Head> moved = new LinkedHashMap<>();
    for (JournalRow row : rows) {
      if (!row.isAudited()) {
        continue;
      }
      Checkpoint.Head head = moved.getOrDefault(row.persistenceId(), heads.get(row.persistenceId()));
      long next = head == null ? 1 : head.seq() + 1;
      if (row.sequenceNr() != next) {
        continue; // sealed already, or its predecessor is not visible yet (read again later)
      }
      String digest = ChainDigest.of(head == null ? ChainDigest.GENESIS : head.digest(), row);
      links.add(new ChainTables.Link(row.persistenceId(), row.sequenceNr(), row.ordering(),
          ChainDigest.ofPayload(row.payload()), digest));
      moved.put(row.persistenceId(), new Checkpoint.Head(row.sequenceNr(), digest));
    }
    if (!links.isEmpty()) {
      write(c, links);
      heads.putAll(moved);
      unsigned.putAll(moved);
    }
    advance(rows);
    return rows.size();
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
  private void advance(List<JournalRow> rows) {
    Instant now = clock.instant();
    long position = cursor;
    for (JournalRow row : rows) {
      while (position + 1 < row.ordering()) {
        long hole = position + 1;
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
