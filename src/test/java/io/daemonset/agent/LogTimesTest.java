package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time of each log line ({@link LogTimes}): lines are stamped when first seen, a line still being written keeps
 * the time it started, and sinceTime / timestamps filter and prefix whole lines, also in a chunk that starts in the
 * middle of a line (what {@code kubectl logs -f} polls).
 */
class LogTimesTest {
  static final Instant T0 = Instant.parse("2026-12-02T10:00:00.000000001Z");
  static final Instant T1 = Instant.parse("2026-12-02T10:00:05Z");
  static final Instant T2 = Instant.parse("2026-12-02T10:00:09.5Z");

  @TempDir Path dir;

  void append(Path log, String text) throws Exception {
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  String render(Path log, long start, boolean timestamps, Instant since) throws Exception {
    byte[] all = Files.readAllBytes(log);
    byte[] part = java.util.Arrays.copyOfRange(all, (int) start, all.length);
    Long nanos = since == null ? null : since.getEpochSecond() * 1_000_000_000L + since.getNano();
    return new String(LogTimes.render(log, part, start, timestamps, nanos, T2), StandardCharsets.UTF_8);
  }

  @Test
  void linesKeepTheTimeTheyWereFirstSeenAndAreFilteredAndPrefixedWhole() throws Exception {
    Path log = dir.resolve("c.log");
    LogTimes.catchUp(log, T0); // no log yet: nothing
    append(log, "one\ntw");
    LogTimes.catchUp(log, T0);
    append(log, "o\nthree\n");
    LogTimes.catchUp(log, T1);
    LogTimes.catchUp(log, T2); // nothing new: nothing stamped
    append(log, "four\n");
    LogTimes.catchUp(log, T2);

    assertThat(LogTimes.lines(log, 0, Long.MAX_VALUE)).extracting(LogTimes.Line::offset).containsExactly(0L, 4L, 8L,
        14L);
    assertThat(render(log, 0, true, null)).isEqualTo("""
        2026-12-02T10:00:00.000000001Z one
        2026-12-02T10:00:00.000000001Z two
        2026-12-02T10:00:05.000000000Z three
        2026-12-02T10:00:09.500000000Z four
        """);
    assertThat(render(log, 0, false, T1)).isEqualTo("three\nfour\n");
    assertThat(render(log, 0, true, Instant.parse("2026-12-02T10:00:06Z")))
        .isEqualTo("2026-12-02T10:00:09.500000000Z four\n");
    // a chunk from the middle of "two": its rest without a prefix (the line's start had one), then whole lines
    assertThat(render(log, 6, true, null)).isEqualTo("""
        o
        2026-12-02T10:00:05.000000000Z three
        2026-12-02T10:00:09.500000000Z four
        """);
    // ... and filtered by the time the line started
    assertThat(render(log, 6, false, T1)).isEqualTo("three\nfour\n");
  }

  @Test
  void aLogMovedAsideTakesItsTimesAlongAndTheNextRunStartsAfresh() throws Exception {
    Path log = dir.resolve("c.log");
    Path previous = dir.resolve("c.previous.log");
    append(log, "first run\nlast words");
    LogTimes.catchUp(log, T0);
    append(log, " at exit\n");
    LogTimes.moveAside(log, previous, T1);
    assertThat(render(previous, 0, true, null)).isEqualTo("""
        2026-12-02T10:00:00.000000001Z first run
        2026-12-02T10:00:00.000000001Z last words at exit
        """);
    append(log, "second run\n");
    LogTimes.catchUp(log, T2);
    assertThat(render(log, 0, true, null)).isEqualTo("2026-12-02T10:00:09.500000000Z second run\n");
    assertThat(Files.exists(LogTimes.timesOf(log))).isTrue();
  }

  @Test
  void aLineNotStampedYetCountsAsWrittenNow() throws Exception {
    Path log = dir.resolve("c.log");
    append(log, "early\n");
    LogTimes.catchUp(log, T0);
    append(log, "late\n");
    assertThat(render(log, 0, true, T1)).isEqualTo("2026-12-02T10:00:09.500000000Z late\n");
  }
}
