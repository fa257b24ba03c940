package io.daemonset.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The diagnostic command's histogram text, read into rows: the top N by bytes, module suffixes dropped. */
class ClassHistogramTest {
  private static final String TEXT = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:         17146        1179832  [B (java.base@17.0.15)
         2:          3524         422520  java.lang.Class (java.base@17.0.15)
         3:         16966         407184  java.lang.String (java.base@17.0.15)
         4:            12            480  io.daemonset.model.Pod
         5:             1             16  [Ljava.lang.invoke.LambdaForm$Name; (java.base@17.0.15)
      Total         37649        2009032
      """;

  @Test
  void keepsTheFirstRowsInOrder_andTheTotals() {
    ClassHistogram.Histogram h = ClassHistogram.parse(TEXT, 3);

    assertThat(h.top()).containsExactly(
        new ClassHistogram.Row(1, 17146, 1179832, "[B"),
        new ClassHistogram.Row(2, 3524, 422520, "java.lang.Class"),
        new ClassHistogram.Row(3, 16966, 407184, "java.lang.String"));
    assertThat(h.totalInstances()).isEqualTo(37649);
    assertThat(h.totalBytes()).isEqualTo(2009032);
  }

  @Test
  void aClassOutsideAnyModule_andMoreRowsAskedThanThere() {
    ClassHistogram.Histogram h = ClassHistogram.parse(TEXT, 50);

    assertThat(h.top()).hasSize(5);
    assertThat(h.top().get(3)).isEqualTo(new ClassHistogram.Row(4, 12, 480, "io.daemonset.model.Pod"));
    assertThat(h.top().get(4).className()).isEqualTo("[Ljava.lang.invoke.LambdaForm$Name;");
  }

  @Test
  void noRowsAsked_orNoText() {
    assertThat(ClassHistogram.parse(TEXT, 0).top()).isEmpty();
    assertThat(ClassHistogram.parse("", 5)).isEqualTo(new ClassHistogram.Histogram(java.util.List.of(), 0, 0));
  }

  @Test
  void thisJvmHasStrings() throws Exception {
    ClassHistogram.Histogram h = ClassHistogram.take(1000);

    assertThat(h.top()).extracting(ClassHistogram.Row::className).contains("java.lang.String");
    assertThat(h.totalBytes()).isPositive();
  }
}
