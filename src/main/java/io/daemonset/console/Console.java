package io.daemonset.console;

import io.daemonset.api.ApiFront;
import io.daemonset.view.ClusterView;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;

/**
 * The admin web console, served by every member at /console/ on the API port (same TLS, same tokens). Mount it with
 * {@code ApiServer.start(…, Console.routes(…))}.
 */
public final class Console {
  private Console() {}

  /** @param sessionLifetime how long a sign-in lasts, whatever the user does (default 8 hours) */
  public record Settings(Duration sessionLifetime) {
    public static final Settings DEFAULT = new Settings(Duration.ofHours(8));
  }

  public static ApiFront.Routes routes(ActorSystem<?> system, ClusterView view, JdbcReadJournal journal, Clock clock,
                                       Settings settings) {
    return front -> new ConsoleRoutes(system, view, journal, clock, front,
        new SessionStore(system, clock, settings.sessionLifetime())).route();
  }
}
