package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Json;
import io.daemonset.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** controller.ComputeHash, as TemplateHash reimplements it (see its javadoc for what differs). */
class TemplateHashTest {

  static final String TEMPLATE = """
      {"metadata":{"labels":{"name":"simple-daemon","type":"production"}},
       "spec":{"containers":[{"name":"c","image":"foo/bar"}],"dnsPolicy":"Default"}}""";

  static PodTemplateSpec template(String json) {
    return Json.read(json, PodTemplateSpec.class);
  }

  @Test
  void sameTemplateSameHashAcrossInstancesAndRuns() {
    String hash = TemplateHash.of(template(TEMPLATE), null);
    assertThat(TemplateHash.of(template(TEMPLATE), null)).isEqualTo(hash);
    // Pinned: a hash that changed between builds would restart every pod of every DaemonSet.
    assertThat(hash).isEqualTo(PINNED);
  }

  /** Computed once by this implementation; it must never change. */
  static final String PINNED = "7645d87744";

  @Test
  void keyOrderInTheManifestDoesNotMatter() {
    String reordered = """
        {"spec":{"dnsPolicy":"Default","containers":[{"image":"foo/bar","name":"c"}]},
         "metadata":{"labels":{"type":"production","name":"simple-daemon"}}}""";
    assertThat(TemplateHash.of(template(reordered), null)).isEqualTo(TemplateHash.of(template(TEMPLATE), null));
  }

  static Stream<Named<String>> changes() {
    return Stream.of(
        Named.of("image changed (TestDaemonSetUpdatesPods: foo/bar -> foo2/bar2)", TEMPLATE.replace("foo/bar", "foo2/bar2")),
        Named.of("label changed", TEMPLATE.replace("production", "test")),
        Named.of("annotation added (kubectl rollout restart)", TEMPLATE.replace("\"labels\"",
            "\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2024-01-01T00:00:00Z\"},\"labels\"")),
        Named.of("container order changed", TEMPLATE.replace("[{\"name\":\"c\",\"image\":\"foo/bar\"}]",
            "[{\"name\":\"d\",\"image\":\"x\"},{\"name\":\"c\",\"image\":\"foo/bar\"}]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void aChangedTemplateChangesTheHash(String changed) {
    assertThat(TemplateHash.of(template(changed), null)).isNotEqualTo(TemplateHash.of(template(TEMPLATE), null));
  }

  @Test
  void collisionCountChangesTheHashAndZeroIsNotAbsent() {
    PodTemplateSpec t = template(TEMPLATE);
    assertThat(TemplateHash.of(t, 0)).isNotEqualTo(TemplateHash.of(t, null));
    assertThat(TemplateHash.of(t, 1)).isNotEqualTo(TemplateHash.of(t, 0));
    assertThat(TemplateHash.of(t, 1)).isEqualTo(TemplateHash.of(t, 1));
  }

  @Test
  void usesOnlySafeEncodeStringCharacters() {
    assertThat(TemplateHash.of(template(TEMPLATE), 7)).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  @Test
  void fnv1a32KnownVectors() {
    assertThat(TemplateHash.fnv1a32("".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x811c9dc5);
    assertThat(TemplateHash.fnv1a32("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
    assertThat(TemplateHash.fnv1a32("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
  }

  @Test
  void safeEncodeStringMapsDigitsAsUpstream() {
    // '0' is 48, 48 % 27 = 21 -> '4'; '6' is 54, 54 % 27 = 0 -> 'b'.
    assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }
}
