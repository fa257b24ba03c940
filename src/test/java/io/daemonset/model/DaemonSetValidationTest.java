package io.daemonset.model;

import static io.daemonset.model.TestManifests.AGENT;
import static io.daemonset.model.TestManifests.defaulted;
import static io.daemonset.model.TestManifests.remove;
import static io.daemonset.model.TestManifests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.daemonset.model.TestManifests.Edit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per broken rule of a DaemonSet: the manifest is the valid AGENT with one edit, and the row names the exact
 * field path and kube-apiserver's text for it. Messages are spelled out here, independently of NameRules.
 */
class DaemonSetValidationTest {
  static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
      + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  static final String DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
      + "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  static final String KEY_NAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
      + "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
      + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  static final String LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', "
      + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
      + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  static final String PERCENT = "a valid percent string must be a numeric string followed by an ending '%' (e.g. "
      + "'1%',  or '93%', regex used for validation is '[0-9]+%')";
  static final String ROLLING = "/spec/updateStrategy/rollingUpdate";

  static Arguments row(String name, String field, String body, Edit... edits) {
    return Arguments.of(name, field, body, edits);
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        row("name missing", "metadata.name", "Required value: name or generateName is required",
            remove("/metadata/name")),
        row("name not a DNS subdomain", "metadata.name", "Invalid value: \"Agent_1\": " + SUBDOMAIN,
            set("/metadata/name", "\"Agent_1\"")),
        row("name longer than 253", "metadata.name",
            "Invalid value: \"" + "a".repeat(254) + "\": must be no more than 253 characters",
            set("/metadata/name", "\"" + "a".repeat(254) + "\"")),
        row("generateName prefix invalid", "metadata.generateName", "Invalid value: \"Agent-\": " + SUBDOMAIN,
            set("/metadata/generateName", "\"Agent-\"")),
        row("namespace with dots", "metadata.namespace", "Invalid value: \"kube.system\": must not contain dots",
            set("/metadata/namespace", "\"kube.system\"")),
        row("namespace upper case", "metadata.namespace", "Invalid value: \"Prod\": " + DNS_LABEL,
            set("/metadata/namespace", "\"Prod\"")),
        row("label key with two slashes", "metadata.labels", "Invalid value: \"a/b/c\": a valid label key must "
            + "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
            + "'example.com/MyName')", set("/metadata/labels/a~1b~1c", "\"x\"")),
        row("label key name over 63", "metadata.labels",
            "Invalid value: \"" + "k".repeat(64) + "\": name part must be no more than 63 characters",
            set("/metadata/labels/" + "k".repeat(64), "\"x\"")),
        row("label key prefix not a subdomain", "metadata.labels",
            "Invalid value: \"Example.com/app\": prefix part " + SUBDOMAIN,
            set("/metadata/labels/Example.com~1app", "\"x\"")),
        row("label key name starts with dash", "metadata.labels", "Invalid value: \"-tier\": " + KEY_NAME,
            set("/metadata/labels/-tier", "\"x\"")),
        row("label value starts with dash", "metadata.labels", "Invalid value: \"-bad\": " + LABEL_VALUE,
            set("/metadata/labels/tier", "\"-bad\"")),
        row("annotation key with a space", "metadata.annotations", "Invalid value: \"bad key\": " + KEY_NAME,
            set("/metadata/annotations", "{\"bad key\": \"x\"}")),
        row("annotations over 256 kB", "metadata.annotations", "Too long: must have at most 262144 bytes",
            set("/metadata/annotations", "{\"big\": \"" + "x".repeat(262142) + "\"}")),
        row("owner reference without uid", "metadata.ownerReferences.uid", "Invalid value: \"\": must not be empty",
            set("/metadata/ownerReferences", "[{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"name\": \"n1\"}]")),
        row("selector missing", "spec.selector", "Required value", remove("/spec/selector")),
        row("selector missing selects nothing", "spec.template.metadata.labels",
            "Invalid value: {\"app\":\"agent\"}: `selector` does not match template `labels`", remove("/spec/selector")),
        row("selector empty", "spec.selector", "Invalid value: {}: empty selector is invalid for daemonset",
            set("/spec/selector", "{}")),
        row("selector does not match template", "spec.template.metadata.labels",
            "Invalid value: {\"app\":\"agent\"}: `selector` does not match template `labels`",
            set("/spec/selector/matchLabels/app", "\"other\"")),
        row("template without labels", "spec.template.metadata.labels",
            "Invalid value: null: `selector` does not match template `labels`", remove("/spec/template/metadata/labels")),
        row("selector matchLabels value invalid", "spec.selector.matchLabels", "Invalid value: \"a b\": " + LABEL_VALUE,
            set("/spec/selector/matchLabels/app", "\"a b\"")),
        row("selector In without values", "spec.selector.matchExpressions[0].values",
            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
            set("/spec/selector/matchExpressions", "[{\"key\": \"app\", \"operator\": \"In\"}]")),
        row("selector Exists with values", "spec.selector.matchExpressions[0].values",
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            set("/spec/selector/matchExpressions", "[{\"key\": \"app\", \"operator\": \"Exists\", \"values\": [\"a\"]}]")),
        row("selector operator unknown", "spec.selector.matchExpressions[0].operator",
            "Invalid value: \"Equals\": not a valid selector operator",
            set("/spec/selector/matchExpressions", "[{\"key\": \"app\", \"operator\": \"Equals\", \"values\": [\"a\"]}]")),
        row("selector expression key invalid", "spec.selector.matchExpressions[0].key",
            "Invalid value: \"app!\": " + KEY_NAME,
            set("/spec/selector/matchExpressions", "[{\"key\": \"app!\", \"operator\": \"Exists\"}]")),
        row("template label invalid (upstream path)", "spec.template.labels", "Invalid value: \"a b\": " + LABEL_VALUE,
            set("/spec/template/metadata/labels/tier", "\"a b\"")),
        row("restartPolicy Never", "spec.template.spec.restartPolicy",
            "Unsupported value: \"Never\": supported values: \"Always\"", set("/spec/template/spec/restartPolicy", "\"Never\"")),
        row("restartPolicy unknown", "spec.template.spec.restartPolicy",
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            set("/spec/template/spec/restartPolicy", "\"Sometimes\"")),
        row("activeDeadlineSeconds set", "spec.template.spec.activeDeadlineSeconds",
            "Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
            set("/spec/template/spec/activeDeadlineSeconds", "30")),
        row("updateStrategy type unknown", "spec.updateStrategy",
            "Unsupported value: {\"type\":\"Rolling\"}: supported values: \"RollingUpdate\", \"OnDelete\"",
            set("/spec/updateStrategy", "{\"type\": \"Rolling\"}")),
        row("maxUnavailable negative", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Invalid value: -1: must be greater than or equal to 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxUnavailable\": -1}}")),
        row("maxUnavailable a string but not a percent", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Invalid value: \"10\": " + PERCENT,
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxUnavailable\": \"10\"}}")),
        row("maxUnavailable a signed percent", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Invalid value: \"+5%\": " + PERCENT,
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxUnavailable\": \"+5%\"}}")),
        row("maxUnavailable over 100%", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Invalid value: \"110%\": must not be greater than 100%",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxUnavailable\": \"110%\"}}")),
        row("maxSurge over 100%", "spec.updateStrategy.rollingUpdate.maxSurge",
            "Invalid value: \"150%\": must not be greater than 100%",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 0, \"maxSurge\": \"150%\"}}")),
        row("partition negative", "spec.updateStrategy.rollingUpdate.partition",
            "Invalid value: -1: must be greater than or equal to 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"partition\": -1}}")),
        row("failurePolicy unknown", "spec.updateStrategy.rollingUpdate.failurePolicy",
            "Unsupported value: \"Retry\": supported values: \"Continue\", \"Pause\", \"Rollback\"",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"failurePolicy\": \"Retry\"}}")),
        row("rollingUpdate selector with a bad operator", "spec.updateStrategy.rollingUpdate.selector.matchExpressions[0].operator",
            "Invalid value: \"Near\": not a valid selector operator",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"selector\": {\"matchExpressions\": [{\"key\": \"zone\", "
                + "\"operator\": \"Near\", \"values\": [\"a\"]}]}}}")),
        row("canary of no nodes", "spec.updateStrategy.rollingUpdate.canary.nodes",
            "Invalid value: 0: must be greater than 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"canary\": {\"nodes\": 0}}}")),
        row("canary soak negative", "spec.updateStrategy.rollingUpdate.canary.soakSeconds",
            "Invalid value: -3: must be greater than or equal to 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"canary\": {\"nodes\": \"10%\", \"soakSeconds\": -3}}}")),
        row("progressDeadlineSeconds not above minReadySeconds", "spec.progressDeadlineSeconds",
            "Invalid value: 5: must be greater than minReadySeconds",
            set("/spec/minReadySeconds", "5"), set("/spec/progressDeadlineSeconds", "5")),
        row("maxSurge beside a non-zero maxUnavailable", "spec.updateStrategy.rollingUpdate.maxSurge",
            "Invalid value: \"10%\": may not be set when maxUnavailable is non-zero",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 1, \"maxSurge\": \"10%\"}}")),
        row("maxSurge beside the default maxUnavailable", "spec.updateStrategy.rollingUpdate.maxSurge",
            "Invalid value: 2: may not be set when maxUnavailable is non-zero",
            set("/spec/updateStrategy", "{\"rollingUpdate\": {\"maxSurge\": 2}}")),
        row("both zero", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Required value: cannot be 0 when maxSurge is 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": 0, \"maxSurge\": 0}}")),
        row("both zero percent", "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "Required value: cannot be 0 when maxSurge is 0",
            set("/spec/updateStrategy", "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
                + "{\"maxUnavailable\": \"0%\", \"maxSurge\": \"0%\"}}")),
        row("minReadySeconds negative", "spec.minReadySeconds", "Invalid value: -5: must be greater than or equal to 0",
            set("/spec/minReadySeconds", "-5")),
        row("revisionHistoryLimit negative", "spec.revisionHistoryLimit",
            "Invalid value: -1: must be greater than or equal to 0", set("/spec/revisionHistoryLimit", "-1")),
        row("templateGeneration negative", "spec.templateGeneration",
            "Invalid value: -1: must be greater than or equal to 0", set("/spec/templateGeneration", "-1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void reportsTheViolatedRuleWithItsPathAndText(String name, String field, String body, Edit[] edits) {
    List<FieldError> errors = DaemonSetValidation.validate(defaulted(AGENT, edits));

    assertThat(errors).extracting(FieldError::field, FieldError::body).contains(tuple(field, body));
  }

  @Test
  void theBaseManifestIsValid() {
    assertThat(DaemonSetValidation.validate(defaulted(AGENT))).isEmpty();
  }

  @Test
  void reportsEveryViolatedRuleNotJustTheFirst() {
    DaemonSet ds = defaulted(AGENT, remove("/metadata/name"), set("/spec/minReadySeconds", "-1"),
        set("/spec/template/spec/restartPolicy", "\"Never\""), set("/spec/template/spec/containers/0/name", "\"A\""));

    assertThat(DaemonSetValidation.validate(ds)).extracting(FieldError::field).containsExactly(
        "metadata.name", "spec.template.spec.containers[0].name", "spec.template.spec.restartPolicy",
        "spec.minReadySeconds");
  }

  @Test
  void selectorIsImmutableThroughAppsV1() {
    DaemonSet old = defaulted(AGENT);
    DaemonSet changed = defaulted(AGENT, set("/spec/selector/matchLabels/tier", "\"node\""),
        set("/spec/template/metadata/labels/tier", "\"node\""));

    assertThat(DaemonSetValidation.validateUpdate(changed, old, DaemonSet.APPS_V1)).extracting(FieldError::toString)
        .containsExactly("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"agent\",\"tier\":\"node\"}}: "
            + "field is immutable");
  }

  @Test
  void selectorIsMutableThroughExtensionsV1beta1() {
    DaemonSet old = defaulted(AGENT);
    DaemonSet changed = defaulted(AGENT, set("/apiVersion", "\"extensions/v1beta1\""),
        set("/spec/selector/matchLabels/tier", "\"node\""), set("/spec/template/metadata/labels/tier", "\"node\""));

    assertThat(DaemonSetValidation.validateUpdate(changed, old, DaemonSet.EXTENSIONS_V1BETA1)).isEmpty();
  }

  @Test
  void anUnchangedSelectorWrittenDifferentlyIsNotAChange() {
    DaemonSet old = defaulted(AGENT);
    DaemonSet same = defaulted(AGENT, set("/spec/selector/matchExpressions", "[]"));

    assertThat(DaemonSetValidation.validateUpdate(same, old, DaemonSet.APPS_V1)).isEmpty();
  }

  @Test
  void updateMayNotRenameOrDecrementGeneration() {
    DaemonSet old = defaulted(AGENT, set("/metadata/generation", "3"));
    DaemonSet changed = defaulted(AGENT, set("/metadata/name", "\"agent2\""), set("/metadata/generation", "2"));

    assertThat(DaemonSetValidation.validateUpdate(changed, old)).extracting(FieldError::toString).containsExactly(
        "metadata.generation: Invalid value: 2: must not be decremented",
        "metadata.name: Invalid value: \"agent2\": field is immutable");
  }

  @Test
  void statusUpdateMayNotDecrementCollisionCount() {
    DaemonSet old = defaulted(AGENT).withStatus(new DaemonSetStatus(0, 0, 0, 0, null, 0, 0, 0, 3, null));
    DaemonSet changed = old.withStatus(new DaemonSetStatus(-1, 0, 0, 0, null, 0, 0, 0, 2, null));

    assertThat(DaemonSetValidation.validateStatusUpdate(changed, old)).extracting(FieldError::toString)
        .containsExactly("status.currentNumberScheduled: Invalid value: -1: must be greater than or equal to 0",
            "status.collisionCount: Invalid value: 2: cannot be decremented");
  }
}
