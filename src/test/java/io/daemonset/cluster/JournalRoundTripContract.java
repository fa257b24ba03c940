package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.cluster.Counter.AddAll;
import io.daemonset.cluster.Counter.Added;
import io.daemonset.cluster.Counter.Command;
import io.daemonset.cluster.Counter.Get;
import io.daemonset.cluster.Counter.State;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/**
 * What every journal database must do for the control plane: a real single-member cluster persists,
 * restarts on the same database, recovers, and reads its events back by tag.
 *
 * <p>How the view layer reads the journal: the JDBC read journal's offset is the journal's global
 * {@code ordering} column (a BIGSERIAL / AUTO_INCREMENT assigned at insert). Every
 * {@link EventEnvelope#offset()} is a {@link Sequence} whose value is that event's {@code ordering};
 * {@code eventsByTag(tag, Offset.sequence(n))} returns the events with {@code ordering > n}
 * (exclusive), in ordering order, and {@code Offset.noOffset()} starts from the beginning. So the last
 * ordering a view has applied is its resourceVersion, and a watch "from resourceVersion N" is
 * {@code eventsByTag(tag, Offset.sequence(N))}. Orderings are increasing but not contiguous (other tags,
 * other entities, rolled-back inserts leave holes).
 */
abstract class JournalRoundTripContract {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** A single-member cluster on a free port against the database under test, the same on every call. */
  abstract Settings settings();

  @Test
  void eventsSurviveARestartAndAreReadBackByTagWithOrderingOffsets() throws Exception {
    String id = "c-" + UUID.randomUUID();
    String persistenceId = Counter.persistenceId(id).id();

    try (ControlPlaneSystem first = ControlPlaneSystem.start(settings())) {
      first.awaitMemberUp(TIMEOUT);
      CounterRef counter = CounterRef.on(first, id);
      assertThat(counter.send(r -> new AddAll(List.of(1, 2, 3), r))).isEqualTo(new State(6, 3));
      assertThat(counter.send(r -> new AddAll(List.of(10), r))).isEqualTo(new State(16, 4));
    }

    try (ControlPlaneSystem second = ControlPlaneSystem.start(settings())) {
      second.awaitMemberUp(TIMEOUT);
      CounterRef counter = CounterRef.on(second, id);
      assertThat(counter.send(Get::new)).as("state recovered from the journal").isEqualTo(new State(16, 4));

      JdbcReadJournal journal = second.readJournal();
      List<EventEnvelope> all = currentByTag(second, journal, Offset.noOffset(), persistenceId);
      assertThat(all).extracting(EventEnvelope::event)
          .containsExactly(new Added(1), new Added(2), new Added(3), new Added(10));
      List<Long> orderings = all.stream().map(e -> ((Sequence) e.offset()).value()).toList();
      assertThat(orderings).isSorted().doesNotHaveDuplicates();
      assertThat(orderings).as("Sequence offsets are the ordering column")
          .isEqualTo(journalRows(second, persistenceId).stream().map(JournalRow::ordering).toList());

      assertThat(currentByTag(second, journal, Offset.sequence(orderings.get(1)), persistenceId))
          .as("an offset is exclusive").extracting(EventEnvelope::event)
          .containsExactly(new Added(3), new Added(10));

      long last = orderings.get(orderings.size() - 1);
      CompletionStage<EventEnvelope> next = journal.eventsByTag(Counter.TAG, Offset.sequence(last))
          .filter(e -> e.persistenceId().equals(persistenceId))
          .runWith(Sink.head(), second.system());
      long sent = System.nanoTime();
      counter.send(r -> new AddAll(List.of(5), r));
      EventEnvelope live = next.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      System.out.printf("live eventsByTag delivered an event %d ms after persist was asked%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      assertThat(live.event()).isEqualTo(new Added(5));
      assertThat(((Sequence) live.offset()).value()).isGreaterThan(last);

      assertThat(journalRows(second, persistenceId)).first()
          .satisfies(row -> assertThat(row.payload()).as("events are stored as readable JSON").isEqualTo("{\"amount\":1}"));
    }
  }

  /**
   * Many entities persisting at once share the journal's batches (on PostgreSQL one statement per batch,
   * io.daemonset.journal.BatchedJournalDao): every event is still one journal row with one tag row pointing at its
   * ordering, each entity's orderings follow its sequence numbers, and a restart recovers every entity.
   */
  @Test
  void concurrentWritersShareBatchesAndEveryEventKeepsItsTagAndItsOrder() throws Exception {
    int entities = 40;
    int rounds = 3;
    String run = "b-" + UUID.randomUUID() + "-";
    try (ControlPlaneSystem cps = ControlPlaneSystem.start(settings())) {
      cps.awaitMemberUp(TIMEOUT);
      ActorTestKit kit = ActorTestKit.create(cps.system());
      List<TestProbe<State>> probes = new ArrayList<>();
      for (int i = 0; i < entities; i++) {
        ActorRef<Command> counter = kit.spawn(Counter.create(run + i));
        TestProbe<State> probe = kit.createTestProbe();
        for (int round = 0; round < rounds; round++) {
          counter.tell(new AddAll(List.of(1, 2), probe.ref()));
        }
        probes.add(probe);
      }
      for (TestProbe<State> probe : probes) {
        assertThat(probe.receiveSeveralMessages(rounds, TIMEOUT).get(rounds - 1)).isEqualTo(new State(9, 6));
      }
      for (int i = 0; i < entities; i++) {
        List<Long> orderings = journalRows(cps, Counter.persistenceId(run + i).id()).stream()
            .map(JournalRow::ordering).toList();
        assertThat(orderings).as("orderings by sequence number").hasSize(2 * rounds).isSorted()
            .doesNotHaveDuplicates();
      }
      assertThat(taggedRows(cps, run)).as("journal rows with their tag row").isEqualTo(2L * rounds * entities);
    }
    try (ControlPlaneSystem second = ControlPlaneSystem.start(settings())) {
      second.awaitMemberUp(TIMEOUT);
      assertThat(CounterRef.on(second, run + (entities - 1)).send(Get::new)).isEqualTo(new State(9, 6));
    }
  }

  /**
   * Snapshots go through the snapshot store's table and back: an entity that snapshots every 2 events recovers, after
   * a restart and with the events its newest snapshot covers deleted, from that snapshot's payload and the event after.
   */
  @Test
  void anEntityRecoversFromItsSnapshotAfterARestart() throws Exception {
    String id = "s-" + UUID.randomUUID();
    try (ControlPlaneSystem first = ControlPlaneSystem.start(settings())) {
      first.awaitMemberUp(TIMEOUT);
      ActorTestKit kit = ActorTestKit.create(first.system());
      CounterRef counter = new CounterRef(kit, kit.spawn(Counter.snapshotting(id, 2)));
      assertThat(counter.send(r -> new AddAll(List.of(1, 2), r))).isEqualTo(new State(3, 2));
      assertThat(counter.send(r -> new AddAll(List.of(3, 4), r))).isEqualTo(new State(10, 4));
      assertThat(counter.send(r -> new AddAll(List.of(5), r))).isEqualTo(new State(15, 5));
      org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> newestSnapshot(first, id) == 4);
    }
    try (ControlPlaneSystem second = ControlPlaneSystem.start(settings())) {
      second.awaitMemberUp(TIMEOUT);
      sql(second, "DELETE FROM \"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" <= 4",
          Counter.persistenceId(id).id());
      ActorTestKit kit = ActorTestKit.create(second.system());
      CounterRef counter = new CounterRef(kit, kit.spawn(Counter.snapshotting(id, 2)));
      assertThat(counter.send(Get::new)).isEqualTo(new State(15, 5));
    }
  }

  private static void sql(ControlPlaneSystem cps, String update, String parameter) throws Exception {
    try (Connection c = JournalDatabases.of(cps.config()).open()) {
      try (PreparedStatement q = c.prepareStatement(update)) {
        q.setString(1, parameter);
        q.executeUpdate();
      }
    }
  }

  /** The sequence number of the entity's newest snapshot with a payload, 0 if none. */
  private static long newestSnapshot(ControlPlaneSystem cps, String id) throws Exception {
    try (Connection c = JournalDatabases.of(cps.config()).open()) {
      try (PreparedStatement q = c.prepareStatement("SELECT coalesce(max(\"sequence_number\"), 0) FROM \"snapshot\""
          + " WHERE \"persistence_id\" = ? AND octet_length(\"snapshot_payload\") > 0")) {
        q.setString(1, Counter.persistenceId(id).id());
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  }

  /** Journal rows of the entities whose id starts with the prefix that have exactly one tag row, ours. */
  private static long taggedRows(ControlPlaneSystem cps, String idPrefix) throws Exception {
    try (Connection c = JournalDatabases.of(cps.config()).open()) {
      try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM \"event_journal\" j"
          + " WHERE j.\"persistence_id\" LIKE ? AND 1 = (SELECT count(*) FROM \"event_tag\" t"
          + " WHERE t.\"event_id\" = j.\"ordering\" AND t.\"tag\" = ?)")) {
        q.setString(1, Counter.persistenceId(idPrefix).id() + "%");
        q.setString(2, Counter.TAG);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  }

  private static List<EventEnvelope> currentByTag(
      ControlPlaneSystem cps, JdbcReadJournal journal, Offset from, String persistenceId) throws Exception {
    return journal.currentEventsByTag(Counter.TAG, from)
        .filter(e -> e.persistenceId().equals(persistenceId))
        .runWith(Sink.seq(), cps.system())
        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  record JournalRow(long ordering, String payload) {}

  /** The journal rows of one entity, read with plain SQL as an auditor would. */
  private static List<JournalRow> journalRows(ControlPlaneSystem cps, String persistenceId) throws Exception {
    try (Connection c = JournalDatabases.of(cps.config()).open()) {
      try (PreparedStatement q = c.prepareStatement("SELECT \"ordering\", \"event_payload\" FROM \"event_journal\""
          + " WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\"")) {
        q.setString(1, persistenceId);
        List<JournalRow> rows = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            rows.add(new JournalRow(rs.getLong(1), new String(rs.getBytes(2), StandardCharsets.UTF_8)));
          }
        }
        return rows;
      }
    }
  }

  /** A spawned Counter and a way to talk to it. */
  record CounterRef(ActorTestKit kit, ActorRef<Command> ref) {
    static CounterRef on(ControlPlaneSystem cps, String id) {
      ActorTestKit kit = ActorTestKit.create(cps.system());
      return new CounterRef(kit, kit.spawn(Counter.create(id)));
    }

    State send(Function<ActorRef<State>, Command> command) {
      TestProbe<State> probe = kit.createTestProbe();
      ref.tell(command.apply(probe.ref()));
      return probe.receiveMessage(TIMEOUT);
    }
  }
}
