import { createEvent, type EventAttributes } from 'ics';
import type { AppContext } from '../../platform/context.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { eventKindLabel, eventWhenLabel, hashtagUrl, safeHttpUrl } from '../format.ts';
import { findEvent } from './find-event.ts';
import { parseHosts } from './rows.ts';

/** `ics` accepts a DTSTAMP (`timestamp`) but its types leave it out. */
type CalendarAttributes = EventAttributes & { timestamp: number };

const utcParts = (instant: string): [number, number, number, number, number] => {
  const d = new Date(instant);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
};

/** RFC 5545 TEXT escaping; ics escapes SUMMARY and DESCRIPTION itself but not an alarm's text. */
const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');

export interface EventCalendar {
  fileName: string;
  body: string;
}

/**
 * One published event as an RFC 5545 calendar file. The UID is the event id on the site's host, so
 * a calendar that imports the file twice updates the entry instead of duplicating it. DTSTAMP is
 * when this file was made (METHOD:PUBLISH), LAST-MODIFIED when the event last changed. With
 * `reminder` a display alarm fires one hour before the start.
 */
export async function buildEventCalendar(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config'>,
  options: { slug: string; reminder: boolean },
): Promise<EventCalendar> {
  const [{ event }, settings] = await Promise.all([findEvent(ctx, { slug: options.slug }), getSiteSettings(ctx.db)]);
  const base = ctx.config.publicUrl;
  const pageUrl = `${base}/events/${event.slug}`;
  const joinUrl = safeHttpUrl(event.join_url);
  const hosts = parseHosts(event.hosts);
  const details = [
    event.description,
    `${eventKindLabel(event.kind)}: ${eventWhenLabel(event.starts_at, event.time_zone)}`,
    hosts.length ? `Hosts: ${hosts.map((h) => [h.name, h.handle].filter(Boolean).join(' ')).join(', ')}` : '',
    event.hashtag ? `Follow ${event.hashtag}: ${hashtagUrl(event.hashtag)}` : '',
    joinUrl ? `Join: ${joinUrl}` : '',
    `Details: ${pageUrl}`,
  ].filter(Boolean);
  const location = event.location || joinUrl || (event.kind === 'x_chat' && event.hashtag ? `On X: ${event.hashtag}` : undefined);

  const attributes: CalendarAttributes = {
    productId: `-//${settings.siteName.replace(/[\r\n]/g, ' ')}//Events//EN`,
    uid: `${event.id}@${new URL(base).hostname}`,
    timestamp: ctx.clock.now().getTime(),
    // A number: ics reads date arrays without an input type as server-local time.
    lastModified: Date.parse(event.updated_at),
    start: utcParts(event.starts_at),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: event.duration_minutes },
    title: event.title,
    description: details.join('\n\n'),
    url: pageUrl,
    ...(location ? { location } : {}),
    status: 'CONFIRMED',
    ...(options.reminder
      ? { alarms: [{ action: 'display', description: icsText(`Starts in one hour: ${event.title}`), trigger: { hours: 1, before: true } }] }
      : {}),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  return { fileName: `${event.slug}.ics`, body: value };
}
