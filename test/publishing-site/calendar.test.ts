import ICAL from 'ical.js';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { BEFORE_DEMO_EVENT, openApp } from './app.ts';
import { DEMO, insertEvent } from './fixtures.ts';

const BASE = 'https://dispatch.example.gov';

/** The single VEVENT of a calendar file, read with ical.js. */
function veventOf(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return { calendar, event: events[0]! };
}

const utc = (value: unknown) => (value as ICAL.Time).toJSDate().toISOString();

describeEachDatabase('calendar files (/events/:slug.ics)', ({ handle }) => {
  it('the demo event: stable UID, UTC start, DTSTAMP, summary, URL and a reminder an hour before', async () => {
    const { get } = await openApp(handle(), { publicUrl: BASE });
    const response = await get(`/events/${DEMO.eventSlug}.ics`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${DEMO.eventSlug}.ics"`);

    const { calendar, event } = veventOf(response.body);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.getFirstPropertyValue('uid')).toBe(`${DEMO.eventId}@dispatch.example.gov`);
    expect(utc(event.getFirstPropertyValue('dtstart'))).toBe('2024-01-22T16:00:00.000Z');
    expect(utc(event.getFirstPropertyValue('dtstamp'))).toBe(BEFORE_DEMO_EVENT.toISOString());
    expect(event.getFirstPropertyValue('summary')).toBe(DEMO.eventTitle);
    expect(event.getFirstPropertyValue('url')).toBe(`${BASE}/events/${DEMO.eventSlug}`);
    expect(String(event.getFirstPropertyValue('duration'))).toBe('PT60M');
    const description = String(event.getFirstPropertyValue('description'));
    expect(description).toContain('Monday, January 22, 2024, 11:00 AM ET');
    expect(description).toContain('@COPSOffice');

    const alarm = event.getFirstSubcomponent('valarm');
    expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm?.getFirstPropertyValue('trigger'))).toBe('-PT1H');

    // Asked again later: same UID (calendars update the entry), a new DTSTAMP.
    const again = await get(`/events/${DEMO.eventSlug}.ics`);
    expect(veventOf(again.body).event.getFirstPropertyValue('uid')).toBe(`${DEMO.eventId}@dispatch.example.gov`);
  });

  it('?reminder=0 leaves the alarm out; other values are refused', async () => {
    const { get } = await openApp(handle());
    const { event } = veventOf((await get(`/events/${DEMO.eventSlug}.ics?reminder=0`)).body);
    expect(event.getFirstSubcomponent('valarm')).toBeNull();
    expect((await get(`/events/${DEMO.eventSlug}.ics?reminder=yes`)).statusCode).toBe(400);
  });

  it('text with commas, semicolons, backslashes and new lines survives; the location is carried', async () => {
    const { ctx, get } = await openApp(handle());
    const title = 'Q&A; budgets, staffing \\ and more';
    await insertEvent(ctx.db, {
      slug: 'tricky',
      title,
      kind: 'in_person',
      startsAt: '2024-06-03T14:00:00.000Z',
      durationMinutes: 45,
      location: 'Room 5, Building A; Washington',
      description: 'Line one\nLine two, with a comma',
    });
    const { event } = veventOf((await get('/events/tricky.ics')).body);
    expect(event.getFirstPropertyValue('summary')).toBe(title);
    expect(event.getFirstPropertyValue('location')).toBe('Room 5, Building A; Washington');
    expect(String(event.getFirstPropertyValue('description'))).toContain('Line one\nLine two, with a comma');
    expect(event.getFirstSubcomponent('valarm')?.getFirstPropertyValue('description')).toBe(`Starts in one hour: ${title}`);
  });

  it('drafts and unknown events are 404, malformed slugs 400', async () => {
    const { ctx, get } = await openApp(handle());
    await insertEvent(ctx.db, { slug: 'draft-event', startsAt: '2024-06-03T14:00:00.000Z', status: 'draft' });
    expect((await get('/events/draft-event.ics')).statusCode).toBe(404);
    expect((await get('/events/no-such-event.ics')).statusCode).toBe(404);
    expect((await get('/events/Bad_Slug.ics')).statusCode).toBe(400);
    expect((await get('/events/a.b.ics')).statusCode).toBe(400);
  });
});
