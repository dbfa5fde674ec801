package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.SecretsAtRestContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link SecretsAtRestContract} on PostgreSQL. */
class PostgresSecretsAtRestTest extends SecretsAtRestContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
