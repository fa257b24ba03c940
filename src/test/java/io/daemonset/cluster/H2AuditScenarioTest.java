package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit scenario on the embedded default: an H2 file database in a fresh data directory. */
class H2AuditScenarioTest extends AuditScenarioContract {
  @TempDir static Path dataDir;

  @Override
  Settings settings() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of());
  }

  @Override
  List<String> databaseFlags() {
    return List.of("--data-dir", dataDir.toString());
  }

  record Jvm(int status, String out, String err) {}

  /** The command as an operator runs it: its own JVM through Main, stdout and stderr apart. */
  static Jvm main(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "io.daemonset.Main", "audit"));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dir.toString()));
    Path out = Files.createTempFile(dataDir, "out", ".txt");
    Path err = Files.createTempFile(dataDir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Jvm(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  @Order(7)
  void theCommandPrintsItsAnswerAndNothingElse() throws Exception {
    // This JVM still holds the H2 file (DB_CLOSE_DELAY=-1), as serve would: close it for the other JVM.
    try (java.sql.Connection c = database().open(); java.sql.Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
    Jvm verify = main(dataDir, "verify");
    assertThat(verify.status()).as(verify.err()).isZero();
    assertThat(verify.err()).isEmpty();
    assertThat(verify.out().lines().toList()).hasSize(2).first().asString().startsWith("OK: ");

    Jvm bad = main(dataDir, "history", "widget/x");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).isEqualTo("error: unknown kind 'widget': expected daemonset, node, pod or controllerrevision\n");

    Jvm unknownOption = main(dataDir, "pod", "x", "--frobnicate");
    assertThat(unknownOption.status()).isEqualTo(2);
    assertThat(unknownOption.err().lines().count()).as(unknownOption.err()).isEqualTo(1);

    Jvm noDatabase = main(dataDir.resolve("nowhere"), "verify");
    assertThat(noDatabase.status()).isEqualTo(2);
    assertThat(noDatabase.err()).startsWith("error: no journal database at ").hasLineCount(1);
  }
}
