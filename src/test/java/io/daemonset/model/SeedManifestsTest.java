package io.daemonset.model;

import static io.daemonset.model.TestManifests.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed manifests under examples/, read from the repository files, through strict decoding, defaulting and
 * validation, as served through extensions/v1beta1 and as apps/v1. */
class SeedManifestsTest {

  @ParameterizedTest
  @ValueSource(strings = {"fluentd.yaml", "nginx-fast-storage.yaml"})
  void extensionsV1beta1SeedDecodesDefaultsAndValidates(String file) {
    Decoded<DaemonSet> decoded = Manifests.read(TestManifests.example(file), DaemonSet.class, FieldValidation.STRICT);
    assertThat(decoded.problems()).isEmpty();
    DaemonSet original = decoded.value();
    assertThat(original.apiVersion()).isEqualTo(DaemonSet.EXTENSIONS_V1BETA1);

    DaemonSet ds = DaemonSetDefaults.daemonSet(original);

    Map<String, String> templateLabels = ds.spec().template().metadata().labels();
    assertThat(ds.spec().selector()).isEqualTo(LabelSelector.ofLabels(templateLabels));
    assertThat(ds.metadata().labels()).isEqualTo(original.metadata().labels());
    assertThat(ds.spec().updateStrategy()).isEqualTo(new DaemonSetUpdateStrategy("OnDelete", null));
    assertThat(ds.spec().revisionHistoryLimit()).isEqualTo(10);
    assertThat(ds.metadata().namespace()).isEqualTo("default");
    assertThat(DaemonSetValidation.validate(ds)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fluentd.yaml", "nginx-fast-storage.yaml"})
  void sameObjectAsAppsV1WithASelectorDefaultsToRollingUpdate(String file) {
    DaemonSet seed = Manifests.read(TestManifests.example(file), DaemonSet.class, FieldValidation.STRICT).value();
    String labels = Json.write(seed.spec().template().metadata().labels());
    String appsV1 = TestManifests.edited(TestManifests.example(file), set("/apiVersion", "\"apps/v1\""),
        set("/spec/selector", "{\"matchLabels\": " + labels + "}"));

    Decoded<DaemonSet> decoded = Manifests.read(appsV1, DaemonSet.class, FieldValidation.STRICT);
    DaemonSet ds = DaemonSetDefaults.daemonSet(decoded.value());

    assertThat(decoded.problems()).isEmpty();
    assertThat(ds.spec().updateStrategy()).isEqualTo(new DaemonSetUpdateStrategy("RollingUpdate",
        new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0))));
    assertThat(ds.spec().revisionHistoryLimit()).isEqualTo(10);
    assertThat(DaemonSetValidation.validate(ds)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fluentd.yaml", "nginx-fast-storage.yaml"})
  void appsV1WithoutSelectorIsRejectedAsUpstreamDoes(String file) {
    String appsV1 = TestManifests.edited(TestManifests.example(file), set("/apiVersion", "\"apps/v1\""));

    DaemonSet ds = DaemonSetDefaults.daemonSet(Manifests.read(appsV1, DaemonSet.class, FieldValidation.STRICT).value());

    assertThat(DaemonSetValidation.validate(ds)).extracting(FieldError::field)
        .containsExactly("spec.selector", "spec.template.metadata.labels");
  }
}
