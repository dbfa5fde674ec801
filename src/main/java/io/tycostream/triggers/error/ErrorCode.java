package io.tycostream.triggers.error;

import java.util.Locale;

/**
 * Every way an operation of the service can fail, with the stable lower-case code clients switch on and the HTTP
 * status it is answered with. The one vocabulary of {@link ServiceException}: the HTTP boundary (admin API), the
 * event-bus boundary ({@link EventBusErrors}) and the SQL boundary (the store's SQLSTATE translation) all map to and
 * from these codes, and nowhere else.
 */
public enum ErrorCode {

  /** A body that is not one well-formed JSON object. */
  MALFORMED_JSON(400),
  /** A field the definition does not know (rejected, never ignored). */
  UNKNOWN_FIELD(400),
  /** A required field is missing, or a field has the wrong type or form. */
  INVALID_FIELD(400),
  /** A condition that does not fit the source's schema. */
  INVALID_CONDITION(400),
  /** A trigger names a source that is not configured. */
  UNKNOWN_SOURCE(400),
  /** A webhook URL pointing where the target policy refuses to deliver. */
  TARGET_NOT_ALLOWED(400),
  /** A configuration value that cannot be used (reported at start-up, never over HTTP). */
  INVALID_CONFIG(400),
  /** A webhook whose signature does not verify. */
  INVALID_SIGNATURE(401),
  /** The request carries no API key, or one that is unknown, expired or revoked. */
  UNAUTHENTICATED(401),
  /** The API key is valid but its role does not allow this request. */
  FORBIDDEN(403),
  /** The addressed resource does not exist. */
  NOT_FOUND(404),
  /** The source object (view, cluster) is gone. */
  OBJECT_DROPPED(404),
  /** The method is not supported on this path. */
  METHOD_NOT_ALLOWED(405),
  /** A trigger of that name exists. */
  DUPLICATE_NAME(409),
  /** The request contradicts stored state (a checkpoint moving back, an integrity violation). */
  CONFLICT(409),
  /** Creating would exceed a configured limit (the message names it and its config field); delete first. */
  LIMIT_REACHED(409),
  /** The source's key is not unique. */
  KEY_VIOLATION(409),
  /** The source no longer retains the requested history. */
  HISTORY_LOST(410),
  /** The request names a host this server does not answer for (a DNS-rebinding page, a wrong proxy route). */
  MISDIRECTED_REQUEST(421),
  /** The body is larger than accepted. */
  BODY_TOO_LARGE(413),
  /** The request line (method, URI, version) is longer than accepted. */
  URI_TOO_LONG(414),
  /** The request headers are larger than accepted. */
  HEADERS_TOO_LARGE(431),
  /** The request is not well-formed HTTP. */
  MALFORMED_REQUEST(400),
  /** The client took longer than accepted to send the whole request. */
  REQUEST_TIMEOUT(408),
  /** An {@code Expect} header the server cannot meet (anything but {@code 100-continue}). */
  EXPECTATION_FAILED(417),
  /** The body is not sent as the accepted media type. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** The resource changed since the client read it ({@code If-Match} names an older version). */
  PRECONDITION_FAILED(412),
  /** Too many failed attempts from this client; retry after the time the answer gives. */
  TOO_MANY_REQUESTS(429),
  /** A bug, a corrupt database or anything not classified: never shown in detail to clients. */
  INTERNAL(500),
  /** A dependency (store, source, another verticle) cannot serve now; retrying later may succeed. */
  UNAVAILABLE(503),
  /** The source has not discovered its schema yet; retrying shortly will succeed. */
  SOURCE_NOT_READY(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The stable code of the JSON error shape, e.g. {@code invalid_field}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status this failure is answered with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code whose {@link #code()} is {@code code}, or {@link #INTERNAL} for a code this build does not know. */
  public static ErrorCode fromCode(String code) {
    for (ErrorCode value : values()) {
      if (value.code().equals(code)) {
        return value;
      }
    }
    return INTERNAL;
  }
}
