package io.daemonset.bench;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * What a run left in the store: journal rows and payload bytes by event type, snapshot bytes, and for H2 the size of
 * its file (which also keeps the garbage of replaced snapshots until it compacts). Read through the journal plugin's
 * own connection pool, so an embedded H2 file needs no second connection.
 */
final class JournalSize {
  private JournalSize() {}

  static String describe(ActorSystem<?> system, Path dataDir) {
    Config config = system.settings().config();
    SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(system.classicSystem());
    StringBuilder out = new StringBuilder();
    try (Connection c = slick.database(config.getConfig("jdbc-journal")).database().source().createConnection();
         Statement s = c.createStatement()) {
      String journal = table(config, "jdbc-journal.tables.event_journal");
      String snapshots = table(config, "jdbc-snapshot-store.tables.snapshot");
      long rows = 0;
      long bytes = 0;
      List<String> byType = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT \"event_ser_manifest\", count(*), sum(octet_length(\"event_payload\"))"
          + " FROM " + journal + " GROUP BY \"event_ser_manifest\" ORDER BY 3 DESC")) {
        while (r.next()) {
          rows += r.getLong(2);
          bytes += r.getLong(3);
          String type = r.getString(1);
          byType.add(String.format("%s %d × %d B", type.substring(type.lastIndexOf('$') + 1), r.getLong(2),
              r.getLong(3) / Math.max(1, r.getLong(2))));
        }
      }
      long snapshotBytes;
      long snapshotRows;
      try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(octet_length(\"snapshot_payload\")), 0) FROM "
          + snapshots)) {
        r.next();
        snapshotRows = r.getLong(1);
        snapshotBytes = r.getLong(2);
      }
      out.append(String.format("journal: %d events, %.1f MB of payload (%s); %d snapshots, %.1f MB", rows,
          bytes / 1e6, String.join(", ", byType.subList(0, Math.min(6, byType.size()))), snapshotRows,
          snapshotBytes / 1e6));
    } catch (SQLException e) {
      out.append("journal: not measured (").append(e.getMessage()).append(')');
    }
    long file = h2FileBytes(dataDir);
    if (file > 0) {
      out.append(String.format("; H2 file %.1f MB", file / 1e6));
    }
    return out.toString();
  }

  /** A journal table's name as SQL wants it, with its schema when one is configured. */
  static String table(Config config, String path) {
    Config table = config.getConfig(path);
    String schema = table.getString("schemaName");
    String name = "\"" + table.getString("tableName") + "\"";
    return schema.isEmpty() ? name : "\"" + schema + "\"." + name;
  }

  static long h2FileBytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".mv.db")).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
