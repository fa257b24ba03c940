package io.daemonset.console;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' Mustache templates (mustache.java), read from the classpath under io/daemonset/console/templates and
 * compiled once. Mustache escapes every {{value}} for HTML; the templates never use the unescaped form.
 */
final class Templates {
  private static final String ROOT = "io/daemonset/console/templates";
  private final DefaultMustacheFactory factory = new DefaultMustacheFactory(ROOT);
  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

  /** Renders template name (without .mustache) with the given scopes (records, maps, lists). */
  String render(String name, Object... scopes) {
    Mustache mustache = compiled.computeIfAbsent(name, n -> factory.compile(n + ".mustache"));
    StringWriter out = new StringWriter(8192);
    mustache.execute(out, scopes);
    return out.toString();
  }
}
