package io.daemonset.view;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * When the view writes its snapshot ({@code daemonset.view.snapshot}): after every {@code everyEvents} applied
 * events, or once {@code every} has passed since the last one if anything was applied since; and at a graceful
 * shutdown. A snapshot costs one serialization of the whole view on a background thread, so N is sized to be
 * worth far fewer events than it spares a restart from replaying.
 *
 * @param enabled start from the newest usable snapshot and write new ones; off: replay the whole journal, write none
 */
public record SnapshotPolicy(boolean enabled, long everyEvents, Duration every) {
  public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(true, 10_000, Duration.ofMinutes(5));
  public static final SnapshotPolicy OFF = new SnapshotPolicy(false, Long.MAX_VALUE, Duration.ofDays(365));

  static SnapshotPolicy of(Config config) {
    String path = "daemonset.view.snapshot";
    if (!config.hasPath(path)) {
      return DEFAULT;
    }
    Config c = config.getConfig(path);
    return new SnapshotPolicy(c.getBoolean("enabled"), c.getLong("every-events"), c.getDuration("every"));
  }

  /** Whether to write one now, eventsSince events and sinceLast after the last one (or after the start). */
  boolean due(long eventsSince, Duration sinceLast) {
    return enabled && eventsSince > 0 && (eventsSince >= everyEvents || sinceLast.compareTo(every) >= 0);
  }
}
