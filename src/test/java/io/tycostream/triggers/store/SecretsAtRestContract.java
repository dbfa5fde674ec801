package io.tycostream.triggers.store;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.testkit.TestMasterKeys;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifies webhook secrets at rest: sealed under the master key in the database, opened on read, rotated with an
 * overlap, legacy plaintext sealed at open, a wrong master key refused at open, and re-encryption under a new key.
 * The store of {@link StoreContract} seals under {@link TestMasterKeys#FIRST}. Runs on every dialect.
 */
public abstract class SecretsAtRestContract extends StoreContract {

  protected static final String PLAIN = "whsec_bGVnYWN5LXBsYWludGV4dC1zZWNyZXQtMzJieXRlcyE=";

  /** Verifies that the database holds the secret sealed under the current key id, and the store hands it out open. */
  @Test
  public void secretIsStoredSealedUnderTheKeyId() throws SQLException {
    // GIVEN a created trigger
    await(store.createTrigger(trigger("t1")));

    // THEN the column holds v1:<key id>:… without the secret, and the store reads the secret back
    assertThat(storedSecret("t1")).startsWith("v1:" + TestMasterKeys.FIRST.id() + ":").doesNotContain("secret-t1");
    assertThat(await(store.getTrigger("t1")).orElseThrow().secret()).isEqualTo("secret-t1");
    assertThat(await(store.listTriggers()).get(0).secret()).isEqualTo("secret-t1");
  }

  /**
   * Verifies that a rotation with overlap keeps the replaced secret until the overlap ends, that the next rotation
   * drops it, and that a rotation without overlap keeps no previous secret.
   */
  @Test
  public void rotationKeepsThePreviousSecretForTheOverlap() throws SQLException {
    // GIVEN a trigger
    await(store.createTrigger(trigger("t1")));
    Instant until = NOW.plusSeconds(60);

    // WHEN its secret is rotated with an overlap
    StoredTrigger rotated = await(store.rotateSecret("t1", "second", until, "ops"));

    // THEN the new secret signs, the old one too until the overlap ends; both are sealed in the database
    StoredTrigger read = await(store.getTrigger("t1")).orElseThrow();
    for (StoredTrigger trigger : List.of(rotated, read)) {
      assertThat(trigger.secret()).isEqualTo("second");
      assertThat(trigger.previousSecret()).isEqualTo("secret-t1");
      assertThat(trigger.previousSecretExpiresAt()).isEqualTo(until);
      assertThat(trigger.updatedBy()).isEqualTo("ops");
    }
    assertThat(read.previousSecretValidAt(until.minusMillis(1))).contains("secret-t1");
    assertThat(read.previousSecretValidAt(until)).isEmpty();
    assertThat(database.queryValue("SELECT previous_secret FROM triggers WHERE name = 't1'").toString())
        .startsWith("v1:" + TestMasterKeys.FIRST.id() + ":");

    // WHEN it is rotated again with an overlap, and then without
    await(store.rotateSecret("t1", "third", until, "ops"));
    StoredTrigger again = await(store.getTrigger("t1")).orElseThrow();
    await(store.rotateSecret("t1", "fourth", null, "ops"));
    StoredTrigger immediate = await(store.getTrigger("t1")).orElseThrow();

    // THEN only the secret each rotation replaced is kept, and none after a rotation without overlap
    assertThat(again.previousSecret()).isEqualTo("second");
    assertThat(immediate.secret()).isEqualTo("fourth");
    assertThat(immediate.previousSecret()).isNull();
    assertThat(immediate.previousSecretExpiresAt()).isNull();
    assertThat(database.queryValue("SELECT previous_secret FROM triggers WHERE name = 't1'")).isNull();
  }

  /** Verifies that rotating the secret of a trigger that does not exist fails with NOT_FOUND. */
  @Test
  public void rotatingUnknownTriggerFailsWithNotFound() {
    Throwable failure = failureOf(store.rotateSecret("nope", "second", null, "ops"));

    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.NOT_FOUND);
  }

  /** Verifies that a restart with a different master key fails at open, naming the key id it lacks. */
  @Test
  public void restartWithWrongMasterKeyFailsNamingTheKeyId() {
    // GIVEN a trigger sealed under the first key, and the store closed
    await(store.createTrigger(trigger("t1")));
    await(store.close());
    store = null;

    // WHEN the store is opened with only the second key
    SecretCipher wrong = SecretCipher.create(TestMasterKeys.SECOND, List.of());

    // THEN opening fails with UNREADABLE_SECRET naming the trigger and both key ids
    assertThatThrownBy(() -> database.open(vertx, wrong))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).storeCode()).isEqualTo(StoreErrorCode.UNREADABLE_SECRET))
        .hasMessageContaining("trigger 't1'")
        .hasMessageContaining("master key id '" + TestMasterKeys.FIRST.id() + "'")
        .hasMessageContaining("not configured")
        .hasMessageContaining(TestMasterKeys.SECOND.id());
  }

  /** Verifies that a secret stored as plaintext (a database from before sealing) is sealed when the store opens. */
  @Test
  public void legacyPlaintextSecretIsSealedAtOpen() throws SQLException {
    // GIVEN a database whose row holds its secret as plaintext, as older builds wrote it
    await(store.createTrigger(trigger("t1")));
    await(store.close());
    store = null;
    database.execute("UPDATE triggers SET secret = '" + PLAIN + "' WHERE name = 't1'");

    // WHEN the store opens it
    store = database.open(vertx, TestMasterKeys.cipher());

    // THEN the row is sealed, and the store reads the same secret
    assertThat(storedSecret("t1")).startsWith("v1:" + TestMasterKeys.FIRST.id() + ":").doesNotContain("whsec_");
    assertThat(await(store.getTrigger("t1")).orElseThrow().secret()).isEqualTo(PLAIN);
  }

  /**
   * Verifies that re-encryption moves every secret, a rotation's previous one included, to the current key id, after
   * which the old key is no longer needed.
   */
  @Test
  public void reencryptionMovesSecretsToTheNewKeyId() throws SQLException {
    // GIVEN triggers sealed under the first key, one in a rotation overlap
    await(store.createTrigger(trigger("t1")));
    await(store.createTrigger(trigger("t2")));
    await(store.rotateSecret("t2", "second", NOW.plusSeconds(3600), "ops"));
    await(store.close());
    store = null;

    // WHEN the store opens with the second key as current and the first as previous, and re-encrypts
    store = database.open(vertx, SecretCipher.create(TestMasterKeys.SECOND, List.of(TestMasterKeys.FIRST)));
    int rewritten = await(store.resealSecrets());

    // THEN both rows moved to the second key id, and a second pass has nothing to do
    assertThat(rewritten).isEqualTo(2);
    String newPrefix = "v1:" + TestMasterKeys.SECOND.id() + ":";
    assertThat(storedSecret("t1")).startsWith(newPrefix);
    assertThat(storedSecret("t2")).startsWith(newPrefix);
    assertThat(database.queryValue("SELECT previous_secret FROM triggers WHERE name = 't2'").toString())
        .startsWith(newPrefix);
    assertThat(await(store.resealSecrets())).isZero();

    // AND the store opens with the second key alone and reads the same secrets
    await(store.close());
    store = database.open(vertx, SecretCipher.create(TestMasterKeys.SECOND, List.of()));
    assertThat(await(store.getTrigger("t1")).orElseThrow().secret()).isEqualTo("secret-t1");
    StoredTrigger t2 = await(store.getTrigger("t2")).orElseThrow();
    assertThat(t2.secret()).isEqualTo("second");
    assertThat(t2.previousSecret()).isEqualTo("secret-t2");
  }

  protected String storedSecret(String name) throws SQLException {
    return (String) database.queryValue("SELECT secret FROM triggers WHERE name = '" + name + "'");
  }
}
