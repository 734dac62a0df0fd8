import type { Db } from '../../../platform/db/database.ts';
import type { EventKind } from '../../../platform/db/schema.ts';
import type { FieldErrors } from '../shared/field-errors.ts';
import { type EventHost, formatHostLines, parseHostLines, readJsonList } from '../shared/link-lines.ts';
import type { PostedForm } from '../shared/posted-form.ts';
import { slugField } from '../shared/slug.ts';
import { checkTopicIds } from '../shared/topic-links.ts';
import { EVENT_TIME_ZONES, utcToZonedTime, zonedTimeToUtc } from '../shared/zoned-time.ts';
import type { EventRow } from './event-queries.ts';

export const EVENT_KINDS: readonly { value: EventKind; label: string }[] = [
  { value: 'x_chat', label: 'X chat' },
  { value: 'webinar', label: 'Webinar' },
  { value: 'in_person', label: 'In person' },
];

/** The event form as typed. `status` is "" when the form did not offer it (editors). */
export interface EventForm {
  title: string;
  slug: string;
  kind: string;
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: string;
  hashtag: string;
  hosts: string;
  joinUrl: string;
  location: string;
  description: string;
  recap: string;
  recordingUrl: string;
  topics: string[];
  articleId: string;
  status: string;
}

export const emptyEventForm: EventForm = {
  title: '',
  slug: '',
  kind: 'webinar',
  date: '',
  time: '',
  timeZone: 'America/New_York',
  durationMinutes: '60',
  hashtag: '',
  hosts: '',
  joinUrl: '',
  location: '',
  description: '',
  recap: '',
  recordingUrl: '',
  topics: [],
  articleId: '',
  status: '',
};

const FIELDS = Object.keys(emptyEventForm).filter((k) => k !== 'topics') as Exclude<keyof EventForm, 'topics'>[];

export function eventFormFromPost(form: PostedForm): EventForm {
  const values = { ...emptyEventForm, topics: form.all('topics') };
  for (const name of FIELDS) values[name] = form.fields[name] ?? '';
  return values;
}

export function eventFormFromRow(row: EventRow, topicIds: string[]): EventForm {
  const wall = utcToZonedTime(row.starts_at, row.time_zone);
  return {
    title: row.title,
    slug: row.slug,
    kind: row.kind,
    date: wall.date,
    time: wall.time,
    timeZone: row.time_zone,
    durationMinutes: String(row.duration_minutes),
    hashtag: row.hashtag ?? '',
    hosts: formatHostLines(readJsonList<EventHost>(row.hosts)),
    joinUrl: row.join_url ?? '',
    location: row.location ?? '',
    description: row.description,
    recap: row.recap_markdown ?? '',
    recordingUrl: row.recording_url ?? '',
    topics: topicIds,
    articleId: row.article_id ?? '',
    status: row.status,
  };
}

export interface EventValues {
  title: string;
  slug: string;
  kind: EventKind;
  starts_at: string;
  time_zone: string;
  duration_minutes: number;
  hashtag: string | null;
  hosts: string;
  join_url: string | null;
  location: string | null;
  description: string;
  recap_markdown: string | null;
  recording_url: string | null;
  article_id: string | null;
  topicIds: string[];
}

export const eventSlugTaken = (slug: string) => `Another event already uses the slug “${slug}”. Choose another.`;

/** Checks the event form (state aside). `current` is the event being edited, or null. */
export async function validateEventForm(db: Db, form: EventForm, current: EventRow | null, errors: FieldErrors): Promise<EventValues> {
  const title = errors.required('title', form.title, 'a title', 200);
  const slug = slugField(errors, form.slug, title);
  const kind = errors.oneOf(
    'kind',
    form.kind,
    EVENT_KINDS.map((k) => k.value),
    'Choose the kind of event.',
  );
  const zones: string[] = EVENT_TIME_ZONES.map((z) => z.value);
  // An event imported in another zone keeps it; new choices come from the list.
  if (form.timeZone !== current?.time_zone && !zones.includes(form.timeZone)) errors.add('timeZone', 'Choose a time zone from the list.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date.trim())) errors.add('date', 'Enter the date as YYYY-MM-DD, like 2024-01-22.');
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(form.time.trim())) errors.add('time', 'Enter the start time as HH:MM on a 24-hour clock, like 11:00.');
  const startsAt =
    errors.has('date') || errors.has('time') || errors.has('timeZone')
      ? undefined
      : zonedTimeToUtc(form.date.trim(), form.time.trim(), form.timeZone);
  if (!startsAt && !errors.has('time') && !errors.has('timeZone')) errors.add('date', 'That date does not exist. Check the day and month.');
  const duration = errors.integer('durationMinutes', form.durationMinutes, 'the length in minutes', { min: 5, max: 24 * 60 });
  const hashtag = form.hashtag.trim();
  if (hashtag !== '' && !/^#[\p{L}\p{N}_]{1,100}$/u.test(hashtag))
    errors.add('hashtag', 'A hashtag starts with # and is one word, like #REMSChatWithAnExpert.');
  const hosts = parseHostLines(form.hosts);
  if ('error' in hosts) errors.add('hosts', hosts.error);
  const joinUrl = errors.optionalUrl('joinUrl', form.joinUrl, 'the join or registration address');
  const location = errors.optional('location', form.location, 'the location', 300);
  const description = errors.required('description', form.description, 'a description', 5000);
  const recap = errors.optional('recap', form.recap, 'the recap', 100_000);
  const recordingUrl = errors.optionalUrl('recordingUrl', form.recordingUrl, 'the recording address');
  let articleId: string | null = null;
  if (form.articleId !== '') {
    const article = await db.selectFrom('publishing_articles').select('id').where('id', '=', form.articleId).executeTakeFirst();
    if (article) articleId = article.id;
    else errors.add('articleId', 'That article no longer exists. Choose another, or none.');
  }
  const topicIds = await checkTopicIds(db, form.topics, errors);
  if (slug !== undefined) {
    const owner = await db.selectFrom('publishing_events').select('id').where('slug', '=', slug).executeTakeFirst();
    if (owner && owner.id !== current?.id) errors.add('slug', eventSlugTaken(slug));
  }
  return {
    title,
    slug: slug ?? '',
    kind,
    starts_at: startsAt?.toISOString() ?? '',
    time_zone: form.timeZone,
    duration_minutes: duration,
    hashtag: hashtag || null,
    hosts: JSON.stringify('hosts' in hosts ? hosts.hosts : []),
    join_url: joinUrl,
    location: location || null,
    description,
    recap_markdown: recap || null,
    recording_url: recordingUrl,
    article_id: articleId,
    topicIds,
  };
}
