package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's other pure pieces: the actions' API requests, node ordering, the session cookie. */
class ConsolePureTest {
  static final DaemonSet DS = FleetCellsTest.daemonSet(java.util.Map.of());

  @Test
  void pauseAndResumeAreMergePatchesOfRollingUpdatePaused() {
    Actions.Patch pause = Actions.of("pause", DS, new ObjectIndex(), Instant.EPOCH).orElseThrow();
    assertThat(pause.path()).isEqualTo("/apis/apps/v1/namespaces/default/daemonsets/agent?fieldManager=daemonset-console");
    assertThat(pause.contentType()).isEqualTo("application/merge-patch+json");
    assertThat(pause.body()).isEqualTo("{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":true}}}}");
    assertThat(Actions.of("resume", DS, new ObjectIndex(), Instant.EPOCH).orElseThrow().body())
        .isEqualTo("{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":false}}}}");
  }

  @Test
  void restartIsKubectlsRestartedAtAnnotationAndUndoNeedsAnEarlierRevision() {
    Actions.Patch restart = Actions.of("restart", DS, new ObjectIndex(), Instant.parse("2026-12-01T10:00:00.5Z"))
        .orElseThrow();
    assertThat(restart.contentType()).isEqualTo("application/strategic-merge-patch+json");
    assertThat(restart.body()).isEqualTo("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
        + "{\"kubectl.kubernetes.io/restartedAt\":\"2026-12-01T10:00:00Z\"}}}}}");
    assertThat(Actions.of("undo", DS, new ObjectIndex(), Instant.EPOCH)).isEmpty();
    assertThat(Actions.of("delete-everything", DS, new ObjectIndex(), Instant.EPOCH)).isEmpty();
    assertThat(Actions.known("delete-everything")).isFalse();
  }

  @Test
  void nodesSortByTheNumbersInTheirNames() {
    List<String> names = new ArrayList<>(List.of("node-10", "node-2", "b-1", "node-1", "node-02x", "node-100"));
    names.sort(NaturalOrder.INSTANCE);
    assertThat(names).containsExactly("b-1", "node-1", "node-2", "node-02x", "node-10", "node-100");
    List<String> zeros = new ArrayList<>(List.of("n-010", "n-9", "n-0", "n-00a", "n-1", "n-0010"));
    zeros.sort(NaturalOrder.INSTANCE);
    assertThat(zeros).containsExactly("n-0", "n-00a", "n-1", "n-9", "n-010", "n-0010");
    assertThat(NaturalOrder.INSTANCE.compare("n-007", "n-7")).isZero();
    assertThat(NaturalOrder.INSTANCE.compare("n-7", "n-8")).isNegative();
    assertThat(NaturalOrder.INSTANCE.compare("n-71", "n-8")).isPositive();
  }

  @Test
  void theSessionCookieIsHttpOnlySecureStrictAndScopedToTheConsole() {
    assertThat(ConsoleRoutes.cookie("abc", 60)).isEqualTo(
        "ds_console=abc; Path=/console; Max-Age=60; HttpOnly; Secure; SameSite=Strict");
  }

  @Test
  void actionsMustComeFromTheConsolesOwnOrigin() {
    org.apache.pekko.http.javadsl.model.Uri uri = org.apache.pekko.http.javadsl.model.Uri.create(
        "https://127.0.0.1:6443/console/logout");
    java.util.Optional<String> none = java.util.Optional.empty();
    assertThat(ConsoleRoutes.sameOrigin(uri, none, none)).isTrue();
    assertThat(ConsoleRoutes.sameOrigin(uri, java.util.Optional.of("same-origin"),
        java.util.Optional.of("https://127.0.0.1:6443"))).isTrue();
    assertThat(ConsoleRoutes.sameOrigin(uri, java.util.Optional.of("cross-site"), none)).isFalse();
    assertThat(ConsoleRoutes.sameOrigin(uri, none, java.util.Optional.of("https://evil.example"))).isFalse();
    assertThat(ConsoleRoutes.sameOrigin(uri, none, java.util.Optional.of("https://127.0.0.1:6444"))).isFalse();
  }
}
