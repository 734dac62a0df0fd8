import { randomUUID } from 'node:crypto';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { getSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { subscriberLinks } from '../../subscriptions/keys.ts';
import { deliveryToken, readDeliveryToken } from '../bounces/delivery-token.ts';
import { compileCampaign } from './compile-campaign.ts';
import { prepareMessages } from './prepare-messages.ts';
import { fillSlots, publicSlotValues, slotMarkers } from './slots.ts';
import { compileAndStore, DEMO_SOURCES, insertCampaign, topicIds } from './test-support.ts';

const PUBLIC_URL = 'https://dispatch.example.gov';
const NOW = new Date('2024-01-10T15:00:00.000Z');
const SUBJECT = 'Join an X Chat — the “MOU” edition ✓';

/** A header as sent (folding undone); fails when it appears more than once. */
function header(mail: ParsedMail, name: string): string | undefined {
  const lines = mail.headerLines.filter((h) => h.key === name.toLowerCase());
  expect(lines.length, `${name} appears once at most`).toBeLessThan(2);
  const line = lines[0]?.line;
  return line === undefined
    ? undefined
    : line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
}

/** Text with its line wrapping undone, for phrases the plain part may break across lines. */
const words = (text: string) => text.replace(/\s+/g, ' ');
const linkIn = (html: string, text: string) => new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(html)?.[1];
const lineAfter = (text: string, label: string) => new RegExp(`^${label}: (\\S+)$`, 'm').exec(text)?.[1];

/** The transport-level rules every rendered message must keep. */
function expectWellFormed(raw: string) {
  expect(raw.replace(/\r\n/g, ''), 'CRLF line ends only').not.toMatch(/[\r\n]/);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for anything but printable ASCII, tab and CRLF.
  expect(raw, '7-bit printable ASCII').toMatch(/^[\x09\x0d\x0a\x20-\x7e]*$/);
  const [head, ...rest] = raw.split('\r\n\r\n');
  for (const line of head!.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(998);
  // Below the header, every line belongs to a quoted-printable part or is a MIME boundary/part header.
  for (const line of rest.join('\r\n\r\n').split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(76);
}

describeEachDatabase('campaign messages', ({ handle }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    running = await createTestApp(handle(), { clock: new FixedClock(NOW), env: { PUBLIC_URL, ...env } });
    const { ctx } = running;
    await saveSiteSettings(ctx.db, ctx.clock, {
      ...(await getSiteSettings(ctx.db)),
      bulletinFrom: 'Community Policing Dispatch <dispatch@example.gov>',
    });
    return { ctx, topics: await topicIds(ctx) };
  }

  const articleCampaign = async (ctx: AppContext, topics: Record<string, string>) =>
    insertCampaign(ctx, {
      sourceType: 'article',
      sourceId: DEMO_SOURCES.article,
      subject: SUBJECT,
      topicIds: [topics['school-safety']!, topics.dispatch!],
    });

  it('compiles a bulletin for the demo article: the article in full, accessible, with the footer and both slots', async () => {
    const { ctx, topics } = await start();
    await ctx.db
      .insertInto('publishing_uploads')
      .values({
        id: 'upload-1',
        file_name: 'upload-1.jpg',
        content_type: 'image/jpeg',
        size_bytes: 10,
        original_name: 'mou.jpg',
        uploaded_by: null,
        created_at: NOW.toISOString(),
      })
      .execute();
    await ctx.db
      .updateTable('publishing_articles')
      .set({ image_upload_id: 'upload-1', image_alt: 'A school resource officer talks with students' })
      .where('id', '=', DEMO_SOURCES.article)
      .execute();
    const campaign = await articleCampaign(ctx, topics);
    const { subject, html, text } = await compileCampaign(ctx, campaign);
    const markers = slotMarkers(ctx.config.secret, campaign.id);

    expect(subject).toBe(SUBJECT);
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en"/);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toContain(`>${DEMO_SOURCES.articleTitle}</h1>`);
    expect(html).toContain('<h2 style="'); // the article's own headings sit under its title
    expect(html).toContain(`${PUBLIC_URL}/articles/${DEMO_SOURCES.articleSlug}`);
    expect(html).toContain(`src="${PUBLIC_URL}/uploads/upload-1" style=`);
    for (const img of html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\salt="[^"]*"/);
    expect(html).toContain('alt="A school resource officer talks with students"');
    expect(html).toContain('Monday, January 22, 2024, 11:00 AM ET');
    // The preheader: the summary, hidden, first in the body.
    expect(html).toMatch(/<body[^>]*>\s*<div style="display:none;[^"]*">The REMS TA Center and the COPS Office host/);
    expect(text).toContain(`${DEMO_SOURCES.articleTitle}\n=====`);
    expect(text).toContain('- the purpose and scope of the partnership;');
    expect(text).toContain(`Read this article on the website:\n${PUBLIC_URL}/articles/${DEMO_SOURCES.articleSlug}`);

    for (const part of [html, words(text)]) {
      expect(part).toContain(markers.unsubscribeUrl);
      expect(part).toContain(markers.preferencesUrl);
      expect(part).toContain('145 N Street, N.E.');
      expect(part).toContain('Washington, DC 20530');
      expect(part).toContain('Office of Community Oriented Policing Services');
      expect(part).toContain('You receive this e-mail because you subscribed to e-mail updates from Community Policing Dispatch');
    }
    expect(linkIn(html, 'Unsubscribe')).toBe(markers.unsubscribeUrl);
    expect(linkIn(html, 'Manage your preferences')).toBe(markers.preferencesUrl);
    expect(lineAfter(text, 'Unsubscribe')).toBe(markers.unsubscribeUrl);
    expect(lineAfter(text, 'Manage your preferences')).toBe(markers.preferencesUrl);
    expect(html).toContain(`href="${PUBLIC_URL}/subscribe"`);

    // An image without a description is decorative: still shown, with empty alt text.
    await ctx.db.updateTable('publishing_articles').set({ image_alt: null }).where('id', '=', DEMO_SOURCES.article).execute();
    const decorative = await compileCampaign(ctx, campaign);
    expect(decorative.html).toMatch(new RegExp(`<img\\s+alt="" src="${PUBLIC_URL}/uploads/upload-1"`));
  });

  it('compiles a bulletin for the demo issue, the monthly digest and the event reminder', async () => {
    const { ctx, topics } = await start();
    await ctx.db
      .updateTable('publishing_events')
      .set({ join_url: 'https://example.gov/join?chat=1&from=mail' })
      .where('id', '=', DEMO_SOURCES.event)
      .execute();
    const all = [topics.dispatch!];

    const issue = await compileCampaign(
      ctx,
      await insertCampaign(ctx, { sourceType: 'issue', sourceId: DEMO_SOURCES.issue, topicIds: all }),
    );
    expect(issue.html).toContain('January 2024 | Volume 17 | Issue 1');
    expect(issue.html).toContain('>Community Policing Dispatch, January 2024</h1>');
    expect(issue.html).toContain(`Read “${DEMO_SOURCES.articleTitle}”</a>`);
    expect(issue.html).toContain(`href="${PUBLIC_URL}/issues/17/1"`);
    expect(issue.text).toContain(`Read the January 2024 issue on the website:\n${PUBLIC_URL}/issues/17/1`);

    const digest = await compileCampaign(
      ctx,
      await insertCampaign(ctx, { sourceType: 'month', sourceId: DEMO_SOURCES.month, topicIds: all }),
    );
    expect(digest.html).toContain('>Community Policing Dispatch: January 2024 in review</h1>');
    expect(digest.html).toContain('What we published in January 2024: 1 article and 1 event.');
    expect(digest.html).toMatch(/<h2 [^>]*>Articles<\/h2>[\s\S]*<h3 [^>]*><a [^>]*>Join an X Chat/);
    expect(digest.html).toMatch(/<h2 [^>]*>Events<\/h2>[\s\S]*<h3 [^>]*><a href="[^"]*\/events\/rems-chat/);
    expect(words(digest.text)).toContain('and chose to get them as a monthly digest.');

    const empty = await compileCampaign(
      ctx,
      await insertCampaign(ctx, { sourceType: 'month', sourceId: DEMO_SOURCES.emptyMonth, topicIds: all }),
    );
    expect(empty.text).toContain('Nothing new was published this month.');

    const reminder = await compileCampaign(
      ctx,
      await insertCampaign(ctx, { sourceType: 'event', sourceId: DEMO_SOURCES.event, topicIds: all }),
    );
    const eventUrl = `${PUBLIC_URL}/events/${DEMO_SOURCES.eventSlug}`;
    expect(reminder.html).toContain('<strong>X chat:</strong> Monday, January 22, 2024, 11:00 AM ET (1 hour)');
    expect(reminder.html).toContain('>#REMSChatWithAnExpert</a>');
    expect(reminder.html).toContain('COPS Office (<a href="https://x.com/COPSOffice"');
    expect(reminder.html).toContain('href="https://example.gov/join?chat=1&amp;from=mail"');
    expect(reminder.html).toContain(`href="${eventUrl}.ics"`);
    expect(reminder.html).toContain(`href="${eventUrl}"`);
    expect(reminder.text).toContain('X chat: Monday, January 22, 2024, 11:00 AM ET (1 hour)');
    expect(reminder.text).toContain('Hosts: COPS Office (@COPSOffice) and REMS TA Center (@remstacenter)');
    expect(reminder.text).toContain(`to your calendar:\n${eventUrl}.ics`);
    expect(reminder.text).toContain('https://example.gov/join?chat=1&from=mail');

    for (const compiled of [issue, digest, empty, reminder]) {
      expect(compiled.html).toMatch(/<html lang="en"/);
      expect(compiled.html.match(/<h1[\s>]/g)).toHaveLength(1);
    }
  });

  it('refuses a source that is unpublished, gone or malformed', async () => {
    const { ctx, topics } = await start();
    await ctx.db.updateTable('publishing_articles').set({ status: 'draft' }).where('id', '=', DEMO_SOURCES.article).execute();
    await expect(compileCampaign(ctx, await articleCampaign(ctx, topics))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const gone = await insertCampaign(ctx, { sourceType: 'event', sourceId: randomUUID(), topicIds: [topics.events!] });
    await expect(compileCampaign(ctx, gone)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const month = await insertCampaign(ctx, { sourceType: 'month', sourceId: '2024-13', topicIds: [topics.events!] });
    await expect(compileCampaign(ctx, month)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('renders each recipient a complete message: headers, both parts, and links signed for that recipient and topic', async () => {
    const { ctx, topics } = await start({ BOUNCE_ADDRESS: 'returns@bounce.example.gov' });
    const campaign = await compileAndStore(ctx, await articleCampaign(ctx, topics));
    const prepared = await prepareMessages(ctx, campaign);
    const subscriberId = randomUUID();
    const recipient = { subscriberId, email: 'pat@example.org', topicId: topics['school-safety']! };
    const message = prepared.render(recipient);
    expectWellFormed(message.raw);

    const token = deliveryToken(ctx.config.secret, { campaignId: campaign.id, subscriberId });
    expect(readDeliveryToken(ctx.config.secret, token)).toEqual({ campaignId: campaign.id, subscriberId });
    expect(message.messageId).toBe(`${token}@example.gov`);
    expect(message.envelopeFrom).toBe(`returns+${token}@bounce.example.gov`);
    expect(message.to).toBe('pat@example.org');

    const mail = await simpleParser(message.raw);
    const links = subscriberLinks(ctx.config, { subscriberId, topicId: recipient.topicId });
    expect(header(mail, 'From')).toBe('"Community Policing Dispatch" <dispatch@example.gov>');
    expect(header(mail, 'To')).toBe('pat@example.org');
    expect(mail.subject).toBe(SUBJECT);
    expect(header(mail, 'Subject')).toMatch(/^=\?UTF-8\?Q\?/);
    expect(mail.date?.toISOString()).toBe(NOW.toISOString());
    expect(mail.messageId).toBe(`<${token}@example.gov>`);
    expect(header(mail, 'MIME-Version')).toBe('1.0');
    expect(header(mail, 'List-Id')).toBe('"School safety" <school-safety.example.gov>');
    expect(header(mail, 'List-Unsubscribe')).toBe(`<${links.unsubscribeUrl}>`);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(mail, 'Feedback-ID')).toBe(`${campaign.id}:school-safety:bulletin:dispatch`);
    expect(header(mail, 'X-Dispatch-Delivery')).toBe(token);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });

    // multipart/alternative: the plain part first, then the HTML, both UTF-8 quoted-printable.
    const partHeads = [...message.raw.matchAll(/\r\nContent-Type: (text\/\w+); charset=utf-8\r\nContent-Transfer-Encoding: (\S+)\r\n/g)];
    expect(partHeads.map((m) => [m[1], m[2]])).toEqual([
      ['text/plain', 'quoted-printable'],
      ['text/html', 'quoted-printable'],
    ]);
    const markers = slotMarkers(ctx.config.secret, campaign.id);
    // Decoded, each part is exactly the compiled part with this recipient's links in the slots.
    expect(mail.text?.trimEnd()).toBe(fillSlots(campaign.compiled_text!, markers, links, { html: false }).trimEnd());
    expect(typeof mail.html === 'string' && mail.html.trimEnd()).toBe(
      fillSlots(campaign.compiled_html!, markers, links, { html: true }).trimEnd(),
    );
    expect(lineAfter(mail.text ?? '', 'Unsubscribe')).toBe(links.unsubscribeUrl);
    expect(lineAfter(mail.text ?? '', 'Manage your preferences')).toBe(links.preferencesUrl);
    expect(linkIn(String(mail.html), 'Unsubscribe')).toBe(links.unsubscribeUrl);
    expect(linkIn(String(mail.html), 'Manage your preferences')).toBe(links.preferencesUrl);
  });

  it('gives the same recipient the same Message-ID every time, and every recipient their own', async () => {
    const { ctx, topics } = await start();
    const campaign = await compileAndStore(ctx, await articleCampaign(ctx, topics));
    const prepared = await prepareMessages(ctx, campaign);
    const [a, b] = [randomUUID(), randomUUID()];
    const first = prepared.render({ subscriberId: a, email: 'a@example.org', topicId: topics.dispatch! });
    // A retry after a crash prepares the campaign again: still the same id.
    const again = (await prepareMessages(ctx, campaign)).render({ subscriberId: a, email: 'a@example.org', topicId: topics.dispatch! });
    const other = prepared.render({ subscriberId: b, email: 'b@example.org', topicId: topics.dispatch! });
    expect(again.messageId).toBe(first.messageId);
    expect((await simpleParser(again.raw)).messageId).toBe((await simpleParser(first.raw)).messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(other.envelopeFrom).not.toBe(first.envelopeFrom);
    expect(first.envelopeFrom).toMatch(/^bounces\+[a-z2-7]+@example\.gov$/);
    // Per topic: the List-Id and Feedback-ID follow the topic the recipient qualified through.
    const mail = await simpleParser(first.raw);
    expect(header(mail, 'List-Id')).toBe('"Community Policing Dispatch" <dispatch.example.gov>');
    expect(header(mail, 'Feedback-ID')).toBe(`${campaign.id}:dispatch:bulletin:dispatch`);
    expect(() => prepared.render({ subscriberId: a, email: 'x@example.org\r\nBcc: y@example.org', topicId: topics.dispatch! })).toThrow();
  });

  it('renders a test send with "[Test]" and the public pages instead of signed links', async () => {
    const { ctx, topics } = await start();
    const campaign = await compileAndStore(ctx, await articleCampaign(ctx, topics));
    const message = (await prepareMessages(ctx, campaign)).renderTest('Editor@Example.gov');
    expectWellFormed(message.raw);
    expect(message.to).toBe('editor@example.gov');
    expect(message.envelopeFrom).toBe('bounces@example.gov');
    const mail = await simpleParser(message.raw);
    expect(mail.subject).toBe(`[Test] ${SUBJECT}`);
    const publicLinks = publicSlotValues(PUBLIC_URL);
    expect(lineAfter(mail.text ?? '', 'Unsubscribe')).toBe(publicLinks.unsubscribeUrl);
    expect(linkIn(String(mail.html), 'Manage your preferences')).toBe(`${PUBLIC_URL}/preferences`);
    expect(String(mail.html)).toContain(`href="${PUBLIC_URL}/subscribe"`);
    expect(message.raw).not.toMatch(/\/unsubscribe\/|\/preferences\/open\//);
    expect(header(mail, 'List-Unsubscribe')).toBe(`<${PUBLIC_URL}/preferences>`);
    // No one-click promise: the public page cannot honour it.
    expect(header(mail, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(header(mail, 'X-Dispatch-Delivery')).toBeUndefined();
    await expect(async () => (await prepareMessages(ctx, campaign)).renderTest('not an address')).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('refuses to prepare a campaign that was never compiled', async () => {
    const { ctx, topics } = await start();
    const campaign: Campaign = await articleCampaign(ctx, topics);
    await expect(prepareMessages(ctx, campaign)).rejects.toThrow(/has not been compiled/);
  });
});
