package io.daemonset.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which PostgreSQL processes' CPU a journal benchmark counts: its database's backends and the server's own. */
class LocalProcessCpuTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "postgres: 15/main: daemonset daemonset_lead 127.0.0.1(40312) idle                  | true",
      "postgres: 15/main: daemonset daemonset_lead 127.0.0.1(40312) INSERT                | true",
      "postgres: 15/main: daemonset daemonset_lead_old 127.0.0.1(40312) idle              | false",
      "postgres: 15/main: daemonset daemonset_reg9 127.0.0.1(40318) idle in transaction  | false",
      "postgres: 15/main: postgres daemonset_lead [local] idle                            | true",
      "postgres: 15/main: postgres postgres [local] idle                                  | false",
      "postgres: 15/main: checkpointer                                                    | true",
      "postgres: 15/main: walwriter                                                       | true",
      "postgres: 15/main: autovacuum worker daemonset_reg9                                | true",
  })
  void countsItsDatabasesBackendsAndTheServersOwnProcesses(String title, boolean counted) {
    assertThat(LocalProcessCpu.worksFor(title.trim(), "daemonset_lead")).isEqualTo(counted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://127.0.0.1:5432/daemonset_lead                             | daemonset_lead",
      "jdbc:postgresql://db.example:5432/daemonset?reWriteBatchedInserts=true      | daemonset",
  })
  void readsTheDatabaseFromTheUrl(String url, String database) {
    assertThat(LocalProcessCpu.databaseOf(url.trim())).isEqualTo(database.trim());
  }
}
