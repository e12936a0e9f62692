package com.welcomedly.dialer.engine.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lead's zone as {@code hopper_lead.timezone} stores it, for the projection and the bulk import
 * alike. Zone names PostgreSQL's tz database knows are checked once per name per instance.
 */
public final class HopperZones {

  private final Map<String, Boolean> known = new ConcurrentHashMap<>();

  /**
   * The zone as PostgreSQL should see it, or null. Fixed offsets are dropped on purpose: PostgreSQL
   * reads {@code '+05:00'} in {@code AT TIME ZONE} with POSIX's inverted sign. A null zone only
   * means the hopper does not pre-filter that lead by calling window.
   */
  public String sqlZone(Connection c, String zone) throws SQLException {
    if (zone == null) {
      return null;
    }
    try {
      if (ZoneId.of(zone) instanceof ZoneOffset) {
        return null;
      }
    } catch (RuntimeException e) {
      return null;
    }
    Boolean isKnown = known.get(zone);
    if (isKnown == null) {
      try (PreparedStatement s =
          c.prepareStatement("SELECT 1 FROM pg_timezone_names WHERE name = ?")) {
        s.setString(1, zone);
        try (ResultSet rs = s.executeQuery()) {
          isKnown = rs.next();
        }
      }
      known.put(zone, isKnown);
    }
    return isKnown ? zone : null;
  }
}
