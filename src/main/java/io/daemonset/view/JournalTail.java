package io.daemonset.view;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal table in ordering order for this JVM's view, on one thread of its own. It reads again as soon
 * as it is poked (a write of this JVM committed), and otherwise every idle interval (writes of other members).
 * <p>Orderings are taken when a row is inserted but become visible when its transaction commits, so a later row
 * can be seen before an earlier one: a gap. The tail stops before a gap and reads again shortly. A gap is stepped
 * over when the database says no transaction that could fill it is still open ({@link JournalWriters}: a write
 * rolled back, e.g. refused in a database outage), or when it stays for {@code gapTimeout} (databases that cannot
 * say), or when it lies before a row written longer ago than that (rows deleted long ago). The timeout alone is what
 * pekko-persistence-jdbc's JournalSequenceActor does for eventsByTag, without its fixed polling delays.
 */
final class JournalTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
  private static final int BATCH = 2000;
  private static final long GAP_RETRY_MILLIS = 5;

  /** One journal row, its event deserialized (null when the row is deleted or not for the view). */
  record Row(long ordering, String persistenceId, long sequenceNr, long writeTimestamp, Object event) {}

  /** Receives every read: the rows for the view, and the position read up to (also when no row was wanted). */
  interface Sink {
    void apply(List<Row> rows, long position);
  }

  /** Runs on the tail's thread before the first read (again after a failure); returns the position to read after. */
  interface Start {
    long start(JournalTail tail) throws SQLException;
  }

  private final JournalDatabase database;
  private final Serialization serialization;
  private final io.daemonset.journal.JournalWrites writes;
  private final Predicate<String> wanted;
  private final Sink sink;
  private final Start starter;
  private boolean started;
  private final String table;
  private final String query;
  private final String payloadQuery;
  private final long idleMillis;
  private final long gapTimeoutMillis;
  private final Thread thread;
  /** Whether the actor system is shutting down. */
  private final BooleanSupplier stopping;
  private final Object signal = new Object();
  private boolean poked;
  private volatile boolean closed;
  private long position;
  private long gapSince;
  private JournalWriters writers;
  /** Whether a read has reached the end of the journal since this tail started (history is read). */
  private boolean caughtUp;
  /** Missing orderings below this one belong to transactions that have ended: they will never be read. */
  private long settledBelow;

  /**
   * @param starter run once, before the first read (again until the database answers): restores what the view
   *                starts from, learns where the journal ends now, and says where to read from
   */
  JournalTail(ActorSystem<?> system, JournalDatabase database, Predicate<String> wanted, Sink sink, Start starter,
              Duration idle, Duration gapTimeout) {
    this.database = database;
    this.stopping = () -> CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    this.serialization = SerializationExtension.get(system.classicSystem());
    this.writes = io.daemonset.journal.JournalWrites.get(system);
    this.wanted = wanted;
    this.sink = sink;
    this.starter = starter;
    this.idleMillis = idle.toMillis();
    this.gapTimeoutMillis = gapTimeout.toMillis();
    this.table = database.journalTable();
    // Without the payloads: most rows are this JVM's own, whose events JournalWrites hands over; the payloads of the
    // others are read by payloadQuery. The bytes of every row travelled and were copied here before (pg9).
    this.query = "SELECT \"ordering\", \"persistence_id\", \"sequence_number\", \"deleted\", \"write_timestamp\","
        + " \"event_ser_id\", \"event_ser_manifest\" FROM " + table
        + " WHERE " + io.daemonset.journal.Journal.AFTER_ORDERING + " ORDER BY \"ordering\" LIMIT " + BATCH;
    this.payloadQuery = "SELECT \"ordering\", \"event_payload\" FROM " + table
        + " WHERE \"ordering\" >= ? AND \"ordering\" <= ?";
    this.thread = new Thread(this::run, "view-journal-tail");
    this.thread.setDaemon(true);
  }

  JournalTail start() {
    thread.start();
    return this;
  }

  /** The highest ordering in the journal now (where replaying history ends). */
  long maxOrdering() throws SQLException {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(
        "SELECT MAX(\"ordering\") FROM " + table)) {
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  /** Reads again now: a write of this JVM has committed. Cheap; callable from any thread. */
  void poke() {
    synchronized (signal) {
      poked = true;
      signal.notify();
    }
  }

  private void run() {
    while (!closed) {
      long wait;
      try {
        if (!started) {
          position = starter.start(this);
          started = true;
        }
        wait = readOnce();
      } catch (Exception e) {
        if (closed || String.valueOf(e.getMessage()).contains("has been closed")) {
          return; // the actor system is shutting down: its connection pool is gone
        }
        if (stopping.getAsBoolean()) {
          // the pool's connections close during the shutdown ("Socket closed"): expected, not worth a warning
          LOG.debug("cannot read the journal while stopping: {}; again in 1 s", e.toString());
        } else {
          LOG.warn("cannot read the journal: {}; again in 1 s", e.toString());
        }
        wait = 1000;
      }
      if (wait > 0) {
        await(wait);
      }
    }
  }

  /** Reads and applies what is there; returns how long to wait before the next read (0: read again now). */
  private long readOnce() throws SQLException {
    List<Row> rows = new ArrayList<>();
    List<Unread> unread = new ArrayList<>();
    // Where this read gets to: the tail's position moves there only once the sink has applied the rows, so a read
    // whose applying fails is read again instead of lost.
    long readTo = position;
    boolean full;
    boolean stoppedAtGap = false;
    long stoppedBefore = 0;
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(query)) {
      if (writers == null) {
        writers = JournalWriters.of(c, table);
      }
      s.setLong(1, readTo);
      int seen = 0;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          seen++;
          long ordering = r.getLong(1);
          if (ordering != readTo + 1 && ordering > settledBelow && !gapSettled(readTo, r.getLong(5))) {
            stoppedAtGap = true;
            stoppedBefore = ordering;
            break;
          }
          if (ordering != readTo + 1 && ordering <= settledBelow) {
            // rare (a database outage, a member killed mid-write): worth a line when it happens
            LOG.info("journal orderings {}..{} were never committed (their transactions ended): read on at once",
                readTo + 1, ordering - 1);
          }
          gapSince = 0;
          readTo = ordering;
          String persistenceId = r.getString(2);
          long sequenceNr = r.getLong(3);
          Object written = writes.take(persistenceId, sequenceNr);
          if (r.getBoolean(4) || !wanted.test(persistenceId)) {
            continue;
          }
          // the event this JVM wrote at that row, or else the row's bytes deserialized (JournalWrites says why)
          if (written == null) {
            unread.add(new Unread(rows.size(), r.getInt(6), r.getString(7)));
          }
          rows.add(new Row(ordering, persistenceId, sequenceNr, r.getLong(5), written));
        }
      }
      if (!unread.isEmpty()) {
        deserialize(c, rows, unread);
      }
      full = seen == BATCH;
      if (stoppedAtGap && writers.noneStartedBefore(c)) {
        // Checked after the read: the next read sees a row whose transaction committed meanwhile, and steps over the rest.
        settledBelow = stoppedBefore;
      }
    }
    sink.apply(rows, readTo);
    position = readTo;
    if (!full && !stoppedAtGap) {
      caughtUp = true;
    }
    if (stoppedAtGap) {
      return settledBelow == stoppedBefore ? 0 : GAP_RETRY_MILLIS;
    }
    return full ? 0 : idleMillis;
  }

  /** A row read without its event: written by another member, or before this JVM started, or no longer kept. */
  private record Unread(int index, int serializerId, String manifest) {}

  /**
   * Reads the payloads of the rows in {@code unread} (one range, from the first to the last of them) and puts their
   * events in {@code rows}. A row gone since the first read (the archiver pruned it) fails the read, which is read
   * again as a whole.
   */
  private void deserialize(Connection c, List<Row> rows, List<Unread> unread) throws SQLException {
    long from = rows.get(unread.get(0).index()).ordering();
    long to = rows.get(unread.get(unread.size() - 1).index()).ordering();
    java.util.Map<Long, byte[]> payloads = new java.util.HashMap<>();
    try (PreparedStatement s = c.prepareStatement(payloadQuery)) {
      s.setLong(1, from);
      s.setLong(2, to);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          payloads.put(r.getLong(1), r.getBytes(2));
        }
      }
    }
    for (Unread u : unread) {
      Row row = rows.get(u.index());
      byte[] payload = payloads.get(row.ordering());
      if (payload == null) {
        throw new SQLException("journal row " + row.ordering() + " is gone since it was read: reading again");
      }
      Object event = serialization.deserialize(payload, u.serializerId(), u.manifest()).get();
      rows.set(u.index(), new Row(row.ordering(), row.persistenceId(), row.sequenceNr(), row.writeTimestamp(), event));
    }
  }

  /**
   * A gap before a row written at writeTimestamp: wait for it, unless it has lasted too long, or that row is old and
   * either the database cannot say who still writes or the tail is still reading history (its first catch-up, where
   * old gaps are rows rolled back long ago). Once caught up on PostgreSQL an old row says nothing: its write timestamp
   * is taken before its transaction, which may wait in the write queue (a database outage, a loaded machine) and
   * commit after a later one; stepping over the gap then lost that row from this view for good. There the writers'
   * check settles gaps.
   */
  private boolean gapSettled(long readTo, long writeTimestamp) {
    long now = System.currentTimeMillis();
    boolean oldRowSettles = writers == JournalWriters.UNKNOWN || !caughtUp;
    if (oldRowSettles && writeTimestamp > 0 && writeTimestamp < now - gapTimeoutMillis) {
      return true;
    }
    if (gapSince == 0) {
      gapSince = now;
      return false;
    }
    if (now - gapSince >= gapTimeoutMillis) {
      LOG.info("journal ordering gap after {} not filled within {} ms: stepping over it", readTo, gapTimeoutMillis);
      return true;
    }
    return false;
  }

  private void await(long millis) {
    synchronized (signal) {
      if (!poked) {
        try {
          signal.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
      poked = false;
    }
  }

  /** The entity event at this ordering, if the journal has that row. */
  java.util.Optional<ViewSnapshot.Anchor> rowAt(long ordering) throws SQLException {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(
        "SELECT \"persistence_id\", \"sequence_number\" FROM " + table + " WHERE \"ordering\" = ?")) {
      s.setLong(1, ordering);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.Optional.of(new ViewSnapshot.Anchor(r.getString(1), r.getLong(2))) : java.util.Optional.empty();
      }
    }
  }

  private Connection connection() throws SQLException {
    return database.connection();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
