package io.daemonset.console;

import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Where a page's main-thread time goes while a test drives it, for {@code -Dconsole.profile=true}: Chrome's own
 * counters (Performance.getMetrics: script, layout, style), its sampling CPU profile (Profiler, saved as a
 * .cpuprofile that DevTools opens), the Long Animation Frames with their scripts (who ran: an EventSource
 * handler, a frame callback, or chromedriver's own script), and the CPU this JVM (control plane and hollow fleet)
 * and the browser each used, to tell a slow page from a starved one.
 */
final class BrowserProfile {
  static final boolean ENABLED = Boolean.getBoolean("console.profile")
      || "cpu".equals(System.getProperty("console.profile"));
  /** -Dconsole.profile=cpu: only the counters and the CPU shares, no sampling profiler (it costs the page time). */
  static final boolean SAMPLING = Boolean.getBoolean("console.profile");
  static final Path DIR = Path.of("target", "console-profile");

  private final ChromeDriver driver;
  private final Map<String, Double> metricsAtStart;
  private final long startNanos = System.nanoTime();
  private final Duration jvmAtStart;
  private final Duration browserAtStart;

  private BrowserProfile(ChromeDriver driver) {
    this.driver = driver;
    driver.executeCdpCommand("Performance.enable", Map.of());
    metricsAtStart = metrics();
    if (SAMPLING) {
      driver.executeCdpCommand("Profiler.enable", Map.of());
      driver.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 500));
      driver.executeCdpCommand("Profiler.start", Map.of());
    }
    driver.executeScript("window.consoleLoafs = [];"
        + "new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.duration >= 100) "
        + "window.consoleLoafs.push({start: Math.round(e.startTime), duration: Math.round(e.duration),"
        + " blocking: Math.round(e.blockingDuration), styleLayout: Math.round(e.styleAndLayoutStart ?"
        + " e.startTime + e.duration - e.styleAndLayoutStart : 0),"
        + " scripts: e.scripts.map(s => ({invoker: s.invoker, type: s.invokerType, source: s.sourceFunctionName,"
        + " url: s.sourceURL, duration: Math.round(s.duration), forced: Math.round(s.forcedStyleAndLayoutDuration)}))});"
        + "}).observe({type: 'long-animation-frame'});");
    jvmAtStart = cpu(ProcessHandle.current());
    browserAtStart = ProcessHandle.current().descendants().map(BrowserProfile::cpu).reduce(Duration.ZERO,
        Duration::plus);
  }

  /** Null unless -Dconsole.profile=true. */
  static BrowserProfile startIfEnabled(ChromeDriver driver) {
    return ENABLED ? new BrowserProfile(driver) : null;
  }

  /** Prints the summary (console-profile: …) and saves NAME.cpuprofile and NAME-loaf.json under target/. */
  void stop(String name) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    Duration jvm = cpu(ProcessHandle.current()).minus(jvmAtStart);
    Duration browser = ProcessHandle.current().descendants().map(BrowserProfile::cpu).reduce(Duration.ZERO,
        Duration::plus).minus(browserAtStart);
    Object loafs = driver.executeScript("return window.consoleLoafs");
    @SuppressWarnings("unchecked")
    Map<String, Object> profile = SAMPLING ? (Map<String, Object>) driver.executeCdpCommand("Profiler.stop",
        Map.of()).get("profile") : Map.of();
    Map<String, Double> end = metrics();
    Object longTasks = driver.executeScript("return window.consoleLongTasks");
    Map<String, Double> delta = new LinkedHashMap<>();
    for (String key : List.of("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration",
        "LayoutCount", "RecalcStyleCount", "Nodes", "JSHeapUsedSize")) {
      delta.put(key, end.getOrDefault(key, 0.0) - (key.equals("Nodes") || key.equals("JSHeapUsedSize") ? 0
          : metricsAtStart.getOrDefault(key, 0.0)));
    }
    System.out.printf("console-profile: %s wall %.1f s, cpu: control plane + fleet JVM %.1f s (%.2f cores),"
        + " browser + driver %.1f s (%.2f cores); renderer main thread %s%n", name, wall, jvm.toMillis() / 1e3,
        jvm.toMillis() / 1e3 / wall, browser.toMillis() / 1e3, browser.toMillis() / 1e3 / wall, delta);
    try {
      Files.createDirectories(DIR);
      if (SAMPLING) {
        Files.writeString(DIR.resolve(name + ".cpuprofile"), Json.write(profile));
      }
      Files.writeString(DIR.resolve(name + "-loaf.json"), Json.write(loafs));
      Files.writeString(DIR.resolve(name + "-longtasks.json"), Json.write(longTasks));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Double> metrics() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) driver.executeCdpCommand("Performance.getMetrics",
        Map.of()).get("metrics");
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map<String, Object> m : list) {
      out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue());
    }
    return out;
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
