package io.daemonset.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time and memory as Linux's /proc tells them: a process's {@code stat} (utime, stime, and its reaped children's
 * cutime, cstime; rss), the machine's {@code /proc/stat} and {@code /proc/meminfo}. Clock ticks are USER_HZ (100 on
 * every Linux kernel build Java runs on), pages 4 KiB; a process that is gone reads as empty.
 */
final class ProcStats {
  static final long TICKS_PER_SECOND = 100;
  static final long PAGE_BYTES = 4096;

  /** CPU time in ticks and resident memory in bytes. */
  record Usage(long cpuTicks, long memoryBytes) {
    Usage plus(Usage other) {
      return new Usage(cpuTicks + other.cpuTicks, memoryBytes + other.memoryBytes);
    }
  }

  static final Usage NONE = new Usage(0, 0);

  private ProcStats() {
  }

  /** One process's CPU time (its own and its reaped children's) and resident set. */
  static java.util.Optional<Usage> process(long pid) {
    try {
      return java.util.Optional.of(parseProcessStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException gone) {
      return java.util.Optional.empty();
    }
  }

  static Usage parseProcessStat(String stat) {
    // the command name is in parentheses and may hold spaces: the fields that follow start after the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    return new Usage(ticks, Long.parseLong(f[21]) * PAGE_BYTES);
  }

  /** The machine's busy CPU ticks (all but idle and iowait, summed over its CPUs) and memory in use. */
  static java.util.Optional<Usage> machine() {
    try {
      return java.util.Optional.of(new Usage(parseBusyTicks(Files.readString(Path.of("/proc/stat"))),
          parseMemoryInUse(Files.readString(Path.of("/proc/meminfo"))).orElse(0)));
    } catch (IOException | RuntimeException unreadable) {
      return java.util.Optional.empty();
    }
  }

  static long parseBusyTicks(String procStat) {
    String cpu = procStat.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
    String[] f = cpu.substring(4).trim().split("\\s+");
    long total = 0;
    for (int i = 0; i < Math.min(f.length, 8); i++) { // user nice system idle iowait irq softirq steal
      total += Long.parseLong(f[i]);
    }
    return total - Long.parseLong(f[3]) - Long.parseLong(f[4]);
  }

  static OptionalLong parseMemoryInUse(String meminfo) {
    long total = -1;
    long available = -1;
    for (String line : meminfo.lines().toList()) {
      String[] f = line.split("\\s+");
      if (f[0].equals("MemTotal:")) {
        total = Long.parseLong(f[1]) * 1024;
      } else if (f[0].equals("MemAvailable:")) {
        available = Long.parseLong(f[1]) * 1024;
      }
    }
    return total < 0 || available < 0 ? OptionalLong.empty() : OptionalLong.of(total - available);
  }
}
