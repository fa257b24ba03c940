package io.daemonset.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The events this JVM writes, kept for the view's tail until it reads their rows. */
class JournalWritesTest {

  @Test
  void aWrittenEventIsHandedOutOnceForItsRow() {
    JournalWrites writes = new JournalWrites();
    Object event = new Object();
    writes.writing("Node|n1", 7, event);

    assertThat(writes.take("Node|n1", 6)).isNull();
    assertThat(writes.take("Node|n2", 7)).isNull();
    assertThat(writes.take("Node|n1", 7)).isSameAs(event);
    assertThat(writes.take("Node|n1", 7)).as("the row is read once; a second read deserializes").isNull();
  }

  @Test
  void aFailedWriteIsForgottenAndItsSequenceNumberMayBeWrittenAgain() {
    JournalWrites writes = new JournalWrites();
    writes.writing("Node|n1", 7, "refused");
    writes.failed("Node|n1", 7);
    assertThat(writes.take("Node|n1", 7)).isNull();

    writes.writing("Node|n1", 7, "first");
    writes.writing("Node|n1", 7, "again, after the entity restarted");
    assertThat(writes.take("Node|n1", 7)).isEqualTo("again, after the entity restarted");
  }

  @Test
  void keepsAtMostTheNewestWrites() {
    JournalWrites writes = new JournalWrites();
    for (int i = 1; i <= JournalWrites.KEPT + 10; i++) {
      writes.writing("Node|n1", i, i);
    }

    assertThat(writes.take("Node|n1", 10)).as("the oldest are dropped (their rows are deserialized)").isNull();
    assertThat(writes.take("Node|n1", 11)).isEqualTo(11);
    assertThat(writes.take("Node|n1", JournalWrites.KEPT + 10)).isEqualTo(JournalWrites.KEPT + 10);
  }
}
