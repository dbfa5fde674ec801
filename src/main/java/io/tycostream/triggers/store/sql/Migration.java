package io.tycostream.triggers.store.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema migration script of a dialect.
 *
 * @param version     strictly increasing version number
 * @param description the file name's description part
 * @param script      the SQL script
 * @param checksum    SHA-256 of the script, recorded so an edited, already-applied script is detected
 */
public record Migration(int version, String description, String script, String checksum) {

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

  public Migration {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(checksum, "checksum");
  }

  /**
   * Loads the migrations listed in {@code store/<dialect>/migrations/INDEX} (one {@code V<n>__<desc>.sql} per
   * line, {@code #} comments), checking that versions strictly increase.
   */
  public static List<Migration> load(String dialect) {
    String folder = "store/" + dialect + "/migrations/";
    List<Migration> migrations = new ArrayList<>();
    for (String line : ClasspathText.read(folder + "INDEX").split("\r?\n")) {
      String fileName = line.trim();
      if (fileName.isEmpty() || fileName.startsWith("#")) {
        continue;
      }
      Matcher matcher = FILE_NAME.matcher(fileName);
      if (!matcher.matches()) {
        throw new IllegalStateException("migration file name must look like V1__init.sql: " + fileName);
      }
      int version = Integer.parseInt(matcher.group(1));
      if (!migrations.isEmpty() && migrations.get(migrations.size() - 1).version() >= version) {
        throw new IllegalStateException("migration versions must increase: " + fileName);
      }
      String script = ClasspathText.read(folder + fileName);
      migrations.add(new Migration(version, matcher.group(2), script, sha256(script)));
    }
    return List.copyOf(migrations);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
