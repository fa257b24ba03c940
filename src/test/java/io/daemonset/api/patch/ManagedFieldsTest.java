package io.daemonset.api.patch;

import static io.daemonset.api.patch.Fixtures.fluentd;
import static io.daemonset.api.patch.Fixtures.json;
import static io.daemonset.api.patch.Fixtures.node;
import static io.daemonset.api.patch.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ManagedFieldsTest {
  static final Instant T1 = Instant.parse("2026-11-27T17:29:04Z");
  static final Instant T2 = Instant.parse("2026-11-27T17:29:05.7Z");

  /** {@code object} carrying {@code managedFields}. */
  static JsonNode with(JsonNode object, JsonNode managedFields) {
    JsonNode out = object.deepCopy();
    ((ObjectNode) out.get("metadata")).set("managedFields", managedFields);
    return out;
  }

  static ArrayNode update(JsonNode before, JsonNode after, String manager, Instant now) {
    return ManagedFields.recordUpdate(before, after, manager, after.path("apiVersion").asText(), now,
        before == null ? null : before.at("/metadata/managedFields"));
  }

  @Test
  void createOwnsEveryFieldButTheServersAndStatus() {
    ArrayNode fields = update(null, fluentd(), "kubectl-create", T1);

    assertThat(fields).hasSize(1);
    JsonNode entry = fields.get(0);
    assertThat(entry.get("manager").asText()).isEqualTo("kubectl-create");
    assertThat(entry.get("operation").asText()).isEqualTo("Update");
    assertThat(entry.get("time").asText()).isEqualTo("2026-11-27T17:29:04Z");
    JsonNode f = entry.get("fieldsV1");
    assertThat(f.get("f:metadata")).isEqualTo(json("""
        {'f:labels':{'f:app':{}},'f:annotations':{'f:deprecated.daemonset.template.generation':{}}}"""));
    assertThat(f.has("f:status")).isFalse();
    assertThat(f.at("/f:spec/f:template/f:spec/f:containers").get("k:{\"name\":\"fluentd\"}")).isEqualTo(json("""
        {'.':{},'f:name':{},'f:image':{},'f:imagePullPolicy':{},'f:resources':{},'f:terminationMessagePath':{},
         'f:terminationMessagePolicy':{}}"""));
    assertThat(f.at("/f:spec/f:updateStrategy")).isEqualTo(json(
        "{'f:type':{},'f:rollingUpdate':{'f:maxUnavailable':{},'f:maxSurge':{}}}"));
  }

  /** kubectl label on a node (05-label): before, patch, manager, the node's managedFields after. */
  record Case(String name, JsonNode before, String patch, String manager, Instant now, JsonNode expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static JsonNode labelEntry(String manager, String time) {
    return json("""
        {'manager':'%s','operation':'Update','apiVersion':'v1','time':'%s',
         'fieldsType':'FieldsV1','fieldsV1':{'f:metadata':{'f:labels':{'f:ssd':{}}}}}""".formatted(manager, time));
  }

  static JsonNode entries(JsonNode... entries) {
    return Nodes.F.arrayNode().addAll(java.util.List.of(entries));
  }

  static Stream<Case> labelCases() {
    JsonNode kubelet = update(null, node(), "kubelet", T1).get(0);
    JsonNode label = labelEntry("kubectl-label", "2026-11-27T17:29:04Z");
    JsonNode tracked = with(node(), entries(kubelet));
    JsonNode labelled = with(MergePatches.apply(tracked, parse(KubectlWire.LABEL_SSD_TRUE)), entries(label, kubelet));
    return Stream.of(
        new Case("an object without managedFields stays untracked", node(), KubectlWire.LABEL_SSD_TRUE,
            "kubectl-label", T1, entries()),
        new Case("a label added is owned by its manager", tracked, KubectlWire.LABEL_SSD_TRUE, "kubectl-label", T1,
            entries(label, kubelet)),
        new Case("the same value again changes no entry", labelled, KubectlWire.LABEL_UNCHANGED, "kubectl-label", T2,
            entries(label, kubelet)),
        new Case("overwriting moves the entry's time on", labelled, KubectlWire.LABEL_SSD_FALSE_OVERWRITE,
            "kubectl-label", T2, entries(kubelet, labelEntry("kubectl-label", "2026-11-27T17:29:05Z"))),
        new Case("removing the label leaves no one owning it", labelled, KubectlWire.LABEL_SSD_REMOVE,
            "kubectl-label", T2, entries(kubelet)),
        new Case("another manager changing it takes it", labelled, KubectlWire.LABEL_SSD_FALSE_OVERWRITE, "ops", T2,
            entries(kubelet, labelEntry("ops", "2026-11-27T17:29:05Z"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labelCases")
  void kubectlLabel(Case c) {
    JsonNode after = MergePatches.apply(c.before(), parse(c.patch()));

    assertThat(update(c.before(), after, c.manager(), c.now())).isEqualTo(c.expected());
  }

  @Test
  void resettingManagedFieldsClearsThem() {
    JsonNode tracked = with(fluentd(), update(null, fluentd(), "kubectl-create", T1));
    JsonNode reset = JsonPatches.apply(tracked, parse(
        "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[{}]}]"));

    assertThat(update(tracked, reset, "kubectl-patch", T2)).isEmpty();
  }

  @Test
  void anUpdateTakesAFieldFromAnApplier() {
    JsonNode live = ((ApplyResult.Applied) ServerSideApply.apply(null, parse(KubectlWire.SSA_APPLY_V16),
        new ServerSideApply.Options("kubectl", false, "apps/v1", T1), PatchSchema.DAEMONSET)).object();
    JsonNode edited = StrategicMergePatches.apply(live, parse(KubectlWire.APPLY_IMAGE_V17), PatchSchema.DAEMONSET);

    ArrayNode fields = update(live, edited, "kubectl-client-side-apply", T2);

    assertThat(fields.get(0).get("manager").asText()).as("Apply entries sort first").isEqualTo("kubectl");
    assertThat(fields.get(0).at("/fieldsV1/f:spec/f:template/f:spec/f:containers").toString())
        .doesNotContain("f:image\"");
    assertThat(fields.get(1).get("fieldsV1")).isEqualTo(parse("""
        {"f:metadata":{"f:annotations":{"f:kubectl.kubernetes.io/last-applied-configuration":{}}},
         "f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"fluentd\\"}":{"f:image":{}}}}}}}"""));
  }

  @Test
  void theStatusSubresourceOwnsOnlyStatus() {
    JsonNode tracked = with(node(), update(null, node(), "kubelet", T1));
    JsonNode after = StrategicMergePatches.apply(tracked, json(
        "{'metadata':{'labels':{'x':'y'}},'status':{'conditions':[{'type':'Ready','status':'False'}]}}"),
        PatchSchema.NODE);

    ArrayNode fields = ManagedFields.recordUpdate(tracked, after, "agent", "v1", T2,
        tracked.at("/metadata/managedFields"), PatchSchema.NODE, "status");

    JsonNode agent = fields.get(1);
    assertThat(agent.get("subresource").asText()).isEqualTo("status");
    assertThat(agent.get("fieldsV1")).isEqualTo(json(
        "{'f:status':{'f:conditions':{'k:{\\u0022type\\u0022:\\u0022Ready\\u0022}':{'f:status':{}}}}}"));
  }

  @ParameterizedTest(name = "fieldManager={0}, User-Agent={1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "none | kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07 | kubectl",
      "kubectl-rollout | kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07 | kubectl-rollout",
      "'' | kube-controller-manager/v1.32.0 | kube-controller-manager",
      "none | curl | curl",
      "none | none | ''"})
  void managerFromParameterOrUserAgent(String fieldManager, String userAgent, String expected) {
    assertThat(ManagedFields.managerFor(fieldManager, userAgent)).isEqualTo(expected);
  }
}
