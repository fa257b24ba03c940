package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The audit scenario (the view's journal tail, the sealer, the verifier, the audit's readers of journal rows) on a
 * data directory whose tables an earlier release created with the plugin's H2 script: BLOB payload columns.
 */
class H2PluginSchemaAuditScenarioTest extends H2AuditScenarioTest {
  @BeforeAll
  @Override
  void runTheScenario() throws Exception {
    PluginH2Schema.create(dataDir);
    super.runTheScenario();
  }

  @Test
  @Order(0)
  void theTablesStayedTheEarlierReleases() throws Exception {
    try (Connection c = database().open()) {
      assertThat(H2PluginSchemaPersistenceTest.type(c, "event_journal", "event_payload"))
          .isEqualTo("BINARY LARGE OBJECT");
    }
  }
}
