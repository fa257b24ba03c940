package io.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package order written in docs/architecture.md ("Packages and their order") checked against the main code's
 * imports: a package may use only the packages on the floors above it, never one on its own floor or below. The
 * floors are read from the document itself, so the rule and the document cannot drift apart.
 */
class LayersTest {
  static final Path ARCHITECTURE = Path.of("docs/architecture.md");
  static final String ROOT = "io.daemonset";
  /** A same-floor use the section allows in its prose: "`model` uses `journal`'s marker". */
  static final Pattern SAME_FLOOR_USE = Pattern.compile("`(\\w+)` uses `(\\w+)`");

  /** A floor line's leading package names: "api, agent, audit  the Kubernetes-compatible API; …". */
  static final Pattern FLOOR = Pattern.compile("(\\w+(?:,\\s*\\w+)*)(?:\\s|$)");

  static JavaClasses mainClasses;
  static List<List<String>> floors;
  static Map<String, Set<String>> sameFloorUses;

  @BeforeAll
  static void importMainCode() throws IOException {
    mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    String section = section(Files.readString(ARCHITECTURE));
    floors = floors(section);
    sameFloorUses = sameFloorUses(section);
  }

  @Test
  void theDocumentNamesEveryPackageOfTheMainCodeOnAFloor() {
    List<String> named = floors.stream().flatMap(List::stream).toList();
    List<String> present = mainClasses.stream().map(c -> layerOf(c.getPackageName())).distinct().toList();
    assertThat(named).as("packages on the floors of docs/architecture.md").containsAll(present);
  }

  @Test
  void everyPackageUsesOnlyThePackagesAboveIt() {
    layers().check(mainClasses);
  }

  /** One ArchUnit layer per package; each may access the floors above and its noted same-floor neighbours. */
  static LayeredArchitecture layers() {
    LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true);
    for (List<String> floor : floors) {
      for (String name : floor) {
        layers = layers.layer(name).definedBy(packageOf(name));
      }
    }
    List<String> above = new ArrayList<>();
    for (List<String> floor : floors) {
      for (String name : floor) {
        List<String> allowed = new ArrayList<>(above);
        allowed.addAll(sameFloorUses.getOrDefault(name, Set.of()));
        layers = allowed.isEmpty() ? layers.whereLayer(name).mayNotAccessAnyLayer()
            : layers.whereLayer(name).mayOnlyAccessLayers(allowed.toArray(String[]::new));
      }
      above.addAll(floor);
    }
    return layers;
  }

  /** From the heading "Packages and their order" to the next heading. */
  static String section(String document) {
    int start = document.indexOf("## Packages and their order");
    assertThat(start).as("the section \"Packages and their order\" in docs/architecture.md").isNotNegative();
    int end = document.indexOf("\n## ", start + 3);
    return document.substring(start, end < 0 ? document.length() : end);
  }

  /**
   * The section's code block: each line starts with the floor's packages, comma-separated, then a description.
   * {@code Main} stands for the root package.
   */
  static List<List<String>> floors(String section) {
    int open = section.indexOf("```");
    int close = section.indexOf("```", open + 3);
    List<List<String>> floors = new ArrayList<>();
    section.substring(section.indexOf('\n', open) + 1, close).lines().filter(l -> !l.isBlank()).forEach(line -> {
      Matcher packages = FLOOR.matcher(line.strip());
      assertThat(packages.lookingAt()).as("a floor line: " + line).isTrue();
      floors.add(Arrays.stream(packages.group(1).split(",")).map(String::strip).toList());
    });
    assertThat(floors).as("floors in docs/architecture.md").hasSizeGreaterThan(3);
    return floors;
  }

  static Map<String, Set<String>> sameFloorUses(String section) {
    Map<String, Set<String>> uses = new HashMap<>();
    Matcher use = SAME_FLOOR_USE.matcher(section);
    while (use.find()) {
      uses.computeIfAbsent(use.group(1), user -> new HashSet<>()).add(use.group(2));
    }
    return uses;
  }

  static String packageOf(String name) {
    return name.equals("Main") ? ROOT : ROOT + "." + name + "..";
  }

  static String layerOf(String packageName) {
    if (packageName.equals(ROOT)) {
      return "Main";
    }
    return packageName.substring(ROOT.length() + 1).split("\\.")[0];
  }
}
