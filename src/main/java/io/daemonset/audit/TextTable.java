package io.daemonset.audit;

import java.util.ArrayList;
import java.util.List;

/** Aligned columns, as kubectl prints them: upper-case headers, three spaces between columns, last one ragged. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final List<List<String>> details = new ArrayList<>();

  TextTable(String... headers) {
    rows.add(headers);
    details.add(List.of());
  }

  TextTable row(String... cells) {
    rows.add(cells);
    details.add(List.of());
    return this;
  }

  /** Lines printed under the last row, indented (e.g. the fields an event changed). */
  TextTable detail(List<String> lines) {
    details.set(details.size() - 1, List.copyOf(lines));
    return this;
  }

  String render() {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], cell(r, i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int n = 0; n < rows.size(); n++) {
      String[] r = rows.get(n);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(cell(r, i));
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - cell(r, i).length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
      for (String d : details.get(n)) {
        out.append("    ").append(d).append('\n');
      }
    }
    return out.toString();
  }

  private static String cell(String[] r, int i) {
    return i < r.length && r[i] != null ? r[i] : "";
  }
}
