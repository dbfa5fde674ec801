package io.tycostream.triggers.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The migration versions a dialect ships, read from its files in {@code src/main/resources/store/<dialect>/migrations}
 * (what a migrated database must have recorded, independently of the migrator).
 */
public final class MigrationFiles {

  private MigrationFiles() {
  }

  /** The versions in ascending order, comma-separated ({@code "1,2,3"}). */
  public static String versions(String dialect) {
    Path dir = Path.of("src", "main", "resources", "store", dialect, "migrations");
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.*\\.sql"))
          .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
          .sorted()
          .map(String::valueOf)
          .collect(Collectors.joining(","));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** How many versions the dialect ships. */
  public static int count(String dialect) {
    return versions(dialect).split(",").length;
  }
}
