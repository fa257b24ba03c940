package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LegacyDirectoryWritersTest {
  @Test
  void mirrorsWhileAMemberHasNotSaidItReadsTheCurrentLayout() {
    record Row(Set<String> members, Set<String> readers, boolean mirror) {}
    var rows = java.util.List.of(
        new Row(Set.of(), Set.of(), false),                        // not in a cluster yet
        new Row(Set.of("a"), Set.of("a"), false),                  // alone, and said so
        new Row(Set.of("a"), Set.of(), true),                      // its own word not seen yet: the safe side
        new Row(Set.of("a", "b"), Set.of("a"), true),              // b: the release before (a rolling upgrade)
        new Row(Set.of("a", "b"), Set.of("a", "b", "gone"), false)); // a member that left stays in the set
    for (Row row : rows) {
      assertThat(LegacyDirectoryWriters.mirrorNeeded(row.members(), row.readers())).as(row.toString())
          .isEqualTo(row.mirror());
    }
  }
}
