package com.welcomedly.dialer.engine.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNumberMaskingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Dialing +15551234567 now|Dialing +*******4567 now",
        "Originate PJSIP/15551234567@carrier|Originate PJSIP/*******4567@carrier",
        "Channel=Local/447700900123@sim-customer-0000001a;1|Channel=Local/********0123@sim-customer-0000001a;1",
        "call 555-123-4567 back|call ***-***-4567 back",
        "call (555) 123-4567 back|call (***) ***-4567 back",
        "numbers +4915112345678,+15551234567|numbers +*********5678,+*******4567",
        "short ext 1003 stays|short ext 1003 stays",
        "six digits 123456 stay|six digits 123456 stay",
        "uniqueid 1763800000.42 stays|uniqueid 1763800000.42 stays",
        "due 2026-11-22T10:15:30Z stays|due 2026-11-22T10:15:30Z stays",
        "hex ab1234567f stays|hex ab1234567f stays",
        "uuid d786274c-8512-4470-8320-4dc95e50d831 stays|uuid d786274c-8512-4470-8320-4dc95e50d831 stays",
        "lead-15551234567|lead-*******4567",
      })
  void masksAllButTheLastFourDigitsOfEveryNumber(String raw, String masked) {
    assertEquals(masked, PhoneNumberMasking.mask(raw));
  }

  @org.junit.jupiter.api.Test
  void masksASingleNumber() {
    assertEquals("+*******4567", PhoneNumberMasking.maskNumber("+15551234567"));
  }
}
