package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.daemonset.rollout.HistoryDecision.Action;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * upstream constructHistory (create or renumber the current revision, dedupCurHistories) and
 * cleanupHistory (trim to revisionHistoryLimit, oldest first, sparing revisions live pods use).
 */
class RevisionHistoryTest {

  record Case(List<RevisionRef> existing, String hash, JsonNode data, Set<String> live, Integer limit,
      Action action, long currentRevision, List<String> duplicates, List<String> trimmed, Map<String, String> relabel) {
    Case(List<RevisionRef> existing, String hash, JsonNode data, Set<String> live, Integer limit, Action action,
         long currentRevision, List<String> duplicates, List<String> trimmed) {
      this(existing, hash, data, live, limit, action, currentRevision, duplicates, trimmed, Map.of());
    }
  }

  static RevisionRef rev(String hash, long number) {
    return new RevisionRef("ds-" + hash, hash, number);
  }

  static RevisionRef rev(String hash, long number, String data) {
    return new RevisionRef("ds-" + hash, hash, number, TextNode.valueOf(data));
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        Named.of("constructHistory: first sync creates revision 1",
            new Case(List.of(), "a", null, Set.of(), null, Action.CREATE, 1, List.of(), List.of())),
        Named.of("constructHistory: template change creates max+1",
            new Case(List.of(rev("a", 1)), "b", null, Set.of("a"), null, Action.CREATE, 2, List.of(), List.of())),
        Named.of("constructHistory: current already highest, nothing to do",
            new Case(List.of(rev("a", 1), rev("b", 2)), "b", null, Set.of(), null, Action.KEEP, 2, List.of(), List.of())),
        Named.of("constructHistory: rollback to a renumbers it to max+1",
            new Case(List.of(rev("a", 1), rev("b", 2)), "a", null, Set.of(), null, Action.RENUMBER, 3, List.of(), List.of())),
        Named.of("constructHistory: rollback across a gap renumbers to max+1",
            new Case(List.of(rev("a", 2), rev("b", 5), rev("c", 9)), "b", null, Set.of(), null, Action.RENUMBER, 10, List.of(), List.of())),
        Named.of("constructHistory: matched by data, not hash (collisionCount bumped since)",
            new Case(List.of(rev("a", 1, "T1"), rev("b", 2, "T2")), "z", TextNode.valueOf("T1"), Set.of(), null,
                Action.RENUMBER, 3, List.of(), List.of())),
        Named.of("snapshot: a different template holds ds-<hash>, hash collision",
            new Case(List.of(rev("a", 1, "T1")), "a", TextNode.valueOf("T2"), Set.of(), null,
                Action.HASH_COLLISION, 0, List.of(), List.of())),
        Named.of("dedupCurHistories: keep the highest, delete the other",
            new Case(List.of(rev("a", 1, "T1"), rev("b", 2, "T2"), rev("c", 3, "T1")), "c", TextNode.valueOf("T1"),
                Set.of(), null, Action.KEEP, 3, List.of("ds-a"), List.of(), Map.of("a", "c"))),
        Named.of("dedupCurHistories: a duplicate live pods carry goes too, its pods relabelled to the kept hash",
            new Case(List.of(rev("a", 1, "T1"), rev("c", 3, "T1")), "c", TextNode.valueOf("T1"),
                Set.of("a"), null, Action.KEEP, 3, List.of("ds-a"), List.of(), Map.of("a", "c"))),
        Named.of("dedupCurHistories: several duplicates, the highest kept even when renumbered",
            new Case(List.of(rev("a", 4, "T1"), rev("b", 5, "T2"), rev("c", 2, "T1"), rev("d", 1, "T1")), "a",
                TextNode.valueOf("T1"), Set.of("c", "d"), null, Action.RENUMBER, 6, List.of("ds-c", "ds-d"), List.of(),
                Map.of("c", "a", "d", "a"))),
        Named.of("dedupCurHistories: no duplicate, nothing relabelled",
            new Case(List.of(rev("a", 1, "T1"), rev("c", 3, "T2")), "c", TextNode.valueOf("T2"),
                Set.of("a"), null, Action.KEEP, 3, List.of(), List.of(), Map.of())),
        Named.of("cleanupHistory: within limit, nothing trimmed",
            new Case(List.of(rev("a", 1), rev("b", 2)), "c", null, Set.of(), 2, Action.CREATE, 3, List.of(), List.of())),
        Named.of("cleanupHistory: trims the oldest beyond the limit, never the new current",
            new Case(List.of(rev("a", 1), rev("b", 2), rev("c", 3)), "d", null, Set.of(), 1, Action.CREATE, 4,
                List.of(), List.of("ds-a", "ds-b"))),
        Named.of("cleanupHistory: never trims a revision a live pod uses, takes the next oldest instead",
            new Case(List.of(rev("a", 1), rev("b", 2), rev("c", 3)), "d", null, Set.of("a"), 1, Action.CREATE, 4,
                List.of(), List.of("ds-b", "ds-c"))),
        Named.of("cleanupHistory: live revisions may leave more than the limit",
            new Case(List.of(rev("a", 1), rev("b", 2), rev("c", 3)), "d", null, Set.of("a", "c"), 1, Action.CREATE, 4,
                List.of(), List.of("ds-b"))),
        Named.of("cleanupHistory: all old ones in use, limit 0 trims nothing",
            new Case(List.of(rev("a", 1), rev("b", 2)), "c", null, Set.of("a", "b"), 0, Action.CREATE, 3, List.of(), List.of())),
        Named.of("cleanupHistory: limit 0 after rollback trims the rest, not the renumbered current",
            new Case(List.of(rev("a", 1), rev("b", 2)), "a", null, Set.of("a"), 0, Action.RENUMBER, 3, List.of(), List.of("ds-b"))),
        Named.of("cleanupHistory: default limit is 10",
            new Case(Stream.iterate(1, i -> i + 1).limit(12).map(i -> rev("h" + i, i)).toList(), "h12", null, Set.of(), null,
                Action.KEEP, 12, List.of(), List.of("ds-h1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    HistoryDecision d = new RevisionHistory(c.existing()).decide("ds", c.hash(), c.data(), c.live(), c.limit());
    assertThat(d.action()).isEqualTo(c.action());
    if (c.action() == Action.HASH_COLLISION) {
      assertThat(d.current()).isNull();
    } else {
      assertThat(d.current().revision()).isEqualTo(c.currentRevision());
      assertThat(d.trim()).extracting(RevisionRef::name).doesNotContain(d.current().name());
    }
    assertThat(d.duplicates()).extracting(RevisionRef::name).containsExactlyElementsOf(c.duplicates());
    assertThat(d.trim()).extracting(RevisionRef::name).containsExactlyElementsOf(c.trimmed());
    if (c.action() != Action.HASH_COLLISION) {
      assertThat(d.relabelled()).isEqualTo(c.relabel());
    }
  }
}
