package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.node.ReplicatedNodeDirectory.Entry;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.Test;

/** A node's write to the directory is skipped only when its shard already holds the same entry for it. */
class DirectoryEntryUnchangedTest {
  static final SelfUniqueAddress SELF = new SelfUniqueAddress(
      new UniqueAddress(new Address("pekko", "daemonset", "127.0.0.1", 2552), 1L));

  static Entry entry(String name, String zone) {
    return new Entry(name, Map.of("zone", zone), null, null, null, null);
  }

  @Test
  void onlyTheSameEntryForTheSameNodeIsUnchanged() {
    LWWMap<String, Entry> empty = LWWMap.create();
    LWWMap<String, Entry> map = empty.put(SELF, "a", entry("a", "1")).put(SELF, "b", entry("b", "1"));
    assertThat(ReplicatedNodeDirectory.unchanged(empty, "a", entry("a", "1"))).isFalse();
    assertThat(ReplicatedNodeDirectory.unchanged(map, "a", entry("a", "1"))).isTrue();
    assertThat(ReplicatedNodeDirectory.unchanged(map, "a", entry("a", "2"))).isFalse();
    assertThat(ReplicatedNodeDirectory.unchanged(map, "c", entry("c", "1"))).isFalse();
    assertThat(ReplicatedNodeDirectory.unchanged(map.remove(SELF, "a"), "a", entry("a", "1"))).isFalse();
  }
}
