package io.daemonset.cluster;

import io.daemonset.journal.JsonSerializable;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** Test-only event-sourced counter: just enough to exercise the journal, recovery and tags. */
final class Counter extends EventSourcedBehaviorWithEnforcedReplies<Counter.Command, Counter.Event, Counter.State> {
  static final String TAG = "counter";

  sealed interface Command extends JsonSerializable {}

  /** Adds every amount, persisted as one atomic write of one event per amount. */
  record AddAll(List<Integer> amounts, ActorRef<State> replyTo) implements Command {}

  record Get(ActorRef<State> replyTo) implements Command {}

  sealed interface Event extends JsonSerializable {}

  record Added(int amount) implements Event {}

  record State(int total, int changes) implements JsonSerializable {
    State apply(Added added) {
      return new State(total + added.amount(), changes + 1);
    }
  }

  static PersistenceId persistenceId(String id) {
    return PersistenceId.of("Counter", id);
  }

  static Behavior<Command> create(String id) {
    return new Counter(persistenceId(id), RetentionCriteria.disabled());
  }

  /** A counter that snapshots its state every {@code every} events (the snapshot store's round trip). */
  static Behavior<Command> snapshotting(String id, int every) {
    return new Counter(persistenceId(id), RetentionCriteria.snapshotEvery(every, 2));
  }

  private final RetentionCriteria retention;

  private Counter(PersistenceId persistenceId, RetentionCriteria retention) {
    super(persistenceId);
    this.retention = retention;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return retention;
  }

  @Override
  public State emptyState() {
    return new State(0, 0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AddAll.class, (state, cmd) -> Effect()
            .persist(cmd.amounts().stream().<Event>map(Added::new).toList())
            .thenReply(cmd.replyTo(), s -> s))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Added.class, State::apply).build();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }
}
