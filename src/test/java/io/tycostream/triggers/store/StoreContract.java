package io.tycostream.triggers.store;

import static io.tycostream.triggers.store.StoreFixture.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every store contract shares: a fresh, empty database of the dialect under test for each test (supplied by the
 * dialect's subclass), a store opened on it before the contract's own set-up, and both closed after the test. A test
 * that closes the store itself sets {@link #store} to {@code null}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class StoreContract {

  protected StoreTestDatabase database;
  protected Vertx vertx;
  protected Store store;

  /** A fresh, empty database of the dialect under test, for one test. */
  protected abstract StoreTestDatabase newDatabase();

  @BeforeEach
  public void openDatabase(Vertx vertx) {
    this.vertx = vertx;
    database = newDatabase();
    store = database.open(vertx);
  }

  @AfterEach
  public void closeDatabase() {
    try {
      if (store != null) {
        await(store.close());
      }
    } finally {
      database.close();
    }
  }
}
