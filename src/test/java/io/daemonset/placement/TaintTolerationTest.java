package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint and
 * component-helpers/scheduling/corev1/helpers_test.go TestFindMatchingUntoleratedTaint.
 */
class TaintTolerationTest {

  static final String NS = Taint.NO_SCHEDULE;
  static final String NE = Taint.NO_EXECUTE;
  static final String SLA = "node.kubernetes.io/sla";

  static Stream<Arguments> toleratesTaint() {
    return Stream.of(
        Arguments.of("same key and effect, Exists, taint has no value", toleration("foo", "Exists", null, NS),
            Taint.of("foo", null, NS), true),
        Arguments.of("same key and effect, Exists, taint has some value", toleration("foo", "Exists", null, NS),
            Taint.of("foo", "bar", NS), true),
        Arguments.of("same effect, empty key and Exists matches all taints", toleration("", "Exists", null, NS),
            Taint.of("foo", "bar", NS), true),
        Arguments.of("same key, effect and value, Equal", toleration("foo", "Equal", "bar", NS),
            Taint.of("foo", "bar", NS), true),
        Arguments.of("same key and effect, different values, Equal", toleration("foo", "Equal", "value1", NS),
            Taint.of("foo", "value2", NS), false),
        Arguments.of("same key and value, different effects, Equal", toleration("foo", "Equal", "bar", NS),
            Taint.of("foo", "bar", NE), false),
        Arguments.of("Gt, taint value less than toleration value", toleration(SLA, "Gt", "950", NS),
            Taint.of(SLA, "800", NS), false),
        Arguments.of("Gt, taint value greater than toleration value", toleration(SLA, "Gt", "750", NS),
            Taint.of(SLA, "950", NS), true),
        Arguments.of("Lt, taint value greater than toleration value", toleration(SLA, "Lt", "800", NS),
            Taint.of(SLA, "950", NS), false),
        Arguments.of("Lt, taint value less than toleration value", toleration(SLA, "Lt", "950", NS),
            Taint.of(SLA, "800", NS), true),
        Arguments.of("Gt, equal numeric value", toleration(SLA, "Gt", "950", NS), Taint.of(SLA, "950", NS), false),
        Arguments.of("Gt, non-numeric taint value", toleration(SLA, "Gt", "950", NS), Taint.of(SLA, "high", NS), false),
        Arguments.of("Gt, negative values, taint below threshold", toleration("test-key", "Gt", "-100", NS),
            Taint.of("test-key", "-200", NS), false),
        Arguments.of("Gt, large int64 threshold", toleration("test-key", "Gt", "9223372036854775806", NS),
            Taint.of("test-key", "100", NS), false),
        // Beyond the upstream table: the empty-operator and empty-effect rules the brief calls out.
        Arguments.of("empty operator means Equal", toleration("dedicated", null, "user1", NS),
            Taint.of("dedicated", "user1", NS), true),
        Arguments.of("empty effect matches every effect", toleration("dedicated", "Equal", "user1", null),
            Taint.of("dedicated", "user1", NE), true),
        Arguments.of("Exists with empty key and empty effect tolerates anything", toleration(null, "Exists", null, null),
            Taint.of("any", "thing", NE), true),
        Arguments.of("different key", toleration("foo", "Exists", null, NS), Taint.of("bar", null, NS), false),
        Arguments.of("unknown operator tolerates nothing", toleration("foo", "Matches", "bar", NS),
            Taint.of("foo", "bar", NS), false));
  }

  @ParameterizedTest(name = "TestTolerationToleratesTaint/{0}")
  @MethodSource("toleratesTaint")
  void toleratesTaint(String name, Toleration toleration, Taint taint, boolean tolerated) {
    assertThat(TaintToleration.tolerates(toleration, taint)).isEqualTo(tolerated);
    assertThat(NodeEligibility.tolerates(List.of(toleration), taint)).isEqualTo(tolerated);
  }

  static Stream<Arguments> findMatchingUntoleratedTaint() {
    Predicate<Taint> all = t -> true;
    List<Toleration> fooNoSchedule = List.of(toleration("foo", "Exists", null, NS));
    return Stream.of(
        Arguments.of("empty tolerations tolerate empty taints", List.of(), List.of(), all, true),
        Arguments.of("non-empty tolerations tolerate empty taints", fooNoSchedule, List.of(), all, true),
        Arguments.of("tolerations match all taints", fooNoSchedule, List.of(Taint.of("foo", null, NS)), all, true),
        Arguments.of("tolerations don't match taints, but no taints apply to the filter", fooNoSchedule,
            List.of(Taint.of("bar", null, NS)), (Predicate<Taint>) t -> false, true),
        Arguments.of("no filter, tolerations don't match taints", fooNoSchedule, List.of(Taint.of("bar", null, NS)),
            all, false),
        Arguments.of("tolerations match the NoExecute taints the filter keeps",
            List.of(toleration("foo", "Exists", null, NE)),
            List.of(Taint.of("foo", null, NE), Taint.of("bar", null, NS)),
            (Predicate<Taint>) t -> NE.equals(t.effect()), true));
  }

  @ParameterizedTest(name = "TestFindMatchingUntoleratedTaint/{0}")
  @MethodSource("findMatchingUntoleratedTaint")
  void findMatchingUntoleratedTaint(String name, List<Toleration> tolerations, List<Taint> taints,
      Predicate<Taint> filter, boolean tolerated) {
    assertThat(TaintToleration.untolerated(taints, tolerations, filter).isEmpty()).isEqualTo(tolerated);
  }
}
