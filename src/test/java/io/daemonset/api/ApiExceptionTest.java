package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Json;
import io.daemonset.model.Status.StatusCause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status bodies as recorded from kube-apiserver-compatible responses (kubectl-wire 09-errors). */
class ApiExceptionTest {

  @Test
  void notFoundMatchesTheRecordedBody() {
    assertThat(Json.write(ApiException.notFound(GroupResource.DAEMONSETS, "fluentd").status())).isEqualTo(
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"daemonsets.apps \\\"fluentd\\\" not found\",\"reason\":\"NotFound\","
            + "\"details\":{\"name\":\"fluentd\",\"group\":\"apps\",\"kind\":\"daemonsets\"},\"code\":404}");
    assertThat(ApiException.notFound(GroupResource.NODES, "nope").status().message())
        .isEqualTo("nodes \"nope\" not found");
    assertThat(ApiException.notFound(GroupResource.NODES, "nope").status().details().group()).isNull();
  }

  @Test
  void conflictsAndAlreadyExists() {
    assertThat(ApiException.alreadyExists(GroupResource.DAEMONSETS, "fluentd").status())
        .satisfies(s -> {
          assertThat(s.code()).isEqualTo(409);
          assertThat(s.reason()).isEqualTo("AlreadyExists");
          assertThat(s.message()).isEqualTo("daemonsets.apps \"fluentd\" already exists");
        });
    assertThat(ApiException.modified(GroupResource.DAEMONSETS, "fluentd").status())
        .satisfies(s -> {
          assertThat(s.reason()).isEqualTo("Conflict");
          assertThat(s.message()).isEqualTo("Operation cannot be fulfilled on daemonsets.apps \"fluentd\": the object "
              + "has been modified; please apply your changes to the latest version and try again");
        });
  }

  @Test
  void invalidAggregatesCauses() {
    List<StatusCause> causes = List.of(
        new StatusCause("FieldValueRequired", "Required value", "spec.template.spec.containers[0].image"),
        new StatusCause("FieldValueInvalid", "Invalid value: {\"matchLabels\":{\"name\":\"x\"}}: selector does not "
            + "match template labels", "spec.selector"));
    assertThat(ApiException.invalid("apps", "DaemonSet", "fluentd", causes).status()).satisfies(s -> {
      assertThat(s.code()).isEqualTo(422);
      assertThat(s.reason()).isEqualTo("Invalid");
      assertThat(s.message()).isEqualTo("DaemonSet.apps \"fluentd\" is invalid: [spec.template.spec.containers[0]"
          + ".image: Required value, spec.selector: Invalid value: {\"matchLabels\":{\"name\":\"x\"}}: selector does "
          + "not match template labels]");
      assertThat(s.details().kind()).isEqualTo("DaemonSet");
      assertThat(s.details().causes()).hasSize(2);
    });
    assertThat(ApiException.invalid("apps", "DaemonSet", "fluentd", causes.subList(0, 1)).status().message())
        .isEqualTo("DaemonSet.apps \"fluentd\" is invalid: spec.template.spec.containers[0].image: Required value");
    assertThat(ApiException.invalid("", "Node", "n1", List.of()).status().message())
        .isEqualTo("Node \"n1\" is invalid");
  }

  @Test
  void otherCodes() {
    assertThat(ApiException.badRequest("bad").code()).isEqualTo(400);
    assertThat(ApiException.unauthorized().status().message()).isEqualTo("Unauthorized");
    assertThat(ApiException.methodNotSupported(new GroupResource("", "nodes"), "deletecollection").status()
        .message()).isEqualTo("deletecollection is not supported on resources of kind \"nodes\"");
    assertThat(ApiException.expired("too old resource version: 5 (1200)").status().reason()).isEqualTo("Expired");
    assertThat(ApiException.expired("x").code()).isEqualTo(410);
    assertThat(ApiException.requestEntityTooLarge(3145728).code()).isEqualTo(413);
    assertThat(ApiException.unsupportedMediaType("text/html", ErrorHandling.BODY_MEDIA_TYPES).code())
        .isEqualTo(415);
    assertThat(ApiException.internal("etcd is down").status().message())
        .isEqualTo("Internal error occurred: etcd is down");
    assertThat(ErrorHandling.toApiException(new RuntimeException("boom"), 10).code()).isEqualTo(500);
    assertThat(ErrorHandling.toApiException(
        new java.util.concurrent.CompletionException(ApiException.badRequest("x")), 10).code()).isEqualTo(400);
    assertThat(ErrorHandling.toApiException(
        new org.apache.pekko.http.scaladsl.model.EntityStreamSizeException(10, scala.Option.empty()), 10).code())
        .isEqualTo(413);
  }
}
