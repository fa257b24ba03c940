package io.daemonset.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The heap's top classes by bytes, taken in-process: the JVM's {@code GC.class_histogram} diagnostic command through
 * the DiagnosticCommand MBean (it collects garbage first, so it counts live objects). jmap/jcmd need the attach
 * mechanism, which some containers refuse (AttachNotSupportedException); this needs nothing but the running JVM.
 */
final class ClassHistogram {
  private ClassHistogram() {}

  /** One class's line: its rank, live instances and shallow bytes, and its name without the module suffix. */
  record Row(int rank, long instances, long bytes, String className) {}

  /** The whole histogram: the top rows and the heap's totals. */
  record Histogram(List<Row> top, long totalInstances, long totalBytes) {}

  // "   1:         17146        1179832  [B (java.base@17.0.15)"
  private static final Pattern ROW = Pattern.compile("^\\s*(\\d+):\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");
  private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  /** Parses the diagnostic command's text; keeps the first {@code n} rows (they come sorted by bytes). */
  static Histogram parse(String text, int n) {
    List<Row> rows = new ArrayList<>();
    long instances = 0;
    long bytes = 0;
    for (String line : text.split("\\R")) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        if (rows.size() < n) {
          rows.add(new Row(Integer.parseInt(row.group(1)), Long.parseLong(row.group(2)), Long.parseLong(row.group(3)),
              row.group(4)));
        }
        continue;
      }
      Matcher total = TOTAL.matcher(line);
      if (total.matches()) {
        instances = Long.parseLong(total.group(1));
        bytes = Long.parseLong(total.group(2));
      }
    }
    return new Histogram(List.copyOf(rows), instances, bytes);
  }

  /** Takes a histogram of this JVM's live objects now (a full GC first). */
  static Histogram take(int n) throws Exception {
    Object text = ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return parse((String) text, n);
  }

  /** A Markdown table of the top rows, with instances and bytes per pod to read copies per pod at a glance. */
  static String describe(Histogram h, long pods) {
    long per = Math.max(1, pods);
    StringBuilder out = new StringBuilder(String.format(
        "class histogram (live, after a full GC): %,d objects, %.1f MiB; per pod %.1f objects, %.0f B%n",
        h.totalInstances(), h.totalBytes() / 1048576.0, (double) h.totalInstances() / per,
        (double) h.totalBytes() / per));
    out.append("| # | instances | MiB | per pod | B/pod | class |\n|---|---|---|---|---|---|\n");
    for (Row r : h.top()) {
      out.append(String.format("| %d | %,d | %.1f | %.2f | %.0f | `%s` |%n", r.rank(), r.instances(),
          r.bytes() / 1048576.0, (double) r.instances() / per, (double) r.bytes() / per, r.className()));
    }
    return out.toString();
  }
}
