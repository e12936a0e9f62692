package com.welcomedly.dialer.engine.leadimport;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The lead ids one import has seen, each with the line it was first seen on: what "duplicate id x
 * (first on line n)" needs, exact, for every row of the file. A {@code HashMap<String, Integer>}
 * costs about 110 bytes per id (entry, String, its bytes, boxed line); here an id is its ASCII
 * bytes in one growing array plus three ints and a slot or two, about 40 bytes for a 15-character
 * id, and nothing per id for the collector to trace. Lead ids are ASCII by their rule ({@link
 * LeadRowValidator#LEAD_ID}, generated UUIDs); any other id goes to a plain map. One import only.
 */
final class SeenIds {

  private static final int MAX_COMPACT_LENGTH = 255;

  private byte[] bytes = new byte[1 << 14];
  private int bytesUsed;
  private int[] starts = new int[1 << 10];
  private int[] hashes = new int[1 << 10];
  private int[] lines = new int[1 << 10];
  private int size;

  /** Open addressing, linear probing: entry index + 1, 0 = free; at most half full. */
  private int[] slots = new int[1 << 11];

  private final Map<String, Integer> others = new HashMap<>();

  /** The line {@code id} was first seen on; or, the first time, records it on {@code line}: -1. */
  int firstLine(String id, int line) {
    if (!compact(id)) {
      Integer first = others.putIfAbsent(id, line);
      return first == null ? -1 : first;
    }
    int hash = mix(id.hashCode());
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        slots[slot] = add(id, hash, line) + 1;
        if (size * 2 > slots.length) {
          rehash(slots.length * 2);
        }
        return -1;
      }
      if (hashes[entry] == hash && sameId(entry, id)) {
        return lines[entry];
      }
    }
  }

  private static boolean compact(String id) {
    if (id.length() > MAX_COMPACT_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private int add(String id, int hash, int line) {
    int length = id.length();
    if (bytesUsed + length + 1 > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, bytesUsed + length + 1));
    }
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
      lines = Arrays.copyOf(lines, size * 2);
    }
    starts[size] = bytesUsed;
    hashes[size] = hash;
    lines[size] = line;
    bytes[bytesUsed++] = (byte) length;
    for (int i = 0; i < length; i++) {
      bytes[bytesUsed++] = (byte) id.charAt(i);
    }
    return size++;
  }

  private boolean sameId(int entry, String id) {
    int at = starts[entry];
    int length = bytes[at] & 0xFF;
    if (length != id.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[at + 1 + i] != (byte) id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void rehash(int capacity) {
    int[] grown = new int[capacity];
    int mask = capacity - 1;
    for (int entry = 0; entry < size; entry++) {
      int slot = hashes[entry] & mask;
      while (grown[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      grown[slot] = entry + 1;
    }
    slots = grown;
  }
}
