package io.daemonset.bench;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Recovers a DaemonSet's state exactly as DaemonSetEntity does (same persistence id, snapshot store,
 * journal and event handler) but never writes and decides nothing: it measures recovery alone.
 */
final class RecoveryProbe extends EventSourcedBehavior<RecoveryProbe.Recovered, DaemonSetEntity.Event, DaemonSetState> {

  /** Asks for the recovered state and how long recovery took. */
  record Recovered(ActorRef<Result> replyTo) {}

  record Result(DaemonSetState state, Duration recovery) {}

  private final Instant started = Instant.now();
  private Duration recovery;

  private RecoveryProbe(String key) {
    super(PersistenceId.of(DaemonSetEntity.ENTITY_TYPE_KEY.name(), key));
  }

  static Behavior<Recovered> create(String key) {
    return new RecoveryProbe(key);
  }

  @Override
  public DaemonSetState emptyState() {
    return DaemonSetState.EMPTY;
  }

  @Override
  public SignalHandler<DaemonSetState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> recovery = Duration.between(started, Instant.now()))
        .build();
  }

  @Override
  public CommandHandler<Recovered, DaemonSetEntity.Event, DaemonSetState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Recovered.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Result(state, recovery)))
        .build();
  }

  @Override
  public EventHandler<DaemonSetState, DaemonSetEntity.Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(DaemonSetState::apply);
  }
}
