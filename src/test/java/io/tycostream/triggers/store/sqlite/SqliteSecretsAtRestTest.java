package io.tycostream.triggers.store.sqlite;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.SecretsAtRestContract;
import io.tycostream.triggers.store.StoreTestDatabase;
import io.tycostream.triggers.testkit.TestMasterKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link SecretsAtRestContract} on SQLite, plus what only a file shows: the raw bytes of the database and its WAL
 * never hold a secret, nor (after deletion or replacement) its ciphertext.
 */
class SqliteSecretsAtRestTest extends SecretsAtRestContract {

  private static final SecureRandom RANDOM = new SecureRandom();
  private SqliteTestDatabase sqlite;

  @Override
  protected StoreTestDatabase newDatabase() {
    sqlite = SqliteTestDatabase.create();
    return sqlite;
  }

  /**
   * Verifies that after creating, rotating and deleting triggers neither the database file nor its WAL holds
   * {@code whsec_}, the raw key bytes of any secret, or the ciphertext of a deleted or replaced secret: secrets are
   * sealed, SQLite's secure_delete zeroes deleted content, and the WAL is emptied after secrets are removed.
   */
  @Test
  void databaseFilesHoldNoSecretAfterCreateRotateDelete() throws Exception {
    // GIVEN triggers with real webhook secrets, one rotated with overlap, one rotated at once, one deleted
    List<WebhookSecret> secrets = new ArrayList<>();
    List<String> removedCiphertexts = new ArrayList<>();
    for (String name : List.of("kept", "replaced", "deleted")) {
      WebhookSecret secret = WebhookSecret.generate(RANDOM);
      secrets.add(secret);
      await(store.createTrigger(new NewTrigger(name, "positions", "{}", secret.value())));
    }
    WebhookSecret keptNext = WebhookSecret.generate(RANDOM);
    WebhookSecret replacedNext = WebhookSecret.generate(RANDOM);
    secrets.add(keptNext);
    secrets.add(replacedNext);
    await(store.rotateSecret("kept", keptNext.value(), NOW.plusSeconds(60), "ops"));
    removedCiphertexts.add(storedSecret("replaced"));
    await(store.rotateSecret("replaced", replacedNext.value(), null, "ops"));
    removedCiphertexts.add(storedSecret("deleted"));
    await(store.deleteTrigger("deleted"));

    // WHEN the files are read while the store is open, and again after it closed
    List<byte[]> whileOpen = rawFiles();
    await(store.close());
    store = null;
    List<byte[]> afterClose = rawFiles();

    // THEN no file ever holds a secret's text or key bytes, nor the ciphertext of a removed secret
    for (List<byte[]> files : List.of(whileOpen, afterClose)) {
      for (byte[] file : files) {
        assertThat(indexOf(file, "whsec_".getBytes(StandardCharsets.UTF_8))).isNegative();
        for (WebhookSecret secret : secrets) {
          assertThat(indexOf(file, secret.keyBytes())).as("raw key bytes").isNegative();
          assertThat(indexOf(file, secret.value().substring(WebhookSecret.PREFIX.length())
              .getBytes(StandardCharsets.US_ASCII))).as("base64 key").isNegative();
        }
        for (String ciphertext : removedCiphertexts) {
          assertThat(indexOf(file, ciphertext.getBytes(StandardCharsets.US_ASCII))).as("removed ciphertext")
              .isNegative();
        }
      }
    }
  }

  /** Verifies that sealing the plaintext secret of an older database leaves no trace of it in the file. */
  @Test
  void legacyPlaintextLeavesNoTraceInTheFile() throws Exception {
    // GIVEN an older database holding a secret as plaintext
    await(store.createTrigger(new NewTrigger("t1", "positions", "{}", "placeholder")));
    await(store.close());
    store = null;
    sqlite.execute("UPDATE triggers SET secret = '" + PLAIN + "' WHERE name = 't1'");
    assertThat(indexOf(concat(rawFiles()), PLAIN.getBytes(StandardCharsets.US_ASCII))).isNotNegative();

    // WHEN the store opens it (sealing the secret) and closes again
    store = sqlite.open(vertx, TestMasterKeys.cipher());
    await(store.close());
    store = null;

    // THEN the plaintext is nowhere in the database file or its WAL
    assertThat(indexOf(concat(rawFiles()), PLAIN.getBytes(StandardCharsets.US_ASCII))).isNegative();
  }

  private List<byte[]> rawFiles() throws IOException {
    Path db = sqlite.databaseFile();
    List<byte[]> files = new ArrayList<>();
    for (String suffix : List.of("", "-wal")) {
      Path file = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(file)) {
        files.add(Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static byte[] concat(List<byte[]> files) {
    int length = files.stream().mapToInt(file -> file.length).sum();
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] file : files) {
      System.arraycopy(file, 0, all, at, file.length);
      at += file.length;
    }
    return all;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
