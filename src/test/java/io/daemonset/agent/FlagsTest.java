package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagsTest {

  @Test
  void labels() {
    assertThat(Flags.labels("zone=a, ssd=true,empty=")).containsExactly(
        Map.entry("zone", "a"), Map.entry("ssd", "true"), Map.entry("empty", ""));
    assertThat(Flags.labels("")).isEmpty();
    assertThat(Flags.labels(null)).isEmpty();
    assertThatThrownBy(() -> Flags.labels("zone")).hasMessageContaining("want key=value");
    assertThatThrownBy(() -> Flags.labels("=a")).hasMessageContaining("invalid label");
    assertThatThrownBy(() -> Flags.labels("a=1,a=2")).hasMessageContaining("given twice");
  }

  @Test
  void taints() {
    assertThat(Flags.taints("dedicated=gpu:NoSchedule,maintenance:NoExecute, x=y:PreferNoSchedule"))
        .containsExactly(Taint.of("dedicated", "gpu", "NoSchedule"), Taint.of("maintenance", null, "NoExecute"),
            Taint.of("x", "y", "PreferNoSchedule"));
    assertThat(Flags.taints("example.com/k=v:w:NoSchedule")).containsExactly(Taint.of("example.com/k", "v:w", "NoSchedule"));
    assertThatThrownBy(() -> Flags.taints("k=v")).hasMessageContaining("want key=value:Effect");
    assertThatThrownBy(() -> Flags.taints("k=v:Sometimes")).hasMessageContaining("invalid taint effect \"Sometimes\"");
    assertThatThrownBy(() -> Flags.taints("=v:NoSchedule")).hasMessageContaining("empty key");
  }

  @Test
  void capacity() {
    Map<String, Quantity> c = Flags.capacity("cpu=4,memory=8Gi,pods=110");
    assertThat(c.keySet()).containsExactly("cpu", "memory", "pods");
    assertThat(c.get("memory").value()).isEqualByComparingTo("8589934592");
    assertThat(c.get("memory").toString()).isEqualTo("8Gi");
    assertThatThrownBy(() -> Flags.capacity("cpu=lots")).hasMessageContaining("invalid quantity for cpu");
  }

  @ParameterizedTest
  @CsvSource({
      "10s, PT10S", "1m30s, PT1M30S", "250ms, PT0.25S", "1.5h, PT1H30M", "2h3m4s, PT2H3M4S", "15, PT15S",
      "PT5M, PT5M", "100us, PT0.0001S"})
  void durations(String text, String iso) {
    assertThat(Flags.duration(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource({"''", "10", "s", "10x", "1m 30s", "-5s"})
  void badDurations(String text) {
    if (text.equals("10")) {
      assertThat(Flags.duration(text)).isEqualTo(Duration.ofSeconds(10));
      return;
    }
    assertThatThrownBy(() -> Flags.duration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"PT10S, 10s", "PT20S, 20s", "PT1M20S, 1m20s", "PT5M, 5m0s", "PT0.25S, 250ms", "PT1H, 1h0m0s",
      "PT1.5S, 1.5s"})
  void formats(String iso, String go) {
    assertThat(Flags.format(Duration.parse(iso))).isEqualTo(go);
  }

  @Test
  void fractions() {
    assertThat(Flags.fraction("f", 0.25)).isEqualTo(0.25);
    assertThatThrownBy(() -> Flags.fraction("--never-ready-fraction", 1.5))
        .hasMessage("--never-ready-fraction must be between 0 and 1, not 1.5");
    assertThat(List.of(0.0, 1.0)).allSatisfy(v -> assertThat(Flags.fraction("f", v)).isEqualTo(v));
  }

  @Test
  void aFleetRefusesTheBootstrapTokenAndTheHelpTextsSayWhichTokenToGive(@org.junit.jupiter.api.io.TempDir
                                                                         java.nio.file.Path dir) throws Exception {
    java.nio.file.Path token = dir.resolve("node-token");
    java.nio.file.Files.writeString(token, "abcdef.0123456789abcdef\n");
    FleetCommand fleet = new FleetCommand();
    new picocli.CommandLine(fleet).parseArgs("--server", "http://127.0.0.1:1", "--token-file", token.toString(),
        "--nodes", "3");
    assertThatThrownBy(fleet::settings).hasMessageContaining("not the bootstrap token");
    AgentCommand agent = new AgentCommand();
    new picocli.CommandLine(agent).parseArgs("--server", "http://127.0.0.1:1", "--token-file", token.toString(),
        "--node-name", "n1");
    assertThat(agent.settings().target().token()).isEqualTo("abcdef.0123456789abcdef");
    assertThat(new picocli.CommandLine(new AgentCommand()).getUsageMessage()).contains("node-token")
        .contains("<work-dir>/node-credential");
    assertThat(new picocli.CommandLine(new FleetCommand()).getUsageMessage()).contains("system:masters");
  }
}
