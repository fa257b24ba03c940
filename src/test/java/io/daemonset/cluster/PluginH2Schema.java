package io.daemonset.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A data directory as releases before our own H2 script left it: the journal's tables created by
 * pekko-persistence-jdbc 1.1.1's schema/h2/h2-create-schema.sql (BLOB payloads, ordering's identity cache of 32),
 * H2's settings at their defaults (BLOBs above 256 bytes in its LOB maps).
 */
final class PluginH2Schema {
  private PluginH2Schema() {}

  /** The journal file's URL in {@code dataDir}, without our options: closing the last connection closes the file. */
  static String url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("journal");
  }

  /** Creates the plugin's tables in a new journal file under {@code dataDir}, and closes it. */
  static void create(Path dataDir) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dataDir), "sa", ""); Statement s = c.createStatement()) {
      s.execute("RUNSCRIPT FROM 'classpath:/schema/h2/h2-create-schema.sql'");
    }
  }
}
