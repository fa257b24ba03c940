package io.daemonset.cluster;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * What this member can do now, as {@code serve} learns it: starting (not ready), serving (ready), stopping (not
 * ready, so that load balancers and Kubernetes stop sending requests before the API closes). One per ActorSystem,
 * read by {@link ReadinessCheck} for Pekko Management's {@code /ready}.
 */
public final class Readiness implements Extension {
  /** A member's phase, in the order it passes through them. */
  public enum Phase { STARTING, SERVING, STOPPING }

  public static final Id ID = new Id();

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

  public static Readiness get(org.apache.pekko.actor.ActorSystem system) {
    return ID.get(system);
  }

  public static Readiness get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
  }

  public Phase phase() {
    return phase.get();
  }

  public void serving() {
    phase.compareAndSet(Phase.STARTING, Phase.SERVING);
  }

  public void stopping() {
    phase.set(Phase.STOPPING);
  }

  /** The extension's id (Pekko's pattern for Java extensions). */
  public static final class Id extends AbstractExtensionId<Readiness> implements ExtensionIdProvider {
    @Override
    public Readiness createExtension(ExtendedActorSystem system) {
      return new Readiness();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
