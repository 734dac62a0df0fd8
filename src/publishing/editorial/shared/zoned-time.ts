/**
 * Wall-clock time in an IANA zone ↔ UTC instants, with Intl only (no time-zone library).
 * Events are entered as "2024-01-22 11:00 in America/New_York" and stored as UTC.
 */

/** The zones editors choose from: the US zones, then UTC. */
export const EVENT_TIME_ZONES = [
  { value: 'America/New_York', label: 'Eastern (America/New_York)' },
  { value: 'America/Chicago', label: 'Central (America/Chicago)' },
  { value: 'America/Denver', label: 'Mountain (America/Denver)' },
  { value: 'America/Phoenix', label: 'Mountain, no daylight saving (America/Phoenix)' },
  { value: 'America/Los_Angeles', label: 'Pacific (America/Los_Angeles)' },
  { value: 'America/Anchorage', label: 'Alaska (America/Anchorage)' },
  { value: 'Pacific/Honolulu', label: 'Hawaii (Pacific/Honolulu)' },
  { value: 'UTC', label: 'UTC' },
] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 24 * 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone, as if they were UTC (milliseconds since the epoch). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in winter: -5 h). */
function offsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

/** Parses "YYYY-MM-DD" and "HH:MM[:SS]" into wall-clock milliseconds, or undefined if not a real date and time. */
function parseWallClock(date: string, time: string): number | undefined {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return undefined;
  const [year, month, day, hour, minute, second] = [d[1], d[2], d[3], t[1], t[2], t[3] ?? '0'].map(Number) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const ms = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  // Date.UTC rolls 2024-02-30 over to March; a real date reads back the same.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day) return undefined;
  return ms;
}

/**
 * The UTC instant of a wall-clock date and time in a zone, or undefined for an impossible date,
 * time or zone. Daylight saving is resolved like Temporal's "compatible" option: a time that
 * occurs twice (clocks going back) is the earlier one; a time skipped (clocks going forward) moves
 * forward by the gap, so 02:30 on the spring-forward night in New York is 03:30 EDT.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date | undefined {
  const wall = parseWallClock(date, time);
  if (wall === undefined || !isValidTimeZone(timeZone)) return undefined;
  // A zone changes its offset at most once within a day or so either side of any wall time.
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])].filter((instant) => wallClockMs(instant, timeZone) === wall);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In the gap: read the wall time with the offset from before the change.
  return new Date(wall - before);
}

/** The wall-clock date ("2024-01-22") and time ("11:00") of a UTC instant in a zone, for editing forms. */
export function utcToZonedTime(instant: string | Date, timeZone: string): { date: string; time: string } {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const wall = new Date(wallClockMs(ms, timeZone)).toISOString();
  const seconds = wall.slice(17, 19);
  return { date: wall.slice(0, 10), time: seconds === '00' ? wall.slice(11, 16) : wall.slice(11, 19) };
}
