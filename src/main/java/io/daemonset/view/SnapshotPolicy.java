package io.daemonset.view;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * When the view writes its snapshot ({@code daemonset.view.snapshot}): after {@code everyEvents} applied events, or
 * {@code eventsPerObject} times as many events as the view holds objects if that is more, or once {@code every} has
 * passed since the last one if anything was applied since; and at a graceful shutdown.
 *
 * <p>A snapshot costs one serialization of the whole view, on a background thread but on the same cores as the
 * events it follows. A fixed count made its cost grow with the fleet: at 5,000 nodes a snapshot every 10,000 events
 * meant a snapshot per converge, while the converge was busiest. Counted per object held, each applied event pays
 * at most 1/eventsPerObject of an object's serialization, and a restart still replays at most that many events per
 * object it holds: start time follows the state's size, never the history's length.
 *
 * @param enabled start from the newest usable snapshot and write new ones; off: replay the whole journal, write none
 */
public record SnapshotPolicy(boolean enabled, long everyEvents, long eventsPerObject, Duration every) {
  public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(true, 10_000, 2, Duration.ofMinutes(5));
  public static final SnapshotPolicy OFF = new SnapshotPolicy(false, Long.MAX_VALUE, 0, Duration.ofDays(365));

  static SnapshotPolicy of(Config config) {
    String path = "daemonset.view.snapshot";
    if (!config.hasPath(path)) {
      return DEFAULT;
    }
    Config c = config.getConfig(path);
    return new SnapshotPolicy(c.getBoolean("enabled"), c.getLong("every-events"),
        c.hasPath("every-events-per-object") ? c.getLong("every-events-per-object") : DEFAULT.eventsPerObject,
        c.getDuration("every"));
  }

  /**
   * Whether to write one now, eventsSince events and sinceLast after the last one (or after the start), the view
   * holding {@code objects} objects.
   */
  boolean due(long eventsSince, Duration sinceLast, long objects) {
    long events = Math.max(everyEvents, eventsPerObject * objects);
    return enabled && eventsSince > 0 && (eventsSince >= events || sinceLast.compareTo(every) >= 0);
  }
}
