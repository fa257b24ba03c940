package io.daemonset.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of this host's PostgreSQL processes that work for one database: its backends (their title names the
 * database: {@code postgres: 15/main: user db 127.0.0.1(5432) idle}) and the server's own (checkpointer, WAL
 * writer..., shared by all databases), not other databases' backends. From {@code /proc/<pid>/stat} (utime + stime,
 * in clock ticks of 1/100 s, Linux's USER_HZ on x86 and arm64). When the database runs on the same 2 cores as the
 * control plane, its CPU per event is part of what bounds the journal: a figure against the raw ceiling means little
 * without both sides' CPU. Processes that ended within the interval are not counted; zero where /proc is missing.
 */
final class LocalProcessCpu {
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final Map<Long, Long> ticksByPid;

  private LocalProcessCpu(Map<Long, Long> ticksByPid) {
    this.ticksByPid = ticksByPid;
  }

  /** The database's name in a JDBC URL ({@code jdbc:postgresql://host:5432/name?options}). */
  static String databaseOf(String jdbcUrl) {
    String rest = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    int options = rest.indexOf('?');
    return options < 0 ? rest : rest.substring(0, options);
  }

  /** Whether a postgres process with this title works for {@code database}, or for the server as a whole. */
  static boolean worksFor(String title, String database) {
    boolean clientBackend = title.contains("(") || title.contains("[local]");
    return !clientBackend || (" " + title + " ").contains(" " + database + " ");
  }

  static LocalProcessCpu ofPostgres(String database) {
    return of("postgres", database);
  }

  private static LocalProcessCpu of(String command, String database) {
    Map<Long, Long> ticks = new HashMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(entry.resolve("stat"));
          // "pid (comm) state ppid ...": comm may hold spaces, so fields are counted after its closing parenthesis
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals(command)
              || !worksFor(Files.readString(entry.resolve("cmdline")).replace('\0', ' ').trim(), database)) {
            continue;
          }
          String[] fields = stat.substring(close + 2).split(" ");
          // fields[0] is field 3 (state): utime and stime are fields 14 and 15
          ticks.put(Long.parseLong(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException ended) {
          // the process ended while we listed them
        }
      }
    } catch (IOException | RuntimeException noProc) {
      return new LocalProcessCpu(Map.of());
    }
    return new LocalProcessCpu(ticks);
  }

  /** Whether any such process runs here (the database is local). */
  boolean found() {
    return !ticksByPid.isEmpty();
  }

  /** CPU nanoseconds the processes running now used since {@code start}. */
  long nanosSince(LocalProcessCpu start) {
    long ticks = 0;
    for (Map.Entry<Long, Long> e : ticksByPid.entrySet()) {
      ticks += e.getValue() - start.ticksByPid.getOrDefault(e.getKey(), 0L);
    }
    return ticks * NANOS_PER_TICK;
  }
}
