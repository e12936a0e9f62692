package com.welcomedly.dialer.engine;

/**
 * Marker for every message, event and state that may cross the wire or land in the journal.
 *
 * <p>{@code serialization.conf} binds exactly this interface to Jackson CBOR, so one binding covers
 * the whole engine and a type that forgets it fails loudly under {@code
 * pekko.actor.serialize-messages = on} in tests instead of silently in production.
 */
public interface CborSerializable {}
