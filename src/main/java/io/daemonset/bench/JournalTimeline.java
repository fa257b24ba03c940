package io.daemonset.bench;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * When each kind of event was written during a measured phase: for every event type, the offsets from the phase's
 * start at which its first, median and last event were persisted (the journal's write_timestamp, taken when the
 * entity persisted). It shows which step of the pipeline a figure waits for (placement, admissions, status reports)
 * without a profiler.
 */
final class JournalTimeline {
  private JournalTimeline() {}

  static String describe(ActorSystem<?> system, long sinceEpochMillis) {
    Config config = system.settings().config();
    SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(system.classicSystem());
    Map<String, List<Long>> byType = new LinkedHashMap<>();
    try (Connection c = slick.database(config.getConfig("jdbc-journal")).database().source().createConnection();
         PreparedStatement s = c.prepareStatement("SELECT \"event_ser_manifest\", \"write_timestamp\" FROM "
             + JournalSize.table(config, "jdbc-journal.tables.event_journal") + " WHERE \"write_timestamp\" >= ? ORDER BY \"ordering\"")) {
      s.setLong(1, sinceEpochMillis);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String type = r.getString(1);
          byType.computeIfAbsent(type.substring(type.lastIndexOf('$') + 1), k -> new ArrayList<>())
              .add(r.getLong(2) - sinceEpochMillis);
        }
      }
    } catch (SQLException e) {
      return "timeline: not measured (" + e.getMessage() + ")";
    }
    List<String> parts = new ArrayList<>();
    byType.entrySet().stream().sorted(Map.Entry.comparingByValue((a, b) -> Long.compare(median(a), median(b))))
        .forEach(e -> parts.add(String.format("%s %d: %.2f/%.2f/%.2f s", e.getKey(), e.getValue().size(),
            first(e.getValue()) / 1e3, median(e.getValue()) / 1e3, last(e.getValue()) / 1e3)));
    return "timeline (first/median/last write after the start): " + String.join(", ", parts);
  }

  private static long first(List<Long> offsets) {
    return offsets.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long last(List<Long> offsets) {
    return offsets.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static long median(List<Long> offsets) {
    return offsets.stream().mapToLong(Long::longValue).sorted().skip(offsets.size() / 2).findFirst().orElse(0);
  }
}
