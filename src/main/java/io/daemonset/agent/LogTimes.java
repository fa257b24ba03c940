package io.daemonset.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The time of each line of a container's log, kept beside it in {@code <log>.times}: the kubelet's CRI log format
 * stores an RFC3339Nano time per line; here the process writes its log file directly (so it outlives an agent
 * restart) and the agent stamps each line it has not seen before with the time it first sees it. The file holds one
 * 16-byte record per line start: the line's byte offset in the log and its time in epoch nanoseconds, both growing.
 * The agent looks every {@link ProcessRuntime#LOG_STAMP_PERIOD} and before it serves a log, so a line's time is when
 * it was written, to within that period (lines written while the agent was down get the time it came back).
 * <p>Every method takes one lock: the stamper, the log server and a restart moving the log aside never interleave.
 */
final class LogTimes {
  private static final int RECORD = 16;
  private static final Object LOCK = new Object();
  /** kubelet's RFC3339NanoFixed: always nine digits, so the prefixes line up. */
  static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  private LogTimes() {}

  /** A line start and its time. */
  record Line(long offset, long nanos) {}

  static Path timesOf(Path log) {
    return log.resolveSibling(log.getFileName() + ".times");
  }

  /** Stamps with {@code now} every line of the log that started since the last look. */
  static void catchUp(Path log, Instant now) throws IOException {
    synchronized (LOCK) {
      if (!Files.exists(log)) {
        return;
      }
      Path times = timesOf(log);
      try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r");
           RandomAccessFile out = new RandomAccessFile(times.toFile(), "rw")) {
        long length = in.length();
        long records = out.length() / RECORD;
        long scanFrom;
        if (records == 0) {
          if (length == 0) {
            return;
          }
          out.seek(0);
          write(out, 0, now);
          scanFrom = 0;
        } else {
          out.seek((records - 1) * RECORD);
          long last = out.readLong();
          if (last >= length) {
            return; // the log was cut short: keep what is known
          }
          scanFrom = last;
          out.seek(records * RECORD);
        }
        byte[] buf = new byte[8192];
        long pos = scanFrom;
        in.seek(pos);
        while (pos < length) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, length - pos));
          if (n <= 0) {
            break;
          }
          for (int i = 0; i < n; i++) {
            long next = pos + i + 1;
            if (buf[i] == '\n' && next < length) {
              write(out, next, now);
            }
          }
          pos += n;
        }
      }
    }
  }

  private static void write(RandomAccessFile out, long offset, Instant now) throws IOException {
    out.writeLong(offset);
    out.writeLong(now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  /** Moves a log and its times aside (the previous run's), stamping its last lines first. */
  static void moveAside(Path log, Path previous, Instant now) throws IOException {
    synchronized (LOCK) {
      catchUp(log, now);
      Files.move(log, previous, StandardCopyOption.REPLACE_EXISTING);
      Path times = timesOf(log);
      if (Files.exists(times)) {
        Files.move(times, timesOf(previous), StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(timesOf(previous));
      }
    }
  }

  /** The line starts from the last one at or before {@code from} up to (excluding) {@code to}. */
  static List<Line> lines(Path log, long from, long to) throws IOException {
    synchronized (LOCK) {
      Path times = timesOf(log);
      List<Line> lines = new ArrayList<>();
      if (!Files.exists(times)) {
        return lines;
      }
      try (RandomAccessFile in = new RandomAccessFile(times.toFile(), "r")) {
        long records = in.length() / RECORD;
        long lo = 0;
        long hi = records - 1;
        long first = 0;
        while (lo <= hi) { // the last record whose offset is at most from
          long mid = (lo + hi) >>> 1;
          in.seek(mid * RECORD);
          if (in.readLong() <= from) {
            first = mid;
            lo = mid + 1;
          } else {
            hi = mid - 1;
          }
        }
        in.seek(first * RECORD);
        for (long r = first; r < records; r++) {
          long offset = in.readLong();
          long nanos = in.readLong();
          if (offset >= to) {
            break;
          }
          lines.add(new Line(offset, nanos));
        }
      }
      return lines;
    }
  }

  /**
   * The bytes of the log from {@code start} (as read), without the lines older than {@code sinceNanos} (null: all)
   * and with each line that starts in them prefixed by its time and a space when {@code timestamps}. A line whose
   * start is not known (not stamped yet) counts as written now.
   */
  static byte[] render(Path log, byte[] bytes, long start, boolean timestamps, Long sinceNanos, Instant now)
      throws IOException {
    List<Line> lines = lines(log, start, start + bytes.length);
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + (timestamps ? 31 * lines.size() : 0));
    int index = 0;
    int i = 0;
    while (i < bytes.length) {
      long offset = start + i;
      while (index + 1 < lines.size() && lines.get(index + 1).offset() <= offset) {
        index++;
      }
      Line line = lines.isEmpty() || lines.get(index).offset() > offset ? null : lines.get(index);
      // the bytes start in the middle of a line: the rest of the line that started at the record before them
      boolean continuation = i == 0 && line != null && line.offset() < offset;
      boolean known = line != null && line.offset() == offset;
      long nanos = known || continuation ? line.nanos() : nowNanos;
      int end = i;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      end = Math.min(end + 1, bytes.length);
      if (sinceNanos == null || nanos >= sinceNanos) {
        if (timestamps && !continuation) {
          out.write(FORMAT.format(Instant.ofEpochSecond(0, nanos)).getBytes(StandardCharsets.US_ASCII));
          out.write(' ');
        }
        out.write(bytes, i, end - i);
      }
      i = end;
    }
    return out.toByteArray();
  }
}
