package io.daemonset.view;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * The journal's database as the view reads and writes it: plain JDBC on the plugin's own connection pool, tables
 * named in the journal's schema ({@code daemonset.persistence.schema}).
 */
final class JournalDatabase {
  private final SlickExtensionImpl slick;
  private final Config readJournalConfig;
  private final String schema;
  private final String journalTable;

  JournalDatabase(ActorSystem<?> system) {
    Config config = system.settings().config();
    this.slick = (SlickExtensionImpl) SlickExtension.get(system.classicSystem());
    this.readJournalConfig = config.getConfig("jdbc-read-journal");
    Config journal = config.getConfig("jdbc-journal.tables.event_journal");
    this.schema = journal.getString("schemaName");
    this.journalTable = table(journal.getString("tableName"));
  }

  /** The event journal's table, quoted and qualified. */
  String journalTable() {
    return journalTable;
  }

  /** A table beside the journal, quoted and qualified with the journal's schema. */
  String table(String name) {
    String quoted = "\"" + name + "\"";
    return schema.isEmpty() ? quoted : "\"" + schema + "\"." + quoted;
  }

  Connection connection() throws SQLException {
    return slick.database(readJournalConfig).database().source().createConnection();
  }
}
