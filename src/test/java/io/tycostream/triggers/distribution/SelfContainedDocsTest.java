package io.tycostream.triggers.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the documentation stands on its own in a clone of the repository: every relative link of the README
 * and of {@code docs/} (outside code blocks) leads to a file inside the repository, none points to a design document or folder outside it,
 * and the README links the architecture document.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelfContainedDocsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  /** How a pointer outside the repository has looked: a sibling folder, an absolute work path, a design section. */
  private static final Pattern OUTSIDE_POINTER = Pattern.compile("\\.\\./shared|/work/|design §|design doc",
      Pattern.CASE_INSENSITIVE);

  /** Verifies that every relative link resolves to an existing file inside the repository. */
  @Test
  void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path document : documents()) {
      Matcher links = LINK.matcher(withoutCodeBlocks(Files.readString(document, StandardCharsets.UTF_8)));
      while (links.find()) {
        String target = links.group(1);
        if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) {
          continue; // a web address or an anchor in the same page
        }
        Path resolved = document.getParent().resolve(target.split("#")[0]).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(document) + " -> " + target);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  /** Verifies that no page points to a design document or folder outside the repository. */
  @Test
  void noPagePointsOutsideTheRepository() throws IOException {
    List<String> pointers = new ArrayList<>();
    for (Path document : documents()) {
      List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE_POINTER.matcher(lines.get(i)).find()) {
          pointers.add(ROOT.relativize(document) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(pointers).isEmpty();
  }

  /** Verifies that the README leads to the architecture document, which exists. */
  @Test
  void readmeLinksTheArchitecture() throws IOException {
    assertThat(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8))
        .contains("](docs/architecture.md)");
    assertThat(ROOT.resolve("docs/architecture.md")).exists();
  }

  /** The page without its fenced code blocks: a link there is text to copy (README rows), not a rendered link. */
  private static String withoutCodeBlocks(String page) {
    return page.replaceAll("(?ms)^\\s*```.*?^\\s*```", "");
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }
}
