/** "January 2024" from an issue month stored as "2024-01-01". */
export function issueMonthLabel(month: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}T00:00:00Z`));
}

/** The issue dateline exactly as the newsletter prints it: "January 2024 | Volume 17 | Issue 1". */
export function issueDateline(issue: { month: string; volume: number; number: number }): string {
  return `${issueMonthLabel(issue.month)} | Volume ${issue.volume} | Issue ${issue.number}`;
}

/** An event's date and time in its own zone: "Monday, January 22, 2024", "11:00 AM ET". */
export function eventTimeInZone(startsAt: string, timeZone: string): { date: string; time: string } {
  const instant = new Date(startsAt);
  return {
    date: new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(instant),
    time: new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'shortGeneric' }).format(instant),
  };
}

/**
 * The zone the publication dates its articles in. The office is in Washington, DC and its events
 * are announced in Eastern time, so a "published" date follows the same calendar.
 */
export const PUBLICATION_TIME_ZONE = 'America/New_York';

/** "Monday, January 22, 2024, 11:00 AM ET": an event's start in its own zone, as one line. */
export function eventWhenLabel(startsAt: string, timeZone: string): string {
  const { date, time } = eventTimeInZone(startsAt, timeZone);
  return `${date}, ${time}`;
}

const eventKinds: Record<string, string> = { x_chat: 'X chat', webinar: 'Webinar', in_person: 'In person' };

/** "X chat", "Webinar", "In person". */
export function eventKindLabel(kind: string): string {
  return eventKinds[kind] ?? 'Event';
}

const resourceKinds: Record<string, string> = {
  publication: 'Publication',
  toolkit: 'Toolkit',
  video: 'Video',
  webinar: 'Webinar',
  website: 'Website',
  other: 'Other',
};

/** The resource kinds in the order the resources page lists them. */
export const RESOURCE_KINDS = Object.keys(resourceKinds) as readonly string[];

/** "Website", "Toolkit", … */
export function resourceKindLabel(kind: string): string {
  return resourceKinds[kind] ?? 'Other';
}

/** "45 minutes", "1 hour", "1 hour 30 minutes". */
export function durationLabel(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' ');
}

/** "January 8, 2024": the calendar date of an instant in the publication's zone. */
export function publishedDateLabel(instant: string, timeZone = PUBLICATION_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(instant));
}

/** The calendar year of a volume: Volume 1 appeared in `firstVolumeYear`. */
export function volumeYear(volume: number, firstVolumeYear: number): number {
  return firstVolumeYear + volume - 1;
}

/** The X page of a hashtag, with or without its leading "#". */
export function hashtagUrl(hashtag: string): string {
  return `https://x.com/hashtag/${encodeURIComponent(hashtag.replace(/^#/, ''))}`;
}

/**
 * The URL when it is an absolute http(s) address, otherwise undefined. Links editors typed are
 * rendered only through this, so a javascript: or data: URL never becomes an href.
 */
export function safeHttpUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
