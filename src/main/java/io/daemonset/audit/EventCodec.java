package io.daemonset.audit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Turns journal rows back into events with the very serializers (and Jackson migrations) the entities use:
 * Pekko's serialization extension, configured by the bundled {@code reference.conf}. Offline, it runs in a
 * local ActorSystem of its own (no cluster, no remoting, nothing logged below WARN).
 */
public final class EventCodec implements AutoCloseable {
  private final Serialization serialization;
  private final ActorSystem<?> ownSystem;

  private EventCodec(Serialization serialization, ActorSystem<?> ownSystem) {
    this.serialization = serialization;
    this.ownSystem = ownSystem;
  }

  /** The serialization of a running system (the API serves {@code /audit} with it). */
  public static EventCodec of(ActorSystem<?> system) {
    return new EventCodec(SerializationExtension.get(Adapter.toClassic(system)), null);
  }

  /** A local ActorSystem of its own, closed with this codec. */
  public static EventCodec offline() {
    Config quiet = ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.stdout-loglevel = WARNING
        pekko.log-dead-letters = off
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """).withFallback(ConfigFactory.defaultReference());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "audit", quiet);
    return new EventCodec(SerializationExtension.get(Adapter.toClassic(system)), system);
  }

  /**
   * The event a row holds; throws {@link IllegalArgumentException} when it does not deserialize (a damaged row or an
   * unknown manifest). Pekko's {@code Try} would rethrow its cause as is, and an unknown manifest's cause is a checked
   * {@code NotSerializableException} that no caller's {@code catch (RuntimeException)} saw: verify stopped there.
   */
  public Object decode(JournalRow row) {
    scala.util.Try<Object> decoded = serialization.deserialize(row.payload(), row.serializerId(), row.manifest());
    if (decoded.isFailure()) {
      Throwable cause = decoded.failed().get();
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IllegalArgumentException(cause.getMessage(), cause);
    }
    return decoded.get();
  }

  @Override
  public void close() {
    if (ownSystem != null) {
      ownSystem.terminate();
      try {
        ownSystem.getWhenTerminated().toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        // terminating anyway
      }
    }
  }
}
