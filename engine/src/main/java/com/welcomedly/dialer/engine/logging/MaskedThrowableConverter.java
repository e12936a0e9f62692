package com.welcomedly.dialer.engine.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %maskedEx}: stack traces with phone numbers masked, because exception messages (a rejected
 * dial string, a failed originate) carry numbers too.
 */
public final class MaskedThrowableConverter extends ExtendedThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return PhoneNumberMasking.mask(super.throwableProxyToString(proxy));
  }
}
