package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.AuditEntry;
import io.tycostream.triggers.store.AuditQuery;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first admin key over a real SQLite store: generated and printed once when none exists and none is configured,
 * never again afterwards; a configured key is the admin key, and changing the configuration replaces it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiKeyBootstrapTest {

  private static final Pattern PRINTED_KEY = Pattern.compile("(tsk_[A-Za-z0-9_-]{43})");

  @TempDir
  Path dataDir;

  private Store store;
  private Vertx vertx;
  private final ApiKeyHasher hasher = new ApiKeyHasher();

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    store = AdminApiFixture.openStore(vertx, dataDir);
  }

  @AfterEach
  void close() {
    await(store.close());
  }

  /** Verifies that a generated key is printed once, works as an admin key, and is not generated again. */
  @Test
  void generatesAndPrintsTheFirstKeyOnce() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    await(bootstrap(console).ensureAdminKey(null));
    Matcher printed = PRINTED_KEY.matcher(console.toString(StandardCharsets.UTF_8));
    assertThat(printed.find()).as(console.toString(StandardCharsets.UTF_8)).isTrue();
    Actor actor = await(authenticator().authenticate(printed.group(1)));
    assertThat(actor).isEqualTo(new Actor("bootstrap", ApiKeyRole.ADMIN));

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    await(bootstrap(again).ensureAdminKey(null));
    assertThat(again.size()).isZero();
    assertThat(await(store.apiKeys().countApiKeys())).isEqualTo(1);
    assertThat(await(authenticator().authenticate(printed.group(1))).name()).isEqualTo("bootstrap");
  }

  /** Verifies that the configured key is the admin key, and a new configured key replaces the old one. */
  @Test
  void aConfiguredKeyIsTheAdminKeyAndReplacesTheLastOne() {
    String first = "first-configured-admin-key-0123456789";
    String second = "second-configured-admin-key-0123456789";
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    await(bootstrap(console).ensureAdminKey(first));
    assertThat(await(authenticator().authenticate(first)).role()).isEqualTo(ApiKeyRole.ADMIN);

    await(bootstrap(console).ensureAdminKey(second));
    assertThat(await(authenticator().authenticate(second)).name()).isEqualTo("bootstrap");
    assertThatThrownBy(() -> await(new ApiKeyAuthenticator(vertx, store.apiKeys(), new ApiKeyHasher(),
        Clock.systemUTC()).authenticate(first))).hasMessageContaining("unknown API key");
    assertThat(console.size()).isZero();
    assertThat(await(store.apiKeys().countApiKeys())).isEqualTo(1);
  }

  /**
   * Verifies that the configured key is a configuration change in the audit log when it is first stored and when it
   * changes, by {@code config} with before and after, and not at a restart with the same key; no key or hash is in it.
   */
  @Test
  void auditsAConfiguredKeyWhenItIsNewOrChanged() {
    String first = "first-configured-admin-key-0123456789";
    String second = "second-configured-admin-key-0123456789";
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    // WHEN a key is configured, the service restarts with it, then the configuration names another
    await(bootstrap(console).ensureAdminKey(first));
    await(bootstrap(console).ensureAdminKey(first));
    await(bootstrap(console).ensureAdminKey(second));

    // THEN two entries, newest first: the change (before: the first key's entry) and the first storing (before: none)
    List<AuditEntry> entries = await(store.audit().list(new AuditQuery(null, null, null, null, 10))).entries();
    assertThat(entries).extracting(AuditEntry::action).containsExactly("api_key.create", "api_key.create");
    assertThat(entries).extracting(AuditEntry::actor).containsExactly("config", "config");
    assertThat(entries).extracting(AuditEntry::target).containsExactly("bootstrap", "bootstrap");
    assertThat(entries.get(1).beforeJson()).isNull();
    JsonObject firstStored = new JsonObject(entries.get(1).afterJson());
    assertThat(firstStored.getString("role")).isEqualTo("admin");
    assertThat(new JsonObject(entries.get(0).beforeJson())).isEqualTo(firstStored);
    assertThat(new JsonObject(entries.get(0).afterJson()).getString("created_by")).isEqualTo("config");
    // AND neither key nor hash is anywhere in the log
    String log = entries.toString();
    assertThat(log).doesNotContain(first).doesNotContain(second).doesNotContain(hasher.hash(first))
        .doesNotContain(hasher.hash(second)).doesNotContain("pbkdf2");
  }

  private ApiKeyBootstrap bootstrap(ByteArrayOutputStream console) {
    return new ApiKeyBootstrap(vertx, store.apiKeys(), hasher, Clock.systemUTC(),
        new PrintStream(console, true, StandardCharsets.UTF_8), new AuditRecorder(store.audit()));
  }

  private ApiKeyAuthenticator authenticator() {
    return new ApiKeyAuthenticator(vertx, store.apiKeys(), hasher, Clock.systemUTC());
  }
}
