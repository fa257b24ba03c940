package io.daemonset.api.patch;

import static io.daemonset.api.patch.Fixtures.fluentd;
import static io.daemonset.api.patch.Fixtures.json;
import static io.daemonset.api.patch.Fixtures.node;
import static io.daemonset.api.patch.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JsonAndMergePatchesTest {

  record Case(String name, JsonNode original, String patch, String at, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> mergePatches() {
    return Stream.of(
        new Case("kubectl label adds a label", node(), KubectlWire.LABEL_SSD_TRUE, "/metadata/labels/ssd", "'true'"),
        new Case("kubectl label ssd- removes it with null", withSsd(), KubectlWire.LABEL_SSD_REMOVE,
            "/metadata/labels", "{'kubernetes.io/hostname':'node-1','kubernetes.io/os':'linux'}"),
        new Case("kubectl label with an unchanged value sends {}", withSsd(), KubectlWire.LABEL_UNCHANGED, "",
            withSsd().toString().replace('"', '\'')),
        new Case("kubectl label --overwrite", withSsd(), KubectlWire.LABEL_SSD_FALSE_OVERWRITE, "/metadata/labels/ssd",
            "'false'"),
        new Case("kubectl annotate", fluentd(), KubectlWire.ANNOTATE_CHANGE_CAUSE, "/metadata/annotations",
            "{'deprecated.daemonset.template.generation':'1','kubernetes.io/change-cause':'image-bumped-to-1.17'}"),
        new Case("arrays are replaced whole, merge keys or not", fluentd(),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"other\"}]}}}}",
            "/spec/template/spec/containers", "[{'name':'other'}]"),
        new Case("nulls inside a new object are dropped", fluentd(), "{\"spec\":{\"extra\":{\"a\":1,\"b\":null}}}",
            "/spec/extra", "{'a':1}"),
        new Case("a scalar replaces an object", fluentd(), "{\"spec\":{\"updateStrategy\":\"none\"}}",
            "/spec/updateStrategy", "'none'"),
        new Case("no $-directive has meaning in a merge patch", fluentd(),
            "{\"spec\":{\"template\":{\"$patch\":\"replace\"}}}", "/spec/template/$patch", "'replace'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mergePatches")
  void mergePatch(Case c) {
    JsonNode original = c.original().deepCopy();
    JsonNode result = MergePatches.apply(original, parse(c.patch()));

    assertThat(c.at().isEmpty() ? result : result.at(c.at())).isEqualTo(json(c.expected()));
    assertThat(original).isEqualTo(c.original());
  }

  @Test
  void mergePatchMustBeAnObject() {
    assertThatThrownBy(() -> MergePatches.apply(fluentd(), parse("[1]")))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  static Stream<Case> jsonPatches() {
    return Stream.of(
        new Case("add a label", fluentd(), "[{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"logs\"}]",
            "/metadata/labels", "{'app':'fluentd','tier':'logs'}"),
        new Case("replace the image", fluentd(),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"x\"}]",
            "/spec/template/spec/containers/0/image", "'x'"),
        new Case("remove nodeSelector", fluentd(), "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector\"}]",
            "/spec/template/spec/nodeSelector", "null"),
        new Case("append to a list with -", fluentd(),
            "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"b\"}}]",
            "/spec/template/spec/containers/1", "{'name':'b'}"),
        new Case("test then replace (optimistic concurrency)", fluentd(),
            "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"1001\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/revisionHistoryLimit\",\"value\":3}]",
            "/spec/revisionHistoryLimit", "3"),
        new Case("a test compares numbers by value, whatever their Java type", withLongLimit(),
            "[{\"op\":\"test\",\"path\":\"/spec/revisionHistoryLimit\",\"value\":10.0}]", "/spec/revisionHistoryLimit",
            "10"),
        new Case("kubectl's CSA to SSA migration replaces managedFields and resourceVersion", withManagedFields(),
            KubectlWire.SSA_MIGRATE_MANAGED_FIELDS, "/metadata/managedFields/1/manager", "'kubectl-last-applied'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonPatches")
  void jsonPatch(Case c) {
    JsonNode original = c.original().deepCopy();
    JsonNode result = JsonPatches.apply(original, parse(c.patch()));

    JsonNode actual = result.at(c.at());
    assertThat(actual.isMissingNode() ? json("null") : actual).isEqualTo(json(c.expected()));
    assertThat(original).isEqualTo(c.original());
  }

  record Refusal(String name, String patch, int code, String message, String detail) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String REJECTED = "the server rejected our request due to an error in our request";

  static Stream<Refusal> jsonPatchRefusals() {
    return Stream.of(
        new Refusal("a failing test", "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"999\"}]",
            422, REJECTED, "testing value /metadata/resourceVersion failed: test failed"),
        new Refusal("a failing test stops the whole patch",
            "[{\"op\":\"replace\",\"path\":\"/spec/revisionHistoryLimit\",\"value\":1},"
                + "{\"op\":\"test\",\"path\":\"/spec/revisionHistoryLimit\",\"value\":10}]",
            422, REJECTED, "testing value /spec/revisionHistoryLimit failed"),
        new Refusal("removing a path that is not there", "[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]", 422,
            REJECTED, "remove operation does not apply"),
        new Refusal("replacing below a missing parent", "[{\"op\":\"replace\",\"path\":\"/nope/deeper\",\"value\":1}]",
            422, REJECTED, "replace operation does not apply"),
        new Refusal("an unknown op", "[{\"op\":\"frobnicate\",\"path\":\"/spec\"}]", 422, REJECTED, "frobnicate"),
        new Refusal("a body that is not a list", "{\"op\":\"add\"}", 400,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonPatchRefusals")
  void jsonPatchRefused(Refusal r) {
    assertThatThrownBy(() -> JsonPatches.apply(fluentd(), parse(r.patch())))
        .isInstanceOfSatisfying(PatchException.class, e -> {
          assertThat(e.code()).isEqualTo(r.code());
          assertThat(e.getMessage()).isEqualTo(r.message());
          if (r.detail() != null) {
            assertThat(e.detail()).contains(r.detail());
          }
          assertThat(e.toStatus().reason()).isEqualTo(r.code() == 422 ? "Invalid" : "BadRequest");
        });
  }

  @Test
  void moreThanTenThousandOperationsIsTooLarge() {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i <= JsonPatches.MAX_OPERATIONS; i++) {
      ops.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"DaemonSet\"}");
    }
    assertThatThrownBy(() -> JsonPatches.apply(fluentd(), parse(ops.append(']').toString())))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(413));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", delimiter = '|', value = {
      "application/json-patch+json | JSON_PATCH",
      "application/merge-patch+json | MERGE_PATCH",
      "application/strategic-merge-patch+json | STRATEGIC_MERGE_PATCH",
      "application/apply-patch+yaml | APPLY_PATCH",
      "application/apply-patch+yaml; charset=utf-8 | APPLY_PATCH",
      "Application/Merge-Patch+JSON | MERGE_PATCH",
      "application/apply-patch+cbor | none",
      "application/json | none",
      "none | none"})
  void patchTypeFromContentType(String contentType, PatchType expected) {
    assertThat(PatchType.fromContentType(contentType)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "{0} fieldManager={1} force={2} -> {3}")
  @CsvSource(nullValues = "none", delimiter = '|', value = {
      "APPLY_PATCH | kubectl | false | ok",
      "APPLY_PATCH | none | false | PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
      "STRATEGIC_MERGE_PATCH | none | none | ok",
      "MERGE_PATCH | kubectl-label | none | ok",
      "JSON_PATCH | none | true | PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"})
  void patchOptions(PatchType type, String fieldManager, Boolean force, String expected) {
    if (expected.equals("ok")) {
      type.validateOptions(fieldManager, force);
    } else {
      assertThatThrownBy(() -> type.validateOptions(fieldManager, force))
          .isInstanceOfSatisfying(PatchException.class, e -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.getMessage()).isEqualTo(expected);
          });
    }
  }

  @Test
  void unsupportedMediaTypeListsTheAcceptedOnes() {
    PatchException e = PatchException.unsupportedMediaType("application/apply-patch+cbor");
    assertThat(e.code()).isEqualTo(415);
    assertThat(e.getMessage()).contains("application/strategic-merge-patch+json", "application/apply-patch+yaml");
  }

  static JsonNode withManagedFields() {
    JsonNode ds = fluentd();
    ((ObjectNode) ds.get("metadata")).set("managedFields", json("""
        [{'manager':'kubectl-client-side-apply','operation':'Update','apiVersion':'apps/v1',
          'time':'2026-11-27T17:28:58Z','fieldsType':'FieldsV1','fieldsV1':{'f:spec':{'f:revisionHistoryLimit':{}}}}]"""));
    return ds;
  }

  static JsonNode withSsd() {
    JsonNode n = node();
    ((ObjectNode) n.at("/metadata/labels")).put("ssd", "true");
    return n;
  }

  /** fluentd as Json.tree(record) would build it: revisionHistoryLimit a LongNode, not an IntNode. */
  static JsonNode withLongLimit() {
    JsonNode ds = fluentd();
    ((ObjectNode) ds.get("spec")).put("revisionHistoryLimit", 10L);
    return ds;
  }
}
