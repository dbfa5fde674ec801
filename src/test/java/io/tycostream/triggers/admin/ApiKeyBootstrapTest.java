package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.Store;
import io.vertx.core.Vertx;
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

  private ApiKeyBootstrap bootstrap(ByteArrayOutputStream console) {
    return new ApiKeyBootstrap(vertx, store.apiKeys(), hasher, Clock.systemUTC(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  private ApiKeyAuthenticator authenticator() {
    return new ApiKeyAuthenticator(vertx, store.apiKeys(), hasher, Clock.systemUTC());
  }
}
