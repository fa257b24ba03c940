package io.daemonset.api.patch;

import static io.daemonset.api.patch.Fixtures.json;
import static io.daemonset.api.patch.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerSideApplyTest {
  static final Instant T1 = Instant.parse("2026-11-27T17:28:57Z");
  static final Instant T2 = Instant.parse("2026-11-27T17:28:59Z");
  static final String APPS_V1 = "apps/v1";
  static final String IMAGE = ".spec.template.spec.containers[name=\"fluentd\"].image";

  /**
   * kubectl's entry after its first apply --server-side (03 #162) in kube-apiserver's shape: as the wire stub
   * answered, except the LabelSelector, which is atomic upstream ("f:selector":{}).
   */
  static final JsonNode KUBECTL_FIELDS = parse("""
      {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:selector":{},
       "f:template":{"f:metadata":{"f:labels":{"f:name":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"fluentd\\"}":
       {".":{},"f:image":{},"f:name":{}}},"f:nodeSelector":{"f:ssd":{}}}}}}""");

  static ApplyResult apply(JsonNode live, String config, String manager, boolean force, Instant now) {
    return ServerSideApply.apply(live, ServerSideApply.parse(config),
        new ServerSideApply.Options(manager, force, APPS_V1, now), PatchSchema.DAEMONSET);
  }

  static JsonNode applied(JsonNode live, String config, String manager, Instant now) {
    ApplyResult result = apply(live, config, manager, false, now);
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    return ((ApplyResult.Applied) result).object();
  }

  static JsonNode entry(JsonNode object, String manager) {
    for (JsonNode e : object.at("/metadata/managedFields")) {
      if (e.get("manager").asText().equals(manager)) {
        return e;
      }
    }
    return json("null");
  }

  @Test
  void createViaApplyOwnsExactlyTheAppliedFieldsInUpstreamsShape() {
    ApplyResult result = apply(null, KubectlWire.SSA_APPLY_V16, "kubectl", false, T1);

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    ApplyResult.Applied created = (ApplyResult.Applied) result;
    assertThat(created.changed()).isTrue();
    ObjectNode expected = (ObjectNode) json("""
        {'manager':'kubectl','operation':'Apply','apiVersion':'apps/v1','time':'2026-11-27T17:28:57Z',
         'fieldsType':'FieldsV1'}""");
    expected.set("fieldsV1", KUBECTL_FIELDS);
    assertThat(created.object().at("/metadata/managedFields")).containsExactly(expected);
    ObjectNode withoutManagedFields = created.object().deepCopy();
    ((ObjectNode) withoutManagedFields.get("metadata")).remove("managedFields");
    assertThat(withoutManagedFields).isEqualTo(parse(KubectlWire.SSA_APPLY_V16));
  }

  @Test
  void reapplyingTheSameConfigurationChangesNothing() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);

    ApplyResult again = apply(live, KubectlWire.SSA_APPLY_V16, "kubectl", false, T2);

    assertThat(again).isEqualTo(new ApplyResult.Applied(live, false));
  }

  @Test
  void applyingANewImageUpdatesItAndTheEntryTime() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);

    JsonNode updated = applied(live, KubectlWire.SSA_APPLY_V17, "kubectl", T2);

    assertThat(updated.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("fluent/fluentd:v1.17-1");
    assertThat(entry(updated, "kubectl").get("time").asText()).isEqualTo("2026-11-27T17:28:59Z");
    assertThat(entry(updated, "kubectl").get("fieldsV1")).isEqualTo(KUBECTL_FIELDS);
  }

  @Test
  void applyDroppingFieldsRemovesThem() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);
    String smaller = KubectlWire.SSA_APPLY_V16.replace(",\"nodeSelector\":{\"ssd\":\"true\"}", "")
        .replace("\"labels\":{\"app\":\"fluentd\"},", "");

    JsonNode updated = applied(live, smaller, "kubectl", T2);

    assertThat(updated.at("/spec/template/spec").has("nodeSelector")).isFalse();
    assertThat(updated.at("/metadata").has("labels")).isFalse();
    assertThat(updated.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("fluent/fluentd:v1.16-1");
    assertThat(entry(updated, "kubectl").at("/fieldsV1/f:metadata").isMissingNode()).isTrue();
  }

  @Test
  void applyDroppingAContainerRemovesIt() {
    String two = KubectlWire.SSA_APPLY_V16.replace("\"name\":\"fluentd\"}]",
        "\"name\":\"fluentd\"},{\"image\":\"busybox\",\"name\":\"sidecar\"}]");
    JsonNode live = applied(null, two, "kubectl", T1);
    assertThat(live.at("/spec/template/spec/containers")).hasSize(2);

    JsonNode updated = applied(live, KubectlWire.SSA_APPLY_V16, "kubectl", T2);

    assertThat(updated.at("/spec/template/spec/containers")).hasSize(1);
  }

  @Test
  void anotherAppliersFieldWithADifferentValueIsAConflict() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "other-manager", T1);

    ApplyResult result = apply(live, KubectlWire.SSA_APPLY_V17, "kubectl", false, T2);

    assertThat(result).isInstanceOf(ApplyResult.Conflicted.class);
    ApplyResult.Conflicted conflicted = (ApplyResult.Conflicted) result;
    assertThat(conflicted.conflicts()).containsExactly(new ApplyResult.Conflict("\"other-manager\"", IMAGE));
    assertThat(conflicted.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"other-manager\": "
        + IMAGE);
    PatchException e = conflicted.toException();
    assertThat(e.code()).isEqualTo(409);
    assertThat(e.toStatus().reason()).isEqualTo("Conflict");
    assertThat(e.toStatus().details().causes()).singleElement()
        .satisfies(c -> assertThat(c.field()).isEqualTo(IMAGE))
        .satisfies(c -> assertThat(c.reason()).isEqualTo("FieldManagerConflict"));
  }

  @Test
  void forceTakesOwnership() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "other-manager", T1);

    ApplyResult result = apply(live, KubectlWire.SSA_APPLY_V17, "kubectl", true, T2);

    JsonNode forced = ((ApplyResult.Applied) result).object();
    assertThat(forced.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("fluent/fluentd:v1.17-1");
    assertThat(entry(forced, "kubectl").get("fieldsV1")).isEqualTo(KUBECTL_FIELDS);
    JsonNode item = entry(forced, "other-manager").at("/fieldsV1/f:spec/f:template/f:spec/f:containers")
        .get("k:{\"name\":\"fluentd\"}");
    assertThat(item.has("f:image")).as("other-manager lost the image").isFalse();
    assertThat(item.has("f:name")).as("and still shares the rest").isTrue();
  }

  @Test
  void appliersAgreeingOnAValueShareIt() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "other-manager", T1);

    JsonNode shared = applied(live, KubectlWire.SSA_APPLY_V16, "kubectl", T2);

    assertThat(entry(shared, "other-manager").get("fieldsV1")).isEqualTo(KUBECTL_FIELDS);
    assertThat(entry(shared, "kubectl").get("fieldsV1")).isEqualTo(KUBECTL_FIELDS);
  }

  @Test
  void anUpdatersFieldsSurviveAnApplyThatDoesNotMentionThem() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);
    JsonNode labelled = MergePatches.apply(live, json("{'metadata':{'labels':{'tier':'logs'}}}"));
    ((ObjectNode) labelled.get("metadata")).set("managedFields", ManagedFields.recordUpdate(live, labelled,
        "kubectl-label", APPS_V1, T2, live.at("/metadata/managedFields")));

    JsonNode reapplied = applied(labelled, KubectlWire.SSA_APPLY_V17, "kubectl", T2);

    assertThat(reapplied.at("/metadata/labels")).isEqualTo(json("{'app':'fluentd','tier':'logs'}"));
    assertThat(entry(reapplied, "kubectl-label").at("/fieldsV1")).isEqualTo(json(
        "{'f:metadata':{'f:labels':{'f:tier':{}}}}"));
  }

  @Test
  void aFieldAnUpdaterAlsoOwnsIsNotPrunedWhenTheApplierDropsIt() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);
    JsonNode edited = MergePatches.apply(live, json("{'spec':{'template':{'spec':{'nodeSelector':{'ssd':'yes'}}}}}"));
    ((ObjectNode) edited.get("metadata")).set("managedFields", ManagedFields.recordUpdate(live, edited,
        "kubectl-edit", APPS_V1, T2, live.at("/metadata/managedFields")));
    String withoutSelector = KubectlWire.SSA_APPLY_V16.replace(",\"nodeSelector\":{\"ssd\":\"true\"}", "");

    JsonNode reapplied = applied(edited, withoutSelector, "kubectl", T2);

    assertThat(reapplied.at("/spec/template/spec/nodeSelector")).isEqualTo(json("{'ssd':'yes'}"));
  }

  @Test
  void aConflictWithAnUpdaterNamesItsApiVersion() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "kubectl", T1);
    JsonNode edited = MergePatches.apply(live, json("{'spec':{'template':{'spec':{'nodeSelector':{'ssd':'yes'}}}}}"));
    ((ObjectNode) edited.get("metadata")).set("managedFields", ManagedFields.recordUpdate(live, edited,
        "kubectl-edit", APPS_V1, T2, live.at("/metadata/managedFields")));

    ApplyResult result = apply(edited, KubectlWire.SSA_APPLY_V16, "kubectl", false, T2);

    assertThat(((ApplyResult.Conflicted) result).message()).isEqualTo("Apply failed with 1 conflict: conflict with "
        + "\"kubectl-edit\" using apps/v1: .spec.template.spec.nodeSelector.ssd");
  }

  @Test
  void severalConflictsAreListedByManager() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "other-manager", T1);
    String changed = KubectlWire.SSA_APPLY_V17.replace("\"ssd\":\"true\"", "\"ssd\":\"false\"");

    ApplyResult result = apply(live, changed, "team-b", false, T2);

    assertThat(((ApplyResult.Conflicted) result).message()).isEqualTo("""
        Apply failed with 2 conflicts: conflicts with "other-manager":
        - .spec.template.spec.containers[name="fluentd"].image
        - .spec.template.spec.nodeSelector.ssd""");
  }

  @Test
  void anObjectWithoutManagedFieldsIsFirstOwnedByBeforeFirstApply() {
    JsonNode untracked = Fixtures.fluentd();

    ApplyResult result = apply(untracked, KubectlWire.SSA_APPLY_V17, "team-b", false, T2);

    assertThat(((ApplyResult.Conflicted) result).conflicts())
        .containsExactly(new ApplyResult.Conflict("\"before-first-apply\" using apps/v1", IMAGE));
  }

  /**
   * The path of 03-apply-server-side: kubectl apply (client side) creates the object, then
   * kubectl apply --server-side takes it over without conflict, saves the annotation under
   * kubectl-last-applied, migrates managedFields with a JSON patch, and applies again.
   */
  @Test
  void clientSideToServerSideApplyMigration() {
    JsonNode created = csaCreated();

    JsonNode afterSsa = applied(created, KubectlWire.SSA_APPLY_V17, "kubectl", T2);
    assertThat(afterSsa.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("fluent/fluentd:v1.17-1");
    assertThat(afterSsa.at("/metadata/annotations").get(ServerSideApply.LAST_APPLIED).asText())
        .isEqualTo(Nodes.canonical(parse(KubectlWire.SSA_APPLY_V17)) + "\n");
    assertThat(entry(afterSsa, "kubectl-client-side-apply").at("/fieldsV1/f:spec/f:template/f:spec/f:containers")
        .get("k:{\"name\":\"fluentd\"}").has("f:image")).as("the image moved to kubectl").isFalse();

    String lastApplied = KubectlWire.SSA_LAST_APPLIED.replace(
        parse(KubectlWire.SSA_LAST_APPLIED).at("/metadata/annotations").get(ServerSideApply.LAST_APPLIED).toString(),
        afterSsa.at("/metadata/annotations").get(ServerSideApply.LAST_APPLIED).toString());
    JsonNode saved = applied(afterSsa, lastApplied, "kubectl-last-applied", T2);
    assertThat(entry(saved, "kubectl-last-applied").get("fieldsV1")).isEqualTo(json(
        "{'f:metadata':{'f:annotations':{'f:kubectl.kubernetes.io/last-applied-configuration':{}}}}"));

    JsonNode migrationPatch = parse(KubectlWire.SSA_MIGRATE_MANAGED_FIELDS);
    ((ObjectNode) migrationPatch.get(1)).put("value", saved.at("/metadata/resourceVersion").asText());
    JsonNode migrated = JsonPatches.apply(saved, migrationPatch);
    ((ObjectNode) migrated.get("metadata")).set("managedFields", ManagedFields.recordUpdate(saved, migrated,
        "kubectl", APPS_V1, T2, saved.at("/metadata/managedFields")));
    assertThat(migrated.at("/metadata/managedFields")).as("kubectl's entries replace the server's")
        .isEqualTo(migrationPatch.at("/0/value"));

    ApplyResult last = apply(migrated, KubectlWire.SSA_APPLY_V17, "kubectl", false, T2);
    assertThat(last).isInstanceOf(ApplyResult.Applied.class);
    assertThat(((ApplyResult.Applied) last).object().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("fluent/fluentd:v1.17-1");
    assertThat(((ApplyResult.Applied) last).object().at("/spec/selector"))
        .as("the stub's f:matchLabels entry does not prune inside the atomic selector")
        .isEqualTo(json("{'matchLabels':{'name':'fluentd'}}"));
  }

  @Test
  void theLabelSelectorIsOneAtomicField() {
    JsonNode live = applied(null, KubectlWire.SSA_APPLY_V16, "other-manager", T1);
    String otherSelector = KubectlWire.SSA_APPLY_V16.replace("\"matchLabels\":{\"name\":\"fluentd\"}",
        "\"matchLabels\":{\"name\":\"fluentd\",\"tier\":\"logs\"}");

    ApplyResult result = apply(live, otherSelector, "team-b", false, T2);

    assertThat(((ApplyResult.Conflicted) result).conflicts())
        .containsExactly(new ApplyResult.Conflict("\"other-manager\"", ".spec.selector"));
  }

  @Test
  void fieldsOwnedThroughMigrationArePrunedThenDefaultedBack() {
    JsonNode migrated = applied(csaCreated(), KubectlWire.SSA_APPLY_V16, "kubectl", T2);
    JsonNode entries = parse(KubectlWire.SSA_MIGRATE_MANAGED_FIELDS).at("/0/value");
    ((ObjectNode) migrated.get("metadata")).set("managedFields", entries);

    ApplyResult bare = apply(migrated, KubectlWire.SSA_APPLY_V16, "kubectl", false, T2);
    ApplyResult defaulted = ServerSideApply.apply(migrated, parse(KubectlWire.SSA_APPLY_V16),
        new ServerSideApply.Options("kubectl", false, APPS_V1, T2, ds -> {
          ((ObjectNode) ds.get("spec")).putIfAbsent("revisionHistoryLimit", Nodes.F.numberNode(10));
          return ds;
        }), PatchSchema.DAEMONSET);

    assertThat(((ApplyResult.Applied) bare).object().at("/spec/revisionHistoryLimit").isMissingNode()).isTrue();
    assertThat(((ApplyResult.Applied) defaulted).object().at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
  }

  @Test
  void withoutTheAnnotationKubectlGetsNoPass() {
    JsonNode created = csaCreated();
    ((ObjectNode) created.at("/metadata/annotations")).remove(ServerSideApply.LAST_APPLIED);

    ApplyResult result = apply(created, KubectlWire.SSA_APPLY_V17, "kubectl", false, T2);

    assertThat(((ApplyResult.Conflicted) result).conflicts())
        .containsExactly(new ApplyResult.Conflict("\"kubectl-client-side-apply\" using apps/v1", IMAGE));
  }

  /** fluentd created by `kubectl apply` (client side): last-applied annotation, kubectl-client-side-apply owns all. */
  static JsonNode csaCreated() {
    JsonNode ds = Fixtures.fluentd();
    String lastApplied = parse(KubectlWire.APPLY_IMAGE_V17).at("/metadata/annotations")
        .get(ServerSideApply.LAST_APPLIED).asText().replace("v1.17-1", "v1.16-1");
    ((ObjectNode) ds.at("/metadata/annotations")).put(ServerSideApply.LAST_APPLIED, lastApplied);
    ((ObjectNode) ds.get("metadata")).set("managedFields",
        ManagedFields.recordUpdate(null, ds, "kubectl-client-side-apply", APPS_V1, T1, null));
    return ds;
  }

  record Refusal(String name, String config, String manager, int code, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("no fieldManager", KubectlWire.SSA_APPLY_V16, "", 422,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"),
        new Refusal("another apiVersion", KubectlWire.SSA_APPLY_V16.replace("apps/v1", "extensions/v1beta1"), "kubectl",
            400, "Incorrect version specified in apply patch. Specified patch version: extensions/v1beta1, "
                + "expected: apps/v1"),
        new Refusal("managedFields in the configuration",
            KubectlWire.SSA_APPLY_V16.replace("\"name\":\"fluentd\",\"namespace\"", "\"managedFields\":[],"
                + "\"name\":\"fluentd\",\"namespace\""), "kubectl", 400, "metadata.managedFields must be nil"),
        new Refusal("a body that is not an object", "- a\n- b\n", "kubectl", 400, "error decoding YAML"),
        new Refusal("a body that is not YAML", "{a: [", "kubectl", 400, "error decoding YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    assertThatThrownBy(() -> apply(null, r.config(), r.manager(), false, T1))
        .isInstanceOfSatisfying(PatchException.class, e -> {
          assertThat(e.code()).isEqualTo(r.code());
          assertThat(e.getMessage()).startsWith(r.message());
        });
  }

  @Test
  void yamlBodiesAreAccepted() {
    String yaml = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: fluentd
        spec:
          template:
            spec:
              containers:
              - name: fluentd
                image: fluent/fluentd:v1.16-1
                ports:
                - containerPort: 24224
        """;

    JsonNode created = applied(null, yaml, "kubectl", T1);

    assertThat(entry(created, "kubectl").at("/fieldsV1/f:spec/f:template/f:spec/f:containers")).isEqualTo(parse("""
        {"k:{\\"name\\":\\"fluentd\\"}":{".":{},"f:image":{},"f:name":{},
          "f:ports":{"k:{\\"containerPort\\":24224,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}"""));
  }

  @Test
  void fieldsV1RoundTripsKubectlsMigratedEntries() {
    for (JsonNode e : parse(KubectlWire.SSA_MIGRATE_MANAGED_FIELDS).at("/0/value")) {
      FieldSet set = FieldSet.fromFieldsV1(e.get("fieldsV1"));
      assertThat(set.toFieldsV1()).isEqualTo(e.get("fieldsV1"));
    }
    assertThat(ManagedFields.decode(parse(KubectlWire.SSA_MIGRATE_MANAGED_FIELDS).at("/0/value")))
        .extracting(ManagedFields.Entry::manager).isEqualTo(List.of("kubectl", "kubectl-last-applied"));
  }
}
