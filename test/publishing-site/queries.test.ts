import { expect, it } from 'vitest';
import { FixedClock } from '../../src/platform/clock.ts';
import { findArticle } from '../../src/publishing/site/find-article.ts';
import { findEvent } from '../../src/publishing/site/find-event.ts';
import { findCurrentIssue, findIssue } from '../../src/publishing/site/find-issue.ts';
import { findTopic } from '../../src/publishing/site/find-topic.ts';
import { listEvents, PAST_EVENTS_PAGE_SIZE } from '../../src/publishing/site/list-events.ts';
import { listIssueArchive } from '../../src/publishing/site/list-issue-archive.ts';
import { listResources } from '../../src/publishing/site/list-resources.ts';
import { listTopics } from '../../src/publishing/site/list-topics.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { insertArticle, insertEvent, insertIssue, insertResource, insertTopic, rejectsWith } from './fixtures.ts';

const NOW = new Date('2024-03-15T12:00:00.000Z');

describeEachDatabase('public publishing queries', ({ handle }) => {
  const ctx = () => ({ db: handle().db, clock: new FixedClock(NOW) });

  it('the current issue is the newest published one, with only its published articles in order', async () => {
    const { db } = handle();
    await insertIssue(db, { volume: 16, number: 12, month: '2023-12-01' });
    const current = await insertIssue(db, { volume: 17, number: 2, month: '2024-02-01' });
    await insertIssue(db, { volume: 17, number: 1, month: '2024-01-01' });
    // A draft issue with a higher number must not become "current".
    await insertIssue(db, { volume: 17, number: 3, month: '2024-03-01', status: 'draft' });
    await insertArticle(db, { slug: 'second', issueId: current, position: 2 });
    await insertArticle(db, { slug: 'first', issueId: current, position: 1 });
    await insertArticle(db, { slug: 'draft', issueId: current, position: 0, status: 'draft' });
    await insertArticle(db, { slug: 'in-review', issueId: current, position: 0, status: 'in_review' });
    await insertArticle(db, { slug: 'scheduled', issueId: current, position: 0, status: 'scheduled' });
    // Published, but dated in the future: guarded even though the status says published.
    await insertArticle(db, { slug: 'future', issueId: current, position: 0, publishedAt: '2024-04-01T00:00:00.000Z' });

    const found = await findCurrentIssue(ctx());
    expect(found?.issue.id).toBe(current);
    expect(found?.articles.map((a) => a.slug)).toEqual(['first', 'second']);
  });

  it('no published issue means no current issue', async () => {
    await insertIssue(handle().db, { volume: 1, number: 1, month: '2008-01-01', status: 'draft' });
    expect(await findCurrentIssue(ctx())).toBeUndefined();
  });

  it('an issue page shows published events of its articles only, and drafts and unknown issues are not found', async () => {
    const { db } = handle();
    const issue = await insertIssue(db, { volume: 17, number: 1, month: '2024-01-01' });
    await insertIssue(db, { volume: 17, number: 2, month: '2024-02-01', status: 'draft' });
    const article = await insertArticle(db, { slug: 'lead', issueId: issue });
    await insertEvent(db, { slug: 'later', startsAt: '2024-01-25T16:00:00.000Z', articleId: article });
    await insertEvent(db, { slug: 'sooner', startsAt: '2024-01-22T16:00:00.000Z', articleId: article });
    await insertEvent(db, { slug: 'hidden', startsAt: '2024-01-23T16:00:00.000Z', articleId: article, status: 'draft' });

    const found = await findIssue(ctx(), { volume: 17, number: 1 });
    expect(found.events.map((e) => e.slug)).toEqual(['sooner', 'later']);
    await rejectsWith(findIssue(ctx(), { volume: 17, number: 2 }), 'NOT_FOUND');
    await rejectsWith(findIssue(ctx(), { volume: 99, number: 1 }), 'NOT_FOUND');
  });

  it('the archive groups published issues by volume, newest first, with published article titles', async () => {
    const { db } = handle();
    const v16 = await insertIssue(db, { volume: 16, number: 11, month: '2023-11-01' });
    const v17a = await insertIssue(db, { volume: 17, number: 1, month: '2024-01-01' });
    await insertIssue(db, { volume: 17, number: 2, month: '2024-02-01' });
    await insertIssue(db, { volume: 17, number: 3, month: '2024-03-01', status: 'draft' });
    await insertArticle(db, { slug: 'b', title: 'B', issueId: v17a, position: 1 });
    await insertArticle(db, { slug: 'a', title: 'A', issueId: v17a, position: 0 });
    await insertArticle(db, { slug: 'hidden', title: 'Hidden', issueId: v17a, position: 2, status: 'draft' });
    await insertArticle(db, { slug: 'old', title: 'Old', issueId: v16 });

    const archive = await listIssueArchive(ctx());
    expect(archive.map((v) => [v.volume, v.issues.map((i) => i.issue.number)])).toEqual([
      [17, [2, 1]],
      [16, [11]],
    ]);
    expect(archive[0]?.issues[1]?.articles).toEqual([
      { slug: 'a', title: 'A' },
      { slug: 'b', title: 'B' },
    ]);
    expect(archive[0]?.issues[0]?.articles).toEqual([]);
  });

  it('an article is found only when published; its draft issue and draft events stay hidden', async () => {
    const { db } = handle();
    const draftIssue = await insertIssue(db, { volume: 17, number: 5, month: '2024-05-01', status: 'draft' });
    const topic = await insertTopic(db, { slug: 'school-safety', name: 'School safety' });
    const article = await insertArticle(db, { slug: 'visible', issueId: draftIssue, topics: [topic] });
    await insertEvent(db, { slug: 'shown', startsAt: '2024-05-01T16:00:00.000Z', articleId: article });
    await insertEvent(db, { slug: 'not-shown', startsAt: '2024-05-02T16:00:00.000Z', articleId: article, status: 'draft' });
    await insertArticle(db, { slug: 'draft-one', status: 'draft' });
    await insertArticle(db, { slug: 'scheduled-one', status: 'scheduled' });
    await insertArticle(db, { slug: 'tomorrow', publishedAt: '2024-03-16T12:00:00.000Z' });

    const view = await findArticle(ctx(), { slug: 'visible' });
    expect(view.issue).toBeUndefined();
    expect(view.topics.map((t) => t.slug)).toEqual(['school-safety']);
    expect(view.events.map((e) => e.slug)).toEqual(['shown']);
    for (const slug of ['draft-one', 'scheduled-one', 'tomorrow', 'missing']) await rejectsWith(findArticle(ctx(), { slug }), 'NOT_FOUND');
  });

  it('a topic lists only its published articles (newest first), events and resources', async () => {
    const { db } = handle();
    const topic = await insertTopic(db, { slug: 'partnerships', name: 'Partnerships' });
    const other = await insertTopic(db, { slug: 'other' });
    await insertArticle(db, { slug: 'older', publishedAt: '2024-01-01T00:00:00.000Z', topics: [topic] });
    await insertArticle(db, { slug: 'newer', publishedAt: '2024-02-01T00:00:00.000Z', topics: [topic] });
    await insertArticle(db, { slug: 'draft', status: 'draft', topics: [topic] });
    await insertArticle(db, { slug: 'elsewhere', topics: [other] });
    await insertEvent(db, { slug: 'event', startsAt: '2024-04-01T00:00:00.000Z', topics: [topic] });
    await insertEvent(db, { slug: 'draft-event', startsAt: '2024-04-01T00:00:00.000Z', status: 'draft', topics: [topic] });
    await insertResource(db, { title: 'Toolkit', topics: [topic] });
    await insertResource(db, { title: 'Draft toolkit', status: 'draft', topics: [topic] });

    const view = await findTopic(ctx(), { slug: 'partnerships' });
    expect(view.articles.map((a) => a.slug)).toEqual(['newer', 'older']);
    expect(view.events.map((e) => e.slug)).toEqual(['event']);
    expect(view.resources.map((r) => r.title)).toEqual(['Toolkit']);
    await rejectsWith(findTopic(ctx(), { slug: 'missing' }), 'NOT_FOUND');
  });

  it('events split at the clock: upcoming soonest first (an event starting now is upcoming), past newest first', async () => {
    const { db } = handle();
    await insertEvent(db, { slug: 'next-year', startsAt: '2025-01-01T00:00:00.000Z' });
    await insertEvent(db, { slug: 'right-now', startsAt: NOW.toISOString() });
    await insertEvent(db, { slug: 'next-week', startsAt: '2024-03-22T12:00:00.000Z' });
    await insertEvent(db, { slug: 'last-month', startsAt: '2024-02-15T12:00:00.000Z' });
    await insertEvent(db, { slug: 'a-minute-ago', startsAt: '2024-03-15T11:59:00.000Z' });
    await insertEvent(db, { slug: 'draft', startsAt: '2024-03-20T12:00:00.000Z', status: 'draft' });

    const clock = new FixedClock(NOW);
    const listing = await listEvents({ db, clock });
    expect(listing.upcoming.map((e) => e.slug)).toEqual(['right-now', 'next-week', 'next-year']);
    expect(listing.past.map((e) => e.slug)).toEqual(['a-minute-ago', 'last-month']);

    // A week later the same rows fall on the other side.
    clock.set(new Date('2024-03-23T00:00:00.000Z'));
    const later = await listEvents({ db, clock });
    expect(later.upcoming.map((e) => e.slug)).toEqual(['next-year']);
    expect(later.past.map((e) => e.slug)).toEqual(['next-week', 'right-now', 'a-minute-ago', 'last-month']);
  });

  it('past events come 20 a page, newest first, each once; upcoming ones are all on every page', async () => {
    const { db } = handle();
    const hoursFromNow = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
    // 41 published past events: pages of 20, 20 and 1. Two share a start time, so the tie-break matters.
    for (let i = 1; i <= 40; i++) await insertEvent(db, { slug: `past-${String(i).padStart(2, '0')}`, startsAt: hoursFromNow(-i) });
    await insertEvent(db, { slug: 'past-tie', startsAt: hoursFromNow(-20) });
    await insertEvent(db, { slug: 'past-draft', startsAt: hoursFromNow(-1), status: 'draft' });
    // More upcoming events than a page holds: they are never cut.
    for (let i = 1; i <= 25; i++) await insertEvent(db, { slug: `next-${String(i).padStart(2, '0')}`, startsAt: hoursFromNow(i) });

    expect(PAST_EVENTS_PAGE_SIZE).toBe(20);
    const pages = [await listEvents(ctx()), await listEvents(ctx(), { page: 2 }), await listEvents(ctx(), { page: 3 })];
    expect(pages.map((p) => p.past.length)).toEqual([20, 20, 1]);
    expect(pages.map((p) => [p.page, p.pageCount, p.pastTotal])).toEqual([
      [1, 3, 41],
      [2, 3, 41],
      [3, 3, 41],
    ]);
    for (const page of pages) expect(page.upcoming).toHaveLength(25);
    const slugs = pages.flatMap((p) => p.past.map((e) => e.slug));
    expect(new Set(slugs).size).toBe(41);
    expect(slugs.slice(0, 3)).toEqual(['past-01', 'past-02', 'past-03']);
    expect(slugs.at(-1)).toBe('past-40');
    expect(slugs).not.toContain('past-draft');
    // Start times never go up from one page to the next.
    const starts = pages.flatMap((p) => p.past.map((e) => e.starts_at));
    expect(starts).toEqual([...starts].sort().reverse());
    await rejectsWith(listEvents(ctx(), { page: 4 }), 'NOT_FOUND');
  });

  it('without past events page 1 still exists (empty) and page 2 does not', async () => {
    await insertEvent(handle().db, { slug: 'future', startsAt: '2025-01-01T00:00:00.000Z' });
    const listing = await listEvents(ctx());
    expect([listing.past, listing.pageCount, listing.pastTotal]).toEqual([[], 1, 0]);
    await rejectsWith(listEvents(ctx(), { page: 2 }), 'NOT_FOUND');
  });

  it('the topic index lists every topic by name with counts of published content only', async () => {
    const { db } = handle();
    const safety = await insertTopic(db, { slug: 'safety', name: 'Safety', description: 'Keeping schools safe' });
    const partners = await insertTopic(db, { slug: 'partners', name: 'Partners' });
    await insertTopic(db, { slug: 'empty', name: 'Anything else' });
    await insertArticle(db, { slug: 'both', topics: [safety, partners] });
    await insertArticle(db, { slug: 'safety-only', topics: [safety] });
    await insertArticle(db, { slug: 'draft', status: 'draft', topics: [safety, partners] });
    await insertArticle(db, { slug: 'queued', status: 'scheduled', topics: [safety] });
    await insertArticle(db, { slug: 'tomorrow', publishedAt: '2024-03-16T12:00:00.000Z', topics: [safety] });
    await insertEvent(db, { slug: 'talk', startsAt: '2024-04-01T00:00:00.000Z', topics: [safety] });
    await insertEvent(db, { slug: 'old-talk', startsAt: '2023-04-01T00:00:00.000Z', topics: [safety] });
    await insertEvent(db, { slug: 'draft-talk', startsAt: '2024-04-01T00:00:00.000Z', status: 'draft', topics: [safety, partners] });
    await insertResource(db, { title: 'Guide', topics: [partners] });
    await insertResource(db, { title: 'Draft guide', status: 'draft', topics: [safety, partners] });

    const topics = await listTopics(ctx());
    expect(topics.map((t) => [t.topic.slug, t.articles, t.events, t.resources])).toEqual([
      ['empty', 0, 0, 0],
      ['partners', 1, 0, 1],
      ['safety', 2, 2, 0],
    ]);
    expect(topics[2]?.topic.description).toBe('Keeping schools safe');
  });

  it('an event is found only when published, and links its article only when that is published', async () => {
    const { db } = handle();
    const draftArticle = await insertArticle(db, { slug: 'draft-article', status: 'draft' });
    await insertEvent(db, { slug: 'public', startsAt: '2024-04-01T00:00:00.000Z', articleId: draftArticle });
    await insertEvent(db, { slug: 'private', startsAt: '2024-04-01T00:00:00.000Z', status: 'draft' });

    expect((await findEvent(ctx(), { slug: 'public' })).article).toBeUndefined();
    await rejectsWith(findEvent(ctx(), { slug: 'private' }), 'NOT_FOUND');
  });

  it('resources filter by kind and topic; drafts and topics of drafts stay out', async () => {
    const { db } = handle();
    const safety = await insertTopic(db, { slug: 'safety', name: 'Safety' });
    const partners = await insertTopic(db, { slug: 'partners', name: 'Partners' });
    const draftOnly = await insertTopic(db, { slug: 'draft-only', name: 'Draft only' });
    await insertResource(db, { title: 'B toolkit', kind: 'toolkit', topics: [safety] });
    await insertResource(db, { title: 'A website', kind: 'website', topics: [safety, partners] });
    await insertResource(db, { title: 'C video', kind: 'video', topics: [partners] });
    await insertResource(db, { title: 'Hidden', kind: 'toolkit', status: 'draft', topics: [safety, draftOnly] });

    const all = await listResources(ctx());
    expect(all.resources.map((r) => r.title)).toEqual(['A website', 'B toolkit', 'C video']);
    expect(all.resources[0]?.topics.map((t) => t.slug)).toEqual(['partners', 'safety']);
    expect(all.topics.map((t) => t.slug)).toEqual(['partners', 'safety']);

    expect((await listResources(ctx(), { kind: 'toolkit' })).resources.map((r) => r.title)).toEqual(['B toolkit']);
    expect((await listResources(ctx(), { topicSlug: 'partners' })).resources.map((r) => r.title)).toEqual(['A website', 'C video']);
    expect((await listResources(ctx(), { kind: 'website', topicSlug: 'safety' })).resources.map((r) => r.title)).toEqual(['A website']);
    expect((await listResources(ctx(), { topicSlug: 'draft-only' })).resources).toEqual([]);
    await rejectsWith(listResources(ctx(), { topicSlug: 'missing' }), 'NOT_FOUND');
  });
});
