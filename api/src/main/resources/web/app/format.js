// Formatting shared by the screens.
export function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

export function since(iso, now = Date.now()) {
  return iso ? duration((now - Date.parse(iso)) / 1000) : '–';
}

export function percent(value, digits = 2) {
  return value === null || value === undefined || isNaN(value) ? '–' : `${Number(value).toFixed(digits)} %`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** "2026-03-01T10:30" for a datetime-local input: the wall-clock time now + days in a zone. */
export function localInZone(zone, plusDays = 1, hour = 10) {
  const d = new Date(Date.now() + plusDays * 86400000);
  let parts;
  try {
    parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
      timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(d).map(p => [p.type, p.value]));
  } catch {
    parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
      year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(d).map(p => [p.type, p.value]));
  }
  return `${parts.year}-${parts.month}-${parts.day}T${String(hour).padStart(2, '0')}:00`;
}

/** The current wall-clock time in a zone, e.g. "14:05", for "the customer's time". */
export function clockIn(zone) {
  try {
    return new Intl.DateTimeFormat([], { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date());
  } catch {
    return '–';
  }
}
