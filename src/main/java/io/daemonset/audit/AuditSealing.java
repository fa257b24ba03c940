package io.daemonset.audit;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Runs the {@link Sealer} as a cluster singleton, on Pekko's blocking-IO dispatcher (it does JDBC): seals every
 * {@code daemonset.audit.seal-interval}, signs a checkpoint every {@code daemonset.audit.checkpoint-interval} when
 * heads moved. A failure (database away) restarts it with backoff; it resumes from what the tables say.
 */
public final class AuditSealing {
  private AuditSealing() {}

  private enum Tick { INSTANCE }

  private static <T> Behavior<T> closed(Sealer sealer) {
    sealer.close();
    return Behaviors.same();
  }

  public static void init(ActorSystem<?> system, JournalDatabase database, AuditKey key) {
    Config config = system.settings().config().getConfig("daemonset.audit");
    if (!config.getBoolean("sealer")) {
      return;
    }
    Duration seal = config.getDuration("seal-interval");
    Duration checkpoint = config.getDuration("checkpoint-interval");
    Duration holeGrace = config.getDuration("hole-grace");
    Behavior<Tick> behavior = Behaviors.supervise(Behaviors.<Tick>setup(ctx -> Behaviors.withTimers(timers -> {
      Sealer sealer = new Sealer(database, key, Clock.systemUTC(), holeGrace);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, seal);
      Instant[] lastCheckpoint = {Instant.now()};
      return Behaviors.receive(Tick.class)
          .onMessage(Tick.class, tick -> {
            sealer.seal();
            if (!Instant.now().isBefore(lastCheckpoint[0].plus(checkpoint))) {
              sealer.checkpoint();
              lastCheckpoint[0] = Instant.now();
            }
            return Behaviors.same();
          })
          .onSignal(PostStop.class, stop -> closed(sealer))
          .onSignal(PreRestart.class, restart -> closed(sealer))
          .build();
    }))).onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30),
        0.2));
    ClusterSingleton.get(system).init(SingletonActor.of(behavior, "audit-sealer")
        .withProps(DispatcherSelector.blocking()));
  }
}
